using CollabTraining.Contracts.School;
using CollabTraining.Hospitals.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Hospitals.Assignments;

/// <summary>Receives the school's assignments to this hospital's offers, and students' withdrawals.</summary>
public sealed partial class SchoolAssignmentsConsumer(HospitalsDbContext db, TimeProvider time, ILogger<SchoolAssignmentsConsumer> logger) :
    IConsumer<PlacementAssigned>,
    IConsumer<PlacementDeclinedByStudent>
{
    public async Task Consume(ConsumeContext<PlacementAssigned> context)
    {
        var m = context.Message;
        if (await db.Assignments.AnyAsync(a => a.Id == m.AssignmentId, context.CancellationToken))
        {
            return;
        }

        db.Assignments.Add(new HospitalAssignment
        {
            Id = m.AssignmentId,
            RoundId = m.RoundId,
            OfferId = m.OfferId,
            HospitalId = m.HospitalId,
            StudentId = m.StudentId,
            StudentName = m.StudentName,
            StudyYear = m.StudyYear,
            Programme = m.Programme,
            Rank = m.Rank,
            Status = HospitalAssignmentStatus.Pending,
            Version = 1,
            ReceivedAt = time.GetUtcNow(),
        });
        await db.SaveChangesAsync(context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<PlacementDeclinedByStudent> context)
    {
        var assignment = await db.Assignments.SingleOrDefaultAsync(a => a.Id == context.Message.AssignmentId, context.CancellationToken);
        if (assignment is not { HoldsSeat: true })
        {
            LogIgnored(logger, context.Message.AssignmentId);
            return;
        }

        assignment.Status = HospitalAssignmentStatus.WithdrawnByStudent;
        assignment.DeclineReason = context.Message.Reason;
        assignment.Version++;
        await db.SaveChangesAsync(context.CancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "A student's withdrawal from assignment {AssignmentId} changed nothing: it holds no seat here")]
    private static partial void LogIgnored(ILogger logger, Guid assignmentId);
}
