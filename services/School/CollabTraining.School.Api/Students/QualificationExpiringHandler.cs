using CollabTraining.Contracts.School;
using CollabTraining.Messaging.Scheduling;
using CollabTraining.School.Data;
using CollabTraining.School.Notifications;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Students;

/// <summary>
/// Thirty days before a qualification's last day, tells its student (a <c>qualification-expiring</c> notification)
/// so they can take the module again in time. Scheduled with every grant and renewal; it reads the holding as it is
/// now, so a renewal past the warning, a revocation or an earlier warning for the same date leaves it nothing to do.
/// </summary>
public sealed class QualificationExpiringHandler(SchoolDbContext db, TimeProvider time) : IDueTaskHandler
{
    public const string TaskKind = "qualification.expiring";

    public const string NotificationKind = "qualification-expiring";

    public string Kind => TaskKind;

    /// <summary>Schedules the warning for 30 days before the last day (a date already inside that window comes due at once).</summary>
    public static void ScheduleFor(DueTasks tasks, StudentQualification qualification) =>
        tasks.Schedule(TaskKind, qualification.Id, qualification.ExpiringDueAt);

    public async Task RunAsync(DueTask task, CancellationToken cancellationToken)
    {
        var qualification = await db.StudentQualifications.SingleOrDefaultAsync(q => q.Id == task.SubjectId, cancellationToken);
        var now = time.GetUtcNow();
        if (qualification is null || !qualification.WarnOfExpiry(now))
        {
            return;
        }

        var name = ReferenceCodes.Qualifications.GetValueOrDefault(qualification.Code, qualification.Code);
        db.Add(Notification.Tell(qualification.StudentId, qualification.Id, NotificationKind,
            $"Your {name} qualification expires after {qualification.ExpiresOn:yyyy-MM-dd}; complete its module again to renew it.", now));
        await db.SaveChangesAsync(cancellationToken);
    }
}
