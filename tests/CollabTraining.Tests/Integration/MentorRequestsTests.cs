using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CollabTraining.Contracts.Projects;
using CollabTraining.Demo;
using CollabTraining.Hospitals;
using CollabTraining.Tests.Support;
using MassTransit;

namespace CollabTraining.Tests.Integration;

/// <summary>The school's mentor requests as a hospital's clinical mentors meet them: kept, answered once, within their capacity.</summary>
public sealed class MentorRequestsTests : IDisposable
{
    private const string Mentor1 = "mentor1@st-marys.demo";
    private const string Mentor2 = "mentor2@st-marys.demo";
    private static readonly DemoOrganisation StMarys = DemoDirectory.Hospitals[0];

    private readonly ServiceFactory<HospitalsApiMarker> _hospitals = new ServiceFactory<HospitalsApiMarker>().With("DueTasks:PollInterval", "00:00:00.100");

    public void Dispose() => _hospitals.Dispose();

    [Fact]
    public async Task The_mentor_named_sees_the_request_accepts_it_and_the_school_hears_it_while_nobody_else_may_answer()
    {
        var older = await RequestAsync(Mentor1, "Older project", occurredAt: _hospitals.Clock.GetUtcNow().AddMinutes(-5));
        var request = await RequestAsync(Mentor1, "Smart stethoscope");

        var mine = await MineAsync(Mentor1);
        Assert.Equal([request.RequestId, older.RequestId], mine.Select(r => r["id"]!.GetValue<Guid>()));
        Assert.Equal("Waiting", mine[0]["state"]!.GetValue<string>());
        Assert.Equal("Smart stethoscope", mine[0]["projectTitle"]!.GetValue<string>());

        // Their coordinator sees the hospital's requests; another hospital's coordinator and a student do not.
        Assert.Equal(2, (await (await _hospitals.ClientAs(TestAuth.StMarysCoordinator).GetAsync("/api/hospitals/mentor-requests")).ReadNodeAsync()).AsArray().Count);
        Assert.Empty((await (await _hospitals.ClientAs(TestAuth.RiversideCoordinator).GetAsync("/api/hospitals/mentor-requests")).ReadNodeAsync()).AsArray());
        await (await _hospitals.ClientAs(TestAuth.Student).GetAsync("/api/hospitals/mentor-requests")).AssertProblemAsync(HttpStatusCode.Forbidden);

        // Only the mentor named answers; anyone else changes nothing.
        await (await AcceptAsync(Mentor2, request.RequestId)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await AcceptAsync(TestAuth.StMarysCoordinator, request.RequestId)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await _hospitals.ClientAs(Mentor2).PostAsJsonAsync($"/api/hospitals/mentor-requests/{request.RequestId}/decline", new { reason = "Not me" }))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("Waiting", (await MineAsync(Mentor1))[0]["state"]!.GetValue<string>());

        var accepted = await AcceptAsync(Mentor1, request.RequestId);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        Assert.Equal("Accepted", (await accepted.ReadNodeAsync())["state"]!.GetValue<string>());
        Assert.True(await _hospitals.Harness.Published.EventuallyAsync<MentorRequestAnswered>(m =>
            m.Context.Message.RequestId == request.RequestId && m.Context.Message.Accepted && m.Context.Message.MentorUserId == request.MentorUserId));

        // An acceptance repeated is harmless (200, no second event); a change of mind is refused.
        Assert.Equal(HttpStatusCode.OK, (await AcceptAsync(Mentor1, request.RequestId)).StatusCode);
        var changed = await (await _hospitals.ClientAs(Mentor1).PostAsJsonAsync($"/api/hospitals/mentor-requests/{request.RequestId}/decline", new { reason = "Changed my mind" }))
            .AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("already-answered", changed["reason"]!.GetValue<string>());
        await _hospitals.OutboxDrainedAsync();
        Assert.Single(_hospitals.Harness.Published.Snapshot<MentorRequestAnswered>(), m => m.Context.Message.RequestId == request.RequestId);
    }

    [Fact]
    public async Task After_the_deadline_an_answer_is_refused_and_the_school_hears_the_request_expired()
    {
        var request = await RequestAsync(Mentor1, "Late answer", answerBy: _hospitals.Clock.GetUtcNow().AddHours(1));
        _hospitals.Clock.Advance(TimeSpan.FromHours(2));

        var refused = await (await AcceptAsync(Mentor1, request.RequestId)).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("deadline-passed", refused["reason"]!.GetValue<string>());
        Assert.True(await _hospitals.Harness.Published.EventuallyAsync<MentorRequestAnswered>(m =>
            m.Context.Message.RequestId == request.RequestId && !m.Context.Message.Accepted && m.Context.Message.Reason!.Contains("deadline")));
        Assert.DoesNotContain(_hospitals.Harness.Published.Snapshot<MentorRequestAnswered>(), m => m.Context.Message.RequestId == request.RequestId && m.Context.Message.Accepted);
        Assert.Equal("Expired", (await MineAsync(Mentor1)).Single()["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_mentor_takes_no_more_projects_than_their_capacity()
    {
        await SetCapacityAsync(Mentor2, 1);
        var first = await RequestAsync(Mentor2, "First");
        var second = await RequestAsync(Mentor2, "Second");

        Assert.Equal(HttpStatusCode.OK, (await AcceptAsync(Mentor2, first.RequestId)).StatusCode);
        var refused = await (await AcceptAsync(Mentor2, second.RequestId)).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("mentor-over-committed", refused["reason"]!.GetValue<string>());
        Assert.Equal("Waiting", (await MineAsync(Mentor2)).Single(r => r["id"]!.GetValue<Guid>() == second.RequestId)["state"]!.GetValue<string>());

        // Declining is still theirs to do, and a closed project releases the accepted place (kept on the record as released).
        Assert.Equal(HttpStatusCode.OK, (await _hospitals.ClientAs(Mentor2).PostAsJsonAsync($"/api/hospitals/mentor-requests/{second.RequestId}/decline", new { reason = "Full this term" })).StatusCode);
        var third = await RequestAsync(Mentor2, "Third");
        await _hospitals.Harness.Bus.Publish(new MentorRequestWithdrawn(first.RequestId, first.ProjectId, ProjectParties.Hospitals, first.MentorUserId, "Project cancelled", 2, DateTimeOffset.UtcNow));
        Assert.True(await Eventually.HoldsAsync(async () => (await MineAsync(Mentor2)).Any(r => r["id"]!.GetValue<Guid>() == first.RequestId && r["state"]!.GetValue<string>() == "Released"), TimeSpan.FromSeconds(10)));
        Assert.Equal(HttpStatusCode.OK, (await AcceptAsync(Mentor2, third.RequestId)).StatusCode);

        // A decline keeps its words when the project is withdrawn afterwards.
        await PublishAndWaitAsync(new MentorRequestWithdrawn(second.RequestId, second.ProjectId, ProjectParties.Hospitals, second.MentorUserId, "Project cancelled", 10, DateTimeOffset.UtcNow));
        var declined = (await MineAsync(Mentor2)).Single(r => r["id"]!.GetValue<Guid>() == second.RequestId);
        Assert.Equal(("Declined", "Full this term"), (declined["state"]!.GetValue<string>(), declined["reason"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Of_many_acceptances_at_once_for_the_last_place_exactly_one_wins_even_across_two_instances()
    {
        using var second = new ServiceFactory<HospitalsApiMarker>().With("Database:DataDirectory", _hospitals.DataDirectory);
        _ = second.CreateClient();
        await SetCapacityAsync(Mentor2, 1);
        var waiting = new List<MentorRequested>();
        for (var i = 0; i < 14; i++)
        {
            waiting.Add(await RequestAsync(Mentor2, $"Project {i}"));
        }

        // Six rounds: every waiting request accepted at once, over both instances; the winner's project is then
        // withdrawn, which frees the place for the next round.
        for (var round = 0; round < 6; round++)
        {
            var answers = await Task.WhenAll(waiting.Select((r, i) => (i % 2 == 0 ? _hospitals : second).ClientAs(Mentor2).PostAsync($"/api/hospitals/mentor-requests/{r.RequestId}/accept", null)));
            Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
            foreach (var loser in answers.Where(a => a.StatusCode != HttpStatusCode.OK))
            {
                Assert.Equal("mentor-over-committed", (await loser.AssertProblemAsync(HttpStatusCode.Conflict))["reason"]!.GetValue<string>());
            }

            Assert.Single(await MineAsync(Mentor2), r => r["state"]!.GetValue<string>() == "Accepted");
            var winner = waiting[Array.FindIndex(answers, a => a.StatusCode == HttpStatusCode.OK)];
            await PublishAndWaitAsync(new MentorRequestWithdrawn(winner.RequestId, winner.ProjectId, ProjectParties.Hospitals, winner.MentorUserId, "Project cancelled", 2, DateTimeOffset.UtcNow));
            waiting.Remove(winner);
        }
    }

    [Fact]
    public async Task A_request_for_someone_who_is_not_an_active_mentor_here_is_declined_at_once()
    {
        var stranger = Guid.NewGuid();
        var request = await PublishAsync(new MentorRequested(Guid.NewGuid(), Guid.NewGuid(), "Nobody's project", MentorRoles.Clinical, ProjectParties.Hospitals,
            stranger, "Dr Nobody", StMarys.Id, _hospitals.Clock.GetUtcNow().AddDays(7), 1, DateTimeOffset.UtcNow));
        Assert.True(await _hospitals.Harness.Published.EventuallyAsync<MentorRequestAnswered>(m => m.Context.Message.RequestId == request.RequestId
            && !m.Context.Message.Accepted && m.Context.Message.Reason == $"Dr Nobody is not an active mentor of {StMarys.Name}."));

        // A retired mentor is no longer asked either; an engineering request is not a hospital's to answer.
        var retired = TestAuth.User(Mentor1);
        await (await _hospitals.ClientAs(TestAuth.StMarysCoordinator).DeleteAsync($"/api/hospitals/mentors/{retired.Id}")).Content.ReadAsStringAsync();
        var toRetired = await RequestAsync(Mentor1, "To a retired mentor");
        var engineering = await RequestAsync(Mentor2, "Wrong role", role: MentorRoles.Engineering);
        foreach (var declined in new[] { toRetired, engineering })
        {
            Assert.True(await _hospitals.Harness.Published.EventuallyAsync<MentorRequestAnswered>(m => m.Context.Message.RequestId == declined.RequestId && !m.Context.Message.Accepted));
        }

        var refused = await (await AcceptAsync(Mentor1, toRetired.RequestId)).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("already-answered", refused["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_withdrawn_request_can_no_longer_be_answered_and_one_withdrawn_before_it_arrived_is_never_kept()
    {
        var request = await RequestAsync(Mentor1, "Cancelled project");
        await _hospitals.Harness.Bus.Publish(new MentorRequestWithdrawn(request.RequestId, request.ProjectId, ProjectParties.Hospitals, request.MentorUserId, "Project cancelled", 2, DateTimeOffset.UtcNow));
        Assert.True(await Eventually.HoldsAsync(async () => (await MineAsync(Mentor1)).Single()["state"]!.GetValue<string>() == "Withdrawn", TimeSpan.FromSeconds(10)));
        var refused = await (await AcceptAsync(Mentor1, request.RequestId)).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("withdrawn", refused["reason"]!.GetValue<string>());

        var early = Guid.NewGuid();
        var project = Guid.NewGuid();
        var mentor = TestAuth.User(Mentor1).Id;
        await PublishAndWaitAsync(new MentorRequestWithdrawn(early, project, ProjectParties.Hospitals, mentor, "Deadline passed", 2, DateTimeOffset.UtcNow));
        await PublishAsync(new MentorRequested(early, project, "Overtaken", MentorRoles.Clinical, ProjectParties.Hospitals, mentor, "Mentor 1", StMarys.Id,
            _hospitals.Clock.GetUtcNow().AddDays(7), 1, DateTimeOffset.UtcNow));
        Assert.DoesNotContain(await MineAsync(Mentor1), r => r["id"]!.GetValue<Guid>() == early);
        await (await AcceptAsync(Mentor1, early)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Requests_for_other_services_are_ignored_and_bad_answers_are_400_problems()
    {
        var elsewhere = await PublishAsync(new MentorRequested(Guid.NewGuid(), Guid.NewGuid(), "For research", MentorRoles.Clinical, ProjectParties.Research,
            TestAuth.User(Mentor1).Id, "Mentor 1", StMarys.Id, _hospitals.Clock.GetUtcNow().AddDays(7), 1, DateTimeOffset.UtcNow));
        Assert.Empty(await MineAsync(Mentor1));
        await (await AcceptAsync(Mentor1, elsewhere.RequestId)).AssertProblemAsync(HttpStatusCode.NotFound);

        var request = await RequestAsync(Mentor1, "Bad answers");
        var client = _hospitals.ClientAs(Mentor1);
        foreach (var body in new[] { "{}", """{"reason":""}""", """{"reason":"x"}""", """{"reason":"bad\u0000text"}""", "{\"reason\":", "" })
        {
            await (await client.PostAsync($"/api/hospitals/mentor-requests/{request.RequestId}/decline", Json.Raw(body))).AssertProblemAsync(HttpStatusCode.BadRequest);
        }

        await (await _hospitals.ClientAs(TestAuth.StMarysCoordinator).GetAsync("/api/hospitals/mentor-requests?state=sleeping")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Waiting", (await MineAsync(Mentor1)).Single()["state"]!.GetValue<string>());
    }

    [Fact]
    public async Task At_the_school_a_teacher_answers_as_a_clinical_mentor_within_the_configured_capacity()
    {
        using var school = new ServiceFactory<School.SchoolApiMarker>().With("Projects:TeacherProjectCapacity", "1");
        var teacher = TestAuth.User("teacher@northbridge.demo");
        var requests = new[] { Guid.NewGuid(), Guid.NewGuid() };
        foreach (var id in requests)
        {
            await school.Harness.Bus.Publish(new MentorRequested(id, Guid.NewGuid(), "School project", MentorRoles.Clinical, ProjectParties.School, teacher.Id,
                teacher.DisplayName, DemoDirectory.School.Id, school.Clock.GetUtcNow().AddDays(7), 1, DateTimeOffset.UtcNow));
        }

        Assert.True(await Eventually.HoldsAsync(async () => (await (await school.ClientAs(teacher.UserName).GetAsync("/api/school/mentor-requests/mine")).ReadNodeAsync()).AsArray().Count == 2,
            TimeSpan.FromSeconds(10)));
        await (await school.ClientAs(TestAuth.SchoolCoordinator).PostAsync($"/api/school/mentor-requests/{requests[0]}/accept", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await school.ClientAs(teacher.UserName).PostAsync($"/api/school/mentor-requests/{requests[0]}/accept", null)).StatusCode);
        var over = await (await school.ClientAs(teacher.UserName).PostAsync($"/api/school/mentor-requests/{requests[1]}/accept", null)).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("mentor-over-committed", over["reason"]!.GetValue<string>());
        Assert.True(await school.Harness.Published.EventuallyAsync<MentorRequestAnswered>(m => m.Context.Message.RequestId == requests[0] && m.Context.Message.Accepted));
    }

    private async Task SetCapacityAsync(string mentorUserName, int capacity)
    {
        var mentor = TestAuth.User(mentorUserName);
        var coordinator = _hospitals.ClientAs(TestAuth.StMarysCoordinator);
        Assert.Equal(HttpStatusCode.OK, (await coordinator.DeleteAsync($"/api/hospitals/mentors/{mentor.Id}")).StatusCode);
        var registered = await coordinator.PostAsJsonAsync("/api/hospitals/mentors", new { userId = mentor.Id, name = mentor.DisplayName, projectCapacity = capacity });
        Assert.Equal(HttpStatusCode.OK, registered.StatusCode);
        Assert.Equal(capacity, (await registered.ReadNodeAsync())["projectCapacity"]!.GetValue<int>());
    }

    private Task<MentorRequested> RequestAsync(string mentorUserName, string title, DateTimeOffset? answerBy = null, DateTimeOffset? occurredAt = null, string role = MentorRoles.Clinical)
    {
        var mentor = TestAuth.User(mentorUserName);
        return PublishAsync(new MentorRequested(Guid.NewGuid(), Guid.NewGuid(), title, role, ProjectParties.Hospitals, mentor.Id, mentor.DisplayName,
            mentor.Organisation.Id, answerBy ?? _hospitals.Clock.GetUtcNow().AddDays(7), 1, occurredAt ?? _hospitals.Clock.GetUtcNow()));
    }

    private async Task<MentorRequested> PublishAsync(MentorRequested request)
    {
        await PublishAndWaitAsync(request);
        return request;
    }

    /// <summary>Publishes and waits until the consumer's transaction committed (its inbox key is saved with its changes).</summary>
    private Task PublishAndWaitAsync<T>(T message)
        where T : class => _hospitals.PublishAndWaitAsync(message);

    private Task<HttpResponseMessage> AcceptAsync(string userName, Guid requestId) =>
        _hospitals.ClientAs(userName).PostAsync($"/api/hospitals/mentor-requests/{requestId}/accept", null);

    private async Task<List<JsonNode>> MineAsync(string userName) =>
        (await (await _hospitals.ClientAs(userName).GetAsync("/api/hospitals/mentor-requests/mine")).ReadNodeAsync()).AsArray().Select(n => n!).ToList();
}
