using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using CollabTraining.Messaging.Data;
using CollabTraining.Messaging.Outbox;
using CollabTraining.ServiceDefaults.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CollabTraining.Messaging.Inbox;

/// <summary>Settings under <c>Inbox</c>.</summary>
public sealed class InboxOptions
{
    public const string Section = "Inbox";

    /// <summary>The most deliveries applied in one transaction.</summary>
    public int MaxBatch { get; set; } = 256;
}

/// <summary>One delivery handed to the group commit.</summary>
/// <param name="MessageId">The inbox key (with the endpoint); null for work that has none (tests).</param>
/// <param name="ApplyAlone">The delivery on its own: checks its key, runs the consumer, saves. Always possible.</param>
/// <param name="Batch">How to apply a run of deliveries of this message type together, when its consumer can.</param>
/// <param name="Message">The message, for <paramref name="Batch"/>.</param>
public sealed record InboxDelivery(Guid? MessageId, Func<DbConnection, DbTransaction, Task> ApplyAlone, IInboxRun? Batch = null, object? Message = null);

/// <summary>
/// Group commit for one receive endpoint. Deliveries the consumers hand in while a commit is under way are
/// applied together in the next transaction and committed once: one durable commit (one fsync on SQLite)
/// for the whole group instead of one per message. Nothing waits for a batch to fill: an idle queue's single
/// delivery is applied at once.
/// <list type="bullet">
/// <item>The group's inbox keys are read in one query; a delivery whose key is known, or that repeats an
/// earlier delivery of the same group, is acknowledged without running anything.</item>
/// <item>Consecutive deliveries of one message type whose consumer is an <see cref="IInboxBatchConsumer{T}"/>
/// are applied as one run (one read, one write) behind one savepoint. If the run throws, it is rolled back and
/// its deliveries are applied one at a time, so only the failing one fails.</item>
/// <item>Any other delivery runs its consumer alone behind its own savepoint; a failure rolls back to it.</item>
/// </list>
/// A failed delivery learns its exception (MassTransit retries it, and in the end moves it to the error queue);
/// its batch-mates commit. Each delivery learns its outcome only after the commit, so nothing is acknowledged
/// before its effect is on disk.
/// </summary>
public sealed partial class InboxBatcher : IAsyncDisposable
{
    private readonly string _consumer;
    private readonly IServiceScopeFactory _scopes;
    private readonly OutboxSignal _outboxSignal;
    private readonly InboxOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<Work> _queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;
    private int _started;

    public InboxBatcher(string consumer, IServiceScopeFactory scopes, OutboxSignal outboxSignal, InboxOptions options, TimeProvider? time = null, ILogger? logger = null)
    {
        _consumer = consumer;
        _scopes = scopes;
        _outboxSignal = outboxSignal;
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    /// <summary>Applies <paramref name="apply"/> in the next group transaction; completes once that transaction has committed.</summary>
    public Task RunAsync(Func<DbConnection, DbTransaction, Task> apply, CancellationToken cancellationToken) =>
        RunAsync(new InboxDelivery(null, apply), cancellationToken);

    /// <summary>Applies <paramref name="delivery"/> in the next group transaction (alone or in a run); completes once that transaction has committed.</summary>
    public Task RunAsync(InboxDelivery delivery, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            // The loop must not inherit the first caller's execution context (its Activity would parent
            // every later commit span).
            using (ExecutionContext.SuppressFlow())
            {
                _loop = Task.Run(LoopAsync, CancellationToken.None);
            }
        }

        var work = new Work(delivery, Activity.Current, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), cancellationToken);
        return _queue.Writer.TryWrite(work) ? work.Done.Task : Task.FromCanceled(new CancellationToken(canceled: true));
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stopping.CancelAsync();
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stopping.Dispose();
    }

    private async Task LoopAsync()
    {
        var batch = new List<Work>(_options.MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _options.MaxBatch && _queue.Reader.TryRead(out var work))
            {
                if (work.CancellationToken.IsCancellationRequested)
                {
                    work.Done.TrySetCanceled(work.CancellationToken);
                    continue;
                }

                batch.Add(work);
            }

            if (batch.Count > 0)
            {
                await ApplyAsync(batch).ConfigureAwait(false);
            }
        }
    }

    private async Task ApplyAsync(List<Work> batch)
    {
        var failures = new Exception?[batch.Count];
        var caller = Activity.Current;
        var raisedEvents = true;
        try
        {
            await using var scope = _scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ServiceDbContext>();
            await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                Array.Clear(failures);
                using var commit = TelemetryExtensions.ActivitySource.StartActivity(
                    ActivityKind.Internal, name: "inbox batch commit",
                    links: batch.Where(w => w.Activity is not null).Select(w => new ActivityLink(w.Activity!.Context)));
                commit?.SetTag("collabtraining.inbox.batch_size", batch.Count);
                await db.Database.OpenConnectionAsync(_stopping.Token);
                var connection = db.Database.GetDbConnection();
                await using var transaction = await connection.BeginTransactionAsync(_stopping.Token);
                await db.Database.UseTransactionAsync(transaction, _stopping.Token);
                try
                {
                    // Keys already in the inbox: handled before, acknowledged without running anything. A key
                    // that appears twice in this group is applied once, and its repeat shares that outcome (if
                    // the first copy fails, so does the repeat, and MassTransit retries it).
                    var known = await KnownKeysAsync(db, batch);
                    var firstOf = new Dictionary<Guid, int>();
                    var repeats = new List<(int Repeat, int First)>();
                    bool IsFirst(int index)
                    {
                        if (batch[index].Delivery.MessageId is not { } id)
                        {
                            return true;
                        }

                        if (known.Contains(id))
                        {
                            LogDuplicate(_logger, id, _consumer);
                            return false;
                        }

                        if (firstOf.TryGetValue(id, out var first))
                        {
                            repeats.Add((index, first));
                            return false;
                        }

                        firstOf[id] = index;
                        return true;
                    }

                    var savepoints = 0;
                    for (var i = 0; i < batch.Count;)
                    {
                        var delivery = batch[i].Delivery;
                        if (!IsFirst(i))
                        {
                            i++;
                            continue;
                        }

                        if (delivery.Batch is { } run)
                        {
                            // The run: this delivery and the next ones of the same type (repeats left out).
                            var members = new List<int> { i };
                            var next = i + 1;
                            for (; next < batch.Count && batch[next].Delivery.Batch?.MessageType == run.MessageType; next++)
                            {
                                if (IsFirst(next))
                                {
                                    members.Add(next);
                                }
                            }

                            var savepoint = $"run{savepoints++}";
                            await transaction.SaveAsync(savepoint, _stopping.Token);
                            try
                            {
                                await ApplyRunAsync(db, scope.ServiceProvider, run, members.Select(m => batch[m]).ToList(), commit ?? caller);
                            }
                            catch (Exception ex) when (!_stopping.IsCancellationRequested)
                            {
                                // Someone in the run failed: undo the run and give each delivery its own chance.
                                LogRunFellBack(_logger, members.Count, run.MessageType.Name, _consumer, ex.Message);
                                await transaction.RollbackAsync(savepoint, CancellationToken.None);
                                db.ChangeTracker.Clear();
                                foreach (var member in members)
                                {
                                    failures[member] = await ApplyAloneAsync(batch[member], connection, transaction, $"run{savepoints++}", commit ?? caller);
                                }
                            }

                            i = next;
                            continue;
                        }

                        failures[i] = await ApplyAloneAsync(batch[i], connection, transaction, $"run{savepoints++}", commit ?? caller);
                        i++;
                    }

                    foreach (var (repeat, first) in repeats)
                    {
                        failures[repeat] = failures[first];
                    }
                }
                finally
                {
                    db.ChangeTracker.Clear();
                    await db.Database.UseTransactionAsync(null, CancellationToken.None);
                }

                await transaction.CommitAsync(CancellationToken.None);

                // Wake this service's dispatcher only if a consumer raised events; waking it after every group
                // cost an empty claim query per commit.
                raisedEvents = scope.ServiceProvider.GetService<OutboxCommitInterceptor>()?.TakeRowsAddedIn(transaction) ?? true;
            });
        }
        catch (Exception ex)
        {
            // The commit (or the connection) failed: nothing of the batch is on disk, so every delivery fails
            // and is retried. No message is lost or applied twice.
            foreach (var work in batch)
            {
                work.Done.TrySetException(ex);
            }

            return;
        }
        finally
        {
            Activity.Current = caller;
        }

        if (raisedEvents)
        {
            _outboxSignal.Notify();
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (failures[i] is { } failure)
            {
                batch[i].Done.TrySetException(failure);
            }
            else
            {
                batch[i].Done.TrySetResult();
            }
        }
    }

    /// <summary>The keys of this group already in the inbox, read in one query.</summary>
    private async Task<HashSet<Guid>> KnownKeysAsync(ServiceDbContext db, List<Work> batch)
    {
        var ids = batch.Select(w => w.Delivery.MessageId).OfType<Guid>().Distinct().ToList();
        if (ids.Count == 0)
        {
            return [];
        }

        var known = await db.InboxMessages.AsNoTracking()
            .Where(m => m.Consumer == _consumer && ids.Contains(m.MessageId))
            .Select(m => m.MessageId)
            .ToListAsync(_stopping.Token);
        return [.. known];
    }

    /// <summary>A run applied together: the batch consumer's changes and every member's inbox key in one save.</summary>
    private async Task ApplyRunAsync(ServiceDbContext db, IServiceProvider services, IInboxRun run, List<Work> members, Activity? parent)
    {
        // A run of one belongs to its message's trace, exactly like a delivery applied alone; a longer run gets
        // its own span, linked to every message's trace.
        using var activity = members.Count == 1
            ? null
            : TelemetryExtensions.ActivitySource.StartActivity(
                ActivityKind.Internal, parentContext: parent?.Context ?? default, name: $"inbox apply {run.MessageType.Name}",
                links: members.Where(w => w.Activity is not null).Select(w => new ActivityLink(w.Activity!.Context)));
        activity?.SetTag("collabtraining.inbox.run_size", members.Count);
        Activity.Current = members.Count == 1 ? members[0].Activity : activity;
        try
        {
            await run.ApplyAsync(services, members.Select(w => w.Delivery.Message!).ToList(), _stopping.Token);
            var now = _time.GetUtcNow();
            foreach (var member in members)
            {
                if (member.Delivery.MessageId is { } id)
                {
                    db.InboxMessages.Add(new InboxMessage { MessageId = id, Consumer = _consumer, MessageType = run.MessageType.Name, ReceivedAt = now });
                }
            }

            await db.SaveChangesAsync(_stopping.Token);
            db.ChangeTracker.Clear();
        }
        finally
        {
            Activity.Current = parent;
        }
    }

    private async Task<Exception?> ApplyAloneAsync(Work work, DbConnection connection, DbTransaction transaction, string savepoint, Activity? parent)
    {
        await transaction.SaveAsync(savepoint, _stopping.Token);

        // The delivery's own trace: its consumer's work belongs to the message, not to the batch.
        Activity.Current = work.Activity;
        try
        {
            await work.Delivery.ApplyAlone(connection, transaction);
            return null;
        }
        catch (Exception ex)
        {
            await transaction.RollbackAsync(savepoint, CancellationToken.None);
            return ex;
        }
        finally
        {
            Activity.Current = parent;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} already handled by {Consumer}; acknowledged without running it again")]
    private static partial void LogDuplicate(ILogger logger, Guid messageId, string consumer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A run of {Count} {MessageType} for {Consumer} failed together ({Reason}); applying them one at a time")]
    private static partial void LogRunFellBack(ILogger logger, int count, string messageType, string consumer, string reason);

    private sealed record Work(InboxDelivery Delivery, Activity? Activity, TaskCompletionSource Done, CancellationToken CancellationToken);
}

/// <summary>One <see cref="InboxBatcher"/> per receive endpoint, so one queue's slow consumer never holds up another's.</summary>
public sealed class InboxBatchers(IServiceScopeFactory scopes, OutboxSignal outboxSignal, InboxOptions options, TimeProvider time, ILoggerFactory loggers) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, InboxBatcher> _byEndpoint = new(StringComparer.Ordinal);

    public InboxBatcher For(string endpoint) => _byEndpoint.GetOrAdd(endpoint, e => new InboxBatcher(e, scopes, outboxSignal, options, time, loggers.CreateLogger<InboxBatcher>()));

    public async ValueTask DisposeAsync()
    {
        foreach (var batcher in _byEndpoint.Values)
        {
            await batcher.DisposeAsync();
        }
    }
}
