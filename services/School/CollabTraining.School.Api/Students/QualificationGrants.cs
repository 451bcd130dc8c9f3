using CollabTraining.Contracts.School;
using CollabTraining.Messaging.Outbox;
using CollabTraining.Messaging.Scheduling;
using CollabTraining.School.Data;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Students;

/// <summary>
/// The one way a qualification is granted or renewed, whoever asks (a coordinator, a module's recorded pass, the
/// demo seed): the holding changes, the owners are told (<see cref="QualificationChanged"/> in the outbox) and its
/// expiry and the warning 30 days before are scheduled, all in the caller's unit of work (the caller saves).
/// </summary>
public sealed class QualificationGrants(SchoolDbContext db, Outbox outbox, DueTasks tasks)
{
    /// <summary>Grants <paramref name="code"/> to the student until <paramref name="expiresOn"/>, or renews the holding to that day.</summary>
    /// <param name="keepLater">A module's pass renews, never shortens: a holding already valid beyond <paramref name="expiresOn"/> keeps its day.</param>
    public async Task<StudentQualification> GrantOrRenewAsync(Guid studentId, string code, DateOnly expiresOn, DateTimeOffset now, CancellationToken ct, bool keepLater = false)
    {
        var held = db.StudentQualifications.Local.FirstOrDefault(q => q.StudentId == studentId && q.Code == code)
            ?? await db.StudentQualifications.SingleOrDefaultAsync(q => q.StudentId == studentId && q.Code == code, ct);
        QualificationChanged changed;
        if (held is null)
        {
            (held, changed) = StudentQualification.Grant(studentId, code, expiresOn, now);
            db.StudentQualifications.Add(held);
        }
        else
        {
            changed = held.Renew(keepLater && !held.IsRevoked && held.ExpiresOn > expiresOn ? held.ExpiresOn : expiresOn, now);
        }

        outbox.Add(changed);
        Schedule(tasks, held);
        return held;
    }

    /// <summary>The timed work a new expiry date brings: the warning 30 days before it, and the announcement that it passed.</summary>
    public static void Schedule(DueTasks tasks, StudentQualification qualification)
    {
        QualificationExpiryHandler.ScheduleFor(tasks, qualification);
        QualificationExpiringHandler.ScheduleFor(tasks, qualification);
    }
}
