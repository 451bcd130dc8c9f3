using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CollabTraining.Contracts.Hospitals;
using CollabTraining.Contracts.School;
using CollabTraining.Demo;
using CollabTraining.Hospitals;
using CollabTraining.Hospitals.Data;
using CollabTraining.ServiceDefaults.Security;
using CollabTraining.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Tests.Integration;

/// <summary>What hospital coordinators, mentors and students hit at the hospital: seats, withdrawal, mentors, read-backs, If-Match, bad input.</summary>
public sealed class HospitalHardeningTests(ServiceFactory<HospitalsApiMarker> factory) : IClassFixture<ServiceFactory<HospitalsApiMarker>>
{
    private static readonly DemoOrganisation StMarys = DemoDirectory.Hospitals[0];
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);
    private readonly HttpClient _coordinator = factory.ClientAs(TestAuth.StMarysCoordinator);

    [Fact]
    public async Task No_more_students_are_confirmed_than_the_offer_has_seats()
    {
        var offer = await CreateOfferAsync(seats: 2);
        var assignments = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            assignments.Add(await AssignAsync(offer));
        }

        Assert.Equal(HttpStatusCode.OK, (await _coordinator.PostAsync($"/api/hospitals/assignments/{assignments[0]}/confirm", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _coordinator.PostAsync($"/api/hospitals/assignments/{assignments[1]}/confirm", null)).StatusCode);
        // The third arrived when both seats were held, so it was declined on arrival and cannot be confirmed.
        await (await _coordinator.PostAsync($"/api/hospitals/assignments/{assignments[2]}/confirm", null)).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(2, await factory.InScopeAsync<HospitalsDbContext, int>(db => db.Assignments.CountAsync(a => a.OfferId == offer && a.Status == PlacementAssignmentStatus.Confirmed)));

        var listed = await (await _coordinator.GetAsync($"/api/hospitals/assignments?offerId={offer}")).ReadNodeAsync();
        Assert.All(listed.AsArray(), a => Assert.DoesNotContain(a!.AsObject(), p => p.Key.Contains("rank", StringComparison.OrdinalIgnoreCase)));
        Assert.All(listed.AsArray(), a => Assert.Equal("Ward rotation", a!["offerTitle"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Withdrawing_releases_pending_students_confirmed_ones_block_it_unless_forced_and_nothing_is_confirmed_afterwards()
    {
        var offer = await CreateOfferAsync(seats: 3);
        var pending = await AssignAsync(offer);
        var confirmed = await AssignAsync(offer);
        await _coordinator.PostAsync($"/api/hospitals/assignments/{confirmed}/confirm", null);

        var blocked = await (await _coordinator.DeleteAsync($"/api/hospitals/placement-offers/{offer}")).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("force=true", blocked["detail"]!.GetValue<string>());
        Assert.Equal("Published", (await (await _coordinator.GetAsync($"/api/hospitals/placement-offers/{offer}")).ReadNodeAsync())["status"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.NoContent, (await _coordinator.DeleteAsync($"/api/hospitals/placement-offers/{offer}?force=true")).StatusCode);
        foreach (var released in new[] { pending, confirmed })
        {
            Assert.True(await factory.Harness.Published.EventuallyAsync<PlacementAssignmentDeclined>(m => m.Context.Message.AssignmentId == released && m.Context.Message.Reason.Contains("withdrew")));
        }

        await (await _coordinator.PostAsync($"/api/hospitals/assignments/{pending}/confirm", null)).AssertProblemAsync(HttpStatusCode.Conflict);

        // An assignment the school made before it heard of the withdrawal is declined as soon as it arrives.
        var late = await AssignAsync(offer);
        Assert.True(await factory.Harness.Published.EventuallyAsync<PlacementAssignmentDeclined>(m => m.Context.Message.AssignmentId == late));
    }

    [Fact]
    public async Task Closing_keeps_the_students_already_assigned_and_declines_assignments_that_arrive_afterwards()
    {
        var offer = await CreateOfferAsync(seats: 3);
        var before = await AssignAsync(offer);
        Assert.Equal(HttpStatusCode.OK, (await _coordinator.PostAsync($"/api/hospitals/placement-offers/{offer}/close", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _coordinator.PostAsync($"/api/hospitals/assignments/{before}/confirm", null)).StatusCode);

        var after = await AssignAsync(offer);
        Assert.True(await factory.Harness.Published.EventuallyAsync<PlacementAssignmentDeclined>(m => m.Context.Message.AssignmentId == after && m.Context.Message.Reason.Contains("closed")));
    }

    [Fact]
    public async Task A_students_decline_that_overtakes_the_assignment_it_is_about_still_applies()
    {
        var offer = await CreateOfferAsync(seats: 2);
        var assignment = Guid.CreateVersion7();
        await factory.Harness.Bus.Publish(new PlacementDeclinedByStudent(assignment, StMarys.Id, "I changed my mind.", 2, DateTimeOffset.UtcNow));
        await factory.Harness.Bus.Publish(new PlacementAssigned(assignment, Guid.NewGuid(), offer, StMarys.Id, Guid.NewGuid(), "Quick Decliner", 5, "medicine", 0, 1, DateTimeOffset.UtcNow));

        Assert.True(await Eventually.HoldsAsync(
            () => factory.InScopeAsync<HospitalsDbContext, bool>(db => db.Assignments.AnyAsync(a => a.Id == assignment && a.Status == PlacementAssignmentStatus.DeclinedByStudent)),
            TimeSpan.FromSeconds(20)), "the decline should be applied once its assignment has arrived");
    }

    [Fact]
    public async Task Assignments_that_arrive_after_the_seats_were_cut_are_declined_beyond_the_seats()
    {
        var offer = await CreateOfferAsync(seats: 1);
        var first = await AssignAsync(offer);
        var second = await AssignAsync(offer);
        Assert.True(await factory.Harness.Published.EventuallyAsync<PlacementAssignmentDeclined>(m => m.Context.Message.AssignmentId == second && m.Context.Message.Reason.Contains("no seat left")));
        await factory.OutboxDrainedAsync();
        Assert.DoesNotContain(factory.Harness.Published.Snapshot<PlacementAssignmentDeclined>(), m => m.Context.Message.AssignmentId == first);
    }

    [Fact]
    public async Task A_coordinator_previews_who_a_seat_reduction_would_decline_before_making_it()
    {
        var offer = await CreateOfferAsync(seats: 3);
        var confirmed = await AssignAsync(offer, "Confirmed student");
        await _coordinator.PostAsync($"/api/hospitals/assignments/{confirmed}/confirm", null);
        var older = await AssignAsync(offer, "Older pending");
        var newer = await AssignAsync(offer, "Newer pending");

        var preview = await (await _coordinator.GetAsync($"/api/hospitals/placement-offers/{offer}/seat-reduction?seats=2")).ReadNodeAsync();
        Assert.Equal((1, 2), (preview["confirmed"]!.GetValue<int>(), preview["pending"]!.GetValue<int>()));
        Assert.Equal([newer], preview["wouldDecline"]!.AsArray().Select(a => a!["id"]!.GetValue<Guid>()));
        await (await _coordinator.GetAsync($"/api/hospitals/placement-offers/{offer}/seat-reduction?seats=0")).AssertProblemAsync(HttpStatusCode.BadRequest);
        var toOne = await (await _coordinator.GetAsync($"/api/hospitals/placement-offers/{offer}/seat-reduction?seats=1")).ReadNodeAsync();
        Assert.Equal((2, null), (toOne["wouldDecline"]!.AsArray().Count, toOne["refusal"]?.GetValue<string>()));
        await _coordinator.PostAsync($"/api/hospitals/assignments/{older}/confirm", null);
        var refused = await (await _coordinator.GetAsync($"/api/hospitals/placement-offers/{offer}/seat-reduction?seats=1")).ReadNodeAsync();
        Assert.Empty(refused["wouldDecline"]!.AsArray());
        Assert.Contains("confirmed", refused["refusal"]!.GetValue<string>());
        await (await factory.ClientAs(TestAuth.RiversideCoordinator).GetAsync($"/api/hospitals/placement-offers/{offer}/seat-reduction?seats=2")).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(3, await factory.InScopeAsync<HospitalsDbContext, int>(db => db.Assignments.CountAsync(a => a.OfferId == offer && a.Status != PlacementAssignmentStatus.DeclinedByHospital)));
        Assert.Equal(HttpStatusCode.OK, (await _coordinator.GetAsync($"/api/hospitals/placement-offers/{offer}")).StatusCode);
    }

    [Fact]
    public async Task The_period_of_a_placement_stays_put_while_students_hold_seats()
    {
        var offer = await CreateOfferAsync(seats: 2);
        await AssignAsync(offer);
        var moved = await _coordinator.PutAsJsonAsync($"/api/hospitals/placement-offers/{offer}", OfferRequests.Valid("Ward rotation", 2, startsOn: OfferRequests.DefaultStart.AddMonths(1), endsOn: OfferRequests.DefaultStart.AddMonths(1).AddDays(27)));
        await moved.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.OK, (await _coordinator.PutAsJsonAsync($"/api/hospitals/placement-offers/{offer}", OfferRequests.Valid("Ward rotation (renamed)", 3))).StatusCode);

        // A change that leaves the requirements out keeps them.
        var seatsOnly = await _coordinator.PutAsJsonAsync($"/api/hospitals/placement-offers/{offer}", new
        {
            department = "Cardiology", specialty = "cardiology", title = "Ward rotation (renamed)",
            startsOn = OfferRequests.DefaultStart, endsOn = OfferRequests.DefaultStart.AddDays(27), seats = 4,
        });
        var kept = (await seatsOnly.ReadNodeAsync())["requirements"]!;
        Assert.Equal((4, "infection-control"), (kept["minimumStudyYear"]!.GetValue<int>(), kept["requiredQualifications"]![0]!.GetValue<string>()));

        using var stale = new HttpRequestMessage(HttpMethod.Delete, $"/api/hospitals/placement-offers/{offer}?force=true");
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
        await (await _coordinator.SendAsync(stale)).AssertProblemAsync(HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task A_mentor_token_without_the_staff_role_still_works_and_each_hospital_registers_its_own_mentors()
    {
        var mentorOnly = factory.CreateClient().AsSomeone(StMarys.Id, OrganisationKinds.Hospital, Roles.Mentor);
        Assert.Equal(HttpStatusCode.OK, (await mentorOnly.GetAsync("/api/hospitals/evaluations/mine")).StatusCode);

        var stMarysMentor = DemoDirectory.FindUser("mentor1@st-marys.demo")!;
        var riverside = factory.ClientAs(TestAuth.RiversideCoordinator);
        Assert.Equal(HttpStatusCode.Created, (await riverside.PostAsJsonAsync("/api/hospitals/mentors", new { userId = stMarysMentor.Id, name = "Visiting mentor" })).StatusCode);
        var atStMarys = await (await _coordinator.GetAsync("/api/hospitals/mentors")).ReadNodeAsync();
        Assert.Contains(atStMarys.AsArray(), m => m!["id"]!.GetValue<Guid>() == stMarysMentor.Id && m["name"]!.GetValue<string>() == stMarysMentor.DisplayName);
        await (await riverside.DeleteAsync($"/api/hospitals/mentors/{Guid.NewGuid()}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Two_identical_hours_entries_sent_at_once_are_stored_once()
    {
        var offer = await CreateOfferAsync(seats: 1, startsOn: Today, endsOn: Today.AddDays(2));
        var student = DemoDirectory.Student(121);
        var assignment = await AssignAsync(offer, student.DisplayName, student.Id);
        await _coordinator.PostAsync($"/api/hospitals/assignments/{assignment}/confirm", null);
        var client = factory.ClientAs(student.UserName);

        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => client.PostAsJsonAsync($"/api/hospitals/assignments/{assignment}/hours/me", new { date = Today, hours = 8, activity = "Ward round" })));

        Assert.Contains(answers, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(answers, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.BadRequest or HttpStatusCode.Conflict, r.StatusCode.ToString()));
        Assert.Equal(1, await factory.InScopeAsync<HospitalsDbContext, int>(db => db.HoursLogs.CountAsync(h => h.AssignmentId == assignment)));
    }

    [Fact]
    public async Task Mentors_evaluate_and_review_but_never_publish_offers_or_answer_the_school()
    {
        var mentor = factory.ClientAs("mentor1@st-marys.demo");
        await (await mentor.PostAsJsonAsync("/api/hospitals/placement-offers", OfferRequests.Valid("A mentor's offer"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        var offer = await CreateOfferAsync(seats: 1);
        await (await mentor.PutAsJsonAsync($"/api/hospitals/placement-offers/{offer}", OfferRequests.Valid("Changed by a mentor"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await mentor.DeleteAsync($"/api/hospitals/placement-offers/{offer}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        var assignment = await AssignAsync(offer);
        await (await mentor.PostAsync($"/api/hospitals/assignments/{assignment}/confirm", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Coordinators_register_and_retire_clinical_mentors_and_a_retired_mentor_takes_no_new_student()
    {
        var colleague = Guid.CreateVersion7();
        var registered = await _coordinator.PostAsJsonAsync("/api/hospitals/mentors", new { userId = colleague, name = "Dr Ada Okafor" });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        await (await _coordinator.PostAsJsonAsync("/api/hospitals/mentors", new { userId = colleague, name = "Dr Ada Okafor" })).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await factory.ClientAs("mentor1@st-marys.demo").PostAsJsonAsync("/api/hospitals/mentors", new { userId = Guid.CreateVersion7(), name = "Self-appointed" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await factory.ClientAs(TestAuth.RiversideCoordinator).DeleteAsync($"/api/hospitals/mentors/{colleague}")).AssertProblemAsync(HttpStatusCode.NotFound);

        var listed = await (await factory.ClientAs(TestAuth.SchoolCoordinator).GetAsync($"/api/hospitals/mentors?hospitalId={StMarys.Id}")).ReadNodeAsync();
        Assert.Contains(listed.AsArray(), m => m!["name"]!.GetValue<string>() == "Dr Ada Okafor");

        Assert.Equal(HttpStatusCode.OK, (await _coordinator.DeleteAsync($"/api/hospitals/mentors/{colleague}")).StatusCode);
        Assert.DoesNotContain((await (await _coordinator.GetAsync("/api/hospitals/mentors")).ReadNodeAsync()).AsArray(), m => m!["id"]!.GetValue<Guid>() == colleague);
        var offer = await CreateOfferAsync(seats: 1);
        var assignment = await AssignAsync(offer);
        await _coordinator.PostAsync($"/api/hospitals/assignments/{assignment}/confirm", null);
        var refused = await _coordinator.PutAsJsonAsync($"/api/hospitals/assignments/{assignment}/mentor", new { mentorId = colleague });
        Assert.NotNull((await refused.AssertProblemAsync(HttpStatusCode.BadRequest))["errors"]!["mentorId"]);
    }

    [Fact]
    public async Task Mentors_read_back_their_evaluations_and_students_their_hours_with_the_review_state()
    {
        var offer = await CreateOfferAsync(seats: 1, startsOn: Today.AddDays(-0), endsOn: Today.AddDays(2));
        var student = DemoDirectory.Student(120);
        var assignment = await AssignAsync(offer, student.DisplayName, student.Id);
        var mentorUser = DemoDirectory.FindUser("mentor2@st-marys.demo")!;
        await _coordinator.PostAsync($"/api/hospitals/assignments/{assignment}/confirm", null);
        await _coordinator.PutAsJsonAsync($"/api/hospitals/assignments/{assignment}/mentor", new { mentorId = mentorUser.Id });
        var mentor = factory.ClientAs(mentorUser.UserName);
        var studentClient = factory.ClientAs(student.UserName);

        var evaluation = new
        {
            kind = "Final",
            scores = new { historyTaking = 4, physicalExamination = 4, clinicalReasoning = 4, proceduralSkills = 4, communication = 4, professionalism = 4 },
            entrustment = 4,
            narrative = "Safe, thorough and kind with patients.",
        };
        Assert.Equal(HttpStatusCode.Created, (await mentor.PostAsJsonAsync($"/api/hospitals/assignments/{assignment}/evaluations", evaluation)).StatusCode);
        var mine = await (await mentor.GetAsync("/api/hospitals/evaluations/mine")).ReadNodeAsync();
        var recorded = Assert.Single(mine.AsArray(), e => e!["assignmentId"]!.GetValue<Guid>() == assignment)!;
        Assert.Equal(("Final", student.DisplayName), (recorded["kind"]!.GetValue<string>(), recorded["studentName"]!.GetValue<string>()));
        Assert.Single((await (await _coordinator.GetAsync($"/api/hospitals/assignments/{assignment}/evaluations")).ReadNodeAsync()).AsArray());
        await (await factory.ClientAs("mentor1@st-marys.demo").GetAsync($"/api/hospitals/assignments/{assignment}/evaluations")).AssertProblemAsync(HttpStatusCode.Forbidden);

        var hours = "/api/hospitals/assignments/" + assignment + "/hours/me";
        var first = await (await studentClient.PostAsJsonAsync(hours, new { date = Today, hours = 8, activity = "Ward round" })).ReadNodeAsync();
        await (await studentClient.PostAsJsonAsync(hours, new { date = Today, hours = 8, activity = "ward round" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        var tooMany = await studentClient.PostAsJsonAsync(hours, new { date = Today, hours = 17, activity = "Night shift" });
        Assert.NotNull((await tooMany.AssertProblemAsync(HttpStatusCode.BadRequest))["errors"]!["hours"]);
        var before = await studentClient.PostAsJsonAsync(hours, new { date = Today.AddDays(-1), hours = 4, activity = "Before it started" });
        Assert.NotNull((await before.AssertProblemAsync(HttpStatusCode.BadRequest))["errors"]!["date"]);
        await (await studentClient.PostAsJsonAsync(hours, new { date = Today.AddDays(1), hours = 4, activity = "Tomorrow" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        var odd = await studentClient.PostAsJsonAsync(hours, new { date = Today, hours = 1.45, activity = "Handover" });
        Assert.NotNull((await odd.AssertProblemAsync(HttpStatusCode.BadRequest))["errors"]!["hours"]);

        var logId = first["id"]!.GetValue<Guid>();
        var noNote = await mentor.PostAsJsonAsync($"/api/hospitals/hours/{logId}/reject", new { });
        Assert.NotNull((await noNote.AssertProblemAsync(HttpStatusCode.BadRequest))["errors"]!["note"]);
        Assert.Equal(HttpStatusCode.OK, (await mentor.PostAsJsonAsync($"/api/hospitals/hours/{logId}/reject", new { note = "You were in theatre teaching that morning." })).StatusCode);

        var myHours = await (await studentClient.GetAsync("/api/hospitals/hours/me")).ReadNodeAsync();
        var entry = Assert.Single(myHours.AsArray())!;
        Assert.Equal(("Rejected", "You were in theatre teaching that morning."), (entry["status"]!.GetValue<string>(), entry["reviewNote"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Created, (await studentClient.PostAsJsonAsync(hours, new { date = Today, hours = 8, activity = "Ward round" })).StatusCode);
    }

    [Fact]
    public async Task If_match_star_matches_any_version_a_stale_tag_refuses_close_and_withdrawal_and_create_returns_an_etag()
    {
        var created = await _coordinator.PostAsJsonAsync("/api/hospitals/placement-offers", OfferRequests.Valid("ETag ward"));
        Assert.Equal("\"1\"", created.Headers.ETag?.Tag);
        var id = (await created.ReadNodeAsync())["id"]!.GetValue<Guid>();

        using var star = new HttpRequestMessage(HttpMethod.Put, $"/api/hospitals/placement-offers/{id}") { Content = JsonContent.Create(OfferRequests.Valid("ETag ward", seats: 5)) };
        star.Headers.IfMatch.Add(EntityTagHeaderValue.Any);
        Assert.Equal(HttpStatusCode.OK, (await _coordinator.SendAsync(star)).StatusCode);

        foreach (var (method, path) in new[] { (HttpMethod.Post, $"/api/hospitals/placement-offers/{id}/close"), (HttpMethod.Delete, $"/api/hospitals/placement-offers/{id}") })
        {
            using var stale = new HttpRequestMessage(method, path);
            stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\""));
            await (await _coordinator.SendAsync(stale)).AssertProblemAsync(HttpStatusCode.PreconditionFailed);
        }

        Assert.Equal("Published", (await (await _coordinator.GetAsync($"/api/hospitals/placement-offers/{id}")).ReadNodeAsync())["status"]!.GetValue<string>());
        using var current = new HttpRequestMessage(HttpMethod.Post, $"/api/hospitals/placement-offers/{id}/close");
        current.Headers.IfMatch.Add(new EntityTagHeaderValue("\"2\""));
        var closed = await _coordinator.SendAsync(current);
        Assert.Equal((HttpStatusCode.OK, "\"3\""), (closed.StatusCode, closed.Headers.ETag?.Tag));
    }

    [Theory]
    [InlineData("title", "\"Cardiology\\u0000 ward\"")]
    [InlineData("title", "\"Cardiology \\u202Eward\"")]
    [InlineData("department", "\"   \"")]
    [InlineData("hospitalId", "\"00000000-0000-0000-0000-000000000000\"")]
    [InlineData("startsOn", "\"0001-01-01\"")]
    [InlineData("startsOn", "\"9999-12-01\"")]
    [InlineData("startsOn", "\"2020-01-01\"")]
    [InlineData("seats", "\"four\"")]
    [InlineData("requirements.requiredQualifications[0]", "[\"astrology\"]")]
    [InlineData("requirements.requiredQualifications[1]", "[\"mri-safety\",\"mri-safety\"]")]
    [InlineData("requirements.allowedProgrammes[0]", "[\"\"]")]
    public async Task A_bad_offer_field_is_a_400_naming_it_and_nothing_is_stored(string field, string json)
    {
        var body = System.Text.Json.Nodes.JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(OfferRequests.Valid("Bad input ward " + Guid.NewGuid().ToString("N")[..6])))!;
        var title = body["title"]!.GetValue<string>();
        var (parent, key) = field.StartsWith("requirements.", StringComparison.Ordinal)
            ? (body["requirements"]!, field["requirements.".Length..].Split('[')[0])
            : (body, field);
        parent[key] = System.Text.Json.Nodes.JsonNode.Parse(json);
        if (field == "startsOn")
        {
            body["endsOn"] = System.Text.Json.Nodes.JsonNode.Parse(json);
        }

        var response = await _coordinator.PostAsync("/api/hospitals/placement-offers", Json.Raw(body.ToJsonString()));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]?[field] is not null, problem.ToJsonString());
        Assert.False(await factory.InScopeAsync<HospitalsDbContext, bool>(db => db.PlacementOffers.AnyAsync(o => o.Title.StartsWith(title.Substring(0, 20)))));
    }

    private async Task<Guid> CreateOfferAsync(int seats, DateOnly? startsOn = null, DateOnly? endsOn = null)
    {
        var response = await _coordinator.PostAsJsonAsync("/api/hospitals/placement-offers", OfferRequests.Valid("Ward rotation", seats, startsOn: startsOn, endsOn: endsOn));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadNodeAsync())["id"]!.GetValue<Guid>();
    }

    private async Task<Guid> AssignAsync(Guid offer, string studentName = "A Student", Guid? studentId = null)
    {
        var assignment = Guid.CreateVersion7();
        await factory.Harness.Bus.Publish(new PlacementAssigned(assignment, Guid.NewGuid(), offer, StMarys.Id, studentId ?? Guid.NewGuid(), studentName, 5, "medicine", 0, 1, DateTimeOffset.UtcNow));
        Assert.True(await Eventually.HoldsAsync(
            () => factory.InScopeAsync<HospitalsDbContext, bool>(db => db.Assignments.AnyAsync(a => a.Id == assignment)), TimeSpan.FromSeconds(10)));
        return assignment;
    }
}
