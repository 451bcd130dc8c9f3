using System.Net;
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

public sealed class HospitalAssignmentsTests(ServiceFactory<HospitalsApiMarker> factory) : IClassFixture<ServiceFactory<HospitalsApiMarker>>
{
    private static readonly DemoOrganisation StMarys = DemoDirectory.Hospitals[0];
    private readonly HttpClient _coordinator = factory.ClientAs(TestAuth.StMarysCoordinator);

    [Fact]
    public async Task The_hospital_sees_its_assignments_confirms_one_declines_one_with_a_reason_and_assigns_a_mentor()
    {
        var offer = await CreateOfferAsync(seats: 3);
        var first = await AssignAsync(offer, "Student A");
        var second = await AssignAsync(offer, "Student B");

        var listed = await (await _coordinator.GetAsync($"/api/hospitals/assignments?offerId={offer}")).ReadNodeAsync();
        Assert.Equal(["Student A", "Student B"], listed.AsArray().Select(a => a!["studentName"]!.GetValue<string>()));
        Assert.Empty((await (await factory.ClientAs(TestAuth.RiversideCoordinator).GetAsync($"/api/hospitals/assignments?offerId={offer}")).ReadNodeAsync()).AsArray());

        Assert.Equal(HttpStatusCode.OK, (await _coordinator.PostAsync($"/api/hospitals/assignments/{first}/confirm", null)).StatusCode);
        await (await _coordinator.PostAsJsonAsync($"/api/hospitals/assignments/{second}/decline", new { })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(HttpStatusCode.OK, (await _coordinator.PostAsJsonAsync($"/api/hospitals/assignments/{second}/decline", new { reason = "The ward closes for refurbishment that week." })).StatusCode);

        Assert.True(await factory.Harness.Published.EventuallyAsync<PlacementAssignmentConfirmed>(m => m.Context.Message.AssignmentId == first));
        Assert.True(await factory.Harness.Published.EventuallyAsync<PlacementAssignmentDeclined>(m => m.Context.Message.AssignmentId == second && m.Context.Message.Reason.Contains("refurbishment")));

        var mentor = DemoDirectory.FindUser("mentor1@st-marys.demo")!;
        var otherMentor = DemoDirectory.FindUser("mentor1@riverside.demo")!;
        await (await _coordinator.PutAsJsonAsync($"/api/hospitals/assignments/{first}/mentor", new { mentorId = otherMentor.Id })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await _coordinator.PutAsJsonAsync($"/api/hospitals/assignments/{second}/mentor", new { mentorId = mentor.Id })).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.OK, (await _coordinator.PutAsJsonAsync($"/api/hospitals/assignments/{first}/mentor", new { mentorId = mentor.Id })).StatusCode);
        Assert.True(await factory.Harness.Published.EventuallyAsync<ClinicalMentorAssigned>(m => m.Context.Message.AssignmentId == first && m.Context.Message.MentorId == mentor.Id));

        await (await factory.ClientAs("mentor1@st-marys.demo").PostAsJsonAsync($"/api/hospitals/assignments/{first}/decline", new { reason = "A mentor cannot decide this." }))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        var mentorView = await (await factory.ClientAs("mentor1@st-marys.demo").GetAsync("/api/hospitals/assignments")).ReadNodeAsync();
        Assert.Equal([first], mentorView.AsArray().Select(a => a!["id"]!.GetValue<Guid>()));
        Assert.Empty((await (await factory.ClientAs("mentor2@st-marys.demo").GetAsync("/api/hospitals/assignments")).ReadNodeAsync()).AsArray());
    }

    [Fact]
    public async Task Another_hospital_can_neither_confirm_nor_decline_and_a_confirmed_assignment_cannot_be_confirmed_again()
    {
        var offer = await CreateOfferAsync(seats: 1);
        var assignment = await AssignAsync(offer, "Student C");
        var riverside = factory.ClientAs(TestAuth.RiversideCoordinator);

        await (await riverside.PostAsync($"/api/hospitals/assignments/{assignment}/confirm", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await riverside.PostAsJsonAsync($"/api/hospitals/assignments/{assignment}/decline", new { reason = "Not ours to decide" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await _coordinator.PostAsync($"/api/hospitals/assignments/{Guid.NewGuid()}/confirm", null)).AssertProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(HttpStatusCode.OK, (await _coordinator.PostAsync($"/api/hospitals/assignments/{assignment}/confirm", null)).StatusCode);
        await (await _coordinator.PostAsync($"/api/hospitals/assignments/{assignment}/confirm", null)).AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Reducing_seats_declines_the_newest_pending_assignments_but_never_below_the_confirmed_students()
    {
        var offer = await CreateOfferAsync(seats: 3);
        var confirmed = await AssignAsync(offer, "Confirmed student");
        await _coordinator.PostAsync($"/api/hospitals/assignments/{confirmed}/confirm", null);
        var older = await AssignAsync(offer, "Older pending");
        var newer = await AssignAsync(offer, "Newer pending");

        var reduced = await _coordinator.PutAsJsonAsync($"/api/hospitals/placement-offers/{offer}", OfferRequests.Valid("Seats reduced", seats: 2));
        Assert.Equal(HttpStatusCode.OK, reduced.StatusCode);
        Assert.True(await factory.Harness.Published.EventuallyAsync<PlacementAssignmentDeclined>(m => m.Context.Message.AssignmentId == newer && m.Context.Message.Reason.Contains("from 3 to 2")));
        var statuses = await factory.InScopeAsync<HospitalsDbContext, Dictionary<Guid, string>>(async db =>
            await db.Assignments.Where(a => a.OfferId == offer).ToDictionaryAsync(a => a.Id, a => a.Status.ToString()));
        Assert.Equal("Confirmed", statuses[confirmed]);
        Assert.Equal("Pending", statuses[older]);
        Assert.Equal("DeclinedByHospital", statuses[newer]);

        await _coordinator.PostAsync($"/api/hospitals/assignments/{older}/confirm", null);
        await (await _coordinator.PutAsJsonAsync($"/api/hospitals/placement-offers/{offer}", OfferRequests.Valid("Too few", seats: 1)))
            .AssertProblemAsync(HttpStatusCode.Conflict);
        var seats = await factory.InScopeAsync<HospitalsDbContext, int>(db => db.PlacementOffers.Where(o => o.Id == offer).Select(o => o.Seats).SingleAsync());
        Assert.Equal(2, seats);
    }

    [Fact]
    public async Task Only_the_assigned_mentor_evaluates_scores_are_checked_and_reviewed_hours_are_published()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var offer = await CreateOfferAsync(seats: 2, startsOn: today, endsOn: today.AddDays(3));
        var studentUser = DemoDirectory.Student(42);
        var assignment = await AssignAsync(offer, studentUser.DisplayName, studentUser.Id);
        var mentor = DemoDirectory.FindUser("mentor1@st-marys.demo")!;
        await _coordinator.PostAsync($"/api/hospitals/assignments/{assignment}/confirm", null);
        await _coordinator.PutAsJsonAsync($"/api/hospitals/assignments/{assignment}/mentor", new { mentorId = mentor.Id });
        var mentorClient = factory.ClientAs(mentor.UserName);
        object Evaluation(string kind, int score = 4) => new
        {
            kind,
            scores = new { historyTaking = score, physicalExamination = 4, clinicalReasoning = 3, proceduralSkills = 4, communication = 5, professionalism = 5 },
            entrustment = 3,
            narrative = "Takes a focused history and presents clearly on ward rounds.",
        };

        await (await mentorClient.PostAsJsonAsync($"/api/hospitals/assignments/{assignment}/evaluations", Evaluation("Mid", score: 6))).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await mentorClient.PostAsJsonAsync($"/api/hospitals/assignments/{assignment}/evaluations", Evaluation("Halfway"))).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await factory.ClientAs("mentor2@st-marys.demo").PostAsJsonAsync($"/api/hospitals/assignments/{assignment}/evaluations", Evaluation("Mid"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await factory.ClientAs("mentor1@riverside.demo").PostAsJsonAsync($"/api/hospitals/assignments/{assignment}/evaluations", Evaluation("Mid"))).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(0, await factory.InScopeAsync<HospitalsDbContext, int>(db => db.Evaluations.CountAsync(e => e.AssignmentId == assignment)));

        Assert.Equal(HttpStatusCode.Created, (await mentorClient.PostAsJsonAsync($"/api/hospitals/assignments/{assignment}/evaluations", Evaluation("Mid"))).StatusCode);
        await (await mentorClient.PostAsJsonAsync($"/api/hospitals/assignments/{assignment}/evaluations", Evaluation("mid"))).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.True(await factory.Harness.Published.EventuallyAsync<EvaluationRecorded>(m => m.Context.Message.AssignmentId == assignment && m.Context.Message.Kind == "Mid"));

        var student = factory.ClientAs(studentUser.UserName);
        var logged = await student.PostAsJsonAsync($"/api/hospitals/assignments/{assignment}/hours/me", new { date = today, hours = 7.5, activity = "Ward round and admissions" });
        Assert.Equal(HttpStatusCode.Created, logged.StatusCode);
        await (await student.PostAsJsonAsync($"/api/hospitals/assignments/{assignment}/hours/me", new { date = today, hours = 30, activity = "Too long a day" })).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await factory.ClientAs(TestAuth.Student).PostAsJsonAsync($"/api/hospitals/assignments/{assignment}/hours/me", new { date = today, hours = 2, activity = "Not my placement" })).AssertProblemAsync(HttpStatusCode.Forbidden);

        var logId = (await logged.ReadNodeAsync())["id"]!.GetValue<Guid>();
        await (await factory.ClientAs("mentor2@st-marys.demo").GetAsync($"/api/hospitals/assignments/{assignment}/hours")).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Single((await (await mentorClient.GetAsync($"/api/hospitals/assignments/{assignment}/hours")).ReadNodeAsync()).AsArray());
        await (await factory.ClientAs("mentor2@st-marys.demo").PostAsync($"/api/hospitals/hours/{logId}/approve", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await mentorClient.PostAsync($"/api/hospitals/hours/{logId}/approve", null)).StatusCode);
        await (await mentorClient.PostAsJsonAsync($"/api/hospitals/hours/{logId}/reject", new { note = "Already approved, so this must fail." })).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.True(await factory.Harness.Published.EventuallyAsync<HoursReviewed>(m => m.Context.Message.LogId == logId && m.Context.Message.Approved));
    }

    private async Task<Guid> CreateOfferAsync(int seats, DateOnly? startsOn = null, DateOnly? endsOn = null)
    {
        var response = await _coordinator.PostAsJsonAsync("/api/hospitals/placement-offers", OfferRequests.Valid("Assignments ward", seats, startsOn: startsOn, endsOn: endsOn));
        return (await response.ReadNodeAsync())["id"]!.GetValue<Guid>();
    }

    private async Task<Guid> AssignAsync(Guid offer, string studentName, Guid? studentId = null)
    {
        var assignment = Guid.CreateVersion7();
        await factory.Harness.Bus.Publish(new PlacementAssigned(assignment, Guid.NewGuid(), offer, StMarys.Id, studentId ?? Guid.NewGuid(), studentName, 5, "medicine", 1, 1, DateTimeOffset.UtcNow));
        Assert.True(await Eventually.HoldsAsync(
            () => factory.InScopeAsync<HospitalsDbContext, bool>(db => db.Assignments.AnyAsync(a => a.Id == assignment)), TimeSpan.FromSeconds(10)));
        factory.Clock.Advance(TimeSpan.FromMilliseconds(1)); // assignments arrive in order: the next one is newer
        return assignment;
    }
}
