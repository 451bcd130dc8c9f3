using CollabTraining.Contracts.School;
using CollabTraining.Hospitals.Data;
using CollabTraining.Hospitals.Placements;
using CollabTraining.Messaging.Outbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Hospitals.Assignments;

/// <summary>
/// Receives the school's assignments to this hospital's offers, and students' declines and the school's
/// releases. An assignment that arrives for a placement the hospital has withdrawn meanwhile is declined at
/// once, with the reason, so the school re-matches the student; so is one for a placement the hospital closed to
/// new students meanwhile (students it already had stay).
/// </summary>
public sealed partial class SchoolAssignmentsConsumer(HospitalsDbContext db, Outbox outbox, TimeProvider time, ILogger<SchoolAssignmentsConsumer> logger) :
    IConsumer<PlacementAssigned>,
    IConsumer<PlacementDeclinedByStudent>,
    IConsumer<PlacementReleasedBySchool>
{
    public const string ClosedReason = "The hospital closed this placement to new students.";

    public async Task Consume(ConsumeContext<PlacementAssigned> context)
    {
        var m = context.Message;
        if (await db.Assignments.AnyAsync(a => a.Id == m.AssignmentId, context.CancellationToken))
        {
            return;
        }

        var now = time.GetUtcNow();
        var assignment = HospitalAssignment.Receive(m, now);
        db.Assignments.Add(assignment);
        var offer = await db.PlacementOffers.SingleOrDefaultAsync(o => o.Id == m.OfferId, context.CancellationToken);
        if (offer is { Status: PlacementOfferStatus.Withdrawn or PlacementOfferStatus.Closed })
        {
            outbox.Add(assignment.Decline(offer.Status == PlacementOfferStatus.Withdrawn ? OfferWithdrawal.Reason : ClosedReason, now));
        }
        else if (offer is not null && await db.Assignments.CountAsync(a => a.OfferId == offer.Id
            && (a.Status == PlacementAssignmentStatus.Pending || a.Status == PlacementAssignmentStatus.Confirmed), context.CancellationToken) >= offer.Seats)
        {
            // The seats were cut while this assignment was on its way (say, through a broker outage): the
            // same rule as a seat reduction applies on arrival, so no offer ever holds more students than seats.
            outbox.Add(assignment.Decline($"The placement has no seat left for this student: it has {offer.Seats} and all are taken.", now));
        }

        await db.SaveChangesAsync(context.CancellationToken);
    }

    public Task Consume(ConsumeContext<PlacementDeclinedByStudent> context) =>
        ApplyAsync(context.Message.AssignmentId, PlacementAssignmentStatus.DeclinedByStudent, context.Message.Reason, context.CancellationToken);

    public Task Consume(ConsumeContext<PlacementReleasedBySchool> context) =>
        ApplyAsync(context.Message.AssignmentId, PlacementAssignmentStatus.ReleasedBySchool, context.Message.Reason, context.CancellationToken);

    private async Task ApplyAsync(Guid assignmentId, PlacementAssignmentStatus status, string reason, CancellationToken ct)
    {
        // Deliveries run side by side, so the school's decision can overtake the assignment it is about: then it
        // is retried (and, should the assignment never come, ends visibly in the error queue) instead of lost.
        var assignment = await db.Assignments.SingleOrDefaultAsync(a => a.Id == assignmentId, ct)
            ?? throw new AssignmentNotYetKnownException(assignmentId);
        if (!assignment.ApplySchoolDecision(status, reason))
        {
            LogIgnored(logger, assignmentId);
            return;
        }

        await db.SaveChangesAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A school decision on assignment {AssignmentId} changed nothing: it holds no seat here")]
    private static partial void LogIgnored(ILogger logger, Guid assignmentId);
}

/// <summary>A message about an assignment this service has not received yet; retried until it has.</summary>
public sealed class AssignmentNotYetKnownException(Guid assignmentId)
    : Exception($"Assignment {assignmentId} is not known here yet; the message will be retried once it has arrived.");
