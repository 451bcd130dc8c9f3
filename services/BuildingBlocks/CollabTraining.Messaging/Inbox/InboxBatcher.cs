using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Threading.Channels;
using CollabTraining.Messaging.Data;
using CollabTraining.Messaging.Outbox;
using CollabTraining.ServiceDefaults.Telemetry;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CollabTraining.Messaging.Inbox;

/// <summary>Settings under <c>Inbox</c>.</summary>
public sealed class InboxOptions
{
    public const string Section = "Inbox";

    /// <summary>The most deliveries applied in one transaction.</summary>
    public int MaxBatch { get; set; } = 64;
}

/// <summary>
/// Group commit for one receive endpoint. Deliveries the consumers hand in while a commit is under way are
/// applied together in the next transaction, each behind its own savepoint, and committed once: one durable
/// commit (one fsync on SQLite) for the whole group instead of one per message. Nothing waits for a batch
/// to fill: an idle queue's single delivery is applied at once. A delivery whose work throws is rolled back
/// to its savepoint and fails alone (MassTransit retries it, and in the end moves it to the error queue);
/// its batch-mates commit. Each delivery learns the outcome only after the commit, so nothing is acknowledged
/// before its effect is on disk.
/// </summary>
public sealed class InboxBatcher(IServiceScopeFactory scopes, OutboxSignal outboxSignal, InboxOptions options) : IAsyncDisposable
{
    private readonly Channel<Work> _queue = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private Task? _loop;
    private int _started;

    /// <summary>Applies <paramref name="apply"/> in the next group transaction; completes once that transaction has committed.</summary>
    public Task RunAsync(Func<DbConnection, DbTransaction, Task> apply, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _loop = Task.Run(LoopAsync, CancellationToken.None);
        }

        var work = new Work(apply, Activity.Current, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), cancellationToken);
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
        var batch = new List<Work>(options.MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < options.MaxBatch && _queue.Reader.TryRead(out var work))
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
        try
        {
            await using var scope = scopes.CreateAsyncScope();
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
                for (var i = 0; i < batch.Count; i++)
                {
                    var savepoint = $"delivery{i}";
                    await transaction.SaveAsync(savepoint, _stopping.Token);

                    // The delivery's own trace: its consumer's work belongs to the message, not to the batch.
                    Activity.Current = batch[i].Activity;
                    try
                    {
                        await batch[i].Apply(connection, transaction);
                    }
                    catch (Exception ex)
                    {
                        failures[i] = ex;
                        await transaction.RollbackAsync(savepoint, CancellationToken.None);
                    }
                    finally
                    {
                        Activity.Current = commit ?? caller;
                    }
                }

                await transaction.CommitAsync(CancellationToken.None);
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

        outboxSignal.Notify();
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

    private sealed record Work(Func<DbConnection, DbTransaction, Task> Apply, Activity? Activity, TaskCompletionSource Done, CancellationToken CancellationToken);
}

/// <summary>One <see cref="InboxBatcher"/> per receive endpoint, so one queue's slow consumer never holds up another's.</summary>
public sealed class InboxBatchers(IServiceScopeFactory scopes, OutboxSignal outboxSignal, InboxOptions options) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, InboxBatcher> _byEndpoint = new(StringComparer.Ordinal);

    public InboxBatcher For(string endpoint) => _byEndpoint.GetOrAdd(endpoint, _ => new InboxBatcher(scopes, outboxSignal, options));

    public async ValueTask DisposeAsync()
    {
        foreach (var batcher in _byEndpoint.Values)
        {
            await batcher.DisposeAsync();
        }
    }
}
