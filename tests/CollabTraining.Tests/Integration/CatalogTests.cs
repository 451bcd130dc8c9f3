using System.Net;
using System.Text.Json.Nodes;
using CollabTraining.Contracts.Hospitals;
using CollabTraining.Demo;
using CollabTraining.School;
using CollabTraining.School.Data;
using CollabTraining.ServiceDefaults.Security;
using CollabTraining.Tests.Support;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Tests.Integration;

public sealed class CatalogTests(ServiceFactory<SchoolApiMarker> factory) : IClassFixture<ServiceFactory<SchoolApiMarker>>
{
    private static readonly DemoOrganisation StMarys = DemoDirectory.Hospitals[0];
    private static readonly DemoOrganisation Riverside = DemoDirectory.Hospitals[1];
    private readonly HttpClient _student = factory.ClientAs(TestAuth.Student);

    [Fact]
    public async Task Published_updated_and_withdrawn_offers_flow_into_the_catalog()
    {
        var offer = Snapshot(StMarys, "Neonatal unit", "paediatrics");
        await PublishAsync(new PlacementOfferPublished(offer, 1, DateTimeOffset.UtcNow));
        var held = (await WaitForVersionAsync(offer.OfferId, 1))!;
        Assert.Equal("Neonatal unit", held["title"]!.GetValue<string>());
        Assert.Equal(StMarys.Name, held["hospitalName"]!.GetValue<string>());

        await PublishAsync(new PlacementOfferUpdated(offer with { Title = "Neonatal intensive care", Seats = 9 }, 2, DateTimeOffset.UtcNow));
        held = (await WaitForVersionAsync(offer.OfferId, 2))!;
        Assert.Equal("Neonatal intensive care", held["title"]!.GetValue<string>());
        Assert.Equal(9, held["seats"]!.GetValue<int>());

        await PublishAsync(new PlacementOfferWithdrawn(offer.OfferId, StMarys.Id, 3, DateTimeOffset.UtcNow));
        await WaitForVersionAsync(offer.OfferId, 3);
        var search = await SearchAsync("q=Neonatal");
        Assert.DoesNotContain(search["items"]!.AsArray(), i => i!["id"]!.GetValue<Guid>() == offer.OfferId);
        var withWithdrawn = await SearchAsync("q=Neonatal&includeWithdrawn=true");
        Assert.Contains(withWithdrawn["items"]!.AsArray(), i => i!["id"]!.GetValue<Guid>() == offer.OfferId && i["withdrawn"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_closed_offer_leaves_the_default_search_but_stays_readable_as_closed()
    {
        var offer = Snapshot(Riverside, "Closing soon", "rheumatology");
        await PublishAsync(new PlacementOfferPublished(offer, 1, DateTimeOffset.UtcNow));
        await WaitForVersionAsync(offer.OfferId, 1);
        await PublishAsync(new PlacementOfferClosed(offer.OfferId, Riverside.Id, 2, DateTimeOffset.UtcNow));

        var held = (await WaitForVersionAsync(offer.OfferId, 2))!;
        Assert.True(held["closed"]!.GetValue<bool>());
        Assert.Equal(0, (await SearchAsync("q=Closing%20soon"))["total"]!.GetValue<int>());
        Assert.Equal(1, (await SearchAsync("q=Closing%20soon&includeWithdrawn=true"))["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_stale_event_never_overwrites_newer_state()
    {
        var offer = Snapshot(StMarys, "Stroke unit", "neurology");
        await PublishAsync(new PlacementOfferUpdated(offer with { Title = "Stroke unit v3" }, 3, DateTimeOffset.UtcNow));
        await WaitForVersionAsync(offer.OfferId, 3);

        await WaitUntilAppliedAsync(
            await PublishTrackedAsync(new PlacementOfferPublished(offer with { Title = "Stroke unit v1" }, 1, DateTimeOffset.UtcNow)),
            await PublishTrackedAsync(new PlacementOfferUpdated(offer with { Title = "Stroke unit v2" }, 2, DateTimeOffset.UtcNow)));

        var held = await GetAsync(offer.OfferId);
        Assert.Equal("Stroke unit v3", held["title"]!.GetValue<string>());
        Assert.Equal(3, held["version"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_withdrawal_that_overtakes_its_publication_keeps_the_offer_out_of_the_search_but_answers_by_id_as_withdrawn()
    {
        var offer = Snapshot(Riverside, "Overtaken offer", "dermatology");
        await WaitUntilAppliedAsync(
            await PublishTrackedAsync(new PlacementOfferWithdrawn(offer.OfferId, Riverside.Id, 2, DateTimeOffset.UtcNow)),
            await PublishTrackedAsync(new PlacementOfferPublished(offer, 1, DateTimeOffset.UtcNow)));

        var search = await SearchAsync("q=Overtaken");
        Assert.Empty(search["items"]!.AsArray());

        // Whatever order the two arrive in, the entry answers by id as withdrawn, with the terms it had.
        var entry = await (await _student.GetAsync($"/api/school/catalog/placements/{offer.OfferId}")).ReadNodeAsync();
        Assert.Equal(("Overtaken offer", true, 2L), (entry["title"]!.GetValue<string>(), entry["withdrawn"]!.GetValue<bool>(), entry["version"]!.GetValue<long>()));
    }

    [Fact]
    public async Task A_closure_that_overtakes_the_publication_keeps_the_offers_terms_and_stays_closed()
    {
        var offer = Snapshot(StMarys, "Closed early", "neurology");
        await WaitUntilAppliedAsync(await PublishTrackedAsync(new PlacementOfferClosed(offer.OfferId, StMarys.Id, 2, DateTimeOffset.UtcNow)));
        await WaitUntilAppliedAsync(await PublishTrackedAsync(new PlacementOfferPublished(offer, 1, DateTimeOffset.UtcNow)));

        var entry = await (await _student.GetAsync($"/api/school/catalog/placements/{offer.OfferId}")).ReadNodeAsync();
        Assert.Equal(("Closed early", true, 2L), (entry["title"]!.GetValue<string>(), entry["closed"]!.GetValue<bool>(), entry["version"]!.GetValue<long>()));
    }

    [Fact]
    public async Task A_message_delivered_twice_changes_state_once()
    {
        var offer = Snapshot(StMarys, "Delivered twice", "oncology");
        var messageId = NewId.NextGuid();
        await factory.Harness.Bus.Publish(new PlacementOfferPublished(offer, 1, DateTimeOffset.UtcNow), c => c.MessageId = messageId);
        await WaitForVersionAsync(offer.OfferId, 1);

        // The same message again (a redelivery after a lost acknowledgement). Its body is made to differ and
        // to carry a newer version, so only the inbox, not the version check, can be what stops it.
        await factory.Harness.Bus.Publish(new PlacementOfferPublished(offer with { Title = "Applied twice!" }, 5, DateTimeOffset.UtcNow), c => c.MessageId = messageId);
        Assert.True(await Eventually.HoldsAsync(
            () => Task.FromResult(factory.Logs.Entries.Any(e => e.Message.Contains(messageId.ToString()) && e.Message.Contains("already handled"))),
            TimeSpan.FromSeconds(10)));

        var held = await GetAsync(offer.OfferId);
        Assert.Equal("Delivered twice", held["title"]!.GetValue<string>());
        Assert.Equal(1, held["version"]!.GetValue<long>());
        var inboxRows = await factory.InScopeAsync<SchoolDbContext, int>(db => db.InboxMessages.CountAsync(m => m.MessageId == messageId));
        Assert.Equal(1, inboxRows);
    }

    [Fact]
    public async Task The_catalog_filters_by_specialty_hospital_period_and_text_and_pages()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var offers = new[]
        {
            Snapshot(StMarys, $"Ward {tag} A", "orthopaedics", new DateOnly(2027, 1, 4), new DateOnly(2027, 1, 31)),
            Snapshot(StMarys, $"Ward {tag} B", "orthopaedics", new DateOnly(2027, 3, 1), new DateOnly(2027, 3, 28)),
            Snapshot(Riverside, $"Ward {tag} C", "orthopaedics", new DateOnly(2027, 1, 18), new DateOnly(2027, 2, 14)),
            Snapshot(Riverside, $"Ward {tag} D", "urology", new DateOnly(2027, 5, 3), new DateOnly(2027, 5, 30)),
        };
        foreach (var offer in offers)
        {
            await PublishAsync(new PlacementOfferPublished(offer, 1, DateTimeOffset.UtcNow));
        }

        Assert.True(await Eventually.HoldsAsync(async () => (await SearchAsync($"q={tag}"))["total"]!.GetValue<int>() == 4, TimeSpan.FromSeconds(10)));

        Assert.Equal(3, (await SearchAsync($"q={tag}&specialty=orthopaedics"))["total"]!.GetValue<int>());
        Assert.Equal(2, (await SearchAsync($"q={tag}&hospitalId={Riverside.Id}"))["total"]!.GetValue<int>());
        var january = await SearchAsync($"q={tag}&from=2027-01-25&to=2027-02-05");
        Assert.Equal([$"Ward {tag} A", $"Ward {tag} C"], january["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>()));
        Assert.Equal(1, (await SearchAsync($"q={tag.ToUpperInvariant()}%20D"))["total"]!.GetValue<int>());

        var page2 = await SearchAsync($"q={tag}&pageSize=3&page=2");
        Assert.Equal(4, page2["total"]!.GetValue<int>());
        Assert.Equal([$"Ward {tag} D"], page2["items"]!.AsArray().Select(i => i!["title"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("page=0")]
    [InlineData("page=1073741825&pageSize=2")]
    [InlineData("pageSize=101")]
    [InlineData("from=2027-03-01&to=2027-02-01")]
    [InlineData("from=yesterday")]
    [InlineData("hospitalId=not-a-guid")]
    public async Task Bad_search_parameters_are_a_400_problem(string query)
    {
        await (await _student.GetAsync($"/api/school/catalog/placements?{query}")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Anyone_signed_in_may_read_the_catalog_and_no_one_else()
    {
        foreach (var user in new[] { TestAuth.Student, TestAuth.RiversideCoordinator, "staff@helix-compute.demo" })
        {
            Assert.Equal(HttpStatusCode.OK, (await factory.ClientAs(user).GetAsync("/api/school/catalog/placements")).StatusCode);
        }

        await (await factory.CreateClient().GetAsync("/api/school/catalog/placements")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    private static PlacementOfferSnapshot Snapshot(DemoOrganisation hospital, string title, string specialty, DateOnly? starts = null, DateOnly? ends = null) =>
        new(Guid.CreateVersion7(), hospital.Id, hospital.Name, "Department of " + specialty, specialty, title,
            starts ?? new DateOnly(2027, 2, 1), ends ?? new DateOnly(2027, 2, 28), 4,
            new PlacementRequirements(3, ["infection-control"], []));

    private Task PublishAsync<T>(T message)
        where T : class => factory.Harness.Bus.Publish(message);

    /// <summary>Publishes with a known message id, so the test can tell when the school has handled it.</summary>
    private async Task<Guid> PublishTrackedAsync<T>(T message)
        where T : class
    {
        var id = Guid.NewGuid();
        await factory.Harness.Bus.Publish(message, context => context.MessageId = id);
        return id;
    }

    /// <summary>The signal that a message's effect (or its deliberate non-effect) is committed: its inbox row exists.</summary>
    private async Task WaitUntilAppliedAsync(params Guid[] messageIds) =>
        Assert.True(await Eventually.HoldsAsync(
            () => factory.InScopeAsync<SchoolDbContext, bool>(async db => await db.InboxMessages.CountAsync(m => messageIds.Contains(m.MessageId)) == messageIds.Length),
            TimeSpan.FromSeconds(10)), "the school did not handle the messages");

    /// <summary>Waits until the catalog holds the version (withdrawn rows are not served, so it asks the database), then reads it.</summary>
    private async Task<JsonNode?> WaitForVersionAsync(Guid offerId, long version)
    {
        Assert.True(await Eventually.HoldsAsync(
            async () => await factory.InScopeAsync<SchoolDbContext, long?>(db => db.CatalogPlacements.Where(p => p.OfferId == offerId).Select(p => (long?)p.Version).SingleOrDefaultAsync()) == version,
            TimeSpan.FromSeconds(10)), $"The catalog never reached version {version} of {offerId}");
        var response = await _student.GetAsync($"/api/school/catalog/placements/{offerId}");
        return response.StatusCode == HttpStatusCode.OK ? await response.ReadNodeAsync() : null;
    }

    private async Task<JsonNode> GetAsync(Guid offerId) =>
        await (await _student.GetAsync($"/api/school/catalog/placements/{offerId}")).ReadNodeAsync();

    private async Task<JsonNode> SearchAsync(string query)
    {
        var response = await _student.GetAsync($"/api/school/catalog/placements?{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadNodeAsync();
    }
}
