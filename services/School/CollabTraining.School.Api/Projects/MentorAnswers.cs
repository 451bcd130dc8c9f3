using CollabTraining.Contracts.Projects;
using CollabTraining.Messaging.Outbox;
using CollabTraining.Messaging.Scheduling;
using CollabTraining.School.Data;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Projects;

/// <summary>
/// A mentor's answer, given at their organisation's service, reaches the project. Only a request still waiting
/// takes it: a repeat, or an answer after the school expired or withdrew the request, changes nothing.
/// </summary>
public sealed partial class MentorAnswerConsumer(SchoolDbContext db, ILogger<MentorAnswerConsumer> logger) : MassTransit.IConsumer<MentorRequestAnswered>
{
    public async Task Consume(MassTransit.ConsumeContext<MentorRequestAnswered> context)
    {
        var m = context.Message;
        var project = await db.Set<Project>().Include(p => p.Mentors).SingleOrDefaultAsync(p => p.Mentors.Any(x => x.RequestId == m.RequestId), context.CancellationToken);
        if (project?.Answer(m.RequestId, m.Accepted, m.Reason, m.OccurredAt) != true)
        {
            LogIgnored(logger, m.RequestId);
            return;
        }

        await db.SaveChangesAsync(context.CancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ignored an answer to mentor request {RequestId}: unknown, or no longer waiting")]
    private static partial void LogIgnored(ILogger logger, Guid requestId);
}

/// <summary>
/// Versions of one request across the two services: 1 when asked; the organisation's answers count on from there
/// (an accept, a decline, an expiry: 2, and at most one more for a repeat); the school's withdrawal is last, above
/// anything the organisation can have published, so a consumer that keeps only newer versions never drops it.
/// </summary>
public static class MentorVersions
{
    public const long Asked = 1;

    public const long Withdrawn = 10;
}

/// <summary>
/// After a request's deadline: still unanswered here → expired, and withdrawn at the mentor's organisation. It runs a
/// grace period after the deadline, since the organisation expires the request itself at the deadline and an answer
/// given just in time may still be on its way (a School that was down would otherwise overrule it).
/// </summary>
public sealed class MentorDeadlineHandler(SchoolDbContext db, Outbox outbox, TimeProvider time) : IDueTaskHandler
{
    public const string TaskKind = "project.mentor-deadline";

    public static readonly TimeSpan Grace = TimeSpan.FromMinutes(15);

    public string Kind => TaskKind;

    public async Task RunAsync(DueTask task, CancellationToken cancellationToken)
    {
        var project = await db.Set<Project>().Include(p => p.Mentors).SingleOrDefaultAsync(p => p.Mentors.Any(x => x.RequestId == task.SubjectId), cancellationToken);
        var now = time.GetUtcNow();
        if (project?.Expire(task.SubjectId, now) == true)
        {
            var mentor = project.Mentors.Single(x => x.RequestId == task.SubjectId);
            outbox.Add(new MentorRequestWithdrawn(mentor.RequestId, project.Id, mentor.Service, mentor.MentorUserId, "The deadline to answer passed.", MentorVersions.Withdrawn, now));
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
