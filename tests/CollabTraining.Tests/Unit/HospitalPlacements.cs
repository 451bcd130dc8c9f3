using CollabTraining.Contracts.School;
using CollabTraining.Hospitals.Assignments;
using CollabTraining.Hospitals.Placements;

namespace CollabTraining.Tests.Unit;

/// <summary>A hospital's world for the domain tests: an offer, the students the school placed on it, their mentor.</summary>
internal static class HospitalPlacements
{
    public static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    public static readonly DateOnly Today = new(2026, 11, 25);

    public static PlacementOfferTerms Terms(int seats = 3, DateOnly? starts = null, DateOnly? ends = null) =>
        new("Cardiology", "cardiology", "Cardiology ward", starts ?? new DateOnly(2027, 1, 4), ends ?? new DateOnly(2027, 1, 29), seats, 4, ["basic-life-support"], ["medicine"]);

    /// <summary>A published offer; by default it starts today and runs to 20 December, so hours and evaluations can be recorded.</summary>
    public static PlacementOffer Offer(int seats = 3, DateOnly? starts = null, DateOnly? ends = null) =>
        PlacementOffer.Publish(Guid.NewGuid(), Terms(seats, starts ?? Today, ends ?? new DateOnly(2026, 12, 20)), Now);

    public static HospitalAssignment Placed(PlacementOffer offer, DateTimeOffset? receivedAt = null, Guid? id = null) =>
        HospitalAssignment.Receive(
            new PlacementAssigned(id ?? Guid.NewGuid(), Guid.NewGuid(), offer.Id, offer.HospitalId, Guid.NewGuid(), "Ana Novak", 5, "medicine", 1, 1, receivedAt ?? Now),
            receivedAt ?? Now);

    public static HospitalAssignment Confirmed(PlacementOffer offer, DateTimeOffset? receivedAt = null)
    {
        var assignment = Placed(offer, receivedAt);
        assignment.Confirm(offer, confirmedOnOffer: 0, Now);
        return assignment;
    }

    public static ClinicalMentor Mentor(PlacementOffer offer, string name = "Dr Mira Kos") => ClinicalMentor.Register(Guid.NewGuid(), offer.HospitalId, name);

    public static HospitalAssignment Mentored(PlacementOffer offer, ClinicalMentor mentor)
    {
        var assignment = Confirmed(offer);
        assignment.AssignMentor(mentor, Now);
        return assignment;
    }
}
