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

/// <summary>A placement round on the School service with the demo cohort (200 students and their qualifications).</summary>
public sealed class PlacementRoundTests(SchoolCohortFactory factory) : IClassFixture<SchoolCohortFactory>
{
    private readonly SchoolCohortFactory _factory = factory;
    private readonly HttpClient _coordinator = factory.Coordinator;

    private static string Student(int number) => SchoolCohortFactory.Student(number);

    [Fact]
    public async Task Students_rank_eligible_offers_and_the_match_places_them_by_priority_with_explanations()
    {
        var (cardiology, radiology, practice) = await PublishOffersAsync();
        var round = await CreateRoundAsync([cardiology, radiology, practice], maxRanks: 3);

        await RankAsync(round, 3, [cardiology, practice]);
        await RankAsync(round, 4, [cardiology, radiology, practice]);

        // A run while students may still rank is a provisional preview: it changes nothing for anyone.
        var preview = await (await _coordinator.PostAsJsonAsync($"/api/school/rounds/{round}/match", new { seed = "2026" })).ReadNodeAsync();
        Assert.Equal("Provisional", preview["kind"]!.GetValue<string>());
        await RankAsync(round, 5, [cardiology, practice]);
        Assert.Contains((await (await _factory.ClientAs(Student(5)).GetAsync("/api/school/rounds?status=open")).ReadNodeAsync()).AsArray(), r => r!["id"]!.GetValue<Guid>() == round);
        await (await _coordinator.PostAsJsonAsync($"/api/school/rounds/{round}/runs/{preview["id"]}/publish", new { })).AssertProblemAsync(HttpStatusCode.Conflict);

        await CloseWindowAsync(round);
        await (await _coordinator.PostAsJsonAsync($"/api/school/rounds/{round}/runs/{preview["id"]}/publish", new { })).AssertProblemAsync(HttpStatusCode.Conflict);
        var run = await _coordinator.PostAsJsonAsync($"/api/school/rounds/{round}/match", new { seed = 2026 });
        Assert.Equal(HttpStatusCode.Created, run.StatusCode);
        var summary = await run.ReadNodeAsync();
        Assert.Equal("Initial", summary["kind"]!.GetValue<string>());
        Assert.True(summary["stable"]!.GetValue<bool>());
        Assert.Equal(3, summary["matched"]!.GetValue<int>());
        Assert.Equal("2026", summary["seed"]!.GetValue<string>());
        Assert.Equal(1, summary["rankDistribution"]!["byRank"]![0]!["rank"]!.GetValue<int>());

        await (await _factory.ClientAs(Student(5)).GetAsync($"/api/school/rounds/{round}/result/me")).AssertProblemAsync(HttpStatusCode.NotFound);
        var rerun = await (await _coordinator.PostAsJsonAsync($"/api/school/rounds/{round}/match", new { seed = 2026 })).ReadNodeAsync();
        Assert.Equal(summary["inputDigest"]!.GetValue<string>(), rerun["inputDigest"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await _coordinator.PostAsJsonAsync($"/api/school/rounds/{round}/runs/{summary["id"]}/publish", new { })).StatusCode);
        await (await _coordinator.PostAsJsonAsync($"/api/school/rounds/{round}/match", new { seed = 1 })).AssertProblemAsync(HttpStatusCode.Conflict);

        var senior = await ResultAsync(round, 5);
        Assert.Equal(cardiology, senior["offerId"]!.GetValue<Guid>());
        Assert.Equal("Cardiology", senior["offerTitle"]!.GetValue<string>());
        Assert.Equal(radiology, (await ResultAsync(round, 4))["offerId"]!.GetValue<Guid>());
        var junior = await ResultAsync(round, 3);
        Assert.Equal(practice, junior["offerId"]!.GetValue<Guid>());
        var why = junior["rankedAbove"]![0]!;
        Assert.Equal(cardiology, why["offerId"]!.GetValue<Guid>());
        Assert.Equal("Full", why["reason"]!.GetValue<string>());
        Assert.Contains("study year 6", why["detail"]!.GetValue<string>());
        Assert.Contains("study year 4", why["detail"]!.GetValue<string>());
        Assert.Contains("a lower lottery number is served first", why["detail"]!.GetValue<string>());

        var stored = await (await _coordinator.GetAsync($"/api/school/rounds/{round}/runs/{summary["id"]}")).ReadNodeAsync();
        Assert.Equal(summary["inputDigest"]!.GetValue<string>(), stored["summary"]!["inputDigest"]!.GetValue<string>());
        Assert.True(stored["certificate"]!["isStable"]!.GetValue<bool>());
        Assert.Contains(stored["assignments"]!.AsArray(), a => a!["studentName"]!.GetValue<string>() == "Student 005" && a["offerTitle"]!.GetValue<string>() == "Cardiology");
        var juniorWhy = stored["explanations"]!.AsArray().Single(e => e!["studentName"]!.GetValue<string>() == "Student 003")!;
        Assert.Equal(("Practice", "Cardiology"), (juniorWhy["assignedOfferTitle"]!.GetValue<string>(), juniorWhy["rankedAbove"]![0]!["offerTitle"]!.GetValue<string>()));
        var lottery = stored["explanations"]!.AsArray().SelectMany(e => e!["rankedAbove"]!.AsArray()).First(e => e!["studentPriority"] is not null)!["studentPriority"]!["lottery"]!;
        Assert.True(ulong.TryParse(lottery.GetValue<string>(), out _));

        var runs = await (await _coordinator.GetAsync($"/api/school/rounds/{round}/runs")).ReadNodeAsync();
        Assert.Equal(["Initial", "Initial", "Provisional"], runs.AsArray().Select(r => r!["kind"]!.GetValue<string>()));

        var late = await _factory.ClientAs(Student(3)).PutAsJsonAsync($"/api/school/rounds/{round}/preferences/me", new { offerIds = new[] { practice } });
        await late.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Published_assignments_go_to_the_hospitals_and_a_decline_is_rematched_moving_only_the_displaced_student()
    {
        var (cardiology, radiology, practice) = await PublishOffersAsync(practiceSeats: 3);
        var round = await CreateRoundAsync([cardiology, radiology, practice], maxRanks: 3);
        await RankAsync(round, 3, [cardiology, practice]);
        await RankAsync(round, 4, [cardiology, radiology, practice]);
        await RankAsync(round, 5, [cardiology, practice]);
        await RankAsync(round, 7, [practice]);
        await CloseWindowAsync(round);
        var run = await (await _coordinator.PostAsJsonAsync($"/api/school/rounds/{round}/match", new { seed = 9 })).ReadNodeAsync();

        var published = await _coordinator.PostAsJsonAsync($"/api/school/rounds/{round}/runs/{run["id"]}/publish", new { });
        Assert.Equal(4, (await published.ReadNodeAsync())["published"]!.GetValue<int>());
        await (await _coordinator.PostAsJsonAsync($"/api/school/rounds/{round}/runs/{run["id"]}/publish", new { })).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(
            _factory.Harness.Published.Snapshot<PlacementAssigned>().Count(m => m.Context.Message.RoundId == round) == 4), TimeSpan.FromSeconds(10)));

        var before = await AssignmentsAsync(round);
        var radiologyPlacement = before.Single(a => a.Offer == radiology);
        await _factory.Harness.Bus.Publish(new PlacementAssignmentDeclined(radiologyPlacement.Id, radiology, radiologyPlacement.Student, "The scanner is down for maintenance.", 2, DateTimeOffset.UtcNow));
        Assert.True(await Eventually.HoldsAsync(async () => (await AssignmentsAsync(round)).Any(a => a.Id == radiologyPlacement.Id && a.Status == "DeclinedByHospital"), TimeSpan.FromSeconds(10)));

        var rematch = await (await _coordinator.PostAsJsonAsync($"/api/school/rounds/{round}/rematch", new { seed = 10 })).ReadNodeAsync();
        Assert.Equal(1, rematch["newAssignments"]!.GetValue<int>());
        Assert.True(rematch["run"]!["stable"]!.GetValue<bool>());
        Assert.Equal("Rematch", rematch["run"]!["kind"]!.GetValue<string>());

        var after = await AssignmentsAsync(round);
        var moved = Assert.Single(after.Except(before), a => a.Status == "Pending");
        Assert.Equal((radiologyPlacement.Student, practice), (moved.Student, moved.Offer));
        Assert.All(before.Where(a => a.Id != radiologyPlacement.Id), a => Assert.Contains(a, after));
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(
            _factory.Harness.Published.Snapshot<PlacementAssigned>().Count(m => m.Context.Message.RoundId == round) == 5), TimeSpan.FromSeconds(10)));

        var mine = await _factory.ClientAs(Student(4)).GetAsync($"/api/school/rounds/{round}/assignment/me");
        Assert.Equal(practice, (await mine.ReadNodeAsync())["offerId"]!.GetValue<Guid>());

        var declined = await _factory.ClientAs(Student(7)).PostAsJsonAsync($"/api/school/rounds/{round}/assignment/me/decline", new { reason = "I am taking a research year." });
        Assert.Equal(HttpStatusCode.OK, declined.StatusCode);
        var given = await ResultAsync(round, 7);
        Assert.Null(given["offerId"]);
        Assert.Contains("You gave this placement up", given["note"]!.GetValue<string>());
        Assert.True(await _factory.Harness.Published.EventuallyAsync<PlacementDeclinedByStudent>(m => m.Context.Message.Reason.Contains("research year")));
        await (await _factory.ClientAs(Student(7)).PostAsJsonAsync($"/api/school/rounds/{round}/assignment/me/decline", new { reason = "again" })).AssertProblemAsync(HttpStatusCode.Conflict);
        await (await _factory.ClientAs(Student(8)).PostAsJsonAsync($"/api/school/rounds/{round}/assignment/me/decline", new { reason = "never assigned" })).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Confirmations_mentors_evaluations_and_hours_land_in_the_training_record_and_the_cohort_report()
    {
        var (_, _, practice) = await PublishOffersAsync(practiceSeats: 3);
        var round = await CreateRoundAsync([practice], maxRanks: 1);
        await RankAsync(round, 11, [practice]);
        await RankAsync(round, 12, [practice]);
        await CloseWindowAsync(round);
        var run = await (await _coordinator.PostAsJsonAsync($"/api/school/rounds/{round}/match", new { seed = 3 })).ReadNodeAsync();
        await _coordinator.PostAsJsonAsync($"/api/school/rounds/{round}/runs/{run["id"]}/publish", new { });
        var assignments = await AssignmentsAsync(round);
        var eleven = DemoDirectory.Student(11).Id;
        var twelve = DemoDirectory.Student(12).Id;
        var a11 = assignments.Single(a => a.Student == eleven).Id;
        var a12 = assignments.Single(a => a.Student == twelve).Id;
        var hospital = DemoDirectory.Hospitals[0];
        var mentor = DemoDirectory.FindUser("mentor1@st-marys.demo")!;

        foreach (var (assignment, student) in new[] { (a11, eleven), (a12, twelve) })
        {
            await _factory.Harness.Bus.Publish(new PlacementAssignmentConfirmed(assignment, practice, student, 2, DateTimeOffset.UtcNow));
        }

        Assert.True(await Eventually.HoldsAsync(async () => (await AssignmentsAsync(round)).All(a => a.Status == "Confirmed"), TimeSpan.FromSeconds(10)));
        // A reassignment (version 4) that overtakes the first assignment (version 3): the later one wins.
        var other = DemoDirectory.FindUser("mentor2@st-marys.demo")!;
        await _factory.Harness.Bus.Publish(new ClinicalMentorAssigned(a11, eleven, mentor.Id, mentor.DisplayName, 4, DateTimeOffset.UtcNow));
        Assert.True(await Eventually.HoldsAsync(async () => (await (await _coordinator.GetAsync($"/api/school/rounds/{round}/assignments")).ReadNodeAsync()).AsArray()
            .Any(a => a!["id"]!.GetValue<Guid>() == a11 && a["mentorName"]?.GetValue<string>() == mentor.DisplayName), TimeSpan.FromSeconds(10)));
        await _factory.Harness.Bus.Publish(new ClinicalMentorAssigned(a11, eleven, other.Id, other.DisplayName, 3, DateTimeOffset.UtcNow));
        Assert.True(await _factory.Harness.Consumed.EventuallyAsync<ClinicalMentorAssigned>(m => m.Context.Message.AssignmentId == a11 && m.Context.Message.Version == 3));
        await _factory.Harness.Bus.Publish(new EvaluationRecorded(Guid.NewGuid(), a11, eleven, hospital.Id, mentor.Id, mentor.DisplayName, "Final",
            new CompetencyScores(4, 4, 2, 3, 5, 5), 3, "Strong communicator; clinical reasoning needs work.", 1, DateTimeOffset.UtcNow));
        await _factory.Harness.Bus.Publish(new HoursReviewed(Guid.NewGuid(), a11, eleven, new DateOnly(2027, 2, 2), 7.5m, true, 2, DateTimeOffset.UtcNow));
        await _factory.Harness.Bus.Publish(new HoursReviewed(Guid.NewGuid(), a11, eleven, new DateOnly(2027, 2, 3), 4m, false, 2, DateTimeOffset.UtcNow));

        var studentClient = _factory.ClientAs(Student(11));
        System.Text.Json.Nodes.JsonNode? record = null;
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            record = await (await studentClient.GetAsync($"/api/school/students/{eleven}/record")).ReadNodeAsync();
            var placement = record["placements"]![0]!;
            return placement["evaluations"]!.AsArray().Count == 1 && placement["mentorName"]?.GetValue<string>() == mentor.DisplayName && placement["approvedHours"]!.GetValue<decimal>() == 7.5m;
        }, TimeSpan.FromSeconds(10)), record?.ToJsonString());
        Assert.Equal(2, record!["placements"]![0]!["evaluations"]![0]!["scores"]!["clinicalReasoning"]!.GetValue<int>());
        await (await _factory.ClientAs(Student(12)).GetAsync($"/api/school/students/{eleven}/record")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await _factory.ClientAs(TestAuth.StMarysCoordinator).GetAsync($"/api/school/students/{eleven}/record")).AssertProblemAsync(HttpStatusCode.Forbidden);

        var report = await (await _coordinator.GetAsync($"/api/school/reports/cohort?roundId={round}&threshold=3")).ReadNodeAsync();
        Assert.Equal(1, report["finalEvaluations"]!.GetValue<int>());
        var below = Assert.Single(report["belowThreshold"]!.AsArray());
        Assert.Equal(("clinical-reasoning", 2), (below!["competency"]!.GetValue<string>(), below["score"]!.GetValue<int>()));
        var completion = Assert.Single(report["hospitals"]!.AsArray())!;
        Assert.Equal((2, 1, 0.5), (completion["confirmedPlacements"]!.GetValue<int>(), completion["finalEvaluations"]!.GetValue<int>(), completion["completionRate"]!.GetValue<double>()));
        Assert.Equal([0, 1, 0, 0, 0], report["competencies"]!.AsArray().Single(c => c!["competency"]!.GetValue<string>() == "clinical-reasoning")!["distribution"]!.AsArray().Select(n => n!["evaluations"]!.GetValue<int>()));
        Assert.Equal([1, 2, 3, 4, 5], report["competencies"]![0]!["distribution"]!.AsArray().Select(n => n!["score"]!.GetValue<int>()));

        var csv = await _coordinator.GetAsync($"/api/school/reports/cohort?roundId={round}&format=csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var sections = (await csv.Content.ReadAsStringAsync()).Split("\r\n\r\n");
        Assert.Equal(4, sections.Length);
        var evaluations = sections[0].Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("StudentNumber,Student,Programme,StudyYear,Hospital,Placement,Mentor,HistoryTaking", evaluations[0]);
        Assert.Contains("NB00011", evaluations[1]);
        Assert.Equal(2, evaluations.Length);
        Assert.StartsWith("Competency,Score1,Score2,Score3,Score4,Score5,Mean", sections[1]);
        Assert.Contains("clinical-reasoning,0,1,0,0,0,2", sections[1]);
        Assert.StartsWith("BelowThresholdStudent,Competency,Score,Hospital", sections[2]);
        Assert.Contains("Student 011,clinical-reasoning,2,", sections[2]);
        Assert.StartsWith("Hospital,ConfirmedPlacements,FinalEvaluations,CompletionRate", sections[3]);
        await (await _coordinator.GetAsync($"/api/school/reports/cohort?roundId={Guid.NewGuid()}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _coordinator.GetAsync("/api/school/reports/cohort?threshold=9")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await studentClient.GetAsync("/api/school/reports/cohort")).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_hospital_ranking_of_its_applicants_decides_its_offer_instead_of_the_school_policy()
    {
        var (cardiology, _, practice) = await PublishOffersAsync();
        var round = await CreateRoundAsync([cardiology, practice], maxRanks: 2);
        await RankAsync(round, 3, [cardiology, practice]);
        await RankAsync(round, 5, [cardiology, practice]);
        await RankAsync(round, 4, [practice]);
        var stMarys = _factory.ClientAs(TestAuth.StMarysCoordinator);
        var junior = DemoDirectory.Student(3).Id;
        var senior = DemoDirectory.Student(5).Id;

        var applicants = await (await stMarys.GetAsync($"/api/school/rounds/{round}/offers/{cardiology}/applicants")).ReadNodeAsync();
        Assert.Equal(new[] { junior, senior }.Order(), applicants.AsArray().Select(a => a!["studentId"]!.GetValue<Guid>()).Order());
        Assert.All(applicants.AsArray(), a => Assert.Equal(["inYourRanking", "name", "programme", "studentId", "studyYear"], a!.AsObject().Select(p => p.Key).Order()));
        Assert.Equal(applicants.AsArray().Select(a => a!["name"]!.GetValue<string>()).Order(), applicants.AsArray().Select(a => a!["name"]!.GetValue<string>()));
        await (await _factory.ClientAs(TestAuth.RiversideCoordinator).GetAsync($"/api/school/rounds/{round}/offers/{cardiology}/applicants")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await _factory.ClientAs(Student(3)).GetAsync($"/api/school/rounds/{round}/offers/{cardiology}/applicants")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await stMarys.PutAsJsonAsync($"/api/school/rounds/{round}/offers/{cardiology}/ranking", new { studentIds = new[] { junior, junior } })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await stMarys.PutAsJsonAsync($"/api/school/rounds/{round}/offers/{cardiology}/ranking", new { studentIds = new[] { DemoDirectory.Student(4).Id } })).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(HttpStatusCode.OK, (await stMarys.PutAsJsonAsync($"/api/school/rounds/{round}/offers/{cardiology}/ranking", new { studentIds = new[] { junior, senior } })).StatusCode);
        var ownRanking = await (await stMarys.GetAsync($"/api/school/rounds/{round}/offers/{cardiology}/ranking")).ReadNodeAsync();
        Assert.Equal([junior, senior], ownRanking["studentIds"]!.AsArray().Select(n => n!.GetValue<Guid>()));
        await (await _factory.ClientAs("mentor1@st-marys.demo").PutAsJsonAsync($"/api/school/rounds/{round}/offers/{cardiology}/ranking", new { studentIds = new[] { senior } })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await CloseWindowAsync(round);
        await (await stMarys.PutAsJsonAsync($"/api/school/rounds/{round}/offers/{cardiology}/ranking", new { studentIds = new[] { senior } })).AssertProblemAsync(HttpStatusCode.Conflict);
        var run = await (await _coordinator.PostAsJsonAsync($"/api/school/rounds/{round}/match", new { seed = 4 })).ReadNodeAsync();
        await _coordinator.PostAsJsonAsync($"/api/school/rounds/{round}/runs/{run["id"]}/publish", new { });

        Assert.Equal(cardiology, (await ResultAsync(round, 3))["offerId"]!.GetValue<Guid>());
        var seniorResult = await ResultAsync(round, 5);
        Assert.Equal(practice, seniorResult["offerId"]!.GetValue<Guid>());
        var detail = seniorResult["rankedAbove"]![0]!["detail"]!.GetValue<string>();
        Assert.Contains("the hospital ranked higher than you", detail);
        Assert.DoesNotContain("number", detail);
    }

    [Fact]
    public async Task School_staff_grant_qualifications_that_make_a_student_eligible()
    {
        var (_, radiology, _) = await PublishOffersAsync();
        var round = await CreateRoundAsync([radiology], maxRanks: 1);
        var student = DemoDirectory.Student(15);
        await (await _factory.ClientAs(student.UserName).PutAsJsonAsync($"/api/school/rounds/{round}/preferences/me", new { offerIds = new[] { radiology } })).AssertProblemAsync(HttpStatusCode.BadRequest);

        await (await _factory.ClientAs(student.UserName).PutAsJsonAsync($"/api/school/students/{student.Id}/qualifications/mri-safety", new { expiresOn = "2030-01-01" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await _coordinator.PutAsJsonAsync($"/api/school/students/{student.Id}/qualifications/MRI safety!", new { expiresOn = "2030-01-01" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await _coordinator.PutAsJsonAsync($"/api/school/students/{Guid.NewGuid()}/qualifications/mri-safety", new { expiresOn = "2030-01-01" })).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await _coordinator.PutAsJsonAsync($"/api/school/students/{student.Id}/qualifications/mri-safety", new { expiresOn = "2030-01-01" })).StatusCode);

        await RankAsync(round, 15, [radiology]);
        var held = await (await _factory.ClientAs(student.UserName).GetAsync($"/api/school/students/{student.Id}/qualifications")).ReadNodeAsync();
        Assert.Contains(held.AsArray(), q => q!["code"]!.GetValue<string>() == "mri-safety");
    }

    [Fact]
    public async Task After_the_deadline_a_student_cannot_decline_but_the_coordinator_can_move_the_deadline_or_decline_for_them()
    {
        var (_, _, practice) = await PublishOffersAsync(practiceSeats: 2);
        var round = await CreateRoundAsync([practice], maxRanks: 1);
        await RankAsync(round, 9, [practice]);
        await RankAsync(round, 10, [practice]);
        await CloseWindowAsync(round);
        var run = await (await _coordinator.PostAsJsonAsync($"/api/school/rounds/{round}/match", new { seed = 1 })).ReadNodeAsync();
        var past = await _coordinator.PostAsJsonAsync($"/api/school/rounds/{round}/runs/{run["id"]}/publish", new { studentDeclineDeadline = _factory.Clock.GetUtcNow().AddMinutes(-1) });
        Assert.NotNull((await past.AssertProblemAsync(HttpStatusCode.BadRequest))["errors"]!["studentDeclineDeadline"]);
        Assert.Equal(HttpStatusCode.OK, (await _coordinator.PostAsJsonAsync($"/api/school/rounds/{round}/runs/{run["id"]}/publish", new { studentDeclineDeadline = _factory.Clock.GetUtcNow().AddHours(1) })).StatusCode);
        _factory.Clock.Advance(TimeSpan.FromHours(2));

        var response = await _factory.ClientAs(Student(9)).PostAsJsonAsync($"/api/school/rounds/{round}/assignment/me/decline", new { reason = "Too late now" });
        await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("Pending", (await (await _factory.ClientAs(Student(9)).GetAsync($"/api/school/rounds/{round}/assignment/me")).ReadNodeAsync())["status"]!.GetValue<string>());

        await (await _coordinator.PutAsJsonAsync($"/api/school/rounds/{round}/student-decline-deadline", new { studentDeclineDeadline = _factory.Clock.GetUtcNow().AddHours(-1) })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.OK, (await _coordinator.PutAsJsonAsync($"/api/school/rounds/{round}/student-decline-deadline", new { studentDeclineDeadline = _factory.Clock.GetUtcNow().AddDays(2) })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _factory.ClientAs(Student(9)).PostAsJsonAsync($"/api/school/rounds/{round}/assignment/me/decline", new { reason = "A family emergency." })).StatusCode);

        var ten = (await AssignmentsAsync(round)).Single(a => a.Student == DemoDirectory.Student(10).Id);
        await (await _factory.ClientAs(Student(10)).PostAsJsonAsync($"/api/school/rounds/{round}/assignments/{ten.Id}/decline", new { reason = "Students cannot use this" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        var declined = await _coordinator.PostAsJsonAsync($"/api/school/rounds/{round}/assignments/{ten.Id}/decline", new { reason = "The student is on sick leave." });
        Assert.Equal("DeclinedByStudent", (await declined.ReadNodeAsync())["status"]!.GetValue<string>());
        Assert.True(await _factory.Harness.Published.EventuallyAsync<PlacementDeclinedByStudent>(m => m.Context.Message.AssignmentId == ten.Id && m.Context.Message.Reason.Contains("sick leave")));
    }

    private sealed record AssignmentView(Guid Id, Guid Student, Guid Offer, string Status);

    private async Task<List<AssignmentView>> AssignmentsAsync(Guid round) =>
        (await (await _coordinator.GetAsync($"/api/school/rounds/{round}/assignments")).ReadNodeAsync()).AsArray()
            .Select(a => new AssignmentView(a!["id"]!.GetValue<Guid>(), a["studentId"]!.GetValue<Guid>(), a["offerId"]!.GetValue<Guid>(), a["status"]!.GetValue<string>()))
            .ToList();

    [Theory]
    [InlineData(6, "cardiology", "study year 4 or above")]
    [InlineData(3, "radiology", "mri-safety qualification is required")]
    [InlineData(8, "radiology", "mri-safety qualification expires on")]
    public async Task An_ineligible_choice_is_refused_naming_the_unmet_requirement_and_the_ranking_stays(int student, string offer, string requirement)
    {
        var (cardiology, radiology, practice) = await PublishOffersAsync();
        var round = await CreateRoundAsync([cardiology, radiology, practice], maxRanks: 3);
        await RankAsync(round, student, [practice]);
        var chosen = offer == "cardiology" ? cardiology : radiology;

        var response = await _factory.ClientAs(Student(student)).PutAsJsonAsync($"/api/school/rounds/{round}/preferences/me", new { offerIds = new[] { chosen, practice } });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(requirement, problem["errors"]!["offerIds[0]"]![0]!.GetValue<string>());
        var kept = await (await _factory.ClientAs(Student(student)).GetAsync($"/api/school/rounds/{round}/preferences/me")).ReadNodeAsync();
        Assert.Equal([practice], kept["offerIds"]!.AsArray().Select(n => n!.GetValue<Guid>()));
    }

    [Fact]
    public async Task A_student_reads_before_ranking_which_offers_they_may_rank_and_why_not_the_others()
    {
        var (cardiology, radiology, practice) = await PublishOffersAsync();
        var round = await CreateRoundAsync([cardiology, radiology, practice], maxRanks: 3);

        async Task<Dictionary<Guid, (bool Eligible, string? Reason)>> EligibilityAsync(int student) =>
            (await (await _factory.ClientAs(Student(student)).GetAsync($"/api/school/rounds/{round}/eligibility/me")).ReadNodeAsync()).AsArray()
                .ToDictionary(e => e!["offerId"]!.GetValue<Guid>(), e => (e!["eligible"]!.GetValue<bool>(), e["reason"]?.GetValue<string>()));

        var junior = await EligibilityAsync(3);
        Assert.Equal([cardiology, radiology, practice], junior.Keys);
        Assert.Equal((true, null), junior[practice]);
        Assert.Equal((true, null), junior[cardiology]);
        Assert.False(junior[radiology].Eligible);
        Assert.Contains("mri-safety qualification is required", junior[radiology].Reason);
        var first = await EligibilityAsync(6);
        Assert.False(first[cardiology].Eligible);
        Assert.Contains("study year 4 or above", first[cardiology].Reason);

        // The answer agrees with what a submitted ranking is told.
        var refused = await (await _factory.ClientAs(Student(3)).PutAsJsonAsync($"/api/school/rounds/{round}/preferences/me", new { offerIds = new[] { radiology } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(junior[radiology].Reason!, refused["errors"]!["offerIds[0]"]![0]!.GetValue<string>());

        await (await _factory.ClientAs(TestAuth.SchoolCoordinator).GetAsync($"/api/school/rounds/{round}/eligibility/me")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await _factory.ClientAs(Student(3)).GetAsync($"/api/school/rounds/{Guid.NewGuid()}/eligibility/me")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Ranking_an_offer_twice_an_unknown_offer_or_too_many_is_a_400_problem()
    {
        var (cardiology, radiology, practice) = await PublishOffersAsync();
        var round = await CreateRoundAsync([cardiology, practice], maxRanks: 2);
        var student = _factory.ClientAs(Student(5));
        var open = await (await student.GetAsync("/api/school/rounds?status=open")).ReadNodeAsync();
        Assert.Contains(open.AsArray(), r => r!["id"]!.GetValue<Guid>() == round && r["maxRanks"]!.GetValue<int>() == 2);
        await (await student.GetAsync("/api/school/rounds?status=finished")).AssertProblemAsync(HttpStatusCode.BadRequest);

        await (await student.PutAsJsonAsync($"/api/school/rounds/{round}/preferences/me", new { offerIds = new[] { practice, practice } })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await student.PutAsJsonAsync($"/api/school/rounds/{round}/preferences/me", new { offerIds = new[] { radiology } })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await student.PutAsJsonAsync($"/api/school/rounds/{round}/preferences/me", new { offerIds = new[] { Guid.NewGuid() } })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await student.PutAsJsonAsync($"/api/school/rounds/{round}/preferences/me", new { offerIds = new[] { cardiology, practice, radiology } })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await student.PutAsJsonAsync($"/api/school/rounds/{Guid.NewGuid()}/preferences/me", new { offerIds = new[] { practice } })).AssertProblemAsync(HttpStatusCode.NotFound);

        var preferences = await _factory.InScopeAsync<SchoolDbContext, int>(db => db.RoundPreferences.CountAsync(p => p.RoundId == round));
        Assert.Equal(0, preferences);
    }

    [Fact]
    public async Task Only_school_coordinators_open_rounds_and_run_matches_and_students_see_only_their_own_result()
    {
        var (cardiology, _, practice) = await PublishOffersAsync();
        var student = _factory.ClientAs(Student(5));
        var body = new { name = "Spring", offerIds = new[] { cardiology }, preferencesCloseAt = _factory.Clock.GetUtcNow().AddDays(7) };
        await (await student.PostAsJsonAsync("/api/school/rounds", body)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await _factory.ClientAs(TestAuth.StMarysCoordinator).PostAsJsonAsync("/api/school/rounds", body)).AssertProblemAsync(HttpStatusCode.Forbidden);

        var round = await CreateRoundAsync([cardiology, practice], maxRanks: 2);
        await (await student.PostAsJsonAsync($"/api/school/rounds/{round}/match", new { seed = 1 })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await _factory.ClientAs(TestAuth.SchoolCoordinator).PutAsJsonAsync($"/api/school/rounds/{round}/preferences/me", new { offerIds = new[] { practice } })).AssertProblemAsync(HttpStatusCode.Forbidden);

        var run = await (await _coordinator.PostAsJsonAsync($"/api/school/rounds/{round}/match", new { seed = 1 })).ReadNodeAsync();
        await (await student.GetAsync($"/api/school/rounds/{round}/runs/{run["id"]}")).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("""{"name":"x","offerIds":[],"preferencesCloseAt":"2030-01-01T00:00:00Z"}""")]
    [InlineData("""{"name":"Past round","offerIds":["00000000-0000-0000-0000-000000000001"],"preferencesCloseAt":"2020-01-01T00:00:00Z"}""")]
    [InlineData("""{"name":"Unknown offers","offerIds":["00000000-0000-0000-0000-000000000001"],"preferencesCloseAt":"2030-01-01T00:00:00Z"}""")]
    [InlineData("""{"name":"Too many ranks","offerIds":["00000000-0000-0000-0000-000000000001"],"preferencesCloseAt":"2030-01-01T00:00:00Z","maxRanks":99}""")]
    public async Task A_round_with_bad_terms_is_a_400_problem(string body)
    {
        await (await _coordinator.PostAsync("/api/school/rounds", Json.Raw(body))).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    private static int _period;

    /// <summary>Three offers in a month of their own: students keep what earlier tests placed them on, and may not hold two placements at once.</summary>
    private async Task<(Guid Cardiology, Guid Radiology, Guid Practice)> PublishOffersAsync(int practiceSeats = 2)
    {
        var hospital = DemoDirectory.Hospitals[0];
        var starts = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(2 + Interlocked.Increment(ref _period));
        PlacementOfferSnapshot Offer(string title, int seats, int year, string[] qualifications) =>
            new(Guid.CreateVersion7(), hospital.Id, hospital.Name, title, title.ToLowerInvariant(), title, starts, starts.AddDays(20), seats,
                new PlacementRequirements(year, qualifications, []));
        var offers = new[] { Offer("Cardiology", 1, 4, ["infection-control"]), Offer("Radiology", 1, 3, ["mri-safety"]), Offer("Practice", practiceSeats, 1, []) };
        foreach (var offer in offers)
        {
            await _factory.Harness.Bus.Publish(new PlacementOfferPublished(offer, 1, DateTimeOffset.UtcNow));
        }

        var ids = offers.Select(o => o.OfferId).ToList();
        Assert.True(await Eventually.HoldsAsync(
            () => _factory.InScopeAsync<SchoolDbContext, bool>(async db => await db.CatalogPlacements.CountAsync(p => ids.Contains(p.OfferId)) == 3),
            TimeSpan.FromSeconds(10)));
        return (ids[0], ids[1], ids[2]);
    }

    private Task CloseWindowAsync(Guid round) => _factory.CloseWindowAsync(round);

    private async Task<Guid> CreateRoundAsync(Guid[] offers, int maxRanks)
    {
        var response = await _coordinator.PostAsJsonAsync("/api/school/rounds", new { name = "Spring placements", offerIds = offers, preferencesCloseAt = _factory.Clock.GetUtcNow().AddDays(14), maxRanks });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadNodeAsync())["id"]!.GetValue<Guid>();
    }

    private Task RankAsync(Guid round, int student, Guid[] offers) => _factory.RankAsync(round, student, offers);

    private Task<JsonNode> ResultAsync(Guid round, int student) => _factory.ResultAsync(round, student);
}
