using System.Data.Common;
using CollabTraining.Contracts.Hospitals;
using CollabTraining.Demo;
using CollabTraining.Messaging.Data;
using CollabTraining.Messaging.Inbox;
using CollabTraining.Messaging.Outbox;
using CollabTraining.School;
using CollabTraining.School.Catalog;
using CollabTraining.School.Data;
using CollabTraining.Tests.Support;
using MassTransit;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CollabTraining.Tests.Integration;

/// <summary>
/// Runs: deliveries of one message type that arrive together are applied by their batch consumer at once,
/// repeats left out, every key saved with the run; a run that throws is undone and its deliveries applied one
/// at a time, so only the poisoned one fails. And the catalog's run applies one offer's events in order.
/// </summary>
public sealed class InboxRunTests(ServiceFactory<SchoolApiMarker> factory) : IClassFixture<ServiceFactory<SchoolApiMarker>>
{
    private const string Queue = "inbox-run-test";

    [Fact]
    public async Task Deliveries_that_arrive_together_are_applied_as_one_run_with_repeats_left_out()
    {
        var run = new RecordingRun();
        await using var batcher = NewBatcher();
        var ids = Enumerable.Range(0, 12).Select(_ => Guid.NewGuid()).ToList();
        var deliveries = ids.Select(id => new InboxDelivery(id, AloneMustNotRun, run, $"message {id}")).ToList();
        deliveries.Insert(5, new InboxDelivery(ids[2], AloneMustNotRun, run, $"message {ids[2]}"));

        var outcomes = await HandInTogetherAsync(batcher, deliveries);
        await Task.WhenAll(outcomes);

        var applied = Assert.Single(run.Calls);
        Assert.Equal(ids.Select(id => $"message {id}"), applied);
        Assert.Equal(ids.Order(), await KeysAsync(ids));

        // The same messages delivered again (a redelivery after a lost acknowledgement) change nothing.
        await Task.WhenAll(await HandInTogetherAsync(batcher, ids.Select(id => new InboxDelivery(id, AloneMustNotRun, run, $"message {id}")).ToList()));
        Assert.Single(run.Calls);
    }

    [Fact]
    public async Task A_run_that_throws_is_undone_and_only_the_poisoned_delivery_fails()
    {
        var run = new RecordingRun { Poison = "poison" };
        await using var batcher = NewBatcher();
        var ids = Enumerable.Range(0, 8).Select(_ => Guid.NewGuid()).ToList();
        var alone = new List<Guid>();
        var deliveries = ids.Select((id, i) => new InboxDelivery(id, (c, t) => ApplyAloneAsync(id, i == 3, alone, c, t), run, i == 3 ? "poison" : $"message {id}")).ToList();

        var outcomes = await HandInTogetherAsync(batcher, deliveries);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => outcomes[3]);
        Assert.Contains("poison", error.Message);
        await Task.WhenAll(outcomes.Where((_, i) => i != 3));

        Assert.Single(run.Calls);
        Assert.Equal(ids, alone);
        Assert.Equal(ids.Where((_, i) => i != 3).Order(), await KeysAsync(ids));
    }

    [Fact]
    public async Task A_repeat_in_the_same_group_shares_the_first_copys_outcome()
    {
        var run = new RecordingRun { Poison = "poison" };
        await using var batcher = NewBatcher();
        var (poisoned, healthy) = (Guid.NewGuid(), Guid.NewGuid());
        var alone = new List<Guid>();
        var outcomes = await HandInTogetherAsync(batcher,
        [
            new InboxDelivery(poisoned, (c, t) => ApplyAloneAsync(poisoned, true, alone, c, t), run, "poison"),
            new InboxDelivery(healthy, (c, t) => ApplyAloneAsync(healthy, false, alone, c, t), run, "healthy"),
            new InboxDelivery(poisoned, (c, t) => ApplyAloneAsync(poisoned, false, alone, c, t), run, "poison"),
        ]);

        // The repeat is not acknowledged as handled while its first copy failed: it fails too, and is retried.
        await Assert.ThrowsAsync<InvalidOperationException>(() => outcomes[0]);
        await Assert.ThrowsAsync<InvalidOperationException>(() => outcomes[2]);
        await outcomes[1];
        Assert.Equal([poisoned, healthy], alone);
        Assert.Equal([healthy], await KeysAsync([poisoned, healthy]));
    }

    [Fact]
    public async Task Messages_applied_in_a_run_or_skipped_as_repeats_count_as_consumed_not_skipped()
    {
        var hospital = DemoDirectory.Hospitals[0];
        var offer = new PlacementOfferSnapshot(Guid.CreateVersion7(), hospital.Id, hospital.Name, "Cardiology", "cardiology", "Consumed once",
            new DateOnly(2027, 3, 1), new DateOnly(2027, 3, 28), 4, new PlacementRequirements(3, ["infection-control"], []));
        var messageId = Guid.NewGuid();
        var observer = new ConsumedCounter(messageId);
        using var connected = factory.Harness.Bus.ConnectReceiveObserver(observer);

        // MassTransit copies a delivery that no consumer reported consumed to the queue's _skipped queue; both the
        // delivery applied in a run and its repeat (acknowledged without running anything) must report it.
        await factory.Harness.Bus.Publish(new PlacementOfferPublished(offer, 1, DateTimeOffset.UtcNow), c => c.MessageId = messageId);
        await factory.Harness.Bus.Publish(new PlacementOfferPublished(offer, 1, DateTimeOffset.UtcNow), c => c.MessageId = messageId);

        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(observer.Consumed + observer.Skipped == 2), TimeSpan.FromSeconds(10)), "both deliveries received");
        Assert.Equal((2, 0), (observer.Consumed, observer.Skipped));
        Assert.Equal(1, await factory.InScopeAsync<SchoolDbContext, int>(db => db.CatalogPlacements.CountAsync(p => p.OfferId == offer.OfferId)));
    }

    [Fact]
    public async Task The_catalog_applies_one_offers_events_in_a_run_in_delivery_order()
    {
        var hospital = DemoDirectory.Hospitals[0];
        var offer = new PlacementOfferSnapshot(Guid.CreateVersion7(), hospital.Id, hospital.Name, "Cardiology", "cardiology", "Run v1",
            new DateOnly(2027, 3, 1), new DateOnly(2027, 3, 28), 4, new PlacementRequirements(3, ["infection-control"], []));
        var late = new PlacementOfferSnapshot(Guid.CreateVersion7(), hospital.Id, hospital.Name, "Cardiology", "cardiology", "Late v2",
            new DateOnly(2027, 3, 1), new DateOnly(2027, 3, 28), 4, new PlacementRequirements(3, ["infection-control"], []));

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var consumer = scope.ServiceProvider.GetRequiredService<PlacementCatalogConsumer>();
            await ((IInboxBatchConsumer<PlacementOfferUpdated>)consumer).ApplyAsync(
            [
                new PlacementOfferUpdated(offer, 1, DateTimeOffset.UtcNow),
                new PlacementOfferUpdated(offer with { Title = "Run v3", Seats = 6 }, 3, DateTimeOffset.UtcNow),
                new PlacementOfferUpdated(offer with { Title = "Run v2" }, 2, DateTimeOffset.UtcNow),
                new PlacementOfferUpdated(late with { Title = "Late v2" }, 2, DateTimeOffset.UtcNow),
                new PlacementOfferUpdated(late with { Title = "Late v1" }, 1, DateTimeOffset.UtcNow),
            ], CancellationToken.None);
            await scope.ServiceProvider.GetRequiredService<SchoolDbContext>().SaveChangesAsync();
        }

        var rows = await factory.InScopeAsync<SchoolDbContext, List<CatalogPlacement>>(db =>
            db.CatalogPlacements.Where(p => p.OfferId == offer.OfferId || p.OfferId == late.OfferId).ToListAsync());
        var first = Assert.Single(rows, p => p.OfferId == offer.OfferId);
        Assert.Equal(("Run v3", 6, 3L), (first.Title, first.Seats, first.Version));
        var second = Assert.Single(rows, p => p.OfferId == late.OfferId);
        Assert.Equal(("Late v2", 2L), (second.Title, second.Version));
    }

    [Fact]
    public void Every_registered_batch_consumer_is_found_under_its_queue()
    {
        var runs = factory.Services.GetRequiredService<InboxBatchConsumers>();
        var queue = new KebabCaseEndpointNameFormatter("school", includeNamespace: false).Consumer<PlacementCatalogConsumer>();
        foreach (var type in new[] { typeof(PlacementOfferPublished), typeof(PlacementOfferUpdated), typeof(PlacementOfferWithdrawn), typeof(PlacementOfferClosed) })
        {
            Assert.Equal(type, runs.Find(queue, type)?.MessageType);
        }

        Assert.Null(runs.Find("school-some-other-queue", typeof(PlacementOfferPublished)));
    }

    [Fact]
    public async Task Service_connections_commit_durably_and_wait_for_locks_inside_sqlite()
    {
        var synchronous = await factory.InScopeAsync<ServiceDbContext, long>(async db =>
        {
            await db.Database.OpenConnectionAsync();
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "PRAGMA synchronous";
            return (long)(await command.ExecuteScalarAsync())!;
        });
        Assert.Equal(2, synchronous); // FULL

        // Another writer holds the lock, releasing it for a fraction of a millisecond every 5 ms (a group commit under
        // load): a service's write waits inside SQLite and gets in through one of those gaps, within a second or so.
        // (SQLite's own busy_timeout handler backs off to 100 ms between tries and takes seconds to hit a gap.)
        var path = ((SqliteConnection)factory.Services.CreateScope().ServiceProvider.GetRequiredService<ServiceDbContext>().Database.GetDbConnection()).DataSource;
        using var holder = new SqliteConnection($"Data Source={path}");
        holder.Open();
        using var stop = new CancellationTokenSource();
        var holding = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                using (var transaction = holder.BeginTransaction())
                {
                    Thread.Sleep(5);
                    transaction.Commit();
                }

                // The gap a group commit leaves between its transactions: a fraction of a millisecond.
                var gap = System.Diagnostics.Stopwatch.StartNew();
                while (gap.Elapsed < TimeSpan.FromMilliseconds(0.05))
                {
                    Thread.SpinWait(20);
                }
            }
        });
        // Ten real writes (a statement that changes no row never asks for the write lock); the slowest counts.
        // SQLite's own busy_timeout handler gets in quickly now and then but, backing off to 100 ms between tries,
        // misses the gaps for seconds at a time: one of ten is enough to show it.
        var slowest = TimeSpan.Zero;
        for (var i = 0; i < 10; i++)
        {
            var waited = System.Diagnostics.Stopwatch.StartNew();
            await factory.InScopeAsync<ServiceDbContext, int>(db =>
            {
                db.InboxMessages.Add(new InboxMessage { MessageId = Guid.NewGuid(), Consumer = "busy-test", MessageType = "probe", ReceivedAt = DateTimeOffset.UtcNow });
                return db.SaveChangesAsync();
            });
            slowest = waited.Elapsed > slowest ? waited.Elapsed : slowest;
        }

        await stop.CancelAsync();
        await holding;
        // Polling every millisecond, a write gets in within a few gaps: tens of milliseconds, a second on a loaded two-core
        // machine (a clean-clone CI run saw 1,092 ms once). SQLite's own handler hits a 0.05 ms gap about once in a hundred
        // tries, 100 ms apart: seconds for most writes, so 3 s still tells the two apart without failing on a busy machine.
        Assert.True(slowest < TimeSpan.FromSeconds(3), $"a write waited {slowest.TotalMilliseconds:0} ms for a lock released briefly every 5 ms");
    }

    [Fact]
    public async Task A_group_wakes_the_dispatcher_only_when_a_consumer_raised_events()
    {
        var interceptor = factory.Services.GetRequiredService<OutboxCommitInterceptor>();
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ServiceDbContext>();
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();

        await using (var quiet = await connection.BeginTransactionAsync())
        {
            await db.Database.UseTransactionAsync(quiet);
            db.InboxMessages.Add(new InboxMessage { MessageId = Guid.NewGuid(), Consumer = Queue, MessageType = "Test", ReceivedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
            await quiet.CommitAsync();
            Assert.False(interceptor.TakeRowsAddedIn(quiet));
        }

        db.ChangeTracker.Clear();
        await using (var raising = await connection.BeginTransactionAsync())
        {
            await db.Database.UseTransactionAsync(raising);
            scope.ServiceProvider.GetRequiredService<Outbox>().Add(new PlacementOfferWithdrawn(Guid.NewGuid(), DemoDirectory.Hospitals[0].Id, 2, DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
            await raising.RollbackAsync();
            Assert.True(interceptor.TakeRowsAddedIn(raising));
            Assert.False(interceptor.TakeRowsAddedIn(raising));
        }

        await db.Database.UseTransactionAsync(null);
    }

    private InboxBatcher NewBatcher() =>
        new(Queue, factory.Services.GetRequiredService<IServiceScopeFactory>(), factory.Services.GetRequiredService<OutboxSignal>(), new InboxOptions());

    /// <summary>
    /// Holds the batcher on a first piece of work while <paramref name="deliveries"/> are handed in, so they
    /// form the next group together, as deliveries arriving during a commit do.
    /// </summary>
    private static async Task<List<Task>> HandInTogetherAsync(InboxBatcher batcher, List<InboxDelivery> deliveries)
    {
        var holding = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = batcher.RunAsync(async (_, _) =>
        {
            holding.TrySetResult();
            await release.Task;
        }, CancellationToken.None);
        await holding.Task;
        var outcomes = deliveries.Select(d => batcher.RunAsync(d, CancellationToken.None)).ToList();
        release.TrySetResult();
        await gate;
        return outcomes;
    }

    /// <summary>What the inbox filter does for a delivery applied alone: record its key, then run the consumer (here: maybe fail).</summary>
    private async Task ApplyAloneAsync(Guid id, bool fail, List<Guid> alone, DbConnection connection, DbTransaction transaction)
    {
        lock (alone)
        {
            alone.Add(id);
        }

        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ServiceDbContext>();
        db.Database.SetDbConnection(connection, contextOwnsConnection: false);
        await db.Database.UseTransactionAsync(transaction);
        db.InboxMessages.Add(new InboxMessage { MessageId = id, Consumer = Queue, MessageType = "Test", ReceivedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
        if (fail)
        {
            throw new InvalidOperationException("A poison message (test fault).");
        }
    }

    private static Task AloneMustNotRun(DbConnection connection, DbTransaction transaction) =>
        throw new InvalidOperationException("This delivery should have been applied in its run.");

    private async Task<List<Guid>> KeysAsync(List<Guid> ids) =>
        [.. (await factory.InScopeAsync<ServiceDbContext, List<Guid>>(db =>
            db.InboxMessages.Where(m => m.Consumer == Queue && ids.Contains(m.MessageId)).Select(m => m.MessageId).ToListAsync())).Order()];

    /// <summary>A batch consumer stand-in: records each run it is given and throws on a poisoned one.</summary>
    private sealed class RecordingRun : IInboxRun
    {
        public List<List<string>> Calls { get; } = [];

        public string? Poison { get; init; }

        public Type MessageType => typeof(string);

        public Task ApplyAsync(IServiceProvider services, IReadOnlyList<object> messages, CancellationToken cancellationToken)
        {
            var run = messages.Cast<string>().ToList();
            Calls.Add(run);
            return Poison is not null && run.Contains(Poison) ? throw new InvalidOperationException("A poison message in the run (test fault).") : Task.CompletedTask;
        }
    }

    /// <summary>Counts the deliveries of one message MassTransit ends as delivered (consumed) or as neither delivered nor faulted (skipped).</summary>
    private sealed class ConsumedCounter(Guid messageId) : IReceiveObserver
    {
        private int _consumed;
        private int _skipped;

        public int Consumed => Volatile.Read(ref _consumed);

        public int Skipped => Volatile.Read(ref _skipped);

        public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

        public Task PostReceive(ReceiveContext context)
        {
            if (context.GetMessageId() == messageId)
            {
                Interlocked.Increment(ref context.IsDelivered ? ref _consumed : ref _skipped);
            }

            return Task.CompletedTask;
        }

        public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType)
            where T : class => Task.CompletedTask;

        public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception)
            where T : class => Task.CompletedTask;

        public Task ReceiveFault(ReceiveContext context, Exception exception) => Task.CompletedTask;
    }
}
