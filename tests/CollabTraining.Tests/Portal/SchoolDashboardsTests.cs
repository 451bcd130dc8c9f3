using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Bunit;
using CollabTraining.Portal.School;
using CollabTraining.Tests.Integration;
using CollabTraining.Tests.Support;
using static CollabTraining.Tests.Portal.SchoolRoundsTests;

namespace CollabTraining.Tests.Portal;

public sealed partial class SchoolDashboardsTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private readonly PortalComponentContext _context = new(TestAuth.SchoolCoordinator);
    private static readonly LedgerLine Helix = new(Guid.NewGuid(), "Helix Compute", 0, 0, 400, 120.5, 0, 0, 2, 1, 0, 400, 120.5);
    private static readonly LedgerLine StMarys = new(Guid.NewGuid(), "St Mary's University Hospital", 12, 9, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    public SchoolDashboardsTests()
    {
        _context.Gateway
            .OnJson(HttpMethod.Get, "/api/school/rounds", _ => Array.Empty<Round>())
            .OnJson(HttpMethod.Get, "/api/school/ledger", r => new LedgerReport(DateOnly.Parse(r.Query["from"], System.Globalization.CultureInfo.InvariantCulture),
                DateOnly.Parse(r.Query["to"], System.Globalization.CultureInfo.InvariantCulture), [Helix, StMarys],
                new LedgerLine(null, null, 12, 9, 400, 120.5, 0, 0, 2, 1, 0, 400, 120.5)))
            .OnJson(HttpMethod.Get, "/api/school/ledger/resources", r => new ResourceUtilisationReport(DateOnly.Parse(r.Query["from"], System.Globalization.CultureInfo.InvariantCulture),
                DateOnly.Parse(r.Query["to"], System.Globalization.CultureInfo.InvariantCulture),
                [
                    new ResourceUtilisationLine(Guid.NewGuid(), "A100 pool", Helix.OrganisationId!.Value, "Helix Compute", "computePool", 4, 744, 500.5, 2976, 0.25),
                    new ResourceUtilisationLine(Guid.NewGuid(), "MRI scanner", Guid.NewGuid(), "Imaging Institute", "equipment", 1, 0, 0, 744, 0),
                ]))
            .OnJson(HttpMethod.Get, "/api/school/reports/cohort", r => new CohortReport(null, int.Parse(r.Query["threshold"], System.Globalization.CultureInfo.InvariantCulture), 6,
                [new CompetencySummary("communication", [new ScoreCount(2, 1), new ScoreCount(4, 5)], 3.67)],
                [new StudentBelowThreshold(Guid.NewGuid(), "Ada One", "communication", 2, "St Mary's University Hospital")],
                [new HospitalCompletion(Guid.NewGuid(), "St Mary's University Hospital", 12, 6, 0.5)]));
    }

    [Fact]
    public void The_dashboards_show_the_months_ledger_the_cohorts_competencies_and_completion_with_csv_links()
    {
        var page = _context.RenderWithProviders<DashboardsPage>();

        page.WaitForAssertion(() => Assert.Contains("Helix Compute", page.Find("[data-testid=ledger]").TextContent, StringComparison.Ordinal), Wait);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var first = new DateOnly(today.Year, today.Month, 1);
        var asked = Assert.Single(_context.Gateway.To("/api/school/ledger")).Query;
        Assert.Equal((first.ToString("yyyy-MM-dd"), first.AddMonths(1).ToString("yyyy-MM-dd")), (asked["from"], asked["to"]));
        var helix = page.FindAll("[data-testid=ledger] tbody tr").Single(r => r.TextContent.Contains("Helix", StringComparison.Ordinal));
        Assert.Contains("120.5 / 400.0", helix.TextContent, StringComparison.Ordinal);
        Assert.Contains("9 filled of 12", page.Find("[data-testid=ledger] tfoot").TextContent, StringComparison.Ordinal);
        Assert.Equal($"school/exports/ledger.csv?from={first:yyyy-MM-dd}&to={first.AddMonths(1):yyyy-MM-dd}", page.Find("[data-testid=ledger-csv]").GetAttribute("href"));

        page.WaitForAssertion(() => Assert.Contains("50", page.Find("[data-testid=completion]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Equal("3", Assert.Single(_context.Gateway.To("/api/school/reports/cohort")).Query["threshold"]);
        Assert.Contains("communication: mean 3.67", page.Markup, StringComparison.Ordinal);
        Assert.Contains("Ada One", page.Markup, StringComparison.Ordinal);
        Assert.Equal("school/exports/cohort.csv?threshold=3", page.Find("[data-testid=cohort-csv]").GetAttribute("href"));
        Assert.Equal(3, page.FindAll("figure svg").Count);
    }

    [Fact]
    public void Utilisation_per_resource_is_asked_for_the_chosen_period_and_shown_with_a_labelled_bar_per_row()
    {
        var page = _context.RenderWithProviders<DashboardsPage>();

        page.WaitForAssertion(() => Assert.Contains("A100 pool", page.Find("[data-testid=resource-utilisation]").TextContent, StringComparison.Ordinal), Wait);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var first = new DateOnly(today.Year, today.Month, 1);
        var asked = Assert.Single(_context.Gateway.To("/api/school/ledger/resources")).Query;
        Assert.Equal(new Dictionary<string, string> { ["from"] = first.ToString("yyyy-MM-dd"), ["to"] = first.AddMonths(1).ToString("yyyy-MM-dd") }, asked);

        var rows = page.FindAll("[data-testid=resource-utilisation] tbody tr");
        Assert.Equal(2, rows.Count);
        var pool = rows.Single(r => r.TextContent.Contains("A100 pool", StringComparison.Ordinal));
        Assert.Contains("Helix Compute", pool.TextContent, StringComparison.Ordinal);
        Assert.Contains("744.0", pool.TextContent, StringComparison.Ordinal);
        Assert.Contains("500.5", pool.TextContent, StringComparison.Ordinal);
        Assert.Contains("25.0", pool.TextContent, StringComparison.Ordinal);
        var bar = pool.QuerySelector("[role=progressbar]");
        Assert.NotNull(bar);
        Assert.Equal("Utilisation of A100 pool", bar!.GetAttribute("aria-label"));
        Assert.Equal("25", bar.GetAttribute("aria-valuenow"));
        Assert.Contains("MRI scanner", page.Find("[data-testid=resource-utilisation]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_period_the_api_refuses_is_shown_at_the_field_it_names()
    {
        _context.Gateway.On(HttpMethod.Get, "/api/school/ledger", _ => FakeGateway.Problem(HttpStatusCode.BadRequest, new
        {
            title = "One or more validation errors occurred.",
            status = 400,
            errors = new Dictionary<string, string[]> { ["to"] = ["A ledger covers at most 731 days."] },
        }));

        var page = _context.RenderWithProviders<DashboardsPage>();

        page.WaitForAssertion(() => Assert.Equal("A ledger covers at most 731 days.", ErrorAt(page, "Until (exclusive)")), Wait);
        Assert.Null(ErrorAt(page, "From"));
    }

    [Fact]
    public async Task A_csv_export_is_streamed_from_the_gateway_with_the_users_token_and_only_the_parameters_it_takes()
    {
        using var portal = new PortalFactory();
        // One token, issued once: two issued a second apart differ in their times.
        var token = TestAuth.TokenFor(TestAuth.SchoolCoordinator);
        portal.Gateway
            .OnJson(HttpMethod.Get, "/auth/users", _ => new[] { Demo(TestAuth.SchoolCoordinator) })
            .On(HttpMethod.Post, "/auth/token", _ => FakeGateway.Json(HttpStatusCode.OK, new
            {
                accessToken = token, tokenType = "Bearer", expiresIn = 3600, user = Demo(TestAuth.SchoolCoordinator),
            }))
            .On(HttpMethod.Get, "/api/school/ledger", _ =>
            {
                var file = new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("organisationId,organisation\n1,Helix Compute\n", Encoding.UTF8, "text/csv") };
                file.Content.Headers.ContentDisposition = new("attachment") { FileName = "ledger-2026-11-01-to-2026-12-01.csv" };
                return file;
            });
        var browser = portal.Browser();
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/school/exports/ledger.csv")).StatusCode);
        await SignInAsync(browser, TestAuth.SchoolCoordinator);

        var response = await browser.GetAsync("/school/exports/ledger.csv?from=2026-11-01&to=2026-12-01&format=json&evil=1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("ledger-2026-11-01-to-2026-12-01.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal("organisationId,organisation\n1,Helix Compute\n", await response.Content.ReadAsStringAsync());
        var asked = Assert.Single(portal.Gateway.To("/api/school/ledger"));
        Assert.Equal(new Dictionary<string, string> { ["from"] = "2026-11-01", ["to"] = "2026-12-01", ["format"] = "csv" }, asked.Query);
        Assert.Equal("Bearer " + token, asked.Authorization);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/school/exports/students.csv")).StatusCode);

        // Utilisation per resource comes from its own API path, with the same parameters.
        portal.Gateway.On(HttpMethod.Get, "/api/school/ledger/resources", _ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("resourceId,name\n", Encoding.UTF8, "text/csv") });
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/school/exports/utilisation.csv?from=2026-11-01&to=2026-12-01")).StatusCode);
        Assert.Equal(new Dictionary<string, string> { ["from"] = "2026-11-01", ["to"] = "2026-12-01", ["format"] = "csv" }, Assert.Single(portal.Gateway.To("/api/school/ledger/resources")).Query);

        // The token expired while the session lasted: sign in again and come back to the same download.
        portal.Gateway.On(HttpMethod.Get, "/api/school/reports/cohort", _ => FakeGateway.Problem(HttpStatusCode.Unauthorized, new { title = "Unauthorized", status = 401 }));
        var expired = await browser.GetAsync("/school/exports/cohort.csv?threshold=2");
        Assert.Equal(HttpStatusCode.Redirect, expired.StatusCode);
        Assert.Equal("/signin?expired=true&returnUrl=%2Fschool%2Fexports%2Fcohort.csv%3Fthreshold%3D2", expired.Headers.Location?.OriginalString);
    }

    private static object Demo(string userName)
    {
        var user = TestAuth.User(userName);
        return new { id = user.Id, userName = user.UserName, displayName = user.DisplayName, organisationId = user.Organisation.Id, organisationName = user.Organisation.Name, organisationKind = user.Organisation.Kind, roles = user.Roles };
    }

    private static async Task SignInAsync(HttpClient browser, string userName)
    {
        var page = await (await browser.GetAsync("/signin")).Content.ReadAsStringAsync();
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(page).Groups[1].Value);
        var signedIn = await browser.PostAsync("/signin/demo", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["userName"] = userName, ["returnUrl"] = "/school/dashboards",
        }));
        Assert.Equal("/school/dashboards", signedIn.Headers.Location?.OriginalString);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();
}
