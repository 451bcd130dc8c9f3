using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CollabTraining.Demo;
using CollabTraining.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CollabTraining.Tests.EndToEnd;

/// <summary>A placement round in the portal, from a student's ranking to the published result the student reads.</summary>
[Collection(PlatformCollection.Name)]
public sealed class PortalRoundJourneyTests(Platform platform, PortalBrowser browser)
{
    private static readonly TimeSpan Hop = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_student_ranks_offers_by_hand_the_coordinator_runs_and_publishes_the_match_and_the_student_reads_the_result_with_its_explanation()
    {
        var ranker = DemoDirectory.Student(5);
        var rival = DemoDirectory.Student(6);
        var stMarys = platform.ClientAs(TestAuth.StMarysCoordinator);
        var school = platform.ClientAs(TestAuth.SchoolCoordinator);
        var tag = Guid.NewGuid().ToString("N")[..6];

        // Three offers far from other tests' dates: one seat in cardiology, two in medicine, and one asking for radiation protection, which neither student holds.
        var cardiology = await PublishAsync(stMarys, $"Cardiology {tag}", 1);
        var medicine = await PublishAsync(stMarys, $"Medicine {tag}", 2);
        var radiology = await PublishAsync(stMarys, $"Interventional radiology {tag}", 1, requiredQualification: "radiation-protection");
        Assert.True(await Eventually.HoldsAsync(async () =>
            (await (await school.GetAsync($"/api/school/catalog/placements?q={tag}")).ReadNodeAsync())["total"]!.GetValue<int>() == 3, Hop, TimeSpan.FromMilliseconds(300)),
            "the offers did not reach the catalog\n" + platform.Logs());

        // The ranking window closes a minute from now: the run that counts is made after it.
        var closes = DateTimeOffset.UtcNow.AddSeconds(60);
        var created = await school.PostAsJsonAsync("/api/school/rounds", new { name = $"Portal round {tag}", offerIds = new[] { cardiology, medicine, radiology }, preferencesCloseAt = closes, maxRanks = 2 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var round = (await created.ReadNodeAsync())["id"]!.GetValue<Guid>();

        var page = await browser.NewPageAsync();
        await PortalBrowser.JourneyAsync(page, "placement-round-ranking", async () =>
        {
            await SignInAsync(page, ranker.UserName, $"/student/rounds?round={round}");
            await Expect(page.GetByTestId($"offer-{radiology}").GetByTestId("not-eligible")).ToBeVisibleAsync();
            await Expect(page.GetByTestId($"rank-add-{radiology}")).ToBeDisabledAsync();

            // Cardiology first, then medicine; then changes their mind with the keyboard buttons, and back.
            await page.GetByTestId($"rank-add-{cardiology}").ClickAsync();
            await page.GetByTestId($"rank-add-{medicine}").ClickAsync();
            await page.GetByTestId($"rank-up-{medicine}").ClickAsync();
            await page.GetByTestId($"rank-down-{medicine}").ClickAsync();
            await Expect(page.GetByTestId("ranking").GetByTestId("rank")).ToHaveTextAsync(["1", "2"]);
            await Expect(page.GetByTestId("ranking").Locator("[data-testid^='offer-']").First).ToHaveAttributeAsync("data-testid", $"offer-{cardiology}");
            await page.GetByRole(AriaRole.Button, new() { Name = "Submit ranking" }).ClickAsync();
            await Expect(page.GetByTestId("submitted-ranking")).ToContainTextAsync($"Cardiology {tag}");
        });

        // What the school stored is what the student put on screen.
        var stored = await (await platform.ClientAs(ranker.UserName).GetAsync($"/api/school/rounds/{round}/preferences/me")).ReadNodeAsync();
        Assert.Equal([cardiology, medicine], stored["offerIds"]!.AsArray().Select(o => o!.GetValue<Guid>()));
        var rivalRanks = await platform.ClientAs(rival.UserName).PutAsJsonAsync($"/api/school/rounds/{round}/preferences/me", new { offerIds = new[] { cardiology } });
        Assert.Equal(HttpStatusCode.OK, rivalRanks.StatusCode);

        var wait = closes - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(500);
        Assert.True(wait > TimeSpan.Zero, "ranking in the browser took longer than the preference window");
        await Task.Delay(wait);

        // The coordinator runs the match on the final rankings and publishes it, in the portal.
        var coordinator = await browser.NewPageAsync();
        await PortalBrowser.JourneyAsync(coordinator, "placement-round-published", async () =>
        {
            await SignInAsync(coordinator, TestAuth.SchoolCoordinator, $"/school/rounds?roundId={round}");
            await coordinator.GetByLabel("Lottery seed").FillAsync("20261126");
            await coordinator.GetByRole(AriaRole.Button, new() { Name = "Run match", Exact = true }).ClickAsync();
            var initial = coordinator.Locator(".mud-table-body tr", new() { HasText = "Initial" });
            await Expect(initial).ToHaveCountAsync(1);
            await Expect(coordinator.Locator(".mud-chart").First).ToBeVisibleAsync();
            await initial.GetByRole(AriaRole.Button, new() { Name = "Publish", Exact = true }).ClickAsync();
            await Expect(initial).ToContainTextAsync("Published");
        });

        var runs = await (await school.GetAsync($"/api/school/rounds/{round}/runs")).ReadNodeAsync();
        var published = Assert.Single(runs.AsArray(), r => r!["published"]!.GetValue<bool>())!;
        Assert.Equal(("Initial", "20261126", 2),
            (published["kind"]!.GetValue<string>(), published["seed"]!.ToString(), published["matched"]!.GetValue<int>() + published["unmatched"]!.GetValue<int>()));

        // The student reads their result; which of the two gets the one cardiology seat is the lottery's, so the page is
        // compared with what the API tells the student.
        var result = await (await platform.ClientAs(ranker.UserName).GetAsync($"/api/school/rounds/{round}/result/me")).ReadNodeAsync();
        var placedAt = result["offerId"]!.GetValue<Guid>() == cardiology ? $"Cardiology {tag}" : $"Medicine {tag}";
        var student = await browser.NewPageAsync();
        await PortalBrowser.JourneyAsync(student, "placement-round-result", async () =>
        {
            await SignInAsync(student, ranker.UserName, "/student/placement");
            var card = student.GetByTestId($"round-{round}");
            await Expect(card.GetByTestId("result")).ToContainTextAsync(placedAt);
            if (placedAt.StartsWith("Medicine", StringComparison.Ordinal))
            {
                // Their first choice went to someone else: the page says why, naming it.
                await Expect(card.GetByTestId("result")).ToContainTextAsync($"Cardiology {tag}");
            }

            await Expect(card.GetByTestId("assignment")).ToContainTextAsync("St Mary's University Hospital");
        });
    }

    private async Task SignInAsync(IPage page, string userName, string path)
    {
        await page.GotoAsync(new Uri(platform.Gateway, path).ToString());
        await page.Locator($"button[value='{userName}']").ClickAsync();
        await page.WaitForURLAsync(new Uri(platform.Gateway, path).ToString());
    }

    private static async Task<Guid> PublishAsync(HttpClient hospital, string title, int seats, string? requiredQualification = null)
    {
        // Three hundred days ahead: no other test's placement overlaps, so no student is held elsewhere.
        var starts = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(300);
        var body = new
        {
            department = "Department", specialty = "general", title, startsOn = starts, endsOn = starts.AddDays(13), seats,
            requirements = new { minimumStudyYear = 1, requiredQualifications = requiredQualification is null ? Array.Empty<string>() : [requiredQualification] },
        };
        var response = await hospital.PostAsJsonAsync("/api/hospitals/placement-offers", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.ReadNodeAsync())["id"]!.GetValue<Guid>();
    }
}
