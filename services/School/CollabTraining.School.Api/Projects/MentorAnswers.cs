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

/// <summary>What asking a mentor and withdrawing the request send, whoever does it (a coordinator, the deadline, the demo seed).</summary>
public static class MentorRequests
{
    /// <summary>
    /// In the caller's unit of work: the event the mentor's organisation keeps the request from, the mentor's
    /// notification, and the task that expires it unanswered (a grace period after the organisation's own deadline).
    /// </summary>
    public static void Send(SchoolDbContext db, Outbox outbox, DueTasks dueTasks, Project project, ProjectMentor asked, DateTimeOffset now)
    {
        outbox.Add(new MentorRequested(asked.RequestId, project.Id, project.Title, asked.Role, asked.Service, asked.MentorUserId, asked.MentorName,
            asked.OrganisationId, asked.AnswerBy, MentorVersions.Asked, now));
        db.Add(Notifications.Notification.Tell(asked.MentorUserId, asked.RequestId, "mentor-request",
            $"You are asked to be the {asked.Role} mentor of the innovation project \"{project.Title}\"; please answer by {asked.AnswerBy:yyyy-MM-dd HH:mm} UTC.", now));
        dueTasks.Schedule(MentorDeadlineHandler.TaskKind, asked.RequestId, asked.AnswerBy + MentorDeadlineHandler.Grace);
    }

    /// <summary>Tells the mentor's organisation the request is withdrawn (still waiting) or released (accepted, project closed).</summary>
    public static void Withdraw(Outbox outbox, Project project, ProjectMentor mentor, string reason, DateTimeOffset now) =>
        outbox.Add(new MentorRequestWithdrawn(mentor.RequestId, project.Id, mentor.Service, mentor.MentorUserId, reason, MentorVersions.Withdrawn, now));
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
            MentorRequests.Withdraw(outbox, project, mentor, "The deadline to answer passed.", now);
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
