using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CollabTraining.Contracts.Projects;
using CollabTraining.Contracts.Sharing;
using CollabTraining.Demo;
using CollabTraining.Messaging.Scheduling;
using CollabTraining.School.Data;
using CollabTraining.School.Notifications;
using CollabTraining.School.Projects;
using CollabTraining.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Tests.Integration;

/// <summary>
/// Innovation projects at the school, with the mentors' organisations and the resource owners played by the
/// test through the harness: team and mentor rules refused with a named reason, approval only after both
/// mentors accepted, deadlines, and bundles that book everything or release everything.
/// </summary>
public sealed class ProjectsTests(SchoolCohortFactory factory) : IClassFixture<SchoolCohortFactory>
{
    private static readonly DemoOrganisation Enterprise = DemoDirectory.Enterprises[0];
    private static readonly DemoOrganisation Institute = DemoDirectory.Institutes[0];
    private readonly HttpClient _coordinator = factory.Coordinator;

    [Fact]
    public async Task A_team_from_one_programme_too_small_or_too_large_or_with_an_unknown_student_is_refused_naming_why_and_nothing_is_created()
    {
        var (medicine, other) = await StudentsByProgrammeAsync();
        var before = await CountAsync<Project>();

        var single = await (await Propose(medicine.Take(3))).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("single-programme", single["reason"]!.GetValue<string>());
        Assert.Equal("team-size", (await (await Propose(medicine.Take(1))).AssertProblemAsync(HttpStatusCode.Conflict))["reason"]!.GetValue<string>());
        Assert.Equal("team-size", (await (await Propose(medicine.Take(4).Concat(other.Take(3)))).AssertProblemAsync(HttpStatusCode.Conflict))["reason"]!.GetValue<string>());
        var unknown = await (await Propose([medicine[0], Guid.NewGuid()])).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(unknown["errors"]!["studentIds[1]"]);
        await (await Propose([medicine[0], medicine[0], other[0]])).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await factory.ClientAs(TestAuth.Student).PostAsJsonAsync("/api/school/projects", new { title = "Mine", theme = "x", studentIds = new[] { medicine[0], other[0] } }))
            .AssertProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal(before, await CountAsync<Project>());
        Assert.Equal(HttpStatusCode.Created, (await Propose([medicine[0], other[0]])).StatusCode);
    }

    [Fact]
    public async Task A_third_mentor_an_over_committed_mentor_and_approval_before_both_accept_are_refused_by_name()
    {
        var mentor = await PublishMentorAsync(capacity: 1);
        var project = await ProposeAsync();
        var engineering = await AskEngineeringAsync(project, mentor.MentorId);
        var clinical = await AskClinicalAsync(project);

        // A third mentor: the clinical role is taken while its request waits.
        var third = await (await _coordinator.PostAsJsonAsync($"/api/school/projects/{project}/mentors",
            new { role = "clinical", mentorUserId = Guid.NewGuid(), service = "school", name = "Another Teacher" })).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("mentor-role-taken", third["reason"]!.GetValue<string>());

        // Over-committed: the mentor offers one project and already has this one (waiting counts).
        var other = await ProposeAsync();
        var over = await (await _coordinator.PostAsJsonAsync($"/api/school/projects/{other}/mentors", new { role = "engineering", mentorUserId = mentor.MentorId }))
            .AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("mentor-over-committed", over["reason"]!.GetValue<string>());

        // Approval before both accept, then after only one accepted.
        var early = await (await Approve(project)).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("mentors-not-accepted", early["reason"]!.GetValue<string>());
        await AnswerAsync(project, engineering, accepted: true);
        var half = await (await Approve(project)).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("clinical mentor", half["detail"]!.GetValue<string>());
        Assert.Equal("proposed", (await GetAsync(project))["status"]!.GetValue<string>());

        await AnswerAsync(project, clinical, accepted: true);
        var approved = await (await Approve(project)).ReadNodeAsync();
        Assert.Equal("approved", approved["status"]!.GetValue<string>());
        Assert.Equal(200, approved["budget"]!["gpuHours"]!["remaining"]!.GetValue<double>());
        Assert.Single(approved["milestones"]!.AsArray());

        // The request reached the mentor's organisation as an event, and the mentor was told.
        await factory.OutboxDrainedAsync();
        var requested = Assert.Single(factory.Harness.Published.Snapshot<MentorRequested>(), p => p.Context.Message.RequestId == engineering).Context.Message;
        Assert.Equal((ResourceOwners.Enterprises, Enterprise.Id, project), (requested.Service, requested.OrganisationId, requested.ProjectId));
        Assert.True(await factory.InScopeAsync<SchoolDbContext, bool>(db => db.Set<Notification>().AnyAsync(n => n.UserId == mentor.MentorId && n.Kind == "mentor-request")));
    }

    [Fact]
    public async Task A_request_unanswered_at_its_deadline_expires_and_is_withdrawn_and_a_late_answer_changes_nothing()
    {
        var project = await ProposeAsync();
        var clinical = await AskClinicalAsync(project, answerWithinDays: 1);
        factory.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));

        // Whichever notices first — the school's deadline task, or the teacher's side refusing the late request — the request expires.
        Assert.True(await Eventually.HoldsAsync(async () => Mentor(await GetAsync(project), clinical)["answer"]!.GetValue<string>() == "expired", TimeSpan.FromSeconds(15)));
        await factory.PublishAndWaitAsync(new MentorRequestAnswered(clinical, project, Guid.Empty, true, null, 2, factory.Clock.GetUtcNow()));
        Assert.Equal("expired", Mentor(await GetAsync(project), clinical)["answer"]!.GetValue<string>());

        // Another clinical mentor may be asked now.
        Assert.Equal(HttpStatusCode.Created, (await _coordinator.PostAsJsonAsync($"/api/school/projects/{project}/mentors",
            new { role = "clinical", mentorUserId = Guid.NewGuid(), service = "school", name = "Second Teacher" })).StatusCode);
    }

    [Fact]
    public async Task A_bundle_whose_parts_are_all_held_is_confirmed_everywhere_and_the_team_is_told()
    {
        var (project, team) = await ApprovedProjectAsync();
        var (gpu, scanner) = await PublishResourcesAsync();
        var bundle = await PlaceAsync(project, team[0], (gpu, 4, 48), (scanner, 1, 4));
        var holds = await HoldRequestsAsync(bundle, 2);
        Assert.Equal([ResourceOwners.Enterprises, ResourceOwners.Research], holds.Select(h => h.Owner).Order());

        foreach (var hold in holds)
        {
            await factory.Harness.Bus.Publish(new BundleHoldAnswered(bundle, hold.PartId, true, Guid.NewGuid(), null, null, 2, DateTimeOffset.UtcNow));
        }

        Assert.True(await Eventually.HoldsAsync(async () => factory.Harness.Published.Snapshot<BundlePartConfirmRequested>().Count(p => p.Context.Message.BundleId == bundle) == 2, TimeSpan.FromSeconds(10)));
        foreach (var hold in holds)
        {
            var answer = new BundlePartConfirmed(bundle, hold.PartId, true, null, null, 3, DateTimeOffset.UtcNow);
            await factory.Harness.Bus.Publish(answer);
            await factory.Harness.Bus.Publish(answer); // a repeat changes nothing
        }

        var confirmed = await WaitForBundleAsync(project, bundle, b => b["status"]!.GetValue<string>() == "confirmed");
        Assert.True(confirmed["settled"]!.GetValue<bool>());
        Assert.All(confirmed["parts"]!.AsArray(), p => Assert.Equal("confirmed", p!["state"]!.GetValue<string>()));
        Assert.DoesNotContain(factory.Harness.Published.Snapshot<BundlePartReleaseRequested>(), p => p.Context.Message.BundleId == bundle);
        Assert.True(await factory.InScopeAsync<SchoolDbContext, bool>(db => db.Set<Notification>().AnyAsync(n => n.UserId == team[1] && n.SubjectId == bundle && n.Kind == "bundle-confirmed")));

        // 4 GPUs × 48 h reserved; usage recorded on the booking replaces the reservation.
        var budget = (await GetAsync(project))["budget"]!;
        Assert.Equal((192.0, 8.0), (budget["gpuHours"]!["reserved"]!.GetValue<double>(), budget["gpuHours"]!["remaining"]!.GetValue<double>() + 192 - 200 + 8));
        var gpuPart = confirmed["parts"]!.AsArray().Single(p => p!["kind"]!.GetValue<string>() == "computePool")!;
        await factory.Harness.Bus.Publish(new UsageRecorded(gpuPart["bookingId"]!.GetValue<Guid>(), gpu, Enterprise.Id, team[0], DemoDirectory.School.Id,
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddHours(1), 4, 150, 1, DateTimeOffset.UtcNow));
        Assert.True(await Eventually.HoldsAsync(async () => (await GetAsync(project))["budget"]!["gpuHours"]!["used"]!.GetValue<double>() == 150, TimeSpan.FromSeconds(10)));
        var after = (await GetAsync(project))["budget"]!["gpuHours"]!;
        Assert.Equal((0.0, 50.0), (after["reserved"]!.GetValue<double>(), after["remaining"]!.GetValue<double>()));
    }

    [Fact]
    public async Task A_refused_part_fails_the_bundle_naming_it_and_releases_every_other_part()
    {
        var (project, team) = await ApprovedProjectAsync();
        var (gpu, scanner) = await PublishResourcesAsync();
        var bundle = await PlaceAsync(project, team[0], (gpu, 2, 10), (scanner, 1, 2));
        var holds = await HoldRequestsAsync(bundle, 2);
        var gpuHold = holds.Single(h => h.ResourceId == gpu);
        var scanHold = holds.Single(h => h.ResourceId == scanner);

        await factory.Harness.Bus.Publish(new BundleHoldAnswered(bundle, gpuHold.PartId, true, Guid.NewGuid(), null, null, 2, DateTimeOffset.UtcNow));
        Assert.True(await Eventually.HoldsAsync(async () => (await GetBundleAsync(project, bundle))["parts"]!.AsArray().Any(p => p!["state"]!.GetValue<string>() == "held"), TimeSpan.FromSeconds(10)));
        await factory.Harness.Bus.Publish(new BundleHoldAnswered(bundle, scanHold.PartId, false, null, "qualification", "Needs mri-safety.", 2, DateTimeOffset.UtcNow));

        var failed = await WaitForBundleAsync(project, bundle, b => b["status"]!.GetValue<string>() == "failed");
        Assert.Contains("refused (qualification)", failed["failureReason"]!.GetValue<string>());
        Assert.Equal(scanHold.PartId, failed["failedPartId"]!.GetValue<Guid>());
        Assert.False(failed["settled"]!.GetValue<bool>());
        Assert.True(await factory.Harness.Published.EventuallyAsync<BundlePartReleaseRequested>(p => p.Context.Message.PartId == gpuHold.PartId));
        Assert.DoesNotContain(factory.Harness.Published.Snapshot<BundlePartReleaseRequested>(), p => p.Context.Message.PartId == scanHold.PartId);
        Assert.DoesNotContain(factory.Harness.Published.Snapshot<BundlePartConfirmRequested>(), p => p.Context.Message.BundleId == bundle);

        await factory.Harness.Bus.Publish(new BundlePartReleased(bundle, gpuHold.PartId, null, 4, DateTimeOffset.UtcNow));
        var settled = await WaitForBundleAsync(project, bundle, b => b["settled"]!.GetValue<bool>());
        Assert.Equal(["refused", "released"], settled["parts"]!.AsArray().Select(p => p!["state"]!.GetValue<string>()).Order());
        Assert.Equal(0, (await GetAsync(project))["budget"]!["gpuHours"]!["reserved"]!.GetValue<double>());
        Assert.True(await factory.InScopeAsync<SchoolDbContext, bool>(db => db.Set<Notification>().AnyAsync(n => n.UserId == team[0] && n.SubjectId == bundle && n.Kind == "bundle-failed")));
    }

    [Fact]
    public async Task An_owner_that_does_not_answer_in_time_fails_the_bundle_naming_it_and_the_rest_is_released()
    {
        var (project, team) = await ApprovedProjectAsync();
        var (gpu, scanner) = await PublishResourcesAsync();
        var bundle = await PlaceAsync(project, team[0], (gpu, 1, 2), (scanner, 1, 2), answerWithinSeconds: 5);
        var holds = await HoldRequestsAsync(bundle, 2);
        await factory.Harness.Bus.Publish(new BundleHoldAnswered(bundle, holds.Single(h => h.ResourceId == gpu).PartId, true, Guid.NewGuid(), null, null, 2, DateTimeOffset.UtcNow));
        Assert.True(await Eventually.HoldsAsync(async () => (await GetBundleAsync(project, bundle))["parts"]!.AsArray().Any(p => p!["state"]!.GetValue<string>() == "held"), TimeSpan.FromSeconds(10)));

        factory.Clock.Advance(TimeSpan.FromSeconds(6));
        var failed = await WaitForBundleAsync(project, bundle, b => b["status"]!.GetValue<string>() == "failed");
        Assert.Contains("research did not answer the hold request in time", failed["failureReason"]!.GetValue<string>());
        Assert.True(await Eventually.HoldsAsync(async () =>
            factory.Harness.Published.Snapshot<BundlePartReleaseRequested>().Count(p => p.Context.Message.BundleId == bundle) == 2, TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_bundle_beyond_the_remaining_budget_is_refused_before_any_hold_and_bad_parts_are_named()
    {
        var (project, team) = await ApprovedProjectAsync();
        var (gpu, scanner) = await PublishResourcesAsync();
        var start = DateTimeOffset.UtcNow.AddDays(3);
        async Task<JsonNode> Refused(object body, HttpStatusCode status) =>
            await (await factory.ClientAs(Student(team[0])).PostAsJsonAsync($"/api/school/projects/{project}/bundles", body)).AssertProblemAsync(status);

        var over = await Refused(new { parts = new[] { new { resourceId = gpu, units = 8, start, end = start.AddHours(30) } } }, HttpStatusCode.Conflict);
        Assert.Equal("over-budget", over["reason"]!.GetValue<string>());
        Assert.Contains("240 GPU-hours", over["detail"]!.GetValue<string>());
        Assert.NotNull((await Refused(new { parts = new[] { new { resourceId = Guid.NewGuid(), units = 1, start, end = start.AddHours(1) } } }, HttpStatusCode.BadRequest))["errors"]!["parts[0].resourceId"]);
        Assert.NotNull((await Refused(new { parts = new[] { new { resourceId = scanner, units = 1, start, end = start } } }, HttpStatusCode.BadRequest))["errors"]!["parts[0].end"]);
        Assert.NotNull((await Refused(new { parts = new[] { new { resourceId = scanner, units = 5, start, end = start.AddHours(1) } } }, HttpStatusCode.BadRequest))["errors"]!["parts[0].units"]);
        Assert.NotNull((await Refused(new { parts = new[] { new { resourceId = scanner, units = 1, start = start.AddDays(-10), end = start.AddHours(1) } } }, HttpStatusCode.BadRequest))["errors"]!["parts[0].start"]);
        await (await factory.ClientAs(TestAuth.Student).PostAsJsonAsync($"/api/school/projects/{project}/bundles",
            new { parts = new[] { new { resourceId = scanner, units = 1, start, end = start.AddHours(1) } } })).AssertProblemAsync(HttpStatusCode.NotFound);

        await factory.OutboxDrainedAsync();
        Assert.DoesNotContain(factory.Harness.Published.Snapshot<BundleHoldRequested>(), p => p.Context.Message.ProjectId == project);
        Assert.Equal(0, await factory.InScopeAsync<SchoolDbContext, int>(db => db.Set<ResourceBundle>().CountAsync(b => b.ProjectId == project)));
    }

    [Fact]
    public async Task The_demo_seed_has_two_approved_projects_in_one_track_and_a_proposed_one_whose_mentor_requests_were_sent()
    {
        var projects = (await (await _coordinator.GetAsync("/api/school/projects")).ReadNodeAsync()).AsArray()
            .Where(p => p!["id"]!.GetValue<Guid>() == ProjectsDemoSeeder.Sepsis || p["id"]!.GetValue<Guid>() == ProjectsDemoSeeder.Denoising || p["id"]!.GetValue<Guid>() == ProjectsDemoSeeder.Handover)
            .ToDictionary(p => p!["id"]!.GetValue<Guid>(), p => p!);
        Assert.Equal(("approved", "approved", "proposed"), (projects[ProjectsDemoSeeder.Sepsis]["status"]!.GetValue<string>(),
            projects[ProjectsDemoSeeder.Denoising]["status"]!.GetValue<string>(), projects[ProjectsDemoSeeder.Handover]["status"]!.GetValue<string>()));
        Assert.All(projects.Values, p => Assert.True(p["team"]!.AsArray().Select(m => m!["programme"]!.GetValue<string>()).Distinct().Count() >= 2));
        var track = (await (await _coordinator.GetAsync("/api/school/tracks")).ReadNodeAsync()).AsArray().Single(t => t!["id"]!.GetValue<Guid>() == ProjectsDemoSeeder.Track)!;
        Assert.Equal([ProjectsDemoSeeder.Denoising, ProjectsDemoSeeder.Sepsis], track["projectIds"]!.AsArray().Select(i => i!.GetValue<Guid>()).Order());

        await factory.OutboxDrainedAsync();
        var sent = factory.Harness.Published.Snapshot<MentorRequested>().Select(p => p.Context.Message).Where(m => m.ProjectId == ProjectsDemoSeeder.Handover).ToList();
        Assert.Equal([ProjectParties.Research, ProjectParties.School], sent.Select(m => m.Service).Order());

        // A student sees the projects they are on, and nobody else's.
        var member = projects[ProjectsDemoSeeder.Sepsis]["team"]![0]!["studentId"]!.GetValue<Guid>();
        var mine = (await (await factory.ClientAs(Student(member)).GetAsync("/api/school/projects")).ReadNodeAsync()).AsArray();
        Assert.Contains(mine, p => p!["id"]!.GetValue<Guid>() == ProjectsDemoSeeder.Sepsis);
        Assert.All(mine, p => Assert.Contains(p!["team"]!.AsArray(), m => m!["studentId"]!.GetValue<Guid>() == member));
        var outsider = DemoDirectory.Student(199);
        await (await factory.ClientAs(outsider.UserName).GetAsync($"/api/school/projects/{ProjectsDemoSeeder.Sepsis}")).AssertProblemAsync(HttpStatusCode.NotFound);

        // The ledger counts the projects each organisation's mentors took on and the module classes its people teach.
        var today = DateOnly.FromDateTime(factory.Clock.GetUtcNow().UtcDateTime);
        var ledger = (await (await _coordinator.GetAsync($"/api/school/ledger?from={today:yyyy-MM-dd}&to={today.AddDays(90):yyyy-MM-dd}")).ReadNodeAsync())["parties"]!.AsArray();
        var helix = DemoDirectory.Enterprises.Single(o => o.Key == "helix-compute").Id;
        var lines = ledger.ToDictionary(l => l!["organisationId"]!.GetValue<Guid>(), l => l!);
        // Other tests here add projects with these organisations' mentors: count what the projects say, independently.
        var all = (await (await _coordinator.GetAsync("/api/school/projects")).ReadNodeAsync()).AsArray()
            .Where(p => p!["approvedAt"] is not null).ToList(); // approved, and running or closed within the period
        int Mentored(Guid organisation) => all.Count(p => p!["mentors"]!.AsArray()
            .Any(m => m!["organisationId"]!.GetValue<Guid>() == organisation && m["answer"]!.GetValue<string>() == "accepted"));
        Assert.True(Mentored(helix) >= 1 && Mentored(DemoDirectory.School.Id) >= 1);
        Assert.Equal(Mentored(helix), lines[helix]["projectsMentored"]!.GetValue<int>());
        Assert.Equal(Mentored(DemoDirectory.School.Id), lines[DemoDirectory.School.Id]["projectsMentored"]!.GetValue<int>());
        var classes = await factory.InScopeAsync<SchoolDbContext, int>(db => db.Set<CollabTraining.School.Modules.ModuleClass>().CountAsync());
        Assert.Equal(classes, ledger.Sum(l => l!["moduleClassesTaught"]!.GetValue<int>()));
        Assert.True(lines[helix]["moduleClassesTaught"]!.GetValue<int>() > 0);
    }

    [Fact]
    public async Task Parts_that_start_before_the_holds_are_confirmed_need_approval_or_name_another_student_are_refused_and_nothing_is_placed()
    {
        var (project, team) = await ApprovedProjectAsync();
        var (gpu, _) = await PublishResourcesAsync();
        var approval = new SharedResourcePublished(new SharedResourceSnapshot(Guid.CreateVersion7(), ResourceOwners.Enterprises, Enterprise.Id, Enterprise.Name,
            "computePool", "H100 approval pool", "test", null, 4, [], true, 0, "UTC", false), 1, DateTimeOffset.UtcNow);
        await factory.Harness.Bus.Publish(approval);
        Assert.True(await Eventually.HoldsAsync(() => factory.InScopeAsync<SchoolDbContext, bool>(db => db.CatalogResources.AnyAsync(r => r.ResourceId == approval.Resource.ResourceId)), TimeSpan.FromSeconds(10)));
        var member = factory.ClientAs(Student(team[0]));
        var soon = factory.Clock.GetUtcNow().AddSeconds(90);
        var later = factory.Clock.GetUtcNow().AddDays(3);

        var early = await (await member.PostAsJsonAsync($"/api/school/projects/{project}/bundles",
            new { parts = new[] { new { resourceId = gpu, units = 1, start = soon, end = soon.AddHours(1) } }, answerWithinSeconds = 60 })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(early["errors"]!["parts[0].start"]);
        var needsApproval = await (await member.PostAsJsonAsync($"/api/school/projects/{project}/bundles",
            new { parts = new[] { new { resourceId = approval.Resource.ResourceId, units = 1, start = later, end = later.AddHours(1) } } })).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(needsApproval["errors"]!["parts[0].resourceId"]);
        await (await member.PostAsJsonAsync($"/api/school/projects/{project}/bundles",
            new { parts = new[] { new { resourceId = gpu, units = 1, start = later, end = later.AddHours(1), userId = team[1] } } })).AssertProblemAsync(HttpStatusCode.Forbidden);

        await factory.OutboxDrainedAsync();
        Assert.DoesNotContain(factory.Harness.Published.Snapshot<BundleHoldRequested>(), p => p.Context.Message.ProjectId == project);

        // A coordinator may book for any member of the team.
        var forMember = await _coordinator.PostAsJsonAsync($"/api/school/projects/{project}/bundles",
            new { parts = new[] { new { resourceId = gpu, units = 1, start = later, end = later.AddHours(1), userId = team[1] } } });
        Assert.Equal(HttpStatusCode.Accepted, forMember.StatusCode);
    }

    [Fact]
    public async Task Cancelling_a_project_releases_its_mentors_places_and_everything_its_bundles_hold_and_frees_its_track_place()
    {
        var (project, team) = await ApprovedProjectAsync();
        var (gpu, scanner) = await PublishResourcesAsync();
        var bundle = await PlaceAsync(project, team[0], (gpu, 2, 4), (scanner, 1, 2));
        var holds = await HoldRequestsAsync(bundle, 2);
        foreach (var hold in holds)
        {
            await factory.Harness.Bus.Publish(new BundleHoldAnswered(bundle, hold.PartId, true, Guid.NewGuid(), null, null, 2, DateTimeOffset.UtcNow));
        }

        Assert.True(await Eventually.HoldsAsync(async () => (await GetBundleAsync(project, bundle))["status"]!.GetValue<string>() == "confirming", TimeSpan.FromSeconds(10)));
        foreach (var hold in holds)
        {
            await factory.Harness.Bus.Publish(new BundlePartConfirmed(bundle, hold.PartId, true, null, null, 3, DateTimeOffset.UtcNow));
        }

        await WaitForBundleAsync(project, bundle, b => b["status"]!.GetValue<string>() == "confirmed");
        var track = (await (await _coordinator.PostAsJsonAsync("/api/school/tracks", new { title = "Cancel track", theme = "Same theme" })).ReadNodeAsync())["id"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.OK, (await _coordinator.PostAsJsonAsync($"/api/school/tracks/{track}/projects", new { projectId = project })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _coordinator.PostAsJsonAsync($"/api/school/tracks/{track}/projects", new { projectId = await ProposeAsync() })).StatusCode);
        Assert.Equal("track-full", (await (await _coordinator.PostAsJsonAsync($"/api/school/tracks/{track}/projects", new { projectId = await ProposeAsync() }))
            .AssertProblemAsync(HttpStatusCode.Conflict))["reason"]!.GetValue<string>());

        var cancelled = await (await _coordinator.PostAsync($"/api/school/projects/{project}/cancel", null)).ReadNodeAsync();
        Assert.Equal("cancelled", cancelled["status"]!.GetValue<string>());
        Assert.True(await Eventually.HoldsAsync(async () =>
            factory.Harness.Published.Snapshot<BundlePartReleaseRequested>().Count(p => p.Context.Message.BundleId == bundle) == 2, TimeSpan.FromSeconds(10)));
        var released = await GetBundleAsync(project, bundle);
        Assert.Equal("failed", released["status"]!.GetValue<string>());
        Assert.Contains("cancelled", released["failureReason"]!.GetValue<string>());

        // Both accepted mentors are released at their organisations, so their places count no more.
        var accepted = cancelled["mentors"]!.AsArray().Select(m => m!["requestId"]!.GetValue<Guid>()).ToList();
        Assert.True(await Eventually.HoldsAsync(async () =>
            accepted.All(r => factory.Harness.Published.Snapshot<MentorRequestWithdrawn>().Any(p => p.Context.Message.RequestId == r)), TimeSpan.FromSeconds(10)));
        Assert.Equal(0, cancelled["budget"]!["gpuHours"]!["reserved"]!.GetValue<double>());

        // Its track place frees for another team.
        Assert.Equal(HttpStatusCode.OK, (await _coordinator.PostAsJsonAsync($"/api/school/tracks/{track}/projects", new { projectId = await ProposeAsync() })).StatusCode);
    }

    [Fact]
    public async Task A_bundle_booking_cancelled_at_its_owner_reserves_the_budget_no_more()
    {
        var (project, team) = await ApprovedProjectAsync();
        var (gpu, scanner) = await PublishResourcesAsync();
        var bundle = await PlaceAsync(project, team[0], (gpu, 2, 10), (scanner, 1, 2));
        var holds = await HoldRequestsAsync(bundle, 2);
        var bookings = holds.ToDictionary(h => h.PartId, _ => Guid.CreateVersion7());
        foreach (var hold in holds)
        {
            await factory.Harness.Bus.Publish(new BundleHoldAnswered(bundle, hold.PartId, true, bookings[hold.PartId], null, null, 2, DateTimeOffset.UtcNow));
        }

        Assert.True(await Eventually.HoldsAsync(async () => (await GetBundleAsync(project, bundle))["status"]!.GetValue<string>() == "confirming", TimeSpan.FromSeconds(10)));
        foreach (var hold in holds)
        {
            await factory.Harness.Bus.Publish(new BundlePartConfirmed(bundle, hold.PartId, true, null, null, 3, DateTimeOffset.UtcNow));
        }

        await WaitForBundleAsync(project, bundle, b => b["status"]!.GetValue<string>() == "confirmed");
        Assert.Equal(20, (await GetAsync(project))["budget"]!["gpuHours"]!["reserved"]!.GetValue<double>());

        // The student cancels the GPU booking at the enterprise: its event reaches the school.
        var gpuHold = holds.Single(h => h.ResourceId == gpu);
        await factory.Harness.Bus.Publish(new BookingChanged(bookings[gpuHold.PartId], gpu, "A100 pool", Enterprise.Id, team[0], DemoDirectory.School.Id, "cancelled",
            gpuHold.Start, gpuHold.End, 2, "Plans changed", null, 5, DateTimeOffset.UtcNow));
        Assert.True(await Eventually.HoldsAsync(async () => (await GetAsync(project))["budget"]!["gpuHours"]!["reserved"]!.GetValue<double>() == 0, TimeSpan.FromSeconds(10)));
        Assert.Equal(2, (await GetAsync(project))["budget"]!["equipmentHours"]!["reserved"]!.GetValue<double>());
    }

    private static JsonNode Mentor(JsonNode project, Guid request) => project["mentors"]!.AsArray().Single(m => m!["requestId"]!.GetValue<Guid>() == request)!;

    private static string Student(Guid id) => DemoDirectory.Users.Single(u => u.Id == id).UserName;

    private async Task<(List<Guid> Medicine, List<Guid> Other)> StudentsByProgrammeAsync()
    {
        var students = await factory.InScopeAsync<SchoolDbContext, List<(Guid Id, string Programme)>>(async db =>
            (await db.Students.AsNoTracking().OrderBy(s => s.StudentNumber).Select(s => new { s.Id, s.Programme }).ToListAsync()).Select(s => (s.Id, s.Programme)).ToList());
        var main = students.GroupBy(s => s.Programme).OrderByDescending(g => g.Count()).First().Key;
        return (students.Where(s => s.Programme == main).Select(s => s.Id).ToList(), students.Where(s => s.Programme != main).Select(s => s.Id).ToList());
    }

    private Task<HttpResponseMessage> Propose(IEnumerable<Guid> students) =>
        _coordinator.PostAsJsonAsync("/api/school/projects", new { title = "Sepsis early warning", theme = "AI triage", summary = "A model on ward data", studentIds = students.ToArray() });

    private async Task<Guid> ProposeAsync()
    {
        var (medicine, other) = await StudentsByProgrammeAsync();
        var pick = Random.Shared.Next(0, 100);
        var response = await Propose([medicine[pick], other[pick % other.Count], medicine[pick + 1]]);
        return (await response.ReadNodeAsync())["id"]!.GetValue<Guid>();
    }

    private async Task<EngineeringMentorPublished> PublishMentorAsync(int capacity)
    {
        var mentor = new EngineeringMentorPublished(Guid.CreateVersion7(), ResourceOwners.Enterprises, Enterprise.Id, Enterprise.Name, "Ada Engineer", ["vision"], capacity, true, 1, DateTimeOffset.UtcNow);
        await factory.Harness.Bus.Publish(mentor);
        Assert.True(await Eventually.HoldsAsync(() => factory.InScopeAsync<SchoolDbContext, bool>(db => db.CatalogMentors.AnyAsync(m => m.MentorId == mentor.MentorId)), TimeSpan.FromSeconds(10)));
        return mentor;
    }

    private async Task<Guid> AskEngineeringAsync(Guid project, Guid mentor) =>
        (await (await _coordinator.PostAsJsonAsync($"/api/school/projects/{project}/mentors", new { role = "engineering", mentorUserId = mentor })).ReadNodeAsync())["requestId"]!.GetValue<Guid>();

    private async Task<Guid> AskClinicalAsync(Guid project, int answerWithinDays = 7)
    {
        // A teacher offers three projects at most: each project here asks one of its own.
        var response = await _coordinator.PostAsJsonAsync($"/api/school/projects/{project}/mentors",
            new { role = "clinical", mentorUserId = Guid.NewGuid(), service = "school", name = "Dr Teacher", answerWithinDays });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadNodeAsync())["requestId"]!.GetValue<Guid>();
    }

    private async Task AnswerAsync(Guid project, Guid request, bool accepted)
    {
        await factory.PublishAndWaitAsync(new MentorRequestAnswered(request, project, Guid.Empty, accepted, accepted ? null : "busy", 2, factory.Clock.GetUtcNow()));
        Assert.NotEqual("waiting", Mentor(await GetAsync(project), request)["answer"]!.GetValue<string>());
    }

    private Task<HttpResponseMessage> Approve(Guid project) => _coordinator.PostAsJsonAsync($"/api/school/projects/{project}/approve",
        new { gpuHours = 200, equipmentHours = 20, milestones = new[] { new { title = "Prototype", dueOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(60)) } } });

    private async Task<(Guid Project, List<Guid> Team)> ApprovedProjectAsync()
    {
        var mentor = await PublishMentorAsync(capacity: 5);
        var project = await ProposeAsync();
        await AnswerAsync(project, await AskEngineeringAsync(project, mentor.MentorId), accepted: true);
        await AnswerAsync(project, await AskClinicalAsync(project), accepted: true);
        var approved = await (await Approve(project)).ReadNodeAsync();
        return (project, approved["team"]!.AsArray().Select(m => m!["studentId"]!.GetValue<Guid>()).ToList());
    }

    private async Task<(Guid Gpu, Guid Scanner)> PublishResourcesAsync()
    {
        SharedResourcePublished Resource(DemoOrganisation owner, string service, string kind, string name, int capacity) => new(
            new SharedResourceSnapshot(Guid.CreateVersion7(), service, owner.Id, owner.Name, kind, name, "test", null, capacity, [], false, 0, "UTC", false), 1, DateTimeOffset.UtcNow);
        var gpu = Resource(Enterprise, ResourceOwners.Enterprises, "computePool", "A100 pool", 8);
        var scanner = Resource(Institute, ResourceOwners.Research, "equipment", "3T MRI", 1);
        await factory.Harness.Bus.Publish(gpu);
        await factory.Harness.Bus.Publish(scanner);
        Assert.True(await Eventually.HoldsAsync(() => factory.InScopeAsync<SchoolDbContext, bool>(async db => await db.CatalogResources.CountAsync(r => r.ResourceId == gpu.Resource.ResourceId || r.ResourceId == scanner.Resource.ResourceId) == 2), TimeSpan.FromSeconds(10)));
        return (gpu.Resource.ResourceId, scanner.Resource.ResourceId);
    }

    private async Task<Guid> PlaceAsync(Guid project, Guid member, (Guid Resource, int Units, int Hours) first, (Guid Resource, int Units, int Hours) second, int answerWithinSeconds = 60)
    {
        var start = DateTimeOffset.UtcNow.AddDays(2);
        var response = await factory.ClientAs(Student(member)).PostAsJsonAsync($"/api/school/projects/{project}/bundles", new
        {
            parts = new[]
            {
                new { resourceId = first.Resource, units = first.Units, start, end = start.AddHours(first.Hours) },
                new { resourceId = second.Resource, units = second.Units, start, end = start.AddHours(second.Hours) },
            },
            answerWithinSeconds,
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.ReadNodeAsync())["id"]!.GetValue<Guid>();
    }

    private async Task<List<BundleHoldRequested>> HoldRequestsAsync(Guid bundle, int count)
    {
        Assert.True(await Eventually.HoldsAsync(async () => factory.Harness.Published.Snapshot<BundleHoldRequested>().Count(p => p.Context.Message.BundleId == bundle) == count, TimeSpan.FromSeconds(10)));
        return factory.Harness.Published.Snapshot<BundleHoldRequested>().Select(p => p.Context.Message).Where(m => m.BundleId == bundle).ToList();
    }

    private async Task<JsonNode> GetAsync(Guid project) => await (await _coordinator.GetAsync($"/api/school/projects/{project}")).ReadNodeAsync();

    private async Task<JsonNode> GetBundleAsync(Guid project, Guid bundle) => await (await _coordinator.GetAsync($"/api/school/projects/{project}/bundles/{bundle}")).ReadNodeAsync();

    private async Task<JsonNode> WaitForBundleAsync(Guid project, Guid bundle, Func<JsonNode, bool> condition)
    {
        JsonNode? last = null;
        var held = await Eventually.HoldsAsync(async () => condition(last = await GetBundleAsync(project, bundle)), TimeSpan.FromSeconds(15));
        Assert.True(held, $"The bundle never got there: {last?.ToJsonString()}");
        return last!;
    }

    private Task<int> CountAsync<T>() where T : class => factory.InScopeAsync<SchoolDbContext, int>(db => db.Set<T>().CountAsync());
}
