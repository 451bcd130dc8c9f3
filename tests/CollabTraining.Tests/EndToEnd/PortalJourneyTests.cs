using System.Net;
using System.Text.RegularExpressions;
using CollabTraining.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CollabTraining.Tests.EndToEnd;

/// <summary>The portal in a real browser, through the gateway, against the real platform.</summary>
[Collection(PlatformCollection.Name)]
public sealed partial class PortalJourneyTests(Platform platform, PortalBrowser browser)
{
    [Fact]
    public async Task A_student_signs_in_with_the_picker_and_finds_a_hospitals_new_offer_by_its_title_in_the_catalog()
    {
        const string student = "student004@northbridge.demo";
        var title = $"Portal journey {Guid.NewGuid():N}"[..27] + " cardiology";

        // The hospital's coordinator creates the offer as a draft in the portal, then publishes it there.
        var coordinator = await browser.NewPageAsync();
        await PortalBrowser.JourneyAsync(coordinator, "coordinator-publishes-new-offer", async () =>
        {
            await coordinator.GotoAsync(new Uri(platform.Gateway, "/hospital/offers").ToString());
            Assert.StartsWith(new Uri(platform.Gateway, "/signin").ToString(), coordinator.Url, StringComparison.Ordinal);
            await coordinator.Locator($"button[value='{TestAuth.StMarysCoordinator}']").ClickAsync();

            await coordinator.WaitForURLAsync(new Uri(platform.Gateway, "/hospital/offers").ToString());
            await Expect(coordinator.GetByRole(AriaRole.Heading, new() { Name = "Our placement offers", Level = 1 })).ToBeVisibleAsync();
            await coordinator.GetByRole(AriaRole.Button, new() { Name = "New offer" }).ClickAsync();
            await coordinator.GetByLabel("Title", new() { Exact = true }).FillAsync(title);
            await coordinator.GetByLabel("Department", new() { Exact = true }).FillAsync("Cardiology");
            await coordinator.GetByLabel("Specialty", new() { Exact = true }).FillAsync("cardiology");
            await coordinator.GetByLabel("Publish to the school's catalog at once (otherwise keep as a draft)").UncheckAsync();
            await coordinator.GetByRole(AriaRole.Button, new() { Name = "Save", Exact = true }).ClickAsync();

            var offer = coordinator.Locator(".hospital-offers .mud-table-body tr", new() { HasText = title });
            await Expect(offer).ToContainTextAsync("Draft");
            await coordinator.GetByRole(AriaRole.Button, new() { Name = "Publish " + title, Exact = true }).ClickAsync();
            await Expect(offer).ToContainTextAsync("Published");
        });

        var api = platform.ClientAs(student);
        Assert.True(await Eventually.HoldsAsync(
            async () => (await (await api.GetAsync($"/api/school/catalog/placements?q={Uri.EscapeDataString(title)}")).ReadNodeAsync())["total"]!.GetValue<int>() == 1,
            TimeSpan.FromSeconds(15)), "the offer did not reach the catalog\n" + platform.Logs());

        var page = await browser.NewPageAsync();
        var sockets = new List<string>();
        page.WebSocket += (_, socket) => sockets.Add(socket.Url);
        await PortalBrowser.JourneyAsync(page, "student-finds-new-offer-in-catalog", async () =>
        {
        await page.GotoAsync(new Uri(platform.Gateway, "/catalog").ToString());
        Assert.StartsWith(new Uri(platform.Gateway, "/signin").ToString(), page.Url, StringComparison.Ordinal);
        await page.Locator($"button[value='{student}']").ClickAsync();

        await page.WaitForURLAsync(new Uri(platform.Gateway, "/catalog").ToString());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Catalog", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.Locator(".portal-user")).ToContainTextAsync("Student 004");
        await Expect(page.Locator(".portal-user")).ToContainTextAsync("Northbridge Medical School");
        await page.GetByLabel("Search", new() { Exact = true }).FillAsync(title);

        var row = page.Locator(".mud-table-body tr", new() { HasText = title });
        await Expect(row).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync("St Mary's University Hospital");
        await Expect(page.Locator(".mud-table-body tr")).ToHaveCountAsync(1);
        Assert.Contains(sockets, url => url.StartsWith($"ws://{platform.Gateway.Authority}/_blazor", StringComparison.Ordinal));
        });

        // One user action, one trace: the portal's call, the gateway and the School's catalog query.
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(PortalTraceReachedTheSchool()), TimeSpan.FromSeconds(15)),
            "no trace holds the portal's call, the gateway and the school: " + string.Join(", ", platform.Collector.Spans.Where(s => s.Service == "portal").Select(s => s.Name).Distinct().Take(20)));
    }

    [Fact]
    public async Task A_hospital_coordinator_and_a_mentor_open_each_of_the_hospitals_pages()
    {
        foreach (var (user, pages) in new[]
        {
            (TestAuth.StMarysCoordinator, new[] { ("/hospital/offers", "Our placement offers"), ("/hospital/assignments", "Assignments"), ("/hospital/mentors", "Clinical mentors"), ("/hospital/evaluations", "Evaluations"), ("/hospital/hours", "Hours to approve") }),
            ("mentor1@st-marys.demo", new[] { ("/hospital/evaluations", "Evaluations"), ("/hospital/hours", "Hours to approve") }),
        })
        {
            var page = await browser.NewPageAsync();
            await PortalBrowser.JourneyAsync(page, "hospital-pages-" + user.Split('@')[0], async () =>
            {
                await page.GotoAsync(new Uri(platform.Gateway, pages[0].Item1).ToString());
                await page.Locator($"button[value='{user}']").ClickAsync();
                foreach (var (path, heading) in pages)
                {
                    await page.GotoAsync(new Uri(platform.Gateway, path).ToString());
                    await Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToBeVisibleAsync();
                    await Expect(page.Locator(".mud-table")).Not.ToHaveCountAsync(0);
                    await Expect(page.Locator("#blazor-error-ui")).Not.ToBeVisibleAsync();
                }
            });
        }
    }

    [Fact]
    public async Task Sign_ins_through_the_portal_count_per_browser_so_one_cannot_spend_everyones()
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false };
        using var portal = new HttpClient(handler) { BaseAddress = platform.Portal };
        var picker = await portal.GetAsync("/signin");
        var cookie = string.Join("; ", picker.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0]));
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(await picker.Content.ReadAsStringAsync()).Groups[1].Value);

        async Task<string> SignInFromAsync(string browserAddress)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/signin/demo")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token, ["userName"] = "student005@northbridge.demo", ["returnUrl"] = "/catalog" }),
            };
            request.Headers.Add("Cookie", cookie);
            request.Headers.Add("X-Forwarded-For", browserAddress);
            var response = await portal.SendAsync(request);
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            return response.Headers.Location!.OriginalString;
        }

        string? refused = null;
        for (var i = 0; i <= Platform.SignInLimit && refused is null; i++)
        {
            var location = await SignInFromAsync("198.51.100.10");
            refused = location.Contains("error=too-many", StringComparison.Ordinal) ? location : null;
        }

        Assert.NotNull(refused);
        Assert.Equal("/catalog", await SignInFromAsync("198.51.100.11"));
    }

    private bool PortalTraceReachedTheSchool() =>
        platform.Collector.Spans
            .Where(s => s.Service == "school" && s.Kind == 2 && s.Name.Contains("catalog/placements", StringComparison.Ordinal))
            .Select(s => s.TraceId).Distinct()
            .Any(trace => platform.Collector.InTrace(trace).ToList() is var spans
                && spans.Any(s => s.Service == "portal" && s.Kind == 3)
                && spans.Any(s => s.Service == "gateway" && s.Kind == 2));

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
