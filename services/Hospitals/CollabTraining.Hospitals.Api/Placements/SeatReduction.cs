using CollabTraining.Contracts.School;
using CollabTraining.Hospitals.Assignments;
using CollabTraining.Domain;

namespace CollabTraining.Hospitals.Placements;

/// <summary>
/// Fewer seats than assigned students: the assignments still awaiting an answer are declined, newest first,
/// with the reduction as the reason. Seats below the confirmed students are refused: a confirmed student
/// is moved only by declining them explicitly.
/// </summary>
public static class SeatReduction
{
    /// <summary>The pending assignments a reduction of <paramref name="offer"/> to <paramref name="seats"/> would decline, in the order it would.</summary>
    public static IReadOnlyList<HospitalAssignment> WouldDecline(PlacementOffer offer, IReadOnlyList<HospitalAssignment> holding, int seats)
    {
        if (seats >= offer.Seats)
        {
            return [];
        }

        var confirmed = holding.Count(a => a.Status == PlacementAssignmentStatus.Confirmed);
        if (seats < confirmed)
        {
            throw DomainRuleException.Conflict($"{confirmed} students are confirmed on this offer; decline one explicitly before going below {confirmed} seats.");
        }

        // Seats that still cover every student decline nobody: taking zero or fewer takes none.
        return holding.Where(a => a.Status == PlacementAssignmentStatus.Pending)
            .OrderByDescending(a => a.ReceivedAt).ThenByDescending(a => a.Id)
            .Take(holding.Count - seats).ToList();
    }

    public static string Reason(int from, int to) => $"The hospital reduced the seats of this placement from {from} to {to}.";
}

/// <summary>
/// Withdrawing a placement releases its students: pending ones are declined with the reason (the school then
/// re-matches them). Confirmed students block the withdrawal, since the hospital promised them a place,
/// unless the coordinator forces it; then they are declined with the same reason.
/// </summary>
public static class OfferWithdrawal
{
    public const string Reason = "The hospital withdrew this placement.";

    public static IReadOnlyList<Contracts.Hospitals.PlacementAssignmentDeclined> Withdraw(
        PlacementOffer offer, IReadOnlyList<HospitalAssignment> holding, bool force, DateTimeOffset now)
    {
        var confirmed = holding.Count(a => a.Status == PlacementAssignmentStatus.Confirmed);
        if (confirmed > 0 && !force)
        {
            throw DomainRuleException.Conflict(
                $"{confirmed} student(s) are confirmed on this placement. Decline them first, or withdraw with force=true, which declines them with the reason \"{Reason}\".");
        }

        offer.Withdraw(now);
        return holding.Where(a => a.HoldsSeat).Select(a => a.Decline(Reason, now)).ToList();
    }
}
