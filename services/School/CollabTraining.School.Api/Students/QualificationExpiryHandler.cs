using CollabTraining.Messaging.Outbox;
using CollabTraining.Messaging.Scheduling;
using CollabTraining.School.Data;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Students;

/// <summary>
/// When a qualification's last day has passed, tells the owners it expired, so they refuse bookings that
/// relied on it without each keeping a clock of their own. The task was scheduled with the grant or renewal;
/// it reads the holding as it is now, so a renewal or revocation since then leaves it nothing to do.
/// </summary>
public sealed class QualificationExpiryHandler(SchoolDbContext db, Outbox outbox, TimeProvider time) : IDueTaskHandler
{
    public const string TaskKind = "qualification.expiry";

    public string Kind => TaskKind;

    /// <summary>Schedules the announcement for the first instant the qualification is no longer valid.</summary>
    public static void ScheduleFor(DueTasks tasks, StudentQualification qualification) =>
        tasks.Schedule(TaskKind, qualification.Id, qualification.ExpiryDueAt);

    public async Task RunAsync(DueTask task, CancellationToken cancellationToken)
    {
        var qualification = await db.StudentQualifications.SingleOrDefaultAsync(q => q.Id == task.SubjectId, cancellationToken);
        if (qualification?.Expire(time.GetUtcNow()) is { } expired)
        {
            outbox.Add(expired);
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
