using CollabTraining.Contracts.Hospitals;
using CollabTraining.Contracts.School;
using CollabTraining.School.Catalog;
using CollabTraining.School.Data;
using CollabTraining.School.Notifications;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Assignments;

/// <summary>
/// Records the hospitals' answers on the school's assignments. A decision only moves an assignment out of
/// a state that allows it (a student's own decline is final), so a late or repeated answer changes nothing.
/// A confirmation or decline that changes the assignment tells its student (a notification saved with the
/// change, inside the inbox transaction), so a redelivered or late answer tells nobody twice.
/// </summary>
public sealed partial class AssignmentOutcomeConsumer(SchoolDbContext db, ILogger<AssignmentOutcomeConsumer> logger) :
    IConsumer<PlacementAssignmentConfirmed>,
    IConsumer<PlacementAssignmentDeclined>,
    IConsumer<ClinicalMentorAssigned>
{
    public Task Consume(ConsumeContext<PlacementAssignmentConfirmed> context) =>
        ApplyAsync(context.Message.AssignmentId, a => a.ApplyConfirmation(), context.CancellationToken,
            (a, placement) => Notification.Tell(a.StudentId, a.Id, "placement-confirmed",
                $"Your placement {Describe(placement)} is confirmed by the hospital.", context.Message.OccurredAt));

    public Task Consume(ConsumeContext<PlacementAssignmentDeclined> context) =>
        ApplyAsync(context.Message.AssignmentId, a => a.ApplyHospitalDecline(context.Message.Reason), context.CancellationToken,
            (a, placement) => Notification.Tell(a.StudentId, a.Id, "placement-declined",
                $"Your placement {Describe(placement)} was declined by the hospital: {context.Message.Reason}", context.Message.OccurredAt));

    /// <summary>
    /// A mentor is assigned only to a confirmed student, so a mentor that overtakes the confirmation (deliveries
    /// run side by side) waits for it: the message is retried until the confirmation has been applied.
    /// </summary>
    public Task Consume(ConsumeContext<ClinicalMentorAssigned> context) =>
        ApplyAsync(context.Message.AssignmentId, a => a.Status == PlacementAssignmentStatus.Pending
            ? throw new InvalidOperationException($"Assignment {a.Id} is not confirmed here yet; the mentor is applied once the confirmation has arrived.")
            : a.ApplyMentor(context.Message.MentorId, context.Message.MentorName, context.Message.Version), context.CancellationToken);

    private async Task ApplyAsync(Guid assignmentId, Func<PlacementAssignment, bool> apply, CancellationToken ct, Func<PlacementAssignment, CatalogPlacement?, Notification>? tell = null)
    {
        var assignment = await db.PlacementAssignments.SingleOrDefaultAsync(a => a.Id == assignmentId, ct);
        if (assignment is null || !apply(assignment))
        {
            LogIgnored(logger, assignmentId, assignment?.Status);
            return;
        }

        if (tell is not null)
        {
            var placement = await db.CatalogPlacements.AsNoTracking().SingleOrDefaultAsync(p => p.OfferId == assignment.OfferId, ct);
            db.Add(tell(assignment, placement));
        }

        await db.SaveChangesAsync(ct);
    }

    private static string Describe(CatalogPlacement? placement) =>
        placement is null || placement.Title.Length == 0
            ? "(offer details not yet received)"
            : $"\"{placement.Title}\" at {placement.HospitalName} ({placement.StartsOn:yyyy-MM-dd} to {placement.EndsOn:yyyy-MM-dd})";

    [LoggerMessage(Level = LogLevel.Information, Message = "Ignored a hospital decision on assignment {AssignmentId}, which is {Status}")]
    private static partial void LogIgnored(ILogger logger, Guid assignmentId, Contracts.School.PlacementAssignmentStatus? status);
}
