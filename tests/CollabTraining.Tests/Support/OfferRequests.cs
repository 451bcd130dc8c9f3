namespace CollabTraining.Tests.Support;

public static class OfferRequests
{
    /// <summary>Two months ahead of the real date: offers may not start in the past, so test dates move with the calendar.</summary>
    public static DateOnly DefaultStart => DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(2);

    public static object Valid(string title = "Cardiology ward rotation", int seats = 4, Guid? hospitalId = null, bool publish = true, DateOnly? startsOn = null, DateOnly? endsOn = null) => new
    {
        hospitalId,
        department = "Cardiology",
        specialty = "cardiology",
        title,
        startsOn = (startsOn ?? DefaultStart).ToString("yyyy-MM-dd"),
        endsOn = (endsOn ?? DefaultStart.AddDays(27)).ToString("yyyy-MM-dd"),
        seats,
        requirements = new
        {
            minimumStudyYear = 4,
            requiredQualifications = new[] { "infection-control" },
            allowedProgrammes = new[] { "medicine" },
        },
        publish,
    };
}
