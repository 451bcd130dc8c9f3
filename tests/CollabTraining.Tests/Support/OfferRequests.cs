namespace CollabTraining.Tests.Support;

public static class OfferRequests
{
    public static object Valid(string title = "Cardiology ward rotation", int seats = 4, Guid? hospitalId = null, bool publish = true) => new
    {
        hospitalId,
        department = "Cardiology",
        specialty = "cardiology",
        title,
        startsOn = "2027-02-01",
        endsOn = "2027-02-28",
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
