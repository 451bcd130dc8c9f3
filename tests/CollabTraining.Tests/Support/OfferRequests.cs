namespace CollabTraining.Tests.Support;

public static class OfferRequests
{
    public static object Valid(string title = "Cardiology ward rotation", int seats = 4, Guid? hospitalId = null, bool publish = true, DateOnly? startsOn = null, DateOnly? endsOn = null) => new
    {
        hospitalId,
        department = "Cardiology",
        specialty = "cardiology",
        title,
        startsOn = (startsOn ?? new DateOnly(2027, 2, 1)).ToString("yyyy-MM-dd"),
        endsOn = (endsOn ?? new DateOnly(2027, 2, 28)).ToString("yyyy-MM-dd"),
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
