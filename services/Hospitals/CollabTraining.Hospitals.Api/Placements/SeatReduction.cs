using CollabTraining.Contracts.Hospitals;
using CollabTraining.Hospitals.Assignments;
using CollabTraining.Hospitals.Data;
using CollabTraining.ServiceDefaults.Http;
using CollabTraining.ServiceDefaults.Messaging.Outbox;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Hospitals.Placements;

/// <summary>
/// Fewer seats than assigned students: the assignments still awaiting an answer are declined, newest first,
/// with the reduction as the reason. Seats below the confirmed students are refused: a confirmed student
/// is moved only by declining them explicitly.
/// </summary>
public static class SeatReduction
{
    public static async Task<ProblemHttpResult?> DeclineExcessAsync(HospitalsDbContext db, Outbox outbox, PlacementOffer offer, int seats, DateTimeOffset now, CancellationToken ct)
    {
        if (seats >= offer.Seats)
        {
            return null;
        }

        var holding = await db.Assignments
            .Where(a => a.OfferId == offer.Id && (a.Status == HospitalAssignmentStatus.Pending || a.Status == HospitalAssignmentStatus.Confirmed))
            .ToListAsync(ct);
        var confirmed = holding.Count(a => a.Status == HospitalAssignmentStatus.Confirmed);
        if (seats < confirmed)
        {
            return Problems.Conflict($"{confirmed} students are confirmed on this offer; decline one explicitly before going below {confirmed} seats.");
        }

        foreach (var assignment in holding.Where(a => a.Status == HospitalAssignmentStatus.Pending).OrderByDescending(a => a.ReceivedAt).ThenByDescending(a => a.Id).Take(holding.Count - seats))
        {
            assignment.Decline($"The hospital reduced the seats of this placement from {offer.Seats} to {seats}.");
            outbox.Add(new PlacementAssignmentDeclined(assignment.Id, assignment.OfferId, assignment.StudentId, assignment.DeclineReason!, assignment.Version, now));
        }

        return null;
    }
}
