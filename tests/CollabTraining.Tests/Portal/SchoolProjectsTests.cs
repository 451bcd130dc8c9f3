using System.Net;
using System.Text.Json;
using Bunit;
using CollabTraining.Portal.School;
using CollabTraining.Tests.Support;
using static CollabTraining.Tests.Portal.SchoolRoundsTests;

namespace CollabTraining.Tests.Portal;

public sealed class SchoolProjectsTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private readonly PortalComponentContext _context = new(TestAuth.SchoolCoordinator);
    private readonly Project _project;
    private readonly Guid _gpu = Guid.NewGuid();

    public SchoolProjectsTests()
    {
        var budget = new ProjectBudget(new BudgetLine(1000, 0, 0, 1000), new BudgetLine(100, 0, 0, 100));
        _project = new Project(Guid.NewGuid(), "Ward AI", "Early warning", "Predicting deterioration.", "approved", null,
            [new ProjectMember(Guid.NewGuid(), "Ada Medic", "medicine"), new ProjectMember(Guid.NewGuid(), "Bo Engineer", "biomedical-engineering")],
            [new ProjectMentor(Guid.NewGuid(), "engineering", "enterprises", Guid.NewGuid(), "Helix Mentor", Guid.NewGuid(), "accepted", DateTimeOffset.UtcNow, null, DateTimeOffset.UtcNow)],
            [], budget, DateTimeOffset.UtcNow.AddDays(-3), DateTimeOffset.UtcNow.AddDays(-1), 3);
        _context.Gateway
            .OnJson(HttpMethod.Get, "/api/school/projects", _ => new[] { _project })
            .OnJson(HttpMethod.Get, $"/api/school/projects/{_project.Id}", _ => _project)
            .OnJson(HttpMethod.Get, $"/api/school/projects/{_project.Id}/bundles", _ => Array.Empty<Bundle>())
            .OnJson(HttpMethod.Get, "/api/school/catalog/resources", _ => new
            {
                items = new[]
                {
                    new
                    {
                        kind = "computePool", id = _gpu, service = "enterprises", ownerId = Guid.NewGuid(), ownerName = "Helix Compute", name = "A100 pool",
                        description = (string?)null, model = (string?)null, capacity = (int?)4, requiredQualifications = Array.Empty<string>(), approvalRequired = false,
                        expertise = Array.Empty<string>(), projectCapacity = (int?)null,
                    },
                },
                pageNumber = 1, pageSize = 100, total = 1,
            });
    }

    [Fact]
    public async Task Confirming_a_drafted_bundle_sends_its_parts_and_follows_it_from_requested_to_confirmed()
    {
        Bundle? placed = null;
        _context.Gateway
            .On(HttpMethod.Post, $"/api/school/projects/{_project.Id}/bundles", r =>
            {
                placed = BundleFrom(r, "placing", "requested");
                return FakeGateway.Json(HttpStatusCode.Accepted, placed);
            });
        var section = _context.RenderWithProviders<BundlesSection>(
            (nameof(BundlesSection.Project), _project), (nameof(BundlesSection.PollEvery), TimeSpan.FromMilliseconds(50)));
        section.WaitForAssertion(() => Assert.Contains("No bundles yet.", section.Markup, StringComparison.Ordinal), Wait);

        await section.InvokeAsync(() => Button(section, "New bundle").Click());
        await ChooseResourceAsync(section, "A100");
        await section.InvokeAsync(() => Field(section, "Units")!.QuerySelector("input")!.Change("2"));
        var answers = 0;
        await section.InvokeAsync(() => section.Find("button[aria-label='Confirm bundle']").Click());

        section.WaitForAssertion(() => Assert.NotNull(placed), Wait);
        _context.Gateway.On(HttpMethod.Get, $"/api/school/projects/{_project.Id}/bundles/{placed!.Id}", _ =>
            FakeGateway.Json(HttpStatusCode.OK, ++answers < 2 ? placed with { Status = "confirming" } : placed with
            {
                Status = "confirmed", Settled = true, DecidedAt = DateTimeOffset.UtcNow, Parts = [.. placed.Parts.Select(p => p with { State = "confirmed", BookingId = Guid.NewGuid() })],
            }));

        section.WaitForAssertion(() => Assert.Equal("confirmed", section.Find("[data-testid=bundle]").GetAttribute("data-status")), Wait);
        Assert.Equal("Confirmed", section.Find("[data-testid=bundle-status]").TextContent.Trim());
        Assert.Contains("A100 pool", section.Find("[data-testid=bundle]").TextContent, StringComparison.Ordinal);
        section.WaitForAssertion(() => Assert.Contains(_context.Snackbar.ShownSnackbars, s => s.Message == "The bundle is confirmed: every part is booked."), Wait);
        Assert.Empty(section.FindAll("[data-testid=bundle-draft]"));

        var sent = JsonDocument.Parse(Assert.Single(_context.Gateway.To($"/api/school/projects/{_project.Id}/bundles"), r => r.Method == HttpMethod.Post).Body!).RootElement;
        Assert.Equal(60, sent.GetProperty("answerWithinSeconds").GetInt32());
        var part = Assert.Single(sent.GetProperty("parts").EnumerateArray());
        Assert.Equal(_gpu, part.GetProperty("resourceId").GetGuid());
        Assert.Equal(2, part.GetProperty("units").GetInt32());
        Assert.Equal(_project.Team[0].StudentId, part.GetProperty("userId").GetGuid());
        var start = part.GetProperty("start").GetDateTimeOffset();
        Assert.Equal((TimeSpan.Zero, 9, TimeSpan.FromHours(4)), (start.Offset, start.Hour, part.GetProperty("end").GetDateTimeOffset() - start));
        Assert.True(start > DateTimeOffset.UtcNow.AddDays(6), start.ToString("O"));
    }

    [Fact]
    public async Task A_bundle_the_api_refuses_shows_the_problem_at_the_part_field_it_names_and_stays_a_draft()
    {
        _context.Gateway.On(HttpMethod.Post, $"/api/school/projects/{_project.Id}/bundles", _ => FakeGateway.Problem(HttpStatusCode.BadRequest, new
        {
            title = "One or more validation errors occurred.",
            status = 400,
            errors = new Dictionary<string, string[]> { ["parts[0].end"] = ["A part ends after it starts."] },
        }));
        var section = _context.RenderWithProviders<BundlesSection>((nameof(BundlesSection.Project), _project));
        section.WaitForAssertion(() => Assert.Contains("No bundles yet.", section.Markup, StringComparison.Ordinal), Wait);
        await section.InvokeAsync(() => Button(section, "New bundle").Click());
        await ChooseResourceAsync(section, "A100");

        await section.InvokeAsync(() => section.Find("button[aria-label='Confirm bundle']").Click());

        section.WaitForAssertion(() => Assert.Equal("A part ends after it starts.", ErrorAt(section, "End")), Wait);
        Assert.Null(ErrorAt(section, "Start"));
        Assert.Single(section.FindAll("[data-testid=bundle-draft]"));
        Assert.Empty(section.FindAll("[data-testid=bundle]"));
    }

    [Fact]
    public async Task Proposing_a_project_sends_the_team_chosen_and_shows_the_problem_at_the_team()
    {
        var student = new { id = Guid.NewGuid(), studentNumber = "S0042", name = "Cy Nurse", programme = "nursing", studyYear = 3, cohort = (string?)null };
        _context.Gateway
            .OnJson(HttpMethod.Get, "/api/school/students", _ => new { items = new[] { student }, pageNumber = 1, pageSize = 20, total = 1 })
            .On(HttpMethod.Post, "/api/school/projects", _ => FakeGateway.Problem(HttpStatusCode.BadRequest, new
            {
                title = "One or more validation errors occurred.",
                status = 400,
                errors = new Dictionary<string, string[]> { ["studentIds"] = ["A team has 2 to 6 students."] },
            }));
        var page = _context.RenderWithProviders<ProjectsPage>();
        page.WaitForAssertion(() => Assert.Contains("Ward AI", page.Markup, StringComparison.Ordinal), Wait);
        await page.InvokeAsync(() => Button(page, "New project").Click());
        await page.InvokeAsync(() => Field(page, "Title")!.QuerySelector("input")!.Change("Sepsis alarm"));
        await page.InvokeAsync(() => Field(page, "Theme")!.QuerySelector("input")!.Change("Early warning"));
        await page.InvokeAsync(() => Field(page, "Team")!.QuerySelector("input")!.Input("S00"));
        page.WaitForAssertion(() => Assert.NotEmpty(_context.FindAllInPage(".mud-popover-open .mud-list-item")), Wait);
        await page.InvokeAsync(() => _context.FindAllInPage(".mud-popover-open .mud-list-item")[0].Click());
        page.WaitForAssertion(() => Assert.Contains("Cy Nurse (S0042, nursing)", page.Find("[role=list]").TextContent, StringComparison.Ordinal), Wait);

        await page.InvokeAsync(() => page.Find("button[aria-label='Propose']").Click());

        page.WaitForAssertion(() => Assert.Equal("A team has 2 to 6 students.", ErrorAt(page, "Team")), Wait);
        Assert.Equal("S00", _context.Gateway.To("/api/school/students").Last().Query["q"]);
        var sent = JsonDocument.Parse(Assert.Single(_context.Gateway.To("/api/school/projects"), r => r.Method == HttpMethod.Post).Body!).RootElement;
        Assert.Equal(("Sepsis alarm", "Early warning"), (sent.GetProperty("title").GetString(), sent.GetProperty("theme").GetString()));
        Assert.Equal([student.id], sent.GetProperty("studentIds").EnumerateArray().Select(e => e.GetGuid()));
    }

    private async Task ChooseResourceAsync(IRenderedComponent<BundlesSection> section, string text)
    {
        await section.InvokeAsync(() => Field(section, "Resource")!.QuerySelector("input")!.Input(text));
        section.WaitForAssertion(() => Assert.NotEmpty(_context.FindAllInPage(".mud-popover-open .mud-list-item")), Wait);
        await section.InvokeAsync(() => _context.FindAllInPage(".mud-popover-open .mud-list-item")[0].Click());
        section.WaitForAssertion(() => Assert.Equal("A100 pool · Helix Compute", Field(section, "Resource")!.QuerySelector("input")!.GetAttribute("value")), Wait);
    }

    private Bundle BundleFrom(SentRequest request, string status, string state)
    {
        var body = JsonDocument.Parse(request.Body!).RootElement;
        return new Bundle(Guid.NewGuid(), _project.Id, status, false, null, null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(1), null,
            [.. body.GetProperty("parts").EnumerateArray().Select(p => new BundlePart(Guid.NewGuid(), "enterprises", p.GetProperty("resourceId").GetGuid(), "A100 pool",
                "computePool", p.GetProperty("units").GetInt32(), p.GetProperty("start").GetDateTimeOffset(), p.GetProperty("end").GetDateTimeOffset(),
                p.GetProperty("userId").GetGuid(), state, null, null, null, 8))]);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();
}
