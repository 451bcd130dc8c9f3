using System.Net;
using System.Net.Http.Json;
using CollabTraining.Contracts.Hospitals;
using CollabTraining.Hospitals;
using CollabTraining.Hospitals.Data;
using CollabTraining.Tests.Support;
using MassTransit.Testing;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Tests.Integration;

public sealed class PlacementOffersTests(ServiceFactory<HospitalsApiMarker> factory) : IClassFixture<ServiceFactory<HospitalsApiMarker>>
{
    private readonly HttpClient _stMarys = factory.ClientAs(TestAuth.StMarysCoordinator);

    [Fact]
    public async Task A_published_offer_is_stored_and_announced_through_the_outbox()
    {
        var response = await _stMarys.PostAsJsonAsync("/api/hospitals/placement-offers", OfferRequests.Valid("Cath lab rotation"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.ReadNodeAsync();
        var id = created["id"]!.GetValue<Guid>();
        Assert.Equal($"/api/hospitals/placement-offers/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("St Mary's University Hospital", created["hospitalName"]!.GetValue<string>());
        Assert.Equal(1, created["version"]!.GetValue<long>());

        var fetched = await (await _stMarys.GetAsync($"/api/hospitals/placement-offers/{id}")).ReadNodeAsync();
        Assert.Equal("Cath lab rotation", fetched["title"]!.GetValue<string>());
        Assert.Equal(["infection-control"], fetched["requirements"]!["requiredQualifications"]!.AsArray().Select(n => n!.GetValue<string>()));

        Assert.True(await factory.Harness.Published.EventuallyAsync<PlacementOfferPublished>(m => m.Context.Message.Offer.OfferId == id));
        var published = factory.Harness.Published.Snapshot<PlacementOfferPublished>().Single(m => m.Context.Message.Offer.OfferId == id);
        var row = await factory.InScopeAsync<HospitalsDbContext, Guid>(db => db.OutboxMessages.Where(m => m.Body.Contains(id.ToString())).Select(m => m.MessageId).SingleAsync());
        Assert.Equal(row, published.Context.MessageId);
    }

    [Fact]
    public async Task Revising_and_withdrawing_publish_newer_versions_and_a_withdrawn_offer_is_final()
    {
        var id = await CreateAsync("Acute medicine");

        var revised = await _stMarys.PutAsJsonAsync($"/api/hospitals/placement-offers/{id}", OfferRequests.Valid("Acute medicine (revised)", seats: 7));
        Assert.Equal(HttpStatusCode.OK, revised.StatusCode);
        Assert.Equal(7, (await revised.ReadNodeAsync())["seats"]!.GetValue<int>());
        Assert.Equal("\"2\"", revised.Headers.ETag?.Tag);

        Assert.Equal(HttpStatusCode.NoContent, (await _stMarys.DeleteAsync($"/api/hospitals/placement-offers/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _stMarys.DeleteAsync($"/api/hospitals/placement-offers/{id}")).StatusCode);

        Assert.True(await factory.Harness.Published.EventuallyAsync<PlacementOfferUpdated>(m => m.Context.Message.Offer.OfferId == id && m.Context.Message.Version == 2));
        Assert.True(await factory.Harness.Published.EventuallyAsync<PlacementOfferWithdrawn>(m => m.Context.Message.OfferId == id && m.Context.Message.Version == 3));
        var fetched = await (await _stMarys.GetAsync($"/api/hospitals/placement-offers/{id}")).ReadNodeAsync();
        Assert.Equal("Withdrawn", fetched["status"]!.GetValue<string>());

        var afterWithdrawal = await _stMarys.PutAsJsonAsync($"/api/hospitals/placement-offers/{id}", OfferRequests.Valid());
        await afterWithdrawal.AssertProblemAsync(HttpStatusCode.Conflict);

        await factory.OutboxDrainedAsync();
        Assert.Single(factory.Harness.Published.Snapshot<PlacementOfferWithdrawn>(), m => m.Context.Message.OfferId == id);
    }

    [Fact]
    public async Task A_draft_stays_with_its_hospital_until_published_and_a_closed_offer_takes_no_new_students()
    {
        var draft = await _stMarys.PostAsJsonAsync("/api/hospitals/placement-offers", OfferRequests.Valid("Draft ward", publish: false));
        Assert.Equal(HttpStatusCode.Created, draft.StatusCode);
        var id = (await draft.ReadNodeAsync())["id"]!.GetValue<Guid>();
        Assert.Equal("Draft", (await (await _stMarys.GetAsync($"/api/hospitals/placement-offers/{id}")).ReadNodeAsync())["status"]!.GetValue<string>());
        await (await factory.ClientAs(TestAuth.RiversideCoordinator).GetAsync($"/api/hospitals/placement-offers/{id}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await factory.OutboxDrainedAsync();
        Assert.DoesNotContain(factory.Harness.Published.Snapshot<PlacementOfferPublished>(), m => m.Context.Message.Offer.OfferId == id);

        await _stMarys.PutAsJsonAsync($"/api/hospitals/placement-offers/{id}", OfferRequests.Valid("Draft ward, revised"));
        Assert.Equal(HttpStatusCode.OK, (await _stMarys.PostAsync($"/api/hospitals/placement-offers/{id}/publish", null)).StatusCode);
        Assert.True(await factory.Harness.Published.EventuallyAsync<PlacementOfferPublished>(m => m.Context.Message.Offer.OfferId == id && m.Context.Message.Offer.Title == "Draft ward, revised"));
        await (await _stMarys.PostAsync($"/api/hospitals/placement-offers/{id}/publish", null)).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await factory.ClientAs(TestAuth.RiversideCoordinator).PostAsync($"/api/hospitals/placement-offers/{id}/close", null)).AssertProblemAsync(HttpStatusCode.Forbidden);

        var closed = await _stMarys.PostAsync($"/api/hospitals/placement-offers/{id}/close", null);
        Assert.Equal("Closed", (await closed.ReadNodeAsync())["status"]!.GetValue<string>());
        Assert.True(await factory.Harness.Published.EventuallyAsync<PlacementOfferClosed>(m => m.Context.Message.OfferId == id));
        await (await _stMarys.PostAsync($"/api/hospitals/placement-offers/{id}/close", null)).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.NoContent, (await _stMarys.DeleteAsync($"/api/hospitals/placement-offers/{id}")).StatusCode);
        Assert.True(await factory.Harness.Published.EventuallyAsync<PlacementOfferWithdrawn>(m => m.Context.Message.OfferId == id));
    }

    [Fact]
    public async Task A_change_based_on_a_stale_version_is_refused()
    {
        var id = await CreateAsync("Stale edit");
        await _stMarys.PutAsJsonAsync($"/api/hospitals/placement-offers/{id}", OfferRequests.Valid("Edited by a colleague"));

        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/hospitals/placement-offers/{id}") { Content = JsonContent.Create(OfferRequests.Valid("My late edit")) };
        request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        var response = await _stMarys.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        var fetched = await (await _stMarys.GetAsync($"/api/hospitals/placement-offers/{id}")).ReadNodeAsync();
        Assert.Equal("Edited by a colleague", fetched["title"]!.GetValue<string>());
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { "malformed JSON", """{"department": "Cardiology", """ },
        { "wrong type", """{"department":"Cardiology","specialty":"cardiology","title":"Ward","startsOn":"2027-02-01","endsOn":"2027-02-28","seats":"many"}""" },
        { "not a date", """{"department":"Cardiology","specialty":"cardiology","title":"Ward","startsOn":"first of May","endsOn":"2027-02-28","seats":2}""" },
        { "missing fields", """{"department":"Cardiology"}""" },
        { "ends before it starts", """{"department":"Cardiology","specialty":"cardiology","title":"Ward","startsOn":"2027-03-01","endsOn":"2027-02-01","seats":2}""" },
        { "no seats", """{"department":"Cardiology","specialty":"cardiology","title":"Ward","startsOn":"2027-02-01","endsOn":"2027-02-28","seats":0}""" },
        { "study year out of range", """{"department":"Cardiology","specialty":"cardiology","title":"Ward","startsOn":"2027-02-01","endsOn":"2027-02-28","seats":2,"requirements":{"minimumStudyYear":9}}""" },
        { "empty body", "" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_input_gets_a_400_problem_and_stores_and_publishes_nothing(string why, string body)
    {
        var (offers, events) = await CountsAsync();

        var response = await _stMarys.PostAsync("/api/hospitals/placement-offers", Json.Raw(body));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["detail"] is not null || problem["errors"] is not null, $"{why}: the problem says nothing about what was wrong");
        Assert.Equal((offers, events), await CountsAsync());
    }

    [Fact]
    public async Task Bad_input_to_a_change_leaves_the_offer_as_it_was()
    {
        var id = await CreateAsync("Unchanged");
        var (offers, events) = await CountsAsync();

        var response = await _stMarys.PutAsync($"/api/hospitals/placement-offers/{id}", Json.Raw("""{"department":"Cardiology","specialty":"cardiology","title":"Ward","startsOn":"2027-03-01","endsOn":"2027-02-01","seats":2}"""));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal((offers, events), await CountsAsync());
        Assert.Equal("Unchanged", (await (await _stMarys.GetAsync($"/api/hospitals/placement-offers/{id}")).ReadNodeAsync())["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_offer_is_a_404_problem()
    {
        var unknown = Guid.NewGuid();
        await (await _stMarys.GetAsync($"/api/hospitals/placement-offers/{unknown}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _stMarys.PutAsJsonAsync($"/api/hospitals/placement-offers/{unknown}", OfferRequests.Valid())).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _stMarys.DeleteAsync($"/api/hospitals/placement-offers/{unknown}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Without_a_token_nothing_is_read_or_changed()
    {
        var anonymous = factory.CreateClient();
        var (offers, events) = await CountsAsync();

        await (await anonymous.GetAsync("/api/hospitals/placement-offers")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await anonymous.PostAsJsonAsync("/api/hospitals/placement-offers", OfferRequests.Valid())).AssertProblemAsync(HttpStatusCode.Unauthorized);

        Assert.Equal((offers, events), await CountsAsync());
    }

    [Fact]
    public async Task Another_hospital_may_neither_change_nor_withdraw_an_offer_nor_publish_in_its_name()
    {
        var id = await CreateAsync("St Mary's own");
        var riverside = factory.ClientAs(TestAuth.RiversideCoordinator);
        var (offers, events) = await CountsAsync();

        await (await riverside.PutAsJsonAsync($"/api/hospitals/placement-offers/{id}", OfferRequests.Valid("Hijacked"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await riverside.DeleteAsync($"/api/hospitals/placement-offers/{id}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        var stMarysId = TestAuth.User(TestAuth.StMarysCoordinator).Organisation.Id;
        await (await riverside.PostAsJsonAsync("/api/hospitals/placement-offers", OfferRequests.Valid(hospitalId: stMarysId))).AssertProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal((offers, events), await CountsAsync());
        var fetched = await (await _stMarys.GetAsync($"/api/hospitals/placement-offers/{id}")).ReadNodeAsync();
        Assert.Equal("St Mary's own", fetched["title"]!.GetValue<string>());
        Assert.Equal("Published", fetched["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Students_and_school_staff_may_read_offers_but_not_publish_them()
    {
        await CreateAsync("Readable by all");
        var student = factory.ClientAs(TestAuth.Student);

        var list = await student.GetAsync("/api/hospitals/placement-offers?pageSize=100");
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Contains((await list.ReadNodeAsync())["items"]!.AsArray(), o => o!["title"]!.GetValue<string>() == "Readable by all");

        await (await student.PostAsJsonAsync("/api/hospitals/placement-offers", OfferRequests.Valid())).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await factory.ClientAs(TestAuth.SchoolCoordinator).PostAsJsonAsync("/api/hospitals/placement-offers", OfferRequests.Valid())).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("page=0")]
    [InlineData("pageSize=1000")]
    [InlineData("pageSize=abc")]
    public async Task Bad_paging_is_a_400_problem(string query)
    {
        await (await _stMarys.GetAsync($"/api/hospitals/placement-offers?{query}")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    private async Task<Guid> CreateAsync(string title)
    {
        var response = await _stMarys.PostAsJsonAsync("/api/hospitals/placement-offers", OfferRequests.Valid(title));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadNodeAsync())["id"]!.GetValue<Guid>();
    }

    private Task<(int Offers, int Events)> CountsAsync() =>
        factory.InScopeAsync<HospitalsDbContext, (int, int)>(async db => (await db.PlacementOffers.CountAsync(), await db.OutboxMessages.CountAsync()));
}
