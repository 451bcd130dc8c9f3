using System.Net;
using System.Net.Http.Json;
using CollabTraining.Demo;
using CollabTraining.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CollabTraining.Tests.EndToEnd;

/// <summary>
/// A school coordinator books resources for an approved project in the portal: a bundle of a GPU pool at an enterprise
/// and a scanner at an institute, confirmed in one click and followed until both owners have confirmed their part.
/// The project and the resources are set up through the API, as <see cref="ProjectFlowTests"/> does.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class PortalBundleJourneyTests(Platform platform, PortalBrowser browser)
{
    private const string Coordinator = TestAuth.SchoolCoordinator;

    private HttpClient Api => platform.ClientAs(Coordinator);

    [Fact]
    public async Task A_coordinator_confirms_a_bundle_across_two_owners_in_the_portal_and_sees_it_confirmed()
    {
        var title = $"Portal bundle {Guid.NewGuid():N}"[..30];
        var project = await ApprovedProjectAsync(title);
        var gpuName = $"Portal pool {Guid.NewGuid():N}"[..28];
        var scannerName = $"Portal scanner {Guid.NewGuid():N}"[..31];
        await ResourcesAsync(gpuName, scannerName);

        var page = await browser.NewPageAsync();
        await PortalBrowser.JourneyAsync(page, "coordinator-confirms-bundle", async () =>
        {
            await page.GotoAsync(new Uri(platform.Gateway, "/school/projects").ToString());
            await page.Locator($"button[value='{Coordinator}']").ClickAsync();
            await page.WaitForURLAsync(new Uri(platform.Gateway, "/school/projects").ToString());
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Innovation projects", Level = 1 })).ToBeVisibleAsync();

            await page.GetByRole(AriaRole.Button, new() { Name = $"Show project {title}", Exact = true }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = title, Level = 2 })).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "New bundle", Exact = true }).ClickAsync();

            await ChooseResourceAsync(page, 0, gpuName);
            await page.GetByRole(AriaRole.Button, new() { Name = "Add a resource", Exact = true }).ClickAsync();
            await ChooseResourceAsync(page, 1, scannerName);

            await page.GetByRole(AriaRole.Button, new() { Name = "Confirm bundle", Exact = true }).ClickAsync();

            var bundle = page.Locator("[data-testid=bundle]").First;
            await Expect(bundle).ToContainTextAsync(gpuName);
            await Expect(bundle).ToContainTextAsync(scannerName);
            await Expect(bundle.Locator("[data-testid=bundle-status]")).ToHaveTextAsync("Confirmed", new() { Timeout = 90_000 });
            await Expect(bundle).ToHaveAttributeAsync("data-status", "confirmed");
            await Expect(page.GetByText("The bundle is confirmed: every part is booked.")).ToBeVisibleAsync();
        });

        // The portal showed what the School holds: the bundle confirmed, both parts booked at their owners.
        var bundles = (await (await Api.GetAsync($"/api/school/projects/{project}/bundles")).ReadNodeAsync()).AsArray();
        var placed = Assert.Single(bundles)!;
        Assert.Equal("confirmed", placed["status"]!.GetValue<string>());
        Assert.All(placed["parts"]!.AsArray(), p => Assert.Equal("confirmed", p!["state"]!.GetValue<string>()));
    }

    /// <summary>Types the resource's name into the part's resource field and picks it from the catalog's answer.</summary>
    private static async Task ChooseResourceAsync(IPage page, int part, string name)
    {
        await page.GetByLabel("Resource", new() { Exact = true }).Nth(part).FillAsync(name);
        var option = page.Locator(".mud-popover-open .mud-list-item", new() { HasText = name });
        await option.First.ClickAsync();
        await Expect(page.GetByLabel("Resource", new() { Exact = true }).Nth(part)).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^" + System.Text.RegularExpressions.Regex.Escape(name)));
    }

    /// <summary>A project of two programmes with the Helix engineering mentor and a children's hospital clinical mentor, both accepted, approved with a budget.</summary>
    private async Task<Guid> ApprovedProjectAsync(string title)
    {
        var engineer = DemoDirectory.FindUser("mentor@helix-compute.demo")!;
        var asEngineer = platform.ClientAs(engineer.UserName);
        var offered = await asEngineer.PutAsJsonAsync($"/api/enterprises/mentors/{engineer.Id}", new { name = engineer.DisplayName, expertise = new[] { "gpu computing" }, projectCapacity = 40 });
        Assert.True(offered.IsSuccessStatusCode, await offered.Content.ReadAsStringAsync());
        Assert.True(await Eventually.HoldsAsync(async () => (await (await Api.GetAsync("/api/school/catalog/resources?kind=mentor&pageSize=100")).ReadNodeAsync())["items"]!.AsArray()
            .Any(m => m!["id"]!.GetValue<Guid>() == engineer.Id && m["projectCapacity"]!.GetValue<int>() == 40), TimeSpan.FromSeconds(20)), platform.Logs());

        var medicine = await StudentsAsync("medicine");
        var engineering = await StudentsAsync("biomedical-engineering");
        var pick = Random.Shared.Next(0, 20);
        var team = new[] { medicine[pick], engineering[pick] };
        var created = await Api.PostAsJsonAsync("/api/school/projects", new { title, theme = "Early warning", studentIds = team });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.ReadNodeAsync())["id"]!.GetValue<Guid>();

        var asked = await Api.PostAsJsonAsync($"/api/school/projects/{id}/mentors", new { role = "engineering", mentorUserId = engineer.Id });
        Assert.True(asked.StatusCode == HttpStatusCode.Created, await asked.Content.ReadAsStringAsync());
        var engineeringRequest = (await asked.ReadNodeAsync())["requestId"]!.GetValue<Guid>();
        // A hospital's clinical mentor no other journey asks (the school's teacher takes three projects, spent by other tests).
        var clinical = DemoDirectory.FindUser("mentor2@childrens.demo")!;
        var askedClinical = await Api.PostAsJsonAsync($"/api/school/projects/{id}/mentors", new
        {
            role = "clinical", mentorUserId = clinical.Id, service = "hospitals", organisationId = clinical.Organisation.Id, name = clinical.DisplayName,
        });
        Assert.True(askedClinical.StatusCode == HttpStatusCode.Created, await askedClinical.Content.ReadAsStringAsync());
        var clinicalRequest = (await askedClinical.ReadNodeAsync())["requestId"]!.GetValue<Guid>();

        await AcceptAsync(asEngineer, "enterprises", engineeringRequest);
        await AcceptAsync(platform.ClientAs(clinical.UserName), "hospitals", clinicalRequest);
        Assert.True(await Eventually.HoldsAsync(async () => (await (await Api.GetAsync($"/api/school/projects/{id}")).ReadNodeAsync())["mentors"]!.AsArray()
            .Count(m => m!["answer"]!.GetValue<string>() == "accepted") == 2, TimeSpan.FromSeconds(20)), platform.Logs());

        var approved = await Api.PostAsJsonAsync($"/api/school/projects/{id}/approve", new { gpuHours = 1000, equipmentHours = 100, milestones = Array.Empty<object>() });
        Assert.True(approved.IsSuccessStatusCode, await approved.Content.ReadAsStringAsync());
        return id;
    }

    private async Task AcceptAsync(HttpClient mentor, string service, Guid request)
    {
        HttpResponseMessage? last = null;
        var accepted = await Eventually.HoldsAsync(async () =>
            (last = await mentor.PostAsync($"/api/{service}/mentor-requests/{request}/accept", null)).IsSuccessStatusCode, TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(200));
        Assert.True(accepted, $"{last?.StatusCode} {(last is null ? null : await last.Content.ReadAsStringAsync())}\n{platform.Logs()}");
    }

    private async Task<List<Guid>> StudentsAsync(string programme)
    {
        var page = await (await Api.GetAsync($"/api/school/students?programme={programme}&pageSize=200")).ReadNodeAsync();
        return page["items"]!.AsArray().Select(s => s!["id"]!.GetValue<Guid>()).Where(id => DemoDirectory.Users.Any(u => u.Id == id)).ToList();
    }

    /// <summary>A fresh 4-GPU pool at Helix and a scanner at the imaging institute, neither gated, once the school's catalog lists both.</summary>
    private async Task ResourcesAsync(string gpuName, string scannerName)
    {
        var gpu = await CreateAsync("staff@helix-compute.demo", "enterprises", new { kind = "ComputePool", name = gpuName, capacity = 4, maximumMinutes = 7 * 24 * 60 });
        var scanner = await CreateAsync("staff@imaging-institute.demo", "research", new { kind = "Equipment", name = scannerName, capacity = 1 });
        async Task<bool> ListedAsync(string name, Guid id) =>
            (await (await Api.GetAsync($"/api/school/catalog/resources?q={Uri.EscapeDataString(name)}")).ReadNodeAsync())["items"]!.AsArray()
                .Any(i => i!["id"]!.GetValue<Guid>() == id);
        Assert.True(await Eventually.HoldsAsync(async () => await ListedAsync(gpuName, gpu) && await ListedAsync(scannerName, scanner), TimeSpan.FromSeconds(20)), platform.Logs());
    }

    private async Task<Guid> CreateAsync(string staff, string service, object resource)
    {
        var response = await platform.ClientAs(staff).PostAsJsonAsync($"/api/{service}/resources", resource);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync() + platform.Logs());
        return (await response.ReadNodeAsync())["id"]!.GetValue<Guid>();
    }
}
