using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CollabTraining.Demo;
using CollabTraining.Tests.Support;

namespace CollabTraining.Tests.EndToEnd;

/// <summary>
/// Innovation projects as the people involved meet them, through the gateway and a real broker: mentors asked
/// at their own organisations answer there, and bundles of resources across an enterprise and an institute are
/// booked all or nothing — also when a part is refused, an owner is down, or the School is killed mid-bundle.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ProjectFlowTests(Platform platform)
{
    private static readonly string[] Taking = ["held", "confirmed", "pendingApproval", "checkedIn"];
    private HttpClient _coordinator => Client("coordinator@northbridge.demo");

    [Fact]
    public async Task Mentors_answer_at_their_organisations_and_a_bundle_across_two_owners_is_confirmed_at_both()
    {
        var project = await ApprovedProjectAsync();
        var (gpu, scanner) = await ResourcesAsync();
        var start = Slot(1);
        var bundle = await PlaceAsync(project, (gpu, 4, start, start.AddDays(5)), (scanner, 1, start, start.AddHours(4)));

        var done = await SettledAsync(project, bundle);
        Assert.True(done["status"]!.GetValue<string>() == "confirmed", done.ToJsonString() + platform.Logs());
        Assert.Equal(4, await TakenAsync("enterprises", gpu, start, start.AddDays(5), "confirmed"));
        Assert.Equal(1, await TakenAsync("research", scanner, start, start.AddHours(4), "confirmed"));

        // The team is told, and 480 GPU-hours are reserved against the budget.
        var member = Client(project.Members[0]);
        JsonNode? feed = null;
        Assert.True(await Eventually.HoldsAsync(async () => (feed = await (await member.GetAsync("/api/notifications/me?unread=true")).ReadNodeAsync())["items"]!
            .AsArray().Any(n => n!["kind"]!.GetValue<string>() == "bundle-confirmed" && n["subjectId"]!.GetValue<Guid>() == bundle), TimeSpan.FromSeconds(15)), feed?.ToJsonString());
        var told = feed!["items"]!.AsArray().First(n => n!["kind"]!.GetValue<string>() == "bundle-confirmed")!;
        Assert.Equal(HttpStatusCode.OK, (await member.PostAsync($"/api/notifications/{told["id"]}/read", null)).StatusCode);
        Assert.DoesNotContain((await (await member.GetAsync("/api/notifications/me?unread=true")).ReadNodeAsync())["items"]!.AsArray(), n => n!["id"]!.GetValue<Guid>() == told["id"]!.GetValue<Guid>());

        // The engineer was told of the request in their own feed, and sees the project as its mentor.
        var engineer = Client("mentor@helix-compute.demo");
        Assert.Contains((await (await engineer.GetAsync("/api/notifications/me?pageSize=100")).ReadNodeAsync())["items"]!.AsArray(), n => n!["kind"]!.GetValue<string>() == "mentor-request");
        Assert.Contains((await (await engineer.GetAsync("/api/school/projects")).ReadNodeAsync()).AsArray(), p => p!["id"]!.GetValue<Guid>() == project.Id);
        var budget = (await (await _coordinator.GetAsync($"/api/school/projects/{project.Id}")).ReadNodeAsync())["budget"]!;
        Assert.Equal(480, budget["gpuHours"]!["reserved"]!.GetValue<double>());
    }

    [Fact]
    public async Task A_bundle_with_one_part_refused_fails_naming_it_and_leaves_no_capacity_held_at_any_owner()
    {
        var project = await ApprovedProjectAsync("mentor1@riverside.demo");
        var (gpu, scanner) = await ResourcesAsync();
        var start = Slot(2);

        // Someone else books the scanner first: the institute refuses the bundle's part.
        var other = Client(DemoDirectory.Student(150).UserName);
        Assert.Equal(HttpStatusCode.Created, (await other.PostAsJsonAsync($"/api/research/resources/{scanner}/bookings", new { start, end = start.AddHours(4) })).StatusCode);
        var bundle = await PlaceAsync(project, (gpu, 2, start, start.AddHours(8)), (scanner, 1, start, start.AddHours(4)));

        var done = await SettledAsync(project, bundle);
        Assert.True(done["status"]!.GetValue<string>() == "failed", done.ToJsonString() + platform.Logs());
        Assert.Contains("refused (full)", done["failureReason"]!.GetValue<string>());
        Assert.Equal(0, await TakenAsync("enterprises", gpu, start, start.AddHours(8)));
        Assert.Equal(1, await TakenAsync("research", scanner, start, start.AddHours(4))); // only the other student's booking
    }

    [Fact]
    public async Task A_bundle_whose_owner_is_stopped_times_out_releases_the_rest_and_settles_once_the_owner_is_back()
    {
        var project = await ApprovedProjectAsync("mentor2@riverside.demo");
        var (gpu, scanner) = await ResourcesAsync();
        var start = Slot(3);
        await platform.KillAsync("research");
        try
        {
            var bundle = await PlaceAsync(project, (gpu, 3, start, start.AddHours(6)), (scanner, 1, start, start.AddHours(2)), answerWithinSeconds: 5);
            var failed = await WaitAsync(project, bundle, b => b["status"]!.GetValue<string>() == "failed", TimeSpan.FromSeconds(40));
            Assert.Contains("research did not answer the hold request in time", failed["failureReason"]!.GetValue<string>());
            Assert.True(await Eventually.HoldsAsync(async () => await TakenAsync("enterprises", gpu, start, start.AddHours(6)) == 0, TimeSpan.FromSeconds(20)), platform.Logs());

            // Back up, the institute refuses the stale hold request (or releases it): nothing stays held there either.
            await platform.RestartAsync("research");
            var settled = await SettledAsync(project, bundle);
            Assert.Equal("failed", settled["status"]!.GetValue<string>());
            Assert.Equal(0, await TakenAsync("research", scanner, start, start.AddHours(2)));
        }
        finally
        {
            await platform.EnsureRunningAsync("research");
        }
    }

    [Fact]
    public async Task The_School_killed_after_the_first_hold_is_placed_completes_or_compensates_the_bundle_after_a_restart()
    {
        var project = await ApprovedProjectAsync("mentor1@childrens.demo");
        var (gpu, scanner) = await ResourcesAsync();
        var start = Slot(4);
        var bundle = await PlaceAsync(project, (gpu, 2, start, start.AddHours(10)), (scanner, 1, start, start.AddHours(3)));

        // Kill the School with SIGKILL as soon as an owner shows the first hold (or booking) of the bundle.
        Assert.True(await Eventually.HoldsAsync(async () =>
            await TakenAsync("enterprises", gpu, start, start.AddHours(10)) > 0 || await TakenAsync("research", scanner, start, start.AddHours(3)) > 0,
            TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(20)), platform.Logs());
        await platform.KillAsync("school");
        try
        {
            await platform.RestartAsync("school");
            var done = await SettledAsync(project, bundle);
            var (gpuTaken, scannerTaken) = (await TakenAsync("enterprises", gpu, start, start.AddHours(10)), await TakenAsync("research", scanner, start, start.AddHours(3)));
            if (done["status"]!.GetValue<string>() == "confirmed")
            {
                Assert.Equal((2, 1), (await TakenAsync("enterprises", gpu, start, start.AddHours(10), "confirmed"), await TakenAsync("research", scanner, start, start.AddHours(3), "confirmed")));
            }
            else
            {
                Assert.True((gpuTaken, scannerTaken) == (0, 0), done.ToJsonString());
            }
        }
        finally
        {
            await platform.EnsureRunningAsync("school");
        }
    }

    private sealed record ProjectRef(Guid Id, List<string> Members);

    private HttpClient Client(string userName) => platform.ClientAs(userName);

    private static DateTimeOffset Slot(int week) =>
        new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(20 + (7 * week) + Random.Shared.Next(0, 5)).AddHours(8);

    /// <summary>A project of two programmes with the Helix engineering mentor and a school teacher, both accepted where they work, approved with a budget.</summary>
    private async Task<ProjectRef> ApprovedProjectAsync(string? clinicalMentor = null)
    {
        var engineer = DemoDirectory.FindUser("mentor@helix-compute.demo")!;
        var teacher = DemoDirectory.FindUser("teacher@northbridge.demo")!;
        var asEngineer = Client(engineer.UserName);
        var offered = await asEngineer.PutAsJsonAsync($"/api/enterprises/mentors/{engineer.Id}", new { name = engineer.DisplayName, expertise = new[] { "gpu computing" }, projectCapacity = 40 });
        Assert.True(offered.IsSuccessStatusCode, await offered.Content.ReadAsStringAsync());
        Assert.True(await Eventually.HoldsAsync(async () => (await (await _coordinator.GetAsync("/api/school/catalog/resources?kind=mentor&pageSize=100")).ReadNodeAsync())["items"]!.AsArray()
            .Any(m => m!["id"]!.GetValue<Guid>() == engineer.Id && m["projectCapacity"]!.GetValue<int>() == 40), TimeSpan.FromSeconds(20)), platform.Logs());

        var medicine = await StudentsAsync("medicine");
        var engineering = await StudentsAsync("biomedical-engineering");
        var pick = Random.Shared.Next(0, 20);
        var team = new[] { medicine[pick], engineering[pick], medicine[pick + 20] };
        var created = await _coordinator.PostAsJsonAsync("/api/school/projects", new { title = $"Ward AI {Guid.NewGuid():N}", theme = "Early warning", studentIds = team.Select(t => t.Id) });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.ReadNodeAsync())["id"]!.GetValue<Guid>();

        var asked = await _coordinator.PostAsJsonAsync($"/api/school/projects/{id}/mentors", new { role = "engineering", mentorUserId = engineer.Id });
        Assert.True(asked.StatusCode == HttpStatusCode.Created, await asked.Content.ReadAsStringAsync());
        var engineeringRequest = (await asked.ReadNodeAsync())["requestId"]!.GetValue<Guid>();
        // The clinical mentor: the school's teacher (who offers three projects), or a hospital's clinical mentor.
        var clinical = clinicalMentor is null ? teacher : DemoDirectory.FindUser(clinicalMentor)!;
        var clinicalService = clinicalMentor is null ? "school" : "hospitals";
        var askedClinical = await _coordinator.PostAsJsonAsync($"/api/school/projects/{id}/mentors", new
        {
            role = "clinical", mentorUserId = clinical.Id, service = clinicalService, organisationId = clinical.Organisation.Id, name = clinical.DisplayName,
        });
        Assert.True(askedClinical.StatusCode == HttpStatusCode.Created, await askedClinical.Content.ReadAsStringAsync());
        var clinicalRequest = (await askedClinical.ReadNodeAsync())["requestId"]!.GetValue<Guid>();

        // Each answers at their own organisation once the request has arrived there.
        await AcceptAsync(asEngineer, "enterprises", engineeringRequest);
        await AcceptAsync(Client(clinical.UserName), clinicalService, clinicalRequest);
        Assert.True(await Eventually.HoldsAsync(async () => (await (await _coordinator.GetAsync($"/api/school/projects/{id}")).ReadNodeAsync())["mentors"]!.AsArray()
            .Count(m => m!["answer"]!.GetValue<string>() == "accepted") == 2, TimeSpan.FromSeconds(20)), platform.Logs());

        var approved = await _coordinator.PostAsJsonAsync($"/api/school/projects/{id}/approve", new { gpuHours = 1000, equipmentHours = 100, milestones = new[] { new { title = "Prototype", dueOn = DateOnly.FromDateTime(DateTime.UtcNow.AddDays(90)) } } });
        Assert.True(approved.IsSuccessStatusCode, await approved.Content.ReadAsStringAsync());
        return new ProjectRef(id, team.Select(t => t.UserName).ToList());
    }

    private async Task AcceptAsync(HttpClient mentor, string service, Guid request)
    {
        HttpResponseMessage? last = null;
        var accepted = await Eventually.HoldsAsync(async () =>
            (last = await mentor.PostAsync($"/api/{service}/mentor-requests/{request}/accept", null)).IsSuccessStatusCode, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(200));
        Assert.True(accepted, $"{last?.StatusCode} {(last is null ? null : await last.Content.ReadAsStringAsync())}\n{platform.Logs()}");
    }

    private async Task<List<(Guid Id, string UserName)>> StudentsAsync(string programme)
    {
        var page = await (await _coordinator.GetAsync($"/api/school/students?programme={programme}&pageSize=200")).ReadNodeAsync();
        // Only the demo cohort can sign in (an imported register may share the programme).
        return page["items"]!.AsArray().Select(s => s!["id"]!.GetValue<Guid>())
            .Select(id => (id, DemoDirectory.Users.SingleOrDefault(u => u.Id == id)?.UserName)).Where(s => s.UserName is not null)
            .Select(s => (s.id, s.UserName!)).ToList();
    }

    /// <summary>A fresh 4-GPU pool at Helix and a scanner at the imaging institute, neither gated, once the school's catalog lists both.</summary>
    private async Task<(Guid Gpu, Guid Scanner)> ResourcesAsync()
    {
        var gpu = await CreateAsync("staff@helix-compute.demo", "enterprises", new { kind = "ComputePool", name = $"Bundle pool {Guid.NewGuid():N}", capacity = 4, maximumMinutes = 7 * 24 * 60 });
        var scanner = await CreateAsync("staff@imaging-institute.demo", "research", new { kind = "Equipment", name = $"Bundle scanner {Guid.NewGuid():N}", capacity = 1 });
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            var items = (await (await _coordinator.GetAsync("/api/school/catalog/resources?q=Bundle%20&pageSize=100")).ReadNodeAsync())["items"]!.AsArray();
            return items.Any(i => i!["id"]!.GetValue<Guid>() == gpu) && items.Any(i => i!["id"]!.GetValue<Guid>() == scanner);
        }, TimeSpan.FromSeconds(20)), platform.Logs());
        return (gpu, scanner);
    }

    private async Task<Guid> CreateAsync(string staff, string service, object resource)
    {
        var response = await Client(staff).PostAsJsonAsync($"/api/{service}/resources", resource);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync() + platform.Logs());
        return (await response.ReadNodeAsync())["id"]!.GetValue<Guid>();
    }

    private async Task<Guid> PlaceAsync(ProjectRef project, (Guid Resource, int Units, DateTimeOffset Start, DateTimeOffset End) first,
        (Guid Resource, int Units, DateTimeOffset Start, DateTimeOffset End) second, int answerWithinSeconds = 60)
    {
        var response = await Client(project.Members[0]).PostAsJsonAsync($"/api/school/projects/{project.Id}/bundles", new
        {
            parts = new[]
            {
                new { resourceId = first.Resource, units = first.Units, start = first.Start, end = first.End },
                new { resourceId = second.Resource, units = second.Units, start = second.Start, end = second.End },
            },
            answerWithinSeconds,
        });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        return (await response.ReadNodeAsync())["id"]!.GetValue<Guid>();
    }

    private Task<JsonNode> SettledAsync(ProjectRef project, Guid bundle) =>
        WaitAsync(project, bundle, b => b["settled"]!.GetValue<bool>(), TimeSpan.FromSeconds(60));

    private async Task<JsonNode> WaitAsync(ProjectRef project, Guid bundle, Func<JsonNode, bool> condition, TimeSpan within)
    {
        JsonNode? last = null;
        var held = await Eventually.HoldsAsync(async () =>
        {
            try
            {
                var response = await _coordinator.GetAsync($"/api/school/projects/{project.Id}/bundles/{bundle}");
                return response.IsSuccessStatusCode && condition(last = await response.ReadNodeAsync());
            }
            catch (HttpRequestException)
            {
                return false; // the School is restarting
            }
        }, within, TimeSpan.FromMilliseconds(250));
        Assert.True(held, $"The bundle did not get there: {last?.ToJsonString()}\n{platform.Logs()}");
        return last!;
    }

    /// <summary>Units the owner's calendar shows taken (held, pending, confirmed or in use) over the window, or only in one status.</summary>
    private async Task<int> TakenAsync(string service, Guid resource, DateTimeOffset from, DateTimeOffset to, string? status = null)
    {
        var staff = Client(service == "enterprises" ? "staff@helix-compute.demo" : "staff@imaging-institute.demo");
        var calendar = await (await staff.GetAsync($"/api/{service}/resources/{resource}/calendar?from={Q(from)}&to={Q(to)}")).ReadNodeAsync();
        return calendar.AsArray().Where(e => e!["bookingId"] is not null && (status is null ? Taking.Contains(e["status"]!.GetValue<string>()) : e["status"]!.GetValue<string>() == status))
            .Sum(e => e!["units"]!.GetValue<int>());
    }

    private static string Q(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O"));
}
