using CollabTraining.Contracts.Projects;
using CollabTraining.Messaging.Data;
using CollabTraining.Messaging.Outbox;
using CollabTraining.Messaging.Scheduling;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Organisations.Mentoring;

/// <summary>
/// Keeps the school's mentor requests addressed to this service (its name in <c>Service</c>): each once, by its
/// request id. Someone who is not an active mentor of the organisation here is declined as the request arrives.
/// Runs inside the inbox's transaction (InboxFilter): its changes, the answer in the outbox and the inbox key
/// commit together. Requests and withdrawals share one consumer, so one queue, in order; a withdrawal that still
/// overtakes its request leaves a tombstone the request then finds.
/// </summary>
public sealed class MentorRequestsConsumer(ServiceDbContext db, Outbox outbox, DueTasks dueTasks, IMentorDirectory directory, MentorRequestOptions options, TimeProvider time)
    : IConsumer<MentorRequested>, IConsumer<MentorRequestWithdrawn>
{
    public async Task Consume(ConsumeContext<MentorRequested> context)
    {
        var m = context.Message;
        if (!string.Equals(m.Service, options.Service, StringComparison.Ordinal))
        {
            return;
        }

        var ct = context.CancellationToken;
        var now = time.GetUtcNow();
        var known = await db.Set<MentorRequest>().SingleOrDefaultAsync(r => r.Id == m.RequestId, ct);
        if (known is not null)
        {
            // Asked again: the answer already given is given again; a waiting or withdrawn request stays as it is.
            if (known.Answered(now) is { } again)
            {
                outbox.Add(again);
                await db.SaveChangesAsync(ct);
            }

            return;
        }

        var request = MentorRequest.Receive(m);
        db.Add(request);
        var standing = await directory.StandingAsync(m.MentorUserId, m.OrganisationId, m.Role, answering: null, ct);
        if (!standing.IsActiveMentor)
        {
            outbox.Add(request.DeclineAtOnce($"{m.MentorName} is not an active mentor of {standing.OrganisationName}.", now));
        }
        else if (request.ExpireIfDue(now) is { } expired)
        {
            outbox.Add(expired);
        }
        else
        {
            dueTasks.Schedule(MentorRequestExpiryHandler.TaskKind, request.Id, request.AnswerBy);
            if (await db.Set<MentorLoad>().FindAsync([m.MentorUserId, m.OrganisationId], ct) is null)
            {
                db.Add(MentorLoad.For(m.MentorUserId, m.OrganisationId));
            }
        }

        await db.SaveChangesAsync(ct);
    }

    public async Task Consume(ConsumeContext<MentorRequestWithdrawn> context)
    {
        var m = context.Message;
        if (!string.Equals(m.Service, options.Service, StringComparison.Ordinal))
        {
            return;
        }

        var ct = context.CancellationToken;
        var request = await db.Set<MentorRequest>().SingleOrDefaultAsync(r => r.Id == m.RequestId, ct);
        if (request is null)
        {
            db.Add(MentorRequest.WithdrawnBeforeArrival(m, time.GetUtcNow()));
        }
        else
        {
            request.Withdraw(m.Reason, time.GetUtcNow());
        }

        await db.SaveChangesAsync(ct);
    }
}

/// <summary>A request still waiting at its deadline expires: the school hears it was not taken.</summary>
public sealed class MentorRequestExpiryHandler(ServiceDbContext db, Outbox outbox, TimeProvider time) : IDueTaskHandler
{
    public const string TaskKind = "mentor-request.answer-by";

    public string Kind => TaskKind;

    public async Task RunAsync(DueTask task, CancellationToken cancellationToken)
    {
        var request = await db.Set<MentorRequest>().SingleOrDefaultAsync(r => r.Id == task.SubjectId, cancellationToken);
        if (request?.ExpireIfDue(time.GetUtcNow()) is { } expired)
        {
            outbox.Add(expired);
            await db.SaveChangesAsync(cancellationToken);
        }
    }
}
