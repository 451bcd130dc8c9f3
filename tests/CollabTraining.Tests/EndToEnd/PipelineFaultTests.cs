using CollabTraining.Contracts.Hospitals;
using CollabTraining.Demo;
using CollabTraining.Hospitals.Data;
using CollabTraining.Messaging.Outbox;
using CollabTraining.School.Data;
using CollabTraining.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace CollabTraining.Tests.EndToEnd;

/// <summary>A platform of its own for the fault tests (they kill its processes), with a short outbox lease.</summary>
public sealed class FaultPlatform : IAsyncLifetime
{
    public Platform Platform { get; } = new() { ServiceSettings = [("Outbox__LeaseDuration", "00:00:03")] };

    public Task InitializeAsync() => Platform.InitializeAsync();

    public Task DisposeAsync() => Platform.DisposeAsync();
}

/// <summary>
/// 10,000 events through outbox, broker and inbox while a process is killed with SIGKILL and started again:
/// every event's effect is in the School's catalog exactly once. The effects are counted by event (one
/// catalog row per offer, one inbox row per message and consumer), not by messages seen.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class PipelineFaultTests(FaultPlatform fault, ITestOutputHelper output) : IClassFixture<FaultPlatform>
{
    private const int Events = 10_000;
    private Platform Platform => fault.Platform;

    [Fact]
    public async Task The_broker_killed_mid_stream_and_started_again_loses_and_doubles_nothing()
    {
        if (Platform.Broker.IsExternal)
        {
            output.WriteLine("RABBITMQ_URL names an external broker, which a test must not kill; proven against a private node only.");
            return;
        }

        var (tag, after) = await ProduceAsync();
        await WaitForDispatchedAsync(after, atLeast: Events / 10);
        await Platform.Broker.KillAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        await Platform.Broker.StartAgainAsync();
        await AssertAppliedExactlyOnceAsync(tag);
    }

    [Fact]
    public async Task The_consumer_killed_with_batches_in_flight_and_started_again_loses_and_doubles_nothing()
    {
        var (tag, _) = await ProduceAsync();
        await WaitForAppliedAsync(tag, atLeast: Events / 10);
        await Platform.KillAsync("school");
        await Platform.RestartAsync("school");
        await AssertAppliedExactlyOnceAsync(tag);
    }

    [Fact]
    public async Task The_producer_killed_mid_dispatch_and_started_again_publishes_what_it_had_claimed()
    {
        var (tag, after) = await ProduceAsync();
        await WaitForDispatchedAsync(after, atLeast: Events / 10);
        await Platform.KillAsync("hospitals");
        await using (var db = Context<HospitalsSqliteDbContext>("hospitals.db"))
        {
            var left = await db.OutboxMessages.CountAsync(m => m.Id > after && m.ProcessedAt == null);
            output.WriteLine($"killed the producer with {left} of {Events} events not yet marked published, " +
                $"{await db.OutboxMessages.CountAsync(m => m.Id > after && m.ProcessedAt == null && m.LeaseOwner != null)} of them claimed under its lease");
            Assert.True(left > 0, "the producer should be killed while it still had events to publish");
        }

        await Platform.RestartAsync("hospitals");
        await AssertAppliedExactlyOnceAsync(tag);
    }

    [Fact]
    public async Task Two_consumer_instances_on_one_database_competing_on_one_queue_apply_each_event_once()
    {
        await Platform.StartAnotherInstanceAsync("school", "school-2");
        try
        {
            var (tag, _) = await ProduceAsync();
            await AssertAppliedExactlyOnceAsync(tag);
        }
        finally
        {
            await Platform.KillAsync("school-2");
        }
    }

    /// <summary>Commits the events to the Hospitals outbox as the API would, in chunks of a thousand; returns the tag and the last outbox sequence before them.</summary>
    private async Task<(string Tag, long After)> ProduceAsync()
    {
        var tag = $"fault-{Guid.NewGuid():N}"[..14];
        var hospital = DemoDirectory.Hospitals[0];
        await using var db = Context<HospitalsSqliteDbContext>("hospitals.db");
        var after = await db.OutboxMessages.MaxAsync(m => (long?)m.Id) ?? 0;
        var outbox = new Outbox(db, TimeProvider.System);
        for (var i = 0; i < Events; i++)
        {
            var offer = new PlacementOfferSnapshot(Guid.CreateVersion7(), hospital.Id, hospital.Name, "Cardiology", "cardiology", $"{tag} {i}",
                new DateOnly(2027, 1, 4), new DateOnly(2027, 1, 31), 4, new PlacementRequirements(4, [], []));
            outbox.Add(new PlacementOfferPublished(offer, 1, DateTimeOffset.UtcNow));
            if (i % 1000 == 999)
            {
                await db.SaveChangesAsync();
                db.ChangeTracker.Clear();
            }
        }

        return (tag, after);
    }

    /// <summary>Waits until the producer has published (and marked) at least this many of the run's events.</summary>
    private async Task WaitForDispatchedAsync(long after, int atLeast) =>
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            await using var db = Context<HospitalsSqliteDbContext>("hospitals.db");
            return await db.OutboxMessages.CountAsync(m => m.Id > after && m.ProcessedAt != null) >= atLeast;
        }, TimeSpan.FromSeconds(120), TimeSpan.FromMilliseconds(20)), $"fewer than {atLeast} events dispatched in 120 s\n" + Platform.Logs());

    private async Task WaitForAppliedAsync(string tag, int atLeast) =>
        Assert.True(await Eventually.HoldsAsync(async () => await AppliedAsync(tag) >= atLeast, TimeSpan.FromSeconds(120), TimeSpan.FromMilliseconds(100)),
            $"fewer than {atLeast} events applied in 120 s\n" + Platform.Logs());

    private async Task AssertAppliedExactlyOnceAsync(string tag)
    {
        Assert.True(await Eventually.HoldsAsync(async () => await AppliedAsync(tag) == Events, TimeSpan.FromMinutes(4), TimeSpan.FromMilliseconds(500)),
            $"only {await AppliedAsync(tag)} of {Events} events applied\n" + Platform.Logs());

        // Exactly once per event: one inbox row per message for the catalog's queue, and every row at version 1.
        await using var hospitals = Context<HospitalsSqliteDbContext>("hospitals.db");
        var messageIds = await hospitals.OutboxMessages.Where(m => m.Body.Contains(tag)).Select(m => m.MessageId).ToListAsync();
        Assert.Equal(Events, messageIds.Count);
        await using var school = Context<SchoolSqliteDbContext>("school.db");
        var handled = 0;
        foreach (var chunk in messageIds.Chunk(500))
        {
            handled += await school.InboxMessages.CountAsync(m => chunk.Contains(m.MessageId) && m.Consumer.EndsWith("placement-catalog"));
        }

        Assert.Equal(Events, handled);
        Assert.Equal(0, await school.CatalogPlacements.CountAsync(p => p.Title.StartsWith(tag) && p.Version != 1));
    }

    private async Task<int> AppliedAsync(string tag)
    {
        await using var school = Context<SchoolSqliteDbContext>("school.db");
        return await school.CatalogPlacements.CountAsync(p => p.Title.StartsWith(tag));
    }

    private T Context<T>(string file)
        where T : DbContext =>
        (T)Activator.CreateInstance(typeof(T), new DbContextOptionsBuilder<T>().UseSqlite($"Data Source={Path.Combine(Platform.DataDirectory, file)};Default Timeout=60").Options)!;
}
