using System.Diagnostics;
using System.Text.Json;
using CollabTraining.Messaging.Data;
using CollabTraining.ServiceDefaults.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;

namespace CollabTraining.Messaging.Outbox;

/// <summary>
/// Publishes committed outbox rows. Each round claims a batch under a lease (an atomic conditional update,
/// so two instances on one database never both own a row), publishes it outside any transaction with many
/// publishes in flight (one aggregate's events in sequence order, aggregates side by side), then marks the
/// published rows in one update. A failure of one message backs that message off and, after
/// <see cref="OutboxOptions.MaxAttempts"/>, dead-letters it; a failure of the broker pauses the whole
/// dispatcher without charging any message, so an outage never dead-letters healthy events.
/// </summary>
public sealed partial class OutboxDispatcher(
    IServiceScopeFactory scopes,
    IOutboxTransport transport,
    MessageTypeRegistry types,
    OutboxSignal signal,
    OutboxMetrics metrics,
    OutboxOptions options,
    TimeProvider time,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    private readonly string _instance = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";
    private DateTimeOffset _nextHousekeeping = DateTimeOffset.MinValue;
    private DateTimeOffset _nextObservation = DateTimeOffset.MinValue;
    private int _transportFailures;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarted(logger, _instance);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var outcome = await DispatchBatchAsync(stoppingToken);
                using (SuppressInstrumentationScope.Begin())
                {
                    await ObserveAsync(stoppingToken);
                    await HousekeepAsync(stoppingToken);
                }

                if (outcome == BatchOutcome.TransportDown)
                {
                    await Task.Delay(TransportBackoff(++_transportFailures), time, stoppingToken);
                    continue;
                }

                if (_transportFailures > 0)
                {
                    LogTransportRecovered(logger, _transportFailures);
                    _transportFailures = 0;
                }

                if (outcome != BatchOutcome.Full)
                {
                    await signal.WaitAsync(options.PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                // The database itself failed (locked, unreachable). Nothing is lost: rows stay pending.
                LogRoundFailed(logger, ex);
                await Task.Delay(TransportBackoff(1), time, stoppingToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private enum BatchOutcome
    {
        Empty,
        Partial,
        Full,
        TransportDown,
    }

    private async Task<BatchOutcome> DispatchBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ServiceDbContext>();
        List<OutboxMessage> claimed;
        using (SuppressInstrumentationScope.Begin())
        {
            // Polling is not a user action: tracing every empty poll would bury the traces people look for.
            claimed = await ClaimAsync(db, cancellationToken);
        }

        if (claimed.Count == 0)
        {
            return BatchOutcome.Empty;
        }

        var outcome = claimed.Count >= options.BatchSize ? BatchOutcome.Full : BatchOutcome.Partial;

        // Many publishes in flight at once, each awaiting its own confirm. Events of one aggregate go one after
        // the other, in sequence order; different aggregates go side by side (consumers apply versions, so
        // their relative order never mattered). A transport failure stops every lane; a message's own failure
        // is recorded for that message alone and its lane goes on.
        var results = new PublishResult[claimed.Count];
        var failures = new Exception?[claimed.Count];

        // Each stored event is read once: its aggregate names its lane, and the same object is published.
        var events = claimed.Select(Read).ToArray();
        var lanes = Enumerable.Range(0, claimed.Count).GroupBy(i => events[i].Lane).ToList();
        using var transportDown = new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, transportDown.Token);

        // A broker that stops confirming pauses the dispatcher: the publishes in flight are cancelled once no
        // confirm has arrived for PublishTimeout (each confirm re-arms the timer, so a long lane of one
        // aggregate's events is never cut short while the broker keeps answering).
        using var stalled = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stalled.CancelAfter(options.PublishTimeout);
        await Task.WhenAll(lanes.Select(async lane =>
        {
            foreach (var index in lane)
            {
                if (linked.IsCancellationRequested)
                {
                    return;
                }

                var failure = failures[index] = await PublishAsync(claimed[index], events[index], stalled.Token);
                if (failure is null)
                {
                    stalled.CancelAfter(options.PublishTimeout);
                }

                results[index] = failure is null ? PublishResult.Published
                    : cancellationToken.IsCancellationRequested ? PublishResult.NotAttempted
                    : transport.IsTransportFailure(failure) ? PublishResult.TransportFailed
                    : PublishResult.MessageFailed;
                if (results[index] == PublishResult.TransportFailed)
                {
                    await transportDown.CancelAsync();
                    return;
                }
            }
        }));

        var published = new List<long>(claimed.Count);
        var handBack = new List<long>();
        for (var i = 0; i < claimed.Count; i++)
        {
            var row = claimed[i];
            switch (results[i])
            {
                case PublishResult.Published:
                    published.Add(row.Id);
                    break;
                case PublishResult.MessageFailed:
                    metrics.Failed(transport: false);
                    await RecordMessageFailureAsync(db, row, failures[i]!, CancellationToken.None);
                    break;
                case PublishResult.TransportFailed:
                    metrics.Failed(transport: true);
                    if (outcome != BatchOutcome.TransportDown && _transportFailures == 0)
                    {
                        LogTransportDown(logger, failures[i]!.Message);
                    }

                    outcome = BatchOutcome.TransportDown;
                    handBack.Add(row.Id);
                    break;
                default:
                    handBack.Add(row.Id);
                    break;
            }
        }

        using (SuppressInstrumentationScope.Begin())
        {
            await MarkPublishedAsync(db, published, claimed[0].LeaseOwner!);
            if (handBack.Count > 0)
            {
                // Hand back what was not published (the broker failed, or the process is stopping) at once, for whoever runs next.
                var owner = claimed[0].LeaseOwner;
                await db.OutboxMessages
                    .Where(m => handBack.Contains(m.Id) && m.LeaseOwner == owner)
                    .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeaseOwner, (string?)null).SetProperty(m => m.LeaseExpiresAt, (DateTimeOffset?)null), CancellationToken.None);
            }
        }

        metrics.Published(published.Count);
        return outcome;
    }

    private enum PublishResult
    {
        NotAttempted,
        Published,
        MessageFailed,
        TransportFailed,
    }

    /// <summary>
    /// A stored event read back: the lane it travels in (its aggregate, or itself when that cannot be read) and
    /// the message, or why it cannot be published (that failure is the message's own).
    /// </summary>
    private readonly record struct StoredEvent(string Lane, Type? Type, object? Message, Exception? Unreadable);

    private StoredEvent Read(OutboxMessage row)
    {
        try
        {
            var type = types.Resolve(row.MessageType);
            var message = JsonSerializer.Deserialize(row.Body, type, MessageTypeRegistry.JsonOptions)
                ?? throw new JsonException("The stored body is null.");
            var lane = message is Contracts.IIntegrationEvent e ? e.AggregateId.ToString() : row.MessageId.ToString();
            return new StoredEvent(lane, type, message, null);
        }
        catch (Exception ex) when (ex is JsonException or UnknownMessageTypeException or NotSupportedException)
        {
            return new StoredEvent(row.MessageId.ToString(), null, null, ex);
        }
    }

    private async Task<List<OutboxMessage>> ClaimAsync(ServiceDbContext db, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var candidates = await db.OutboxMessages.AsNoTracking()
            .Where(m => m.ProcessedAt == null && m.DeadLetteredAt == null && m.NextAttemptAt <= now
                && (m.LeaseExpiresAt == null || m.LeaseExpiresAt < now))
            .OrderBy(m => m.Id)
            .Select(m => m.Id)
            .Take(options.BatchSize)
            .ToListAsync(cancellationToken);
        if (candidates.Count == 0)
        {
            return [];
        }

        // The lease condition is repeated in the update itself: the database evaluates it per row under its
        // write lock, so of two dispatchers racing for a row exactly one update matches it.
        var owner = $"{_instance}/{Guid.NewGuid():N}";
        var leaseExpiresAt = now + options.LeaseDuration;
        await db.OutboxMessages
            .Where(m => candidates.Contains(m.Id) && m.ProcessedAt == null && m.DeadLetteredAt == null
                && (m.LeaseExpiresAt == null || m.LeaseExpiresAt < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.LeaseOwner, owner).SetProperty(m => m.LeaseExpiresAt, leaseExpiresAt), cancellationToken);

        return await db.OutboxMessages.AsNoTracking()
            .Where(m => m.LeaseOwner == owner)
            .OrderBy(m => m.Id)
            .ToListAsync(cancellationToken);
    }

    private async Task<Exception?> PublishAsync(OutboxMessage row, StoredEvent stored, CancellationToken cancellationToken)
    {
        var headers = OutboxHeaders.Parse(row.Headers);
        ActivityContext.TryParse(headers.GetValueOrDefault("traceparent"), headers.GetValueOrDefault("tracestate"), out var parent);
        using var activity = TelemetryExtensions.ActivitySource.StartActivity($"outbox publish {row.MessageType}", ActivityKind.Internal, parent);
        activity?.SetTag("messaging.message.id", row.MessageId.ToString());
        activity?.SetTag("collabtraining.outbox.sequence", row.Id);
        if (stored.Unreadable is { } unreadable)
        {
            activity?.SetStatus(ActivityStatusCode.Error, unreadable.Message);
            return unreadable;
        }

        try
        {
            var envelope = new OutboxEnvelope(row.Id, row.MessageId, stored.Type!, stored.Message!, headers);
            await transport.PublishAsync(envelope, cancellationToken);
            return null;
        }
        catch (Exception ex)
        {
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            return ex;
        }
    }

    private async Task RecordMessageFailureAsync(ServiceDbContext db, OutboxMessage row, Exception failure, CancellationToken cancellationToken)
    {
        using var quiet = SuppressInstrumentationScope.Begin();
        var now = time.GetUtcNow();
        var attempts = row.Attempts + 1;
        var error = Truncate($"{failure.GetType().Name}: {failure.Message}", 2000);
        var deadLetter = attempts >= options.MaxAttempts;
        var nextAttemptAt = now + RetryDelay(attempts);
        await db.OutboxMessages
            .Where(m => m.Id == row.Id && m.LeaseOwner == row.LeaseOwner)
            .ExecuteUpdateAsync(
                s => s.SetProperty(m => m.Attempts, attempts)
                    .SetProperty(m => m.LastError, error)
                    .SetProperty(m => m.NextAttemptAt, nextAttemptAt)
                    .SetProperty(m => m.DeadLetteredAt, deadLetter ? now : (DateTimeOffset?)null)
                    .SetProperty(m => m.LeaseOwner, (string?)null)
                    .SetProperty(m => m.LeaseExpiresAt, (DateTimeOffset?)null),
                cancellationToken);

        if (deadLetter)
        {
            metrics.DeadLettered();
            LogDeadLettered(logger, row.MessageId, row.MessageType, attempts, error);
        }
        else
        {
            LogMessageFailed(logger, row.MessageId, row.MessageType, attempts, error);
        }
    }

    private async Task MarkPublishedAsync(ServiceDbContext db, List<long> published, string owner)
    {
        if (published.Count == 0)
        {
            return;
        }

        // Not cancellable: the events are out; forgetting that would publish them again.
        var now = time.GetUtcNow();
        await db.OutboxMessages
            .Where(m => published.Contains(m.Id) && m.LeaseOwner == owner)
            .ExecuteUpdateAsync(
                s => s.SetProperty(m => m.ProcessedAt, now)
                    .SetProperty(m => m.LeaseOwner, (string?)null)
                    .SetProperty(m => m.LeaseExpiresAt, (DateTimeOffset?)null),
                CancellationToken.None);
    }

    /// <summary>The backlog gauges, refreshed at most once per <see cref="OutboxOptions.ObserveInterval"/>: counting a large backlog after every batch would cost more than publishing it.</summary>
    private async Task ObserveAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now < _nextObservation)
        {
            return;
        }

        _nextObservation = now + options.ObserveInterval;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ServiceDbContext>();
        var pending = db.OutboxMessages.Where(m => m.ProcessedAt == null && m.DeadLetteredAt == null);
        var backlog = await pending.LongCountAsync(cancellationToken);
        var oldest = await pending.OrderBy(m => m.Id).Select(m => (DateTimeOffset?)m.OccurredAt).FirstOrDefaultAsync(cancellationToken);
        var deadLetters = await db.OutboxMessages.LongCountAsync(m => m.DeadLetteredAt != null && m.ProcessedAt == null, cancellationToken);
        metrics.Observe(backlog, oldest, deadLetters);
    }

    private async Task HousekeepAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (now < _nextHousekeeping)
        {
            return;
        }

        _nextHousekeeping = now + options.HousekeepingInterval;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ServiceDbContext>();
        var processedBefore = now - options.ProcessedRetention;
        var receivedBefore = now - options.InboxRetention;
        var purged = await db.OutboxMessages.Where(m => m.ProcessedAt != null && m.ProcessedAt < processedBefore).ExecuteDeleteAsync(cancellationToken);
        var forgotten = await db.InboxMessages.Where(m => m.ReceivedAt < receivedBefore).ExecuteDeleteAsync(cancellationToken);
        if (purged + forgotten > 0)
        {
            LogPurged(logger, purged, forgotten);
        }
    }

    private TimeSpan RetryDelay(int attempts) => Backoff(options.RetryBaseDelay, options.RetryMaxDelay, attempts);

    private TimeSpan TransportBackoff(int failures) => Backoff(TimeSpan.FromMilliseconds(250), options.TransportMaxDelay, failures);

    /// <summary>Exponential with full jitter on the upper half, so instances that failed together do not retry together.</summary>
    private static TimeSpan Backoff(TimeSpan baseDelay, TimeSpan maxDelay, int attempt)
    {
        var exponential = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 20));
        var capped = Math.Min(exponential, maxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds((capped / 2) + (Random.Shared.NextDouble() * capped / 2));
    }

    private static string Truncate(string value, int length) => value.Length <= length ? value : value[..length];

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox dispatcher {Instance} started")]
    private static partial void LogStarted(ILogger logger, string instance);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Broker unavailable; outbox dispatch paused, events wait in the database: {Reason}")]
    private static partial void LogTransportDown(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Broker reachable again after {Failures} failed rounds; outbox dispatch resumed")]
    private static partial void LogTransportRecovered(ILogger logger, int failures);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox message {MessageId} ({MessageType}) failed to publish, attempt {Attempts}: {Error}")]
    private static partial void LogMessageFailed(ILogger logger, Guid messageId, string messageType, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {MessageId} ({MessageType}) dead-lettered after {Attempts} attempts: {Error}")]
    private static partial void LogDeadLettered(ILogger logger, Guid messageId, string messageType, int attempts, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox dispatch round failed")]
    private static partial void LogRoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox housekeeping purged {Processed} published events and forgot {Inbox} handled message ids")]
    private static partial void LogPurged(ILogger logger, int processed, int inbox);
}
