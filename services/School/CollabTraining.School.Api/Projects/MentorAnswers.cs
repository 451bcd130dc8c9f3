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

/// <summary>At a request's deadline: still unanswered → expired here, and withdrawn at the mentor's organisation.</summary>
public sealed class MentorDeadlineHandler(SchoolDbContext db, Outbox outbox, TimeProvider time) : IDueTaskHandler
{
    public const string TaskKind = "project.mentor-deadline";

    public string Kind => TaskKind;

    public async Task RunAsync(DueTask task, CancellationToken cancellationToken)
    {
        var project = await db.Set<Project>().Include(p => p.Mentors).SingleOrDefaultAsync(p => p.Mentors.Any(x => x.RequestId == task.SubjectId), cancellationToken);
        var now = time.GetUtcNow();
        if (project?.Expire(task.SubjectId, now) == true)
        {
            var mentor = project.Mentors.Single(x => x.RequestId == task.SubjectId);
            outbox.Add(new MentorRequestWithdrawn(mentor.RequestId, project.Id, mentor.Service, mentor.MentorUserId, "The deadline to answer passed.", 2, now));
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
