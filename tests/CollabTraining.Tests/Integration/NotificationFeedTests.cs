using System.Net;
using System.Text.Json.Nodes;
using CollabTraining.Contracts.Hospitals;
using CollabTraining.Demo;
using CollabTraining.School;
using CollabTraining.School.Data;
using CollabTraining.School.Notifications;
using CollabTraining.Tests.Support;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Tests.Integration;

/// <summary>
/// Each user's notification feed at <c>/api/notifications</c>: newest first, a page at a time, with the unread
/// count; marking one or all read; nobody reads or changes anyone else's. And the hospitals' answers on
/// placements become the student's notifications, once.
/// </summary>
public sealed class NotificationFeedTests(ServiceFactory<SchoolApiMarker> factory) : IClassFixture<ServiceFactory<SchoolApiMarker>>
{
    private static readonly DateTimeOffset T0 = new(2031, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_feed_is_newest_first_paged_with_the_unread_count_and_one_read_stays_read()
    {
        var user = DemoDirectory.Student(10).Id;
        var ids = await TellAsync(user, 5);
        var other = await TellAsync(DemoDirectory.Student(11).Id, 1);
        var client = factory.ClientAs(SchoolCohortFactory.Student(10));

        var first = await FeedAsync(client, "page=1&pageSize=2");
        Assert.Equal([ids[4], ids[3]], Ids(first));
        Assert.Equal((5, 5, 1, 2), (first["total"]!.GetValue<int>(), first["unread"]!.GetValue<int>(), first["pageNumber"]!.GetValue<int>(), first["pageSize"]!.GetValue<int>()));
        Assert.Equal([ids[0]], Ids(await FeedAsync(client, "page=3&pageSize=2")));
        Assert.DoesNotContain(other[0], Ids(await FeedAsync(client, "pageSize=100")));

        var read = await client.PostAsync($"/api/notifications/{ids[3]}/read", null);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var readAt = (await read.ReadNodeAsync())["readAt"]!.GetValue<DateTimeOffset>();
        factory.Clock.Advance(TimeSpan.FromMinutes(5));
        var again = await (await client.PostAsync($"/api/notifications/{ids[3]}/read", null)).ReadNodeAsync();
        Assert.Equal(readAt, again["readAt"]!.GetValue<DateTimeOffset>());

        var unread = await FeedAsync(client, "unread=true");
        Assert.Equal([ids[4], ids[2], ids[1], ids[0]], Ids(unread));
        Assert.Equal((4, 4), (unread["total"]!.GetValue<int>(), unread["unread"]!.GetValue<int>()));
        Assert.Equal([ids[3]], Ids(await FeedAsync(client, "unread=false")));

        // The School's own path shows the same notifications, read state included.
        var mine = (await (await client.GetAsync("/api/school/notifications/mine")).ReadNodeAsync()).AsArray();
        Assert.Equal([ids[4], ids[3], ids[2], ids[1], ids[0]], mine.Select(n => n!["id"]!.GetValue<Guid>()));
        Assert.NotNull(mine[1]!["readAt"]);
        Assert.Null(mine[0]!["readAt"]);
    }

    [Fact]
    public async Task Another_users_notification_or_an_unknown_id_is_a_404_and_stays_unread()
    {
        var theirs = (await TellAsync(DemoDirectory.Student(12).Id, 1))[0];
        var intruder = factory.ClientAs(SchoolCohortFactory.Student(13));

        await (await intruder.PostAsync($"/api/notifications/{theirs}/read", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await intruder.PostAsync($"/api/notifications/{Guid.CreateVersion7()}/read", null)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await factory.ClientAs(TestAuth.SchoolCoordinator).PostAsync($"/api/notifications/{theirs}/read", null)).AssertProblemAsync(HttpStatusCode.NotFound);

        Assert.Null(await ReadAtAsync(theirs));
        Assert.Equal(0, (await FeedAsync(intruder, ""))["total"]!.GetValue<int>());
        Assert.Equal(1, (await FeedAsync(factory.ClientAs(SchoolCohortFactory.Student(12)), "unread=true"))["unread"]!.GetValue<int>());
    }

    [Fact]
    public async Task Read_all_marks_only_the_callers_unread_ones_and_keeps_earlier_read_times()
    {
        var ids = await TellAsync(DemoDirectory.Student(14).Id, 3);
        var bystander = (await TellAsync(DemoDirectory.Student(15).Id, 1))[0];
        var client = factory.ClientAs(SchoolCohortFactory.Student(14));
        var firstRead = (await (await client.PostAsync($"/api/notifications/{ids[0]}/read", null)).ReadNodeAsync())["readAt"]!.GetValue<DateTimeOffset>();
        factory.Clock.Advance(TimeSpan.FromMinutes(1));

        var all = await client.PostAsync("/api/notifications/me/read-all", null);
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        Assert.Equal(2, (await all.ReadNodeAsync())["marked"]!.GetValue<int>());

        var feed = await FeedAsync(client, "");
        Assert.Equal((3, 0), (feed["total"]!.GetValue<int>(), feed["unread"]!.GetValue<int>()));
        Assert.Equal(firstRead, await ReadAtAsync(ids[0]));
        foreach (var id in ids)
        {
            Assert.NotNull(await ReadAtAsync(id));
        }

        Assert.Null(await ReadAtAsync(bystander));
        Assert.Equal(0, (await (await client.PostAsync("/api/notifications/me/read-all", null)).ReadNodeAsync())["marked"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("unread=maybe", "unread")]
    public async Task Bad_paging_is_a_400_naming_the_parameter(string query, string field)
    {
        var problem = await (await factory.ClientAs(TestAuth.Student).GetAsync($"/api/notifications/me?{query}")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]?[field] is not null, problem.ToJsonString());
    }

    [Fact]
    public async Task Anonymous_callers_are_turned_away()
    {
        await (await factory.CreateClient().GetAsync("/api/notifications/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await factory.CreateClient().PostAsync("/api/notifications/me/read-all", null)).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_hospitals_confirmation_or_decline_tells_the_student_once()
    {
        var hospital = DemoDirectory.Hospitals[0];
        var (confirmedStudent, declinedStudent) = (DemoDirectory.Student(16).Id, DemoDirectory.Student(17).Id);
        var offer = new PlacementOfferSnapshot(Guid.CreateVersion7(), hospital.Id, hospital.Name, "Cardiology ward", "cardiology", $"Cardiology {Guid.NewGuid():N}",
            new DateOnly(2031, 4, 1), new DateOnly(2031, 4, 30), 2, new PlacementRequirements(3, [], []));
        await factory.SendAndWaitAsync(new PlacementOfferPublished(offer, 1, DateTimeOffset.UtcNow));
        var assignments = await factory.PlaceAsync((offer.OfferId, hospital.Id, confirmedStudent), (offer.OfferId, hospital.Id, declinedStudent));

        var confirmed = new PlacementAssignmentConfirmed(assignments[0], offer.OfferId, confirmedStudent, 2, DateTimeOffset.UtcNow);
        var delivery = await factory.SendAndWaitAsync(confirmed);
        // The broker delivers it again (same message id): the inbox already holds it, so wait until the bus finished receiving the copy.
        var receipts = new Receipts(delivery);
        using (factory.Harness.Bus.ConnectReceiveObserver(receipts))
        {
            await factory.SendAsync(confirmed, delivery);
            Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(receipts.Finished == 1), TimeSpan.FromSeconds(10)), "the redelivered confirmation was not received");
        }

        await factory.SendAndWaitAsync(confirmed with { Version = 3 }); // the hospital repeats itself
        await factory.SendAndWaitAsync(new PlacementAssignmentDeclined(assignments[1], offer.OfferId, declinedStudent, "Ward closed for refurbishment", 2, DateTimeOffset.UtcNow));

        var told = await factory.InScopeAsync<SchoolDbContext, List<Notification>>(db =>
            db.Set<Notification>().AsNoTracking().Where(n => n.UserId == confirmedStudent || n.UserId == declinedStudent).ToListAsync());
        var yes = Assert.Single(told, n => n.UserId == confirmedStudent);
        Assert.Equal(("placement-confirmed", assignments[0]), (yes.Kind, yes.SubjectId));
        Assert.Contains(offer.Title, yes.Text);
        Assert.Contains("confirmed", yes.Text);
        var no = Assert.Single(told, n => n.UserId == declinedStudent);
        Assert.Equal(("placement-declined", assignments[1]), (no.Kind, no.SubjectId));
        Assert.Contains("Ward closed for refurbishment", no.Text);

        // The student sees it in their feed.
        var feed = await FeedAsync(factory.ClientAs(SchoolCohortFactory.Student(16)), "");
        Assert.Equal("placement-confirmed", feed["items"]![0]!["kind"]!.GetValue<string>());
    }

    private async Task<List<Guid>> TellAsync(Guid userId, int count) =>
        await factory.InScopeAsync<SchoolDbContext, List<Guid>>(async db =>
        {
            // Inserted out of order: the feed orders by when each happened, not by insertion.
            var told = Enumerable.Range(0, count).Select(i => Notification.Tell(userId, Guid.NewGuid(), "test", $"Note {i}", T0.AddMinutes(i))).ToList();
            db.AddRange(told.AsEnumerable().Reverse());
            await db.SaveChangesAsync();
            return told.Select(n => n.Id).ToList();
        });

    private Task<DateTimeOffset?> ReadAtAsync(Guid id) =>
        factory.InScopeAsync<SchoolDbContext, DateTimeOffset?>(db => db.Set<Notification>().AsNoTracking().Where(n => n.Id == id).Select(n => n.ReadAt).SingleAsync());

    private static async Task<JsonNode> FeedAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync($"/api/notifications/me?{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.ReadNodeAsync();
    }

    private static List<Guid> Ids(JsonNode page) => [.. page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>())];

    /// <summary>Counts the deliveries of one message id the bus has finished receiving (handled, or skipped by the inbox).</summary>
    private sealed class Receipts(Guid messageId) : IReceiveObserver
    {
        private int _finished;

        public int Finished => Volatile.Read(ref _finished);

        public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

        public Task PostReceive(ReceiveContext context)
        {
            if (context.GetMessageId() == messageId)
            {
                Interlocked.Increment(ref _finished);
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
