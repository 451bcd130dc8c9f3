using System.Net;
using System.Net.Http.Json;
using CollabTraining.Contracts.Hospitals;
using CollabTraining.Demo;
using CollabTraining.Hospitals;
using CollabTraining.Hospitals.Data;
using CollabTraining.Hospitals.Placements;
using CollabTraining.Messaging.Outbox;
using CollabTraining.ServiceDefaults.Security;
using CollabTraining.Tests.Support;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CollabTraining.Tests.Integration;

/// <summary>The transactional outbox, proven on the Hospitals service with its real database and dispatcher.</summary>
public sealed class OutboxTests : IDisposable
{
    private static readonly Guid StMarys = DemoDirectory.Hospitals[0].Id;
    private readonly ServiceFactory<HospitalsApiMarker> _factory = new();
    private RecordingTransport? _transport;

    public OutboxTests()
    {
        _factory.ConfigureServicesForTest = services => services.AddSingleton<IOutboxTransport>(sp =>
            _transport = new RecordingTransport(new MassTransitOutboxTransport(sp.GetRequiredService<IBus>())));
    }

    private RecordingTransport Transport
    {
        get
        {
            _ = _factory.Services;
            return _transport ?? _factory.Services.GetRequiredService<IOutboxTransport>() as RecordingTransport ?? throw new InvalidOperationException();
        }
    }

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task An_event_is_committed_with_its_change_and_a_rolled_back_change_publishes_nothing()
    {
        var transport = Transport;
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HospitalsDbContext>();
            var outbox = scope.ServiceProvider.GetRequiredService<Outbox>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var offer = AddOffer(db, outbox, "Rolled back");
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
        }

        Guid committedId;
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HospitalsDbContext>();
            var outbox = scope.ServiceProvider.GetRequiredService<Outbox>();
            committedId = AddOffer(db, outbox, "Committed").Id;
            await db.SaveChangesAsync();
        }

        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(transport.Published.Any(e => e.Message is PlacementOfferPublished p && p.Offer.OfferId == committedId)), TimeSpan.FromSeconds(10)));
        await _factory.OutboxDrainedAsync();
        Assert.DoesNotContain(transport.Published, e => e.Message is PlacementOfferPublished p && p.Offer.Title == "Rolled back");
        var (offers, rows) = await _factory.InScopeAsync<HospitalsDbContext, (int, int)>(async db => (await db.PlacementOffers.CountAsync(), await db.OutboxMessages.CountAsync()));
        Assert.Equal((1, 1), (offers, rows));
    }

    [Fact]
    public async Task Publishes_overlap_but_one_offers_events_stay_in_order_while_other_offers_may_overtake_them()
    {
        var transport = Transport;
        var slow = Guid.Empty;
        // The first event of the slow offer takes longest: if nothing kept one offer's events in line, its
        // later versions would overtake it; other offers are free to.
        transport.DelayOf = e => e.Message is PlacementOfferPublished p && p.Offer.OfferId == slow ? TimeSpan.FromMilliseconds(400) : TimeSpan.Zero;
        transport.BrokerDown = true;
        var client = _factory.ClientAs(TestAuth.StMarysCoordinator);
        slow = (await (await client.PostAsJsonAsync("/api/hospitals/placement-offers", OfferRequests.Valid("Slow lane"))).ReadNodeAsync())["id"]!.GetValue<Guid>();
        for (var seats = 5; seats <= 7; seats++)
        {
            await client.PutAsJsonAsync($"/api/hospitals/placement-offers/{slow}", OfferRequests.Valid("Slow lane", seats));
        }

        var fast = (await (await client.PostAsJsonAsync("/api/hospitals/placement-offers", OfferRequests.Valid("Fast lane"))).ReadNodeAsync())["id"]!.GetValue<Guid>();
        transport.BrokerDown = false;
        await _factory.OutboxDrainedAsync();

        var order = transport.Published.Select(e => e.Message switch
        {
            PlacementOfferPublished p => (OfferId: p.Offer.OfferId, p.Version),
            PlacementOfferUpdated u => (OfferId: u.Offer.OfferId, u.Version),
            _ => (OfferId: Guid.Empty, Version: 0L),
        }).Where(x => x.OfferId == slow || x.OfferId == fast).ToList();
        Assert.Equal([1L, 2L, 3L, 4L], order.Where(x => x.OfferId == slow).Select(x => x.Version));
        Assert.True(order.IndexOf((fast, 1)) < order.IndexOf((slow, 1)), "another offer's event overtook the slow one: publishes were in flight together");
    }

    [Fact]
    public async Task A_change_that_fails_to_save_leaves_no_event_behind()
    {
        var transport = Transport;
        await using var scope = _factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<HospitalsDbContext>();
        var outbox = scope.ServiceProvider.GetRequiredService<Outbox>();
        var offer = AddOffer(db, outbox, "First");
        await db.SaveChangesAsync();
        db.ChangeTracker.Clear();

        // The same key again: the insert fails, and the event added beside it must not survive.
        db.Entry(offer).State = EntityState.Added;
        outbox.Add(new PlacementOfferPublished(offer.Snapshot("St Mary's"), 1, DateTimeOffset.UtcNow));
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());

        Assert.Equal(1, await _factory.InScopeAsync<HospitalsDbContext, int>(d => d.OutboxMessages.CountAsync()));
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(transport.Published.Count == 1), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task With_the_broker_down_events_wait_are_counted_and_all_arrive_once_it_is_back()
    {
        var transport = Transport;
        transport.BrokerDown = true;
        using var metrics = new MetricReader(_factory.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var client = _factory.ClientAs(TestAuth.StMarysCoordinator);

        var ids = new List<Guid>();
        for (var i = 0; i < 12; i++)
        {
            var response = await client.PostAsJsonAsync("/api/hospitals/placement-offers", OfferRequests.Valid($"Offer {i:00}"));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            ids.Add((await response.ReadNodeAsync())["id"]!.GetValue<Guid>());
        }

        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(metrics.Read("collabtraining.outbox.backlog") == 12), TimeSpan.FromSeconds(10)), "backlog gauge");
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(metrics.Read("collabtraining.outbox.oldest_pending_age") >= 1), TimeSpan.FromSeconds(10)), "oldest pending age gauge");
        Assert.True(metrics.Read("collabtraining.outbox.publish_failures") > 0);
        Assert.Empty(transport.Published);
        Assert.Contains(_factory.Logs.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("Broker unavailable"));
        var charged = await _factory.InScopeAsync<HospitalsDbContext, int>(db => db.OutboxMessages.SumAsync(m => m.Attempts));
        Assert.Equal(0, charged);

        transport.BrokerDown = false;

        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(transport.Published.Count == 12), TimeSpan.FromSeconds(20)), "all delivered");
        // Each offer is its own aggregate: they travel side by side, so every one arrives once, in whatever order.
        Assert.Equal(ids.Order(), transport.Published.Select(e => ((PlacementOfferPublished)e.Message).Offer.OfferId).Order());
        var onBus = _factory.Harness.Published.Snapshot<PlacementOfferPublished>().Select(m => m.Context.Message.Offer.OfferId).ToHashSet();
        Assert.Subset(onBus, ids.ToHashSet());
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(metrics.Read("collabtraining.outbox.backlog") == 0), TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_message_that_keeps_failing_is_dead_lettered_visibly_and_can_be_replayed()
    {
        var transport = Transport;
        using var metrics = new MetricReader(_factory.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        Guid messageId;
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HospitalsDbContext>();
            var outbox = scope.ServiceProvider.GetRequiredService<Outbox>();
            AddOffer(db, outbox, "Refused by the broker");
            messageId = db.ChangeTracker.Entries<OutboxMessage>().Single().Entity.MessageId;
            transport.Refused[messageId] = true;
            await db.SaveChangesAsync();
        }

        Assert.True(await Eventually.HoldsAsync(
            () => _factory.InScopeAsync<HospitalsDbContext, bool>(db => db.OutboxMessages.AnyAsync(m => m.MessageId == messageId && m.DeadLetteredAt != null)),
            TimeSpan.FromSeconds(15)), "dead-lettered");
        var row = await _factory.InScopeAsync<HospitalsDbContext, OutboxMessage>(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.MessageId == messageId));
        Assert.Equal(3, row.Attempts);
        Assert.Contains("refused", row.LastError);
        Assert.Equal(1, metrics.Read("collabtraining.outbox.dead_lettered"));
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(metrics.Read("collabtraining.outbox.dead_letters") == 1), TimeSpan.FromSeconds(5)));
        Assert.Contains(_factory.Logs.Entries, e => e.Level == LogLevel.Error && e.Message.Contains(messageId.ToString()) && e.Message.Contains("dead-lettered"));

        var admin = _factory.ClientAs(TestAuth.PlatformAdmin);
        var status = await (await admin.GetAsync("/api/hospitals/admin/outbox")).ReadNodeAsync();
        Assert.Equal(messageId, status["deadLetters"]![0]!["messageId"]!.GetValue<Guid>());
        await (await _factory.ClientAs(TestAuth.StMarysCoordinator).PostAsync($"/api/hospitals/admin/outbox/dead-letters/{messageId}/replay", null))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await admin.PostAsync($"/api/hospitals/admin/outbox/dead-letters/{Guid.NewGuid()}/replay", null)).AssertProblemAsync(HttpStatusCode.NotFound);

        transport.Refused.Clear();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync($"/api/hospitals/admin/outbox/dead-letters/{messageId}/replay", null)).StatusCode);

        Assert.True(await _factory.Harness.Published.EventuallyAsync<PlacementOfferPublished>(m => m.Context.MessageId == messageId));
        Assert.True(await Eventually.HoldsAsync(
            () => _factory.InScopeAsync<HospitalsDbContext, bool>(db => db.OutboxMessages.AnyAsync(m => m.MessageId == messageId && m.ProcessedAt != null)),
            TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Two_dispatchers_on_one_database_never_publish_the_same_row()
    {
        _factory.With("Outbox:DispatcherEnabled", "false");
        var shared = new RecordingTransport(null) { Delay = TimeSpan.FromMilliseconds(2) };
        await using (var scope = _factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<HospitalsDbContext>();
            var outbox = scope.ServiceProvider.GetRequiredService<Outbox>();
            for (var i = 0; i < 300; i++)
            {
                outbox.Add(new PlacementOfferWithdrawn(Guid.NewGuid(), StMarys, i + 1, DateTimeOffset.UtcNow));
            }

            await db.SaveChangesAsync();
        }

        var dispatchers = Enumerable.Range(0, 2)
            .Select(_ => ActivatorUtilities.CreateInstance<OutboxDispatcher>(_factory.Services, (IOutboxTransport)shared))
            .ToList();
        foreach (var dispatcher in dispatchers)
        {
            await dispatcher.StartAsync(CancellationToken.None);
        }

        try
        {
            Assert.True(await Eventually.HoldsAsync(
                () => _factory.InScopeAsync<HospitalsDbContext, bool>(db => db.OutboxMessages.AllAsync(m => m.ProcessedAt != null)),
                TimeSpan.FromSeconds(30)));
        }
        finally
        {
            foreach (var dispatcher in dispatchers)
            {
                await dispatcher.StopAsync(CancellationToken.None);
            }
        }

        Assert.Equal(300, shared.PublishCounts.Count);
        Assert.All(shared.PublishCounts.Values, count => Assert.Equal(1, count));
    }

    private static PlacementOffer AddOffer(HospitalsDbContext db, Outbox outbox, string title)
    {
        var now = DateTimeOffset.UtcNow;
        var offer = PlacementOffer.Publish(StMarys, new PlacementOfferTerms("Cardiology", "cardiology", title, OfferRequests.DefaultStart, OfferRequests.DefaultStart.AddDays(30), 3, 4, [], []), now);
        db.PlacementOffers.Add(offer);
        outbox.Add(new PlacementOfferPublished(offer.Snapshot("St Mary's University Hospital"), offer.Version, now));
        return offer;
    }
}
