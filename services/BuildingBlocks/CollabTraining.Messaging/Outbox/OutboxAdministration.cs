using CollabTraining.Messaging.Data;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Messaging.Outbox;

public sealed record DeadLetter(Guid MessageId, long Sequence, string MessageType, int Attempts, string? LastError, DateTimeOffset OccurredAt, DateTimeOffset DeadLetteredAt);

public sealed record OutboxStatus(long Backlog, double OldestPendingAgeSeconds, IReadOnlyList<DeadLetter> DeadLetters);

/// <summary>What an operator does with dead letters once the cause is fixed: look, then replay.</summary>
public sealed class OutboxAdministration(ServiceDbContext db, OutboxSignal signal, OutboxMetrics metrics, TimeProvider time)
{
    public async Task<IReadOnlyList<DeadLetter>> DeadLettersAsync(CancellationToken cancellationToken) =>
        await db.OutboxMessages.AsNoTracking()
            .Where(m => m.DeadLetteredAt != null && m.ProcessedAt == null)
            .OrderBy(m => m.Id)
            .Select(m => new DeadLetter(m.MessageId, m.Id, m.MessageType, m.Attempts, m.LastError, m.OccurredAt, m.DeadLetteredAt!.Value))
            .ToListAsync(cancellationToken);

    /// <summary>Puts a dead letter back in line with a fresh attempt count. False when no such dead letter exists.</summary>
    public async Task<bool> ReplayAsync(Guid messageId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var replayed = await db.OutboxMessages
            .Where(m => m.MessageId == messageId && m.DeadLetteredAt != null && m.ProcessedAt == null)
            .ExecuteUpdateAsync(
                s => s.SetProperty(m => m.DeadLetteredAt, (DateTimeOffset?)null)
                    .SetProperty(m => m.Attempts, 0)
                    .SetProperty(m => m.NextAttemptAt, now),
                cancellationToken);
        if (replayed > 0)
        {
            signal.Notify();
        }

        return replayed > 0;
    }

    public async Task<OutboxStatus> StatusAsync(CancellationToken cancellationToken) =>
        new(metrics.Backlog, metrics.OldestPendingAgeSeconds, await DeadLettersAsync(cancellationToken));
}

public static class OutboxAdministrationApi
{
    /// <summary>Operator endpoints under the service's own prefix, so they are reachable through the gateway; admins only.</summary>
    public static RouteGroupBuilder MapOutboxAdministration(this IEndpointRouteBuilder app, string prefix)
    {
        var group = app.MapGroup(prefix + "/admin/outbox").WithTags("Operations").RequireAuthorization(Policies.Admin);
        group.MapGet("/", async (OutboxAdministration admin, CancellationToken ct) => TypedResults.Ok(await admin.StatusAsync(ct)))
            .WithName($"{prefix.Trim('/').Replace('/', '-')}-outbox-status")
            .WithSummary("Outbox backlog, oldest pending age and dead letters");
        group.MapPost("/dead-letters/{messageId:guid}/replay", async Task<Results<NoContent, ProblemHttpResult>> (Guid messageId, OutboxAdministration admin, CancellationToken ct) =>
                await admin.ReplayAsync(messageId, ct)
                    ? TypedResults.NoContent()
                    : TypedResults.Problem(title: "No such dead letter.", detail: $"No dead-lettered event has message id {messageId}.", statusCode: StatusCodes.Status404NotFound))
            .WithName($"{prefix.Trim('/').Replace('/', '-')}-outbox-replay")
            .WithSummary("Replay a dead-lettered event");
        return group;
    }
}
