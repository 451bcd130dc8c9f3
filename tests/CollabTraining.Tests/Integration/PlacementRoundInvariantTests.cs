using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CollabTraining.Contracts.Hospitals;
using CollabTraining.Contracts.School;
using CollabTraining.Demo;
using CollabTraining.School;
using CollabTraining.School.Data;
using CollabTraining.ServiceDefaults.Security;
using CollabTraining.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Tests.Integration;

/// <summary>What must hold across rounds and re-matches: seats, overlaps, explanations, the coordinator's corrections, names beside ids.</summary>
public sealed class PlacementRoundInvariantTests(SchoolCohortFactory factory) : IClassFixture<SchoolCohortFactory>
{
    private static int _period;
    private readonly SchoolCohortFactory _factory = factory;
    private readonly HttpClient _coordinator = factory.Coordinator;

    [Fact]
    public async Task An_offers_seats_count_across_rounds_and_a_student_never_holds_overlapping_placements()
    {
        var (ward, clinic) = await PublishOffersAsync(wardSeats: 2);
        var first = await CreateRoundAsync([ward, clinic]);
        await RankAsync(first, 30, [ward]);
        await RankAsync(first, 31, [ward]);
        await PublishMatchAsync(first);
        Assert.Equal(2, (await AssignmentsAsync(first)).Count(a => a["status"]!.GetValue<string>() == "Pending"));

        // A second round over the same offer: its two seats are held by the first round's students.
        var second = await CreateRoundAsync([ward, clinic]);
        var refused = await _factory.ClientAs(Student(30)).PutAsJsonAsync($"/api/school/rounds/{second}/preferences/me", new { offerIds = new[] { clinic } });
        Assert.Contains("overlaps", (await refused.AssertProblemAsync(HttpStatusCode.BadRequest))["errors"]!["offerIds[0]"]![0]!.GetValue<string>());
        await RankAsync(second, 32, [ward, clinic]);
        await RankAsync(second, 33, [ward]);
        var run = await PublishMatchAsync(second);

        Assert.Equal(1, run["matched"]!.GetValue<int>());
        var assigned = await AssignmentsAsync(second);
        Assert.Equal((DemoDirectory.Student(32).Id, clinic), (assigned.Single()["studentId"]!.GetValue<Guid>(), assigned.Single()["offerId"]!.GetValue<Guid>()));
        var onWard = await _factory.InScopeAsync<SchoolDbContext, int>(db => db.PlacementAssignments.CountAsync(a => a.OfferId == ward && a.Status == PlacementAssignmentStatus.Pending));
        Assert.Equal(2, onWard);
        var unplaced = await ResultAsync(second, 33);
        Assert.Null(unplaced["offerId"]);
        Assert.Contains("no seat on this offer was free", unplaced["rankedAbove"]![0]!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_student_left_unplaced_by_the_match_keeps_that_runs_explanation_after_a_rematch()
    {
        var (ward, clinic) = await PublishOffersAsync(wardSeats: 1, clinicSeats: 1);
        var round = await CreateRoundAsync([ward, clinic]);
        await RankAsync(round, 35, [ward]);
        await RankAsync(round, 40, [ward]);
        await RankAsync(round, 47, [clinic]);
        await PublishMatchAsync(round);
        var before = await ResultAsync(round, 40);
        Assert.Null(before["offerId"]);
        var detail = before["rankedAbove"]![0]!["detail"]!.GetValue<string>();
        Assert.Contains("come before you", detail);

        var clinicAssignment = (await AssignmentsAsync(round)).Single(a => a["offerId"]!.GetValue<Guid>() == clinic);
        await _factory.Harness.Bus.Publish(new PlacementAssignmentDeclined(clinicAssignment["id"]!.GetValue<Guid>(), clinic, DemoDirectory.Student(47).Id, "The clinic is closed that month.", 2, DateTimeOffset.UtcNow));
        Assert.True(await Eventually.HoldsAsync(async () => (await AssignmentsAsync(round)).Any(a => a["status"]!.GetValue<string>() == "DeclinedByHospital"), TimeSpan.FromSeconds(10)));
        var rematch = await (await _coordinator.PostAsJsonAsync($"/api/school/rounds/{round}/rematch", new { seed = 5 })).ReadNodeAsync();
        Assert.Contains(rematch["unmatched"]!.AsArray(), s => s!["name"]!.GetValue<string>() == "Student 040");

        var after = await ResultAsync(round, 40);
        Assert.Equal(before["runId"]!.GetValue<Guid>(), after["runId"]!.GetValue<Guid>());
        Assert.Equal(detail, after["rankedAbove"]![0]!["detail"]!.GetValue<string>());
        var declined = await ResultAsync(round, 47);
        Assert.Equal("Rematch", declined["runKind"]!.GetValue<string>());
        Assert.Contains("the hospital declined you", declined["rankedAbove"]![0]!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_coordinator_moves_a_student_to_a_free_eligible_seat_and_the_hospital_is_told()
    {
        var (ward, clinic) = await PublishOffersAsync(wardSeats: 1, clinicSeats: 1);
        var round = await CreateRoundAsync([ward, clinic]);
        await RankAsync(round, 50, [ward, clinic]);
        await RankAsync(round, 51, [ward]);
        await PublishMatchAsync(round);
        var onClinic = (await AssignmentsAsync(round)).Single(a => a["offerId"]!.GetValue<Guid>() == clinic);
        var onWard = (await AssignmentsAsync(round)).Single(a => a["offerId"]!.GetValue<Guid>() == ward);
        Assert.Equal(("Ward", "Student 051"), (onWard["offerTitle"]!.GetValue<string>(), onWard["studentName"]!.GetValue<string>()));
        var move = $"/api/school/rounds/{round}/assignments/{onWard["id"]}/move";

        await (await _coordinator.PostAsJsonAsync(move, new { offerId = clinic, reason = "The clinic is nearer home." })).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await _coordinator.PostAsJsonAsync(move, new { offerId = Guid.NewGuid(), reason = "Nowhere" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await _coordinator.PostAsJsonAsync(move, new { offerId = ward, reason = "Same place" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await _coordinator.PostAsJsonAsync(move, new { offerId = clinic })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await _coordinator.PostAsJsonAsync(move, new { offerId = clinic, reason = new string('r', 950) })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await _factory.ClientAs(Student(51)).PostAsJsonAsync(move, new { offerId = clinic, reason = "Let me move myself" })).AssertProblemAsync(HttpStatusCode.Forbidden);

        await _coordinator.PostAsJsonAsync($"/api/school/rounds/{round}/assignments/{onClinic["id"]}/decline", new { reason = "Student 050 deferred a year." });
        var moved = await (await _coordinator.PostAsJsonAsync(move, new { offerId = clinic, reason = "The clinic is nearer home." })).ReadNodeAsync();
        Assert.Equal((clinic, "Pending", "Student 051"), (moved["offerId"]!.GetValue<Guid>(), moved["status"]!.GetValue<string>(), moved["studentName"]!.GetValue<string>()));
        Assert.True(await _factory.Harness.Published.EventuallyAsync<PlacementReleasedBySchool>(m => m.Context.Message.AssignmentId == onWard["id"]!.GetValue<Guid>()));
        Assert.True(await _factory.Harness.Published.EventuallyAsync<PlacementAssigned>(m => m.Context.Message.AssignmentId == moved["id"]!.GetValue<Guid>() && m.Context.Message.Rank == 0));
        var all = await AssignmentsAsync(round);
        Assert.Equal("ReleasedBySchool", all.Single(a => a["id"]!.GetValue<Guid>() == onWard["id"]!.GetValue<Guid>())["status"]!.GetValue<string>());
        var mine = await (await _factory.ClientAs(Student(51)).GetAsync($"/api/school/rounds/{round}/assignment/me")).ReadNodeAsync();
        Assert.Equal(moved["id"]!.GetValue<Guid>(), mine["id"]!.GetValue<Guid>());
        var result = await ResultAsync(round, 51);
        Assert.Equal((clinic, "Clinic"), (result["offerId"]!.GetValue<Guid>(), result["offerTitle"]!.GetValue<string>()));
        Assert.Contains("nearer home", result["note"]!.GetValue<string>());
        var fiftyResult = await ResultAsync(round, 50);
        Assert.Null(fiftyResult["offerId"]);
        Assert.Contains("deferred a year", fiftyResult["note"]!.GetValue<string>());
    }

    [Fact]
    public async Task Two_rematches_at_once_never_give_a_student_two_seats()
    {
        // The ward's two students are declined and the clinic keeps one seat free: every re-match wants to give
        // that one seat to one of the two displaced students, so only serialised re-matches stay within it.
        var (ward, clinic) = await PublishOffersAsync(wardSeats: 2, clinicSeats: 3);
        var round = await CreateRoundAsync([ward, clinic]);
        foreach (var student in new[] { 90, 91, 92, 93 })
        {
            await RankAsync(round, student, [ward, clinic]);
        }

        await PublishMatchAsync(round);
        foreach (var a in (await AssignmentsAsync(round)).Where(a => a["offerId"]!.GetValue<Guid>() == ward))
        {
            await _factory.Harness.Bus.Publish(new PlacementAssignmentDeclined(a["id"]!.GetValue<Guid>(), ward, a["studentId"]!.GetValue<Guid>(), "Ward closed for cleaning.", 2, DateTimeOffset.UtcNow));
        }

        Assert.True(await Eventually.HoldsAsync(async () => (await AssignmentsAsync(round)).Count(a => a["status"]!.GetValue<string>() == "DeclinedByHospital") == 2, TimeSpan.FromSeconds(10)));
        var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => _coordinator.PostAsJsonAsync($"/api/school/rounds/{round}/rematch", new { seed = 4 })));

        Assert.All(answers, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        var holding = (await AssignmentsAsync(round)).Where(a => a["status"]!.GetValue<string>() is "Pending" or "Confirmed").ToList();
        Assert.Equal(holding.Count, holding.Select(a => a["studentId"]!.GetValue<Guid>()).Distinct().Count());
        Assert.Equal(3, holding.Count(a => a["offerId"]!.GetValue<Guid>() == clinic));
    }

    [Fact]
    public async Task An_empty_ranking_takes_the_student_out_of_the_match()
    {
        var (ward, _) = await PublishOffersAsync(wardSeats: 1);
        var round = await CreateRoundAsync([ward]);
        await RankAsync(round, 96, [ward]);
        await RankAsync(round, 96, []);
        await (await _factory.ClientAs(Student(96)).GetAsync($"/api/school/rounds/{round}/preferences/me")).AssertProblemAsync(HttpStatusCode.NotFound);
        await CloseAsync(round);
        var run = await (await _coordinator.PostAsJsonAsync($"/api/school/rounds/{round}/match", new { seed = 1 })).ReadNodeAsync();
        Assert.Equal((0, 0), (run["matched"]!.GetValue<int>(), run["unmatched"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_round_cannot_hold_a_placement_that_starts_before_its_window_closes_nor_close_decades_ahead()
    {
        var (ward, _) = await PublishOffersAsync(wardSeats: 1);
        var starts = await _factory.InScopeAsync<SchoolDbContext, DateOnly>(db => db.CatalogPlacements.Where(p => p.OfferId == ward).Select(p => p.StartsOn).SingleAsync());
        var late = await _coordinator.PostAsJsonAsync("/api/school/rounds", new
        {
            name = "Too late", offerIds = new[] { ward },
            preferencesOpenAt = new DateTimeOffset(starts.AddDays(-20).ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero),
            preferencesCloseAt = new DateTimeOffset(starts.AddDays(1).ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero),
        });
        var problem = await late.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!["offerIds[0]"] is not null, problem.ToJsonString());
        var far = await _coordinator.PostAsJsonAsync("/api/school/rounds", new { name = "Far", offerIds = new[] { ward }, preferencesCloseAt = "9999-01-01T00:00:00Z" });
        Assert.NotNull((await far.AssertProblemAsync(HttpStatusCode.BadRequest))["errors"]!["preferencesCloseAt"]);
        await (await _coordinator.GetAsync("/api/school/rounds?status=Open,Closed")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Only_school_staff_roles_read_other_students_and_a_round_change_honours_if_match()
    {
        var student = DemoDirectory.Student(95);
        var roleless = _factory.CreateClient().AsSomeone(DemoDirectory.School.Id, OrganisationKinds.School);
        await (await roleless.GetAsync($"/api/school/students/{student.Id}/record")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await roleless.GetAsync($"/api/school/students/{student.Id}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await _factory.CreateClient().AsSomeone(DemoDirectory.School.Id, OrganisationKinds.School, Roles.Teacher).GetAsync($"/api/school/students/{student.Id}")).StatusCode);

        var (ward, _) = await PublishOffersAsync(wardSeats: 1);
        var created = await _coordinator.PostAsJsonAsync("/api/school/rounds", new { name = "Tagged", offerIds = new[] { ward }, preferencesCloseAt = _factory.Clock.GetUtcNow().AddDays(3) });
        Assert.Equal("\"1\"", created.Headers.ETag?.Tag);
        var id = (await created.ReadNodeAsync())["id"]!.GetValue<Guid>();
        using var stale = new HttpRequestMessage(HttpMethod.Post, $"/api/school/rounds/{id}/cancel") { Content = JsonContent.Create(new { reason = "Stale view" }) };
        stale.Headers.IfMatch.Add(new System.Net.Http.Headers.EntityTagHeaderValue("\"7\""));
        await (await _coordinator.SendAsync(stale)).AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        Assert.Equal("Open", (await (await _coordinator.GetAsync($"/api/school/rounds/{id}")).ReadNodeAsync())["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_round_is_edited_before_it_opens_cancelled_before_publication_and_two_runs_compare_side_by_side()
    {
        var (ward, clinic) = await PublishOffersAsync(wardSeats: 1, clinicSeats: 1);
        var now = _factory.Clock.GetUtcNow();
        var created = await _coordinator.PostAsJsonAsync("/api/school/rounds", new { name = "Summer", offerIds = new[] { ward }, preferencesOpenAt = now.AddDays(1), preferencesCloseAt = now.AddDays(5) });
        var round = await created.ReadNodeAsync();
        Assert.Equal("Scheduled", round["status"]!.GetValue<string>());
        Assert.Equal(10, round["maxRanks"]!.GetValue<int>());
        var id = round["id"]!.GetValue<Guid>();
        await (await _factory.ClientAs(Student(60)).PutAsJsonAsync($"/api/school/rounds/{id}/preferences/me", new { offerIds = new[] { ward } })).AssertProblemAsync(HttpStatusCode.Conflict);

        var edited = await (await _coordinator.PutAsJsonAsync($"/api/school/rounds/{id}", new { name = "Summer rotations", offerIds = new[] { ward, clinic }, preferencesOpenAt = now.AddDays(1), preferencesCloseAt = now.AddDays(6), maxRanks = 2 })).ReadNodeAsync();
        Assert.Equal(["Summer rotations"], [edited["name"]!.GetValue<string>()]);
        Assert.Equal(2, edited["offers"]!.AsArray().Count);
        Assert.Equal("Ward", edited["offers"]![0]!["title"]!.GetValue<string>());

        _factory.Clock.Advance(TimeSpan.FromDays(2));
        await RankAsync(id, 60, [ward, clinic]);
        await RankAsync(id, 61, [ward]);
        await (await _coordinator.PutAsJsonAsync($"/api/school/rounds/{id}", new { name = "Summer rotations", offerIds = new[] { ward }, preferencesCloseAt = now.AddDays(6), maxRanks = 2 })).AssertProblemAsync(HttpStatusCode.Conflict);

        var a = await (await _coordinator.PostAsJsonAsync($"/api/school/rounds/{id}/match", new { seed = 1 })).ReadNodeAsync();
        var b = await (await _coordinator.PostAsJsonAsync($"/api/school/rounds/{id}/match", new { seed = 2 })).ReadNodeAsync();
        var comparison = await (await _coordinator.GetAsync($"/api/school/rounds/{id}/runs/compare?first={a["id"]}&second={b["id"]}")).ReadNodeAsync();
        Assert.Equal(2, comparison["unchanged"]!.GetValue<int>() + comparison["moves"]!.AsArray().Count);
        Assert.NotNull(comparison["first"]!["rankDistribution"]);
        Assert.NotNull(comparison["second"]!["rankDistribution"]);
        await (await _coordinator.GetAsync($"/api/school/rounds/{id}/runs/compare?first={a["id"]}&second={Guid.NewGuid()}")).AssertProblemAsync(HttpStatusCode.NotFound);

        await (await _coordinator.PostAsJsonAsync($"/api/school/rounds/{id}/cancel", new { })).AssertProblemAsync(HttpStatusCode.BadRequest);
        var cancelled = await (await _coordinator.PostAsJsonAsync($"/api/school/rounds/{id}/cancel", new { reason = "The hospitals postponed the summer rotations." })).ReadNodeAsync();
        Assert.Equal("Cancelled", cancelled["status"]!.GetValue<string>());
        await (await _factory.ClientAs(Student(62)).PutAsJsonAsync($"/api/school/rounds/{id}/preferences/me", new { offerIds = new[] { ward } })).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await _coordinator.PostAsJsonAsync($"/api/school/rounds/{id}/match", new { })).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains((await (await _coordinator.GetAsync("/api/school/rounds?status=cancelled")).ReadNodeAsync()).AsArray(), r => r!["id"]!.GetValue<Guid>() == id);
    }

    [Fact]
    public async Task A_published_round_cannot_be_cancelled_and_a_run_on_changed_inputs_cannot_be_published()
    {
        var (ward, clinic) = await PublishOffersAsync(wardSeats: 2, clinicSeats: 1);
        var round = await CreateRoundAsync([ward, clinic]);
        await RankAsync(round, 70, [ward]);
        await CloseAsync(round);
        var run = await (await _coordinator.PostAsJsonAsync($"/api/school/rounds/{round}/match", new { seed = 3 })).ReadNodeAsync();

        // The hospital cuts the ward to a single seat after the run: the run no longer describes the round.
        var hospital = DemoDirectory.Hospitals[0];
        var placement = await _factory.InScopeAsync<SchoolDbContext, School.Catalog.CatalogPlacement>(db => db.CatalogPlacements.AsNoTracking().SingleAsync(p => p.OfferId == ward));
        await _factory.Harness.Bus.Publish(new PlacementOfferClosed(ward, hospital.Id, placement.Version + 1, DateTimeOffset.UtcNow));
        Assert.True(await Eventually.HoldsAsync(() => _factory.InScopeAsync<SchoolDbContext, bool>(db => db.CatalogPlacements.AnyAsync(p => p.OfferId == ward && p.Closed)), TimeSpan.FromSeconds(10)));
        await (await _coordinator.PostAsJsonAsync($"/api/school/rounds/{round}/runs/{run["id"]}/publish", new { })).AssertProblemAsync(HttpStatusCode.Conflict);

        var again = await (await _coordinator.PostAsJsonAsync($"/api/school/rounds/{round}/match", new { seed = 3 })).ReadNodeAsync();
        Assert.Equal(HttpStatusCode.OK, (await _coordinator.PostAsJsonAsync($"/api/school/rounds/{round}/runs/{again["id"]}/publish", new { })).StatusCode);
        await (await _coordinator.PostAsJsonAsync($"/api/school/rounds/{round}/cancel", new { reason = "Too late for this" })).AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Students_read_themselves_and_grants_refuse_unknown_or_expired_qualifications()
    {
        var student = DemoDirectory.Student(80);
        var me = await (await _factory.ClientAs(student.UserName).GetAsync("/api/school/students/me")).ReadNodeAsync();
        Assert.Equal((student.Id, "NB00080"), (me["id"]!.GetValue<Guid>(), me["studentNumber"]!.GetValue<string>()));
        await (await _coordinator.GetAsync("/api/school/students/me")).AssertProblemAsync(HttpStatusCode.Forbidden);

        var today = DateOnly.FromDateTime(_factory.Clock.GetUtcNow().UtcDateTime);
        var expired = await _coordinator.PutAsJsonAsync($"/api/school/students/{student.Id}/qualifications/mri-safety", new { expiresOn = today.AddDays(-1) });
        Assert.NotNull((await expired.AssertProblemAsync(HttpStatusCode.BadRequest))["errors"]!["expiresOn"]);
        var unknown = await _coordinator.PutAsJsonAsync($"/api/school/students/{student.Id}/qualifications/astrology", new { expiresOn = today.AddYears(1) });
        Assert.NotNull((await unknown.AssertProblemAsync(HttpStatusCode.BadRequest))["errors"]!["code"]);
        var codes = await (await _coordinator.GetAsync("/api/school/reference/qualifications")).ReadNodeAsync();
        Assert.Contains(codes.AsArray(), c => c!["code"]!.GetValue<string>() == "mri-safety");
        Assert.Equal(0, await _factory.InScopeAsync<SchoolDbContext, int>(db => db.StudentQualifications.CountAsync(q => q.StudentId == student.Id && q.Code == "astrology")));
    }

    private static string Student(int number) => SchoolCohortFactory.Student(number);

    private async Task<(Guid Ward, Guid Clinic)> PublishOffersAsync(int wardSeats, int clinicSeats = 2)
    {
        var hospital = DemoDirectory.Hospitals[1];
        var starts = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(4 + Interlocked.Increment(ref _period));
        PlacementOfferSnapshot Offer(string title, int seats) =>
            new(Guid.CreateVersion7(), hospital.Id, hospital.Name, "General", "general", title, starts, starts.AddDays(20), seats, new PlacementRequirements(1, [], []));
        var offers = new[] { Offer("Ward", wardSeats), Offer("Clinic", clinicSeats) };
        foreach (var offer in offers)
        {
            await _factory.Harness.Bus.Publish(new PlacementOfferPublished(offer, 1, DateTimeOffset.UtcNow));
        }

        var ids = offers.Select(o => o.OfferId).ToList();
        Assert.True(await Eventually.HoldsAsync(
            () => _factory.InScopeAsync<SchoolDbContext, bool>(async db => await db.CatalogPlacements.CountAsync(p => ids.Contains(p.OfferId)) == 2),
            TimeSpan.FromSeconds(10)));
        return (ids[0], ids[1]);
    }

    private async Task<Guid> CreateRoundAsync(Guid[] offers)
    {
        var response = await _coordinator.PostAsJsonAsync("/api/school/rounds", new { name = "Round", offerIds = offers, preferencesCloseAt = _factory.Clock.GetUtcNow().AddDays(7), maxRanks = 2 });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadNodeAsync())["id"]!.GetValue<Guid>();
    }

    private Task CloseAsync(Guid round) => _factory.CloseWindowAsync(round);

    private async Task<JsonNode> PublishMatchAsync(Guid round)
    {
        await CloseAsync(round);
        var run = await (await _coordinator.PostAsJsonAsync($"/api/school/rounds/{round}/match", new { seed = 11 })).ReadNodeAsync();
        var published = await _coordinator.PostAsJsonAsync($"/api/school/rounds/{round}/runs/{run["id"]}/publish", new { });
        Assert.True(published.StatusCode == HttpStatusCode.OK, await published.Content.ReadAsStringAsync());
        return run;
    }

    private Task RankAsync(Guid round, int student, Guid[] offers) => _factory.RankAsync(round, student, offers);

    private Task<List<JsonNode>> AssignmentsAsync(Guid round) => _factory.AssignmentsAsync(round);

    private Task<JsonNode> ResultAsync(Guid round, int student) => _factory.ResultAsync(round, student);
}
