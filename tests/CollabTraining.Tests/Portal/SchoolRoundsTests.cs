using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Text.Json;
using Bunit;
using CollabTraining.Portal.School;
using CollabTraining.Tests.Support;

namespace CollabTraining.Tests.Portal;

public sealed class SchoolRoundsTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private readonly PortalComponentContext _context = new(TestAuth.SchoolCoordinator);
    private readonly Round _round = new(
        Guid.NewGuid(), "Spring rotations", [Guid.NewGuid()], [], DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddDays(-1), 10, "Closed", null, null, null, 4);

    private readonly List<MatchRunSummary> _runs = [];

    public SchoolRoundsTests()
    {
        _context.Gateway
            .OnJson(HttpMethod.Get, "/api/school/rounds", _ => new[] { _round })
            .OnJson(HttpMethod.Get, $"/api/school/rounds/{_round.Id}/runs", _ => _runs.OrderByDescending(r => r.RanAt).ToList())
            .OnJson(HttpMethod.Get, "/api/school/catalog/placements", _ => new { items = Array.Empty<object>(), pageNumber = 1, pageSize = 100, total = 0 });
    }

    [Fact]
    public async Task A_teacher_reads_the_rounds_and_runs_but_is_offered_none_of_the_coordinators_actions()
    {
        await using var teacher = new PortalComponentContext("teacher@northbridge.demo");
        teacher.Gateway
            .OnJson(HttpMethod.Get, "/api/school/rounds", _ => new[] { _round })
            .OnJson(HttpMethod.Get, $"/api/school/rounds/{_round.Id}/runs", _ => _runs);
        teacher.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo($"school/rounds?roundId={_round.Id}");

        var page = teacher.RenderWithProviders<RoundsPage>();

        page.WaitForAssertion(() => Assert.Contains("Match runs", page.Markup, StringComparison.Ordinal), Wait);
        Assert.Contains("Spring rotations", page.Markup, StringComparison.Ordinal);
        var buttons = page.FindAll("button").Select(b => b.TextContent.Trim()).ToList();
        Assert.DoesNotContain("New round", buttons);
        Assert.DoesNotContain("Run match", buttons);
        Assert.DoesNotContain("Publish", buttons);
    }

    [Fact]
    public async Task Opening_a_round_sends_what_the_api_takes_and_shows_its_problem_at_the_field_it_names()
    {
        _context.Gateway.On(HttpMethod.Post, "/api/school/rounds", _ => FakeGateway.Problem(HttpStatusCode.BadRequest, new
        {
            title = "One or more validation errors occurred.",
            status = 400,
            errors = new Dictionary<string, string[]>
            {
                ["name"] = ["The field Name must be a string with a minimum length of 3 and a maximum length of 200."],
                ["offerIds"] = ["The field OfferIds must be a string or array type with a minimum length of '1'."],
            },
        }));
        var page = _context.RenderWithProviders<RoundsPage>();
        page.WaitForAssertion(() => Assert.Contains("Spring rotations", page.Markup, StringComparison.Ordinal), Wait);

        await page.InvokeAsync(() => Button(page, "New round").Click());
        page.WaitForAssertion(() => Assert.NotNull(Field(page, "Name")), Wait);
        await page.InvokeAsync(() => Field(page, "Name")!.QuerySelector("input")!.Change("R1"));
        await page.InvokeAsync(() => page.Find("button[aria-label='Open round']").Click());

        page.WaitForAssertion(() => Assert.Equal("The field Name must be a string with a minimum length of 3 and a maximum length of 200.", ErrorAt(page, "Name")), Wait);
        Assert.Equal("The field OfferIds must be a string or array type with a minimum length of '1'.", ErrorAt(page, "Offers in the round"));
        var sent = JsonDocument.Parse(Assert.Single(_context.Gateway.Requests, r => r.Method == HttpMethod.Post).Body!).RootElement;
        Assert.Equal("R1", sent.GetProperty("name").GetString());
        Assert.Equal(0, sent.GetProperty("offerIds").GetArrayLength());
        Assert.Equal(10, sent.GetProperty("maxRanks").GetInt32());
        Assert.Equal(JsonValueKind.Null, sent.GetProperty("preferencesCloseAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, sent.GetProperty("preferencesOpenAt").ValueKind);

        // Changing the field clears its message.
        await page.InvokeAsync(() => Field(page, "Name")!.QuerySelector("input")!.Change("Round one"));
        page.WaitForAssertion(() => Assert.Null(ErrorAt(page, "Name")), Wait);
    }

    [Fact]
    public async Task Running_the_match_shows_the_new_run_with_its_rank_distribution_and_publishing_sends_the_run()
    {
        _context.Gateway
            .On(HttpMethod.Post, $"/api/school/rounds/{_round.Id}/match", _ =>
            {
                var run = Run("Initial", matched: 40, unmatched: 2, [30, 8, 2]);
                _runs.Add(run);
                return FakeGateway.Json(HttpStatusCode.Created, run);
            });
        var page = await SelectRoundAsync();
        page.WaitForAssertion(() => Assert.Contains("No runs yet.", page.Markup, StringComparison.Ordinal), Wait);

        await page.InvokeAsync(() => Field(page, "Lottery seed")!.QuerySelector("input")!.Change("12345678901234567"));
        await page.InvokeAsync(() => page.Find("button[aria-label='Run match']").Click());

        page.WaitForAssertion(() => Assert.Contains("Matched 40 of 42 students.", _context.PageMarkup, StringComparison.Ordinal), Wait);
        var sent = Assert.Single(_context.Gateway.To($"/api/school/rounds/{_round.Id}/match"));
        Assert.Equal("""{"seed":"12345678901234567"}""", sent.Body);
        page.WaitForAssertion(() => Assert.Single(page.FindAll("button[aria-label='Publish']")), Wait);
        Assert.Contains("Rank distribution of the run at", page.Markup, StringComparison.Ordinal);
        Assert.NotEmpty(page.FindAll("figure svg"));
        Assert.Contains("Initial: Choice 1 30, Choice 2 8, Choice 3 2, Unmatched 2", page.Find("figure figcaption").TextContent, StringComparison.Ordinal);

        var runId = _runs[0].Id;
        _context.Gateway.OnJson(HttpMethod.Post, $"/api/school/rounds/{_round.Id}/runs/{runId}/publish",
            _ => new PublishedRun(_round.Id, runId, 40, DateTimeOffset.UtcNow.AddDays(7)));
        await page.InvokeAsync(() => page.Find("button[aria-label='Publish']").Click());
        page.WaitForAssertion(() => Assert.Contains("Published: 40 assignment(s) sent to the hospitals.", _context.PageMarkup, StringComparison.Ordinal), Wait);
        Assert.Equal("""{"studentDeclineDeadline":null}""", Assert.Single(_context.Gateway.To($"/api/school/rounds/{_round.Id}/runs/{runId}/publish")).Body);
    }

    [Fact]
    public async Task A_refused_match_shows_the_apis_problem_and_no_run()
    {
        _context.Gateway.On(HttpMethod.Post, $"/api/school/rounds/{_round.Id}/match", _ => FakeGateway.Problem(HttpStatusCode.Forbidden, new
        {
            title = "Forbidden",
            status = 403,
            detail = "Only the school's coordinators run the match.",
        }));
        var page = await SelectRoundAsync();

        await page.InvokeAsync(() => page.Find("button[aria-label='Run match']").Click());

        page.WaitForAssertion(() => Assert.Contains(_context.Snackbar.ShownSnackbars, s => s.Message == "Only the school's coordinators run the match."), Wait);
        Assert.Contains("No runs yet.", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Comparing_two_runs_shows_both_side_by_side_and_the_students_placed_differently()
    {
        var earlier = Run("Provisional", 38, 4, [28, 8, 2], DateTimeOffset.UtcNow.AddDays(-3));
        var later = Run("Initial", 40, 2, [30, 8, 2], DateTimeOffset.UtcNow.AddHours(-1));
        _runs.AddRange([earlier, later]);
        _context.Gateway.OnJson(HttpMethod.Get, $"/api/school/rounds/{_round.Id}/runs/compare", _ => new RunComparison(earlier, later, 41,
            [new RunMove(Guid.NewGuid(), "Ada Lovelace", null, null, null, Guid.NewGuid(), "Cardiology ward", 2)]));
        var page = await SelectRoundAsync();
        page.WaitForAssertion(() => Assert.NotNull(page.Find("button[aria-label='Compare']")), Wait);

        await page.InvokeAsync(() => page.Find("button[aria-label='Compare']").Click());

        page.WaitForAssertion(() => Assert.Contains("Ada Lovelace", page.Markup, StringComparison.Ordinal), Wait);
        var asked = Assert.Single(_context.Gateway.To($"/api/school/rounds/{_round.Id}/runs/compare")).Query;
        Assert.Equal((earlier.Id.ToString(), later.Id.ToString()), (asked["first"], asked["second"]));
        var comparison = page.Find("[data-testid=run-comparison]");
        Assert.Contains("38 of 42 students matched", comparison.TextContent, StringComparison.Ordinal);
        Assert.Contains("40 of 42 students matched", comparison.TextContent, StringComparison.Ordinal);
        Assert.Contains("41 student(s) placed alike; 1 placed differently:", comparison.TextContent, StringComparison.Ordinal);
        var move = page.FindAll("table[aria-label='Students placed differently'] tbody tr").Single();
        Assert.Equal(["Ada Lovelace", "Unmatched", "Cardiology ward (Choice 2)"], move.QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
    }

    [Fact]
    public async Task A_student_is_told_the_page_is_not_for_them()
    {
        await using var student = new PortalComponentContext(TestAuth.Student);
        var page = student.RenderWithProviders<RoundsPage>();

        page.WaitForAssertion(() => Assert.Contains("Your role does not let you see this page.", page.Markup, StringComparison.Ordinal), Wait);
        Assert.Empty(student.Gateway.Requests);
    }

    private async Task<IRenderedComponent<RoundsPage>> SelectRoundAsync()
    {
        var page = _context.RenderWithProviders<RoundsPage>();
        page.WaitForAssertion(() => Assert.Contains("Spring rotations", page.Markup, StringComparison.Ordinal), Wait);
        await page.InvokeAsync(() => page.Find("button[aria-label='Show round Spring rotations']").Click());
        page.WaitForAssertion(() => Assert.Single(_context.Gateway.To($"/api/school/rounds/{_round.Id}/runs")), Wait);
        return page;
    }

    private MatchRunSummary Run(string kind, int matched, int unmatched, int[] byRank, DateTimeOffset? at = null) =>
        new(Guid.NewGuid(), _round.Id, kind, "12345678901234567", "da-1", "digest", at ?? DateTimeOffset.UtcNow, true, matched, unmatched,
            new RankDistribution([.. byRank.Select((n, i) => new RankCount(i + 1, n))], unmatched), false);

    internal static AngleSharp.Dom.IElement Button<T>(IRenderedComponent<T> page, string text)
        where T : Microsoft.AspNetCore.Components.IComponent =>
        page.FindAll("button").First(b => b.TextContent.Trim() == text);

    /// <summary>The MudBlazor input control whose label reads <paramref name="label"/>.</summary>
    internal static AngleSharp.Dom.IElement? Field<T>(IRenderedComponent<T> page, string label)
        where T : Microsoft.AspNetCore.Components.IComponent =>
        page.FindAll(".mud-input-control").FirstOrDefault(c => c.QuerySelector("label")?.TextContent.Trim() == label);

    /// <summary>The error shown under the field, if any.</summary>
    internal static string? ErrorAt<T>(IRenderedComponent<T> page, string label)
        where T : Microsoft.AspNetCore.Components.IComponent =>
        Field(page, label)?.QuerySelector(".mud-input-helper-text.mud-input-error") is { } error ? error.TextContent.Trim() : null;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();
}
