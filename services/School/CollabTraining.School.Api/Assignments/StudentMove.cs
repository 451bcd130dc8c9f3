using CollabTraining.Contracts.School;
using CollabTraining.School.Catalog;
using CollabTraining.School.Rounds;
using CollabTraining.School.Students;
using CollabTraining.Domain;

namespace CollabTraining.School.Assignments;

/// <summary>
/// The coordinator moves a student to another offer of the round: one with a free seat (counted across
/// rounds) that the student is eligible for, ignoring the placement they are leaving. The old seat is
/// released and the hospital told; the new assignment awaits the new hospital's answer.
/// </summary>
public static class StudentMove
{
    public static (PlacementReleasedBySchool Released, PlacementAssignment Moved, PlacementAssigned Assigned) Move(
        PlacementRound round, PlacementAssignment current, Guid offerId, CatalogPlacement? target, int freeSeats,
        Student student, IEnumerable<StudentQualification> qualifications, IEnumerable<CatalogPlacement> held,
        IReadOnlyList<Guid> ranking, string reason, Guid coordinatorId, DateTimeOffset now)
    {
        round.ChangeAssignments(now);
        if (!round.OfferIds.Contains(offerId) || target is null)
        {
            throw DomainRuleException.Invalid("offerId", "The offer is not part of this round.");
        }

        if (offerId == current.OfferId)
        {
            throw DomainRuleException.Invalid("offerId", "The student already holds this offer.");
        }

        if (PlacementEligibility.UnmetRequirement(student, qualifications, target, held, DateOnly.FromDateTime(now.UtcDateTime)) is { } unmet)
        {
            throw DomainRuleException.Conflict($"{student.Name} cannot take '{target.Title}': {unmet}.");
        }

        if (freeSeats == 0)
        {
            throw DomainRuleException.Conflict($"'{target.Title}' has no free seat.");
        }

        var released = current.Release($"Moved by the school coordinator: {reason}", coordinatorId, now);
        var (moved, assigned) = PlacementAssignment.Make(round.Id, null, offerId, target.HospitalId, student, ranking.ToList().IndexOf(offerId) + 1, now);
        return (released, moved, assigned);
    }
}
