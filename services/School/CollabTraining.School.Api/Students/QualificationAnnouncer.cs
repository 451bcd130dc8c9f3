using CollabTraining.Contracts.School;
using CollabTraining.Messaging.Data;
using CollabTraining.Messaging.Outbox;
using CollabTraining.Messaging.Scheduling;
using CollabTraining.School.Data;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Students;

/// <summary>
/// At start-up: every qualification the owners have never been told of (granted before qualifications were
/// events, so it has no expiry task) is announced as granted, and its expiry scheduled. Without this, students
/// qualified before the upgrade would be refused every resource that needs their qualification until a renewal.
/// </summary>
public sealed class QualificationAnnouncer(SchoolDbContext db, Outbox outbox, DueTasks tasks, TimeProvider time) : IDataSeeder
{
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        var unannounced = await db.StudentQualifications
            .Where(q => q.RevokedAt == null && !db.Set<DueTask>().Any(t => t.Kind == QualificationExpiryHandler.TaskKind && t.SubjectId == q.Id))
            .ToListAsync(cancellationToken);
        if (unannounced.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        foreach (var q in unannounced)
        {
            outbox.Add(new QualificationChanged(q.Id, q.StudentId, q.Code, QualificationChange.Granted, q.ExpiresOn, q.Version, now));
            QualificationGrants.Schedule(tasks, q);
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
