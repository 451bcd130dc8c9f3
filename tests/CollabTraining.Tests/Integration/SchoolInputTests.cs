using System.Net;
using System.Net.Http.Json;
using CollabTraining.Contracts.Hospitals;
using CollabTraining.Demo;
using CollabTraining.School;
using CollabTraining.School.Data;
using CollabTraining.ServiceDefaults.Security;
using CollabTraining.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Tests.Integration;

/// <summary>Hostile and careless input at the school: every case a 400 naming the field, nothing changed; spreadsheets get no live formulas.</summary>
public sealed class SchoolInputTests(SchoolCohortFactory factory) : IClassFixture<SchoolCohortFactory>
{
    private readonly SchoolCohortFactory _factory = factory;
    private readonly HttpClient _coordinator = factory.Coordinator;

    [Theory]
    [InlineData("name", """ "Spring\u0000round" """)]
    [InlineData("name", """ "Spring \u202Eround" """)]
    [InlineData("name", """ "   " """)]
    [InlineData("name", """ "\u200B\u200B\u200B" """)]
    [InlineData("offerIds[0]", """ ["00000000-0000-0000-0000-000000000000"] """)]
    [InlineData("offerIds", """ "not a list" """)]
    [InlineData("offerIds[0]", """ [null] """)]
    [InlineData("offerIds", """ [] """)]
    [InlineData("preferencesOpenAt", """ "2020-13-45" """)]
    [InlineData("offerIds", """ ["@offer","@offer"] """)]
    [InlineData("maxRanks", """ 0 """)]
    [InlineData("preferencesCloseAt", """ "yesterday" """)]
    public async Task A_bad_round_field_is_a_400_naming_it_and_no_round_is_made(string field, string value)
    {
        var offer = await PublishOfferAsync("Plain ward");
        var before = await _factory.InScopeAsync<SchoolDbContext, int>(db => db.PlacementRounds.CountAsync());
        var body = System.Text.Json.Nodes.JsonNode.Parse($$"""{"name":"Spring round","offerIds":["{{offer}}"],"preferencesCloseAt":"{{_factory.Clock.GetUtcNow().AddDays(3):O}}"}""")!;
        body[field.Split('[')[0]] = System.Text.Json.Nodes.JsonNode.Parse(value.Replace("@offer", offer.ToString()));

        var problem = await (await _coordinator.PostAsync("/api/school/rounds", Json.Raw(body.ToJsonString()))).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem["errors"]?[field] is not null, problem.ToJsonString());
        Assert.Equal(before, await _factory.InScopeAsync<SchoolDbContext, int>(db => db.PlacementRounds.CountAsync()));
    }

    [Theory]
    [InlineData("q", "cardio%00logy")]
    [InlineData("q", "cardio%E2%80%AElogy")]
    [InlineData("specialty", "a%0Ab")]
    public async Task A_query_value_with_a_control_character_is_a_400_naming_it(string parameter, string value)
    {
        var problem = await (await _coordinator.GetAsync($"/api/school/catalog/placements?{parameter}={value}")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]![parameter]);
    }

    [Fact]
    public async Task A_client_that_asks_for_html_still_gets_the_right_status_as_problem_json()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/school/rounds/{Guid.NewGuid()}");
        request.Headers.Accept.ParseAdd("text/html");
        await (await _coordinator.SendAsync(request)).AssertProblemAsync(HttpStatusCode.NotFound);

        using var query = new HttpRequestMessage(HttpMethod.Get, "/api/school/catalog/placements?q=a%01b");
        query.Headers.Accept.ParseAdd("application/xml");
        await (await _coordinator.SendAsync(query)).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_all_zero_id_in_a_route_or_query_is_a_400_naming_it()
    {
        var route = await (await _coordinator.GetAsync($"/api/school/rounds/{Guid.Empty}")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(route["errors"]!["roundId"]);
        var query = await (await _coordinator.GetAsync($"/api/school/catalog/placements?hospitalId={Guid.Empty}")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(query["errors"]!["hospitalId"]);
        var missing = await (await _coordinator.PostAsync("/api/school/rounds", Json.Raw(""))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(missing["errors"]!["body"]);
    }

    [Fact]
    public async Task Status_filters_are_names_and_unknown_rounds_are_404s()
    {
        await (await _coordinator.GetAsync("/api/school/rounds?status=1")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await _coordinator.GetAsync($"/api/school/rounds/{Guid.NewGuid()}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _coordinator.GetAsync($"/api/school/rounds/{Guid.NewGuid()}/runs")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _coordinator.GetAsync($"/api/school/reports/cohort?roundId={Guid.NewGuid()}&format=csv")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _coordinator.PostAsJsonAsync($"/api/school/rounds/{Guid.NewGuid()}/match", new { })).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task An_offer_title_that_looks_like_a_formula_reaches_the_cohort_csv_as_text()
    {
        var offer = await PublishOfferAsync("=HYPERLINK(\"http://evil.example\",\"Click\")");
        var round = (await (await _coordinator.PostAsJsonAsync("/api/school/rounds", new { name = "Formula round", offerIds = new[] { offer }, preferencesCloseAt = _factory.Clock.GetUtcNow().AddDays(2), maxRanks = 1 })).ReadNodeAsync())["id"]!.GetValue<Guid>();
        var student = DemoDirectory.Student(140);
        Assert.Equal(HttpStatusCode.OK, (await _factory.ClientAs(student.UserName).PutAsJsonAsync($"/api/school/rounds/{round}/preferences/me", new { offerIds = new[] { offer } })).StatusCode);
        _factory.Clock.Advance(TimeSpan.FromDays(3));
        var run = await (await _coordinator.PostAsJsonAsync($"/api/school/rounds/{round}/match", new { seed = 1 })).ReadNodeAsync();
        await _coordinator.PostAsJsonAsync($"/api/school/rounds/{round}/runs/{run["id"]}/publish", new { });
        var assignment = (await (await _coordinator.GetAsync($"/api/school/rounds/{round}/assignments")).ReadNodeAsync())[0]!["id"]!.GetValue<Guid>();
        await _factory.Harness.Bus.Publish(new PlacementAssignmentConfirmed(assignment, offer, student.Id, 2, DateTimeOffset.UtcNow));
        await _factory.Harness.Bus.Publish(new EvaluationRecorded(Guid.NewGuid(), assignment, student.Id, DemoDirectory.Hospitals[2].Id, Guid.NewGuid(), "+cmd|' /C calc'!A0",
            "Final", new CompetencyScores(2, 3, 3, 3, 3, 3), 3, "Fine.", 1, DateTimeOffset.UtcNow));
        Assert.True(await Eventually.HoldsAsync(() => _factory.InScopeAsync<SchoolDbContext, bool>(db => db.RecordedEvaluations.AnyAsync(e => e.AssignmentId == assignment)), TimeSpan.FromSeconds(10)));

        var csv = await (await _coordinator.GetAsync($"/api/school/reports/cohort?roundId={round}&format=csv")).Content.ReadAsStringAsync();

        Assert.Contains("'=HYPERLINK", csv);
        Assert.Contains("'+cmd", csv);
        Assert.DoesNotContain(",=HYPERLINK", csv);
        Assert.DoesNotContain(",\"=HYPERLINK", csv);
    }

    private async Task<Guid> PublishOfferAsync(string title)
    {
        var hospital = DemoDirectory.Hospitals[2];
        var starts = new DateOnly(2029, 3, 1).AddDays(Random.Shared.Next(0, 300));
        var snapshot = new PlacementOfferSnapshot(Guid.CreateVersion7(), hospital.Id, hospital.Name, "General", "general", title, starts, starts.AddDays(10), 3, new PlacementRequirements(1, [], []));
        await _factory.Harness.Bus.Publish(new PlacementOfferPublished(snapshot, 1, DateTimeOffset.UtcNow));
        Assert.True(await Eventually.HoldsAsync(() => _factory.InScopeAsync<SchoolDbContext, bool>(db => db.CatalogPlacements.AnyAsync(p => p.OfferId == snapshot.OfferId)), TimeSpan.FromSeconds(10)));
        return snapshot.OfferId;
    }
}
