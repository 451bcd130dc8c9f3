using System.Net;
using Bunit;
using CollabTraining.Demo;
using CollabTraining.Portal.Catalog;
using CollabTraining.Portal.SignIn;
using CollabTraining.Tests.Support;

namespace CollabTraining.Tests.Portal;

public sealed class CatalogTests : IAsyncLifetime
{
    private readonly PortalComponentContext _context = new();
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private static readonly Guid StMarys = DemoDirectory.Hospitals[0].Id;

    public CatalogTests()
    {
        _context.Gateway
            .OnJson(HttpMethod.Get, "/api/hospitals/hospitals", _ => DemoDirectory.Hospitals.Select(h => new Organisation(h.Id, h.Name)))
            .OnJson(HttpMethod.Get, "/api/enterprises/enterprises", _ => DemoDirectory.Enterprises.Select(h => new Organisation(h.Id, h.Name)))
            .OnJson(HttpMethod.Get, "/api/research/institutes", _ => DemoDirectory.Institutes.Select(h => new Organisation(h.Id, h.Name)))
            .OnJson(HttpMethod.Get, "/api/school/catalog/placements", r => PlacementPage(r, total: 45))
            .OnJson(HttpMethod.Get, "/api/school/catalog/resources", r => new { items = Array.Empty<object>(), pageNumber = 1, pageSize = 20, total = 0 });
    }

    [Fact]
    public async Task The_placements_tab_asks_the_api_for_the_page_and_the_filter_the_user_chose()
    {
        var tab = _context.RenderWithProviders<PlacementsTab>();

        tab.WaitForAssertion(() => Assert.Contains("Ward rotation 1 of page 1", tab.Markup, StringComparison.Ordinal), Wait);
        var first = Assert.Single(_context.Gateway.To("/api/school/catalog/placements"));
        Assert.Equal(new Dictionary<string, string> { ["page"] = "1", ["pageSize"] = "20" }, first.Query);
        Assert.Equal("Bearer " + Session.AccessToken(_context.Principal), first.Authorization);

        await SearchAsync(tab, "cardiology");
        tab.WaitForAssertion(() => Assert.Equal(("cardiology", "1"), Last().Query is var q ? (q.GetValueOrDefault("q"), q["page"]) : default), Wait);

        await tab.InvokeAsync(() => tab.Find("button[aria-label='Next page']").Click());
        tab.WaitForAssertion(() => Assert.Equal(("cardiology", "2", "20"), Last().Query is var q ? (q.GetValueOrDefault("q"), q["page"], q["pageSize"]) : default), Wait);
        tab.WaitForAssertion(() => Assert.Contains("Ward rotation 1 of page 2", tab.Markup, StringComparison.Ordinal), Wait);

        // A new filter starts again at the first page.
        await SearchAsync(tab, "surgery");
        tab.WaitForAssertion(() => Assert.Equal(("surgery", "1"), Last().Query is var q ? (q.GetValueOrDefault("q"), q["page"]) : default), Wait);
    }

    [Fact]
    public void A_link_to_one_hospitals_offers_asks_for_that_hospital_only()
    {
        var tab = _context.RenderWithProviders<PlacementsTab>((nameof(PlacementsTab.HospitalId), (Guid?)StMarys));

        tab.WaitForAssertion(() => Assert.Equal(StMarys.ToString(), Assert.Single(_context.Gateway.To("/api/school/catalog/placements")).Query.GetValueOrDefault("hospitalId")), Wait);
    }

    [Fact]
    public async Task The_apis_problem_appears_at_the_field_it_names_and_the_rest_in_a_snackbar()
    {
        _context.Gateway.On(HttpMethod.Get, "/api/school/catalog/placements", r => r.Query.ContainsKey("q")
            ? FakeGateway.Problem(HttpStatusCode.BadRequest, new
            {
                title = "One or more validation errors occurred.",
                status = 400,
                errors = new Dictionary<string, string[]>
                {
                    ["q"] = ["The search text is limited to 200 characters."],
                    ["pageSize"] = ["The page size must be between 1 and 100."],
                },
            })
            : FakeGateway.Json(HttpStatusCode.OK, PlacementPage(r, total: 3)));
        var tab = _context.RenderWithProviders<PlacementsTab>();
        tab.WaitForAssertion(() => Assert.Single(_context.Gateway.To("/api/school/catalog/placements")), Wait);

        await SearchAsync(tab, new string('x', 201));

        tab.WaitForAssertion(() => Assert.Equal("The search text is limited to 200 characters.", SearchFieldError(tab)), Wait);
        Assert.Contains(_context.Snackbar.ShownSnackbars, s => s.Message == "pageSize: The page size must be between 1 and 100.");
        Assert.DoesNotContain(_context.Snackbar.ShownSnackbars, s => s.Message?.Contains("search text", StringComparison.Ordinal) == true && s.Message.Contains("search text", StringComparison.Ordinal));

        // Changing the field clears its message.
        await SearchAsync(tab, string.Empty);
        tab.WaitForAssertion(() => Assert.Null(SearchFieldError(tab)), Wait);
    }

    [Theory]
    [InlineData(CatalogClient.AnyResource)]
    [InlineData(CatalogClient.Mentor)]
    public void The_resources_tab_asks_for_every_kind_of_resource_and_the_mentors_tab_for_mentors(string kind)
    {
        var owner = DemoDirectory.Enterprises[0].Id;
        var tab = _context.RenderWithProviders<ResourcesTab>((nameof(ResourcesTab.Kind), kind), (nameof(ResourcesTab.OwnerId), (Guid?)owner));

        tab.WaitForAssertion(() => Assert.Single(_context.Gateway.To("/api/school/catalog/resources")), Wait);
        var asked = _context.Gateway.To("/api/school/catalog/resources").Single().Query;
        Assert.Equal((kind, owner.ToString(), "1"), (asked["kind"], asked["ownerId"], asked["page"]));
        Assert.Contains(kind == CatalogClient.Mentor ? "No mentors match." : "No resources match.", tab.Markup, StringComparison.Ordinal);
    }

    /// <summary>Types into the search field; the field waits for a pause in typing (300 ms) before it searches.</summary>
    /// <remarks>Found and typed into on the renderer's dispatcher: the table may re-render in between otherwise.</remarks>
    private static Task SearchAsync(IRenderedComponent<PlacementsTab> tab, string text) =>
        tab.InvokeAsync(() => tab.Find("input").Input(text));

    private SentRequest Last() => _context.Gateway.To("/api/school/catalog/placements").Last();

    private static string? SearchFieldError(IRenderedComponent<PlacementsTab> tab) =>
        tab.FindAll(".mud-input-control")[0].QuerySelector(".mud-input-helper-text.mud-input-error") is { } error ? error.TextContent.Trim() : null;

    private static object PlacementPage(SentRequest request, int total)
    {
        var page = int.Parse(request.Query["page"], System.Globalization.CultureInfo.InvariantCulture);
        var size = int.Parse(request.Query["pageSize"], System.Globalization.CultureInfo.InvariantCulture);
        var count = Math.Max(0, Math.Min(size, total - ((page - 1) * size)));
        var start = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(2);
        return new
        {
            items = Enumerable.Range(1, count).Select(i => new
            {
                id = Guid.NewGuid(),
                hospitalId = StMarys,
                hospitalName = "St Mary's University Hospital",
                department = "Cardiology",
                specialty = "cardiology",
                title = $"Ward rotation {i} of page {page}",
                startsOn = start,
                endsOn = start.AddDays(27),
                seats = 4,
                requirements = new { minimumStudyYear = 4, requiredQualifications = new[] { "infection-control" }, allowedProgrammes = Array.Empty<string>() },
                withdrawn = false,
                closed = false,
            }),
            pageNumber = page,
            pageSize = size,
            total,
        };
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();
}
