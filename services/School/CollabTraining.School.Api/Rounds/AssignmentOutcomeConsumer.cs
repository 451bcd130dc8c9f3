using CollabTraining.Contracts.Hospitals;
using CollabTraining.School.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Rounds;

/// <summary>
/// Records the hospitals' answers on the school's assignments. A decision only moves an assignment out of
/// a state that allows it (a student's own decline is final), so a late or repeated answer changes nothing.
/// </summary>
public sealed partial class AssignmentOutcomeConsumer(SchoolDbContext db, ILogger<AssignmentOutcomeConsumer> logger) :
    IConsumer<PlacementAssignmentConfirmed>,
    IConsumer<PlacementAssignmentDeclined>,
    IConsumer<ClinicalMentorAssigned>
{
    public Task Consume(ConsumeContext<PlacementAssignmentConfirmed> context) =>
        ApplyAsync(context.Message.AssignmentId, a => a.Status == AssignmentStatus.Pending, a => a.Status = AssignmentStatus.Confirmed, context.CancellationToken);

    public Task Consume(ConsumeContext<PlacementAssignmentDeclined> context) =>
        ApplyAsync(context.Message.AssignmentId, a => a.HoldsSeat, a =>
        {
            a.Status = AssignmentStatus.DeclinedByHospital;
            a.DeclineReason = context.Message.Reason;
        }, context.CancellationToken);

    public Task Consume(ConsumeContext<ClinicalMentorAssigned> context) =>
        ApplyAsync(context.Message.AssignmentId, a => a.Status == AssignmentStatus.Confirmed, a =>
        {
            a.MentorId = context.Message.MentorId;
            a.MentorName = context.Message.MentorName;
        }, context.CancellationToken);

    private async Task ApplyAsync(Guid assignmentId, Func<PlacementAssignment, bool> allowed, Action<PlacementAssignment> apply, CancellationToken ct)
    {
        var assignment = await db.PlacementAssignments.SingleOrDefaultAsync(a => a.Id == assignmentId, ct);
        if (assignment is null || !allowed(assignment))
        {
            LogIgnored(logger, assignmentId, assignment?.Status);
            return;
        }

        apply(assignment);
        assignment.Version++;
        await db.SaveChangesAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ignored a hospital decision on assignment {AssignmentId}, which is {Status}")]
    private static partial void LogIgnored(ILogger logger, Guid assignmentId, AssignmentStatus? status);
}
