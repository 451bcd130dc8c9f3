using System.Net;
using System.Text.Json.Nodes;
using Bunit;
using CollabTraining.Demo;
using CollabTraining.Portal.Api;
using CollabTraining.Portal.Catalog;
using CollabTraining.Portal.Hospital;
using CollabTraining.Tests.Support;

namespace CollabTraining.Tests.Portal;

public sealed class HospitalOffersTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private static readonly Guid StMarys = DemoDirectory.Hospitals[0].Id;
    private readonly PortalComponentContext _context = new(TestAuth.StMarysCoordinator);
    private readonly HospitalOffer _draft = Offer("Cardiology ward rotation", OfferStatus.Draft, version: 3);
    private readonly HospitalOffer _published = Offer("Emergency night shifts", OfferStatus.Published, version: 7);

    public HospitalOffersTests()
    {
        _context.Gateway
            .OnJson(HttpMethod.Get, "/api/hospitals/placement-offers", r => new ApiPage<HospitalOffer>([_draft, _published], int.Parse(r.Query["page"], System.Globalization.CultureInfo.InvariantCulture), 20, 2))
            .OnJson(HttpMethod.Get, "/api/school/reference/qualifications", _ => new[] { new ReferenceCode("infection-control", "Infection control") })
            .OnJson(HttpMethod.Get, "/api/school/reference/programmes", _ => new[] { new ReferenceCode("medicine", "Medicine") })
            .On(HttpMethod.Post, "/api/hospitals/placement-offers", r => FakeGateway.Json(HttpStatusCode.Created, _draft with { Title = JsonNode.Parse(r.Body!)!["title"]!.GetValue<string>() }));
    }

    [Fact]
    public void The_table_asks_the_api_for_the_coordinators_own_hospitals_offers_one_page_at_a_time()
    {
        var page = _context.RenderWithProviders<OffersPage>();

        page.WaitForAssertion(() => Assert.Contains("Emergency night shifts", page.Markup, StringComparison.Ordinal), Wait);
        var asked = Assert.Single(_context.Gateway.To("/api/hospitals/placement-offers")).Query;
        Assert.Equal(new Dictionary<string, string> { ["hospitalId"] = StMarys.ToString(), ["page"] = "1", ["pageSize"] = "20" }, asked);
        Assert.Contains("Draft", page.Markup, StringComparison.Ordinal);
        Assert.NotNull(Button(page, "Publish Cardiology ward rotation"));
        Assert.Null(Button(page, "Publish Emergency night shifts"));
    }

    [Fact]
    public async Task A_new_offer_sends_exactly_what_the_api_takes()
    {
        var page = _context.RenderWithProviders<OffersPage>();
        page.WaitForAssertion(() => Assert.Contains("Emergency night shifts", page.Markup, StringComparison.Ordinal), Wait);

        await page.InvokeAsync(() => ButtonWithText(page, "New offer").Click());
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".offer-editor")), Wait);
        await page.InvokeAsync(() => page.Find(".offer-title input").Change("Paediatric outpatients"));
        await page.InvokeAsync(() => page.Find(".offer-department input").Change("Paediatrics"));
        await page.InvokeAsync(() => page.Find(".offer-specialty input").Change("paediatrics"));
        await page.InvokeAsync(() => ButtonWithText(page, "Save").Click());

        page.WaitForAssertion(() => Assert.Single(_context.Gateway.To("/api/hospitals/placement-offers"), r => r.Method == HttpMethod.Post), Wait);
        var body = JsonNode.Parse(_context.Gateway.To("/api/hospitals/placement-offers").Single(r => r.Method == HttpMethod.Post).Body!)!.AsObject();
        var today = DateOnly.FromDateTime(DateTime.Now);
        var start = new DateOnly(today.Year, today.Month, 1).AddMonths(2);
        Assert.Equal(
            $$"""{"department":"Paediatrics","specialty":"paediatrics","title":"Paediatric outpatients","startsOn":"{{start:yyyy-MM-dd}}","endsOn":"{{start.AddDays(27):yyyy-MM-dd}}","seats":4,"requirements":{"minimumStudyYear":1,"requiredQualifications":[],"allowedProgrammes":[]},"publish":true}""",
            body.ToJsonString());
        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".offer-editor")), Wait);
        Assert.Contains(_context.Snackbar.ShownSnackbars, s => s.Message == "Saved Paediatric outpatients.");
    }

    [Fact]
    public async Task The_apis_problem_appears_at_the_field_it_names()
    {
        _context.Gateway.On(HttpMethod.Post, "/api/hospitals/placement-offers", _ => FakeGateway.Problem(HttpStatusCode.BadRequest, new
        {
            title = "One or more validation errors occurred.",
            status = 400,
            errors = new Dictionary<string, string[]>
            {
                ["endsOn"] = ["The placement cannot end before it starts."],
                ["requirements.minimumStudyYear"] = ["The field MinimumStudyYear must be between 1 and 6."],
            },
        }));
        var page = _context.RenderWithProviders<OffersPage>();
        page.WaitForAssertion(() => Assert.Contains("Emergency night shifts", page.Markup, StringComparison.Ordinal), Wait);
        await page.InvokeAsync(() => ButtonWithText(page, "New offer").Click());
        await page.InvokeAsync(() => page.Find(".offer-title input").Change("Paediatric outpatients"));
        await page.InvokeAsync(() => ButtonWithText(page, "Save").Click());

        page.WaitForAssertion(() => Assert.Equal("The placement cannot end before it starts.", FieldError(page, ".offer-ends")), Wait);
        Assert.Equal("The field MinimumStudyYear must be between 1 and 6.", FieldError(page, ".offer-year"));
        Assert.Null(FieldError(page, ".offer-starts"));
        Assert.NotEmpty(page.FindAll(".offer-editor"));
    }

    [Fact]
    public async Task Publishing_a_draft_sends_the_version_it_was_read_at_and_a_changed_offer_is_reported()
    {
        _context.Gateway.On(HttpMethod.Post, $"/api/hospitals/placement-offers/{_draft.Id}/publish", _ => FakeGateway.Problem(HttpStatusCode.PreconditionFailed, new
        {
            title = "The offer has changed since you read it.",
            status = 412,
            detail = "It is now at version 4 (ETag \"4\"); reload it and apply your change again.",
        }));
        var page = _context.RenderWithProviders<OffersPage>();
        page.WaitForAssertion(() => Assert.NotNull(Button(page, "Publish Cardiology ward rotation")), Wait);

        await page.InvokeAsync(() => Button(page, "Publish Cardiology ward rotation")!.Click());

        page.WaitForAssertion(() => Assert.Single(_context.Gateway.To($"/api/hospitals/placement-offers/{_draft.Id}/publish")), Wait);
        Assert.Equal("\"3\"", _context.Gateway.To($"/api/hospitals/placement-offers/{_draft.Id}/publish").Single().Headers["If-Match"]);
        page.WaitForAssertion(() => Assert.Contains(_context.Snackbar.ShownSnackbars, s => s.Message!.Contains("It is now at version 4", StringComparison.Ordinal)), Wait);
        page.WaitForAssertion(() => Assert.Equal(2, _context.Gateway.To("/api/hospitals/placement-offers").Count()), Wait);
    }

    [Fact]
    public async Task The_coordinator_ranks_the_applicants_with_the_buttons_or_by_dragging_and_submits_the_order()
    {
        var round = new PlacementRound(Guid.NewGuid(), "Spring rotations", [_published.Id], [], DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(6), 10, "Open", 1);
        var other = round with { Id = Guid.NewGuid(), OfferIds = [Guid.NewGuid()] };
        Applicant[] applicants = [new(Guid.NewGuid(), "Ada Ahn", "medicine", 4, null), new(Guid.NewGuid(), "Ben Bauer", "medicine", 5, null), new(Guid.NewGuid(), "Cai Chen", "nursing", 4, null)];
        var path = $"/api/school/rounds/{round.Id}/offers/{_published.Id}";
        _context.Gateway
            .OnJson(HttpMethod.Get, "/api/school/rounds", _ => new[] { other, round })
            .OnJson(HttpMethod.Get, path + "/applicants", _ => applicants)
            .On(HttpMethod.Get, path + "/ranking", _ => FakeGateway.Problem(HttpStatusCode.NotFound, new { title = "No ranking yet.", status = 404 }))
            .OnJson(HttpMethod.Put, path + "/ranking", r => new HospitalRanking(round.Id, _published.Id, [], [], DateTimeOffset.UtcNow));
        var page = _context.RenderWithProviders<OffersPage>();
        page.WaitForAssertion(() => Assert.NotNull(Button(page, "Applicants to Emergency night shifts")), Wait);

        await page.InvokeAsync(() => Button(page, "Applicants to Emergency night shifts")!.Click());
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll(".rank-item").Count), Wait);
        Assert.Empty(_context.Gateway.To($"/api/school/rounds/{other.Id}/offers/{_published.Id}/applicants"));

        await page.InvokeAsync(() => Button(page, "Move Ada Ahn down")!.Click());
        await page.InvokeAsync(() => Button(page, "Leave Cai Chen out")!.Click());
        page.WaitForAssertion(() => Assert.Equal(["Ben Bauer", "Ada Ahn"], page.FindAll(".rank-zone-ranked .rank-item").Select(Name)), Wait);
        Assert.Equal(["Cai Chen"], page.FindAll(".rank-zone-left-out .rank-item").Select(Name));

        // A drag and drop ends the same way: Cai Chen dropped at the top of the ranking.
        var container = page.FindComponent<MudBlazor.MudDropContainer<RankingPanel.RankItem>>();
        var cai = container.Instance.Items.Single(i => i.Applicant.Name == "Cai Chen");
        await page.InvokeAsync(() => container.Instance.ItemDropped.InvokeAsync(new MudBlazor.MudItemDropInfo<RankingPanel.RankItem>(cai, "ranked", 0)));
        page.WaitForAssertion(() => Assert.Equal(["Cai Chen", "Ben Bauer", "Ada Ahn"], page.FindAll(".rank-zone-ranked .rank-item").Select(Name)), Wait);
        await page.InvokeAsync(() => ButtonWithText(page, "Submit ranking").Click());

        page.WaitForAssertion(() => Assert.Single(_context.Gateway.To(path + "/ranking"), r => r.Method == HttpMethod.Put), Wait);
        var sent = JsonNode.Parse(_context.Gateway.To(path + "/ranking").Single(r => r.Method == HttpMethod.Put).Body!)!;
        Assert.Equal(new JsonArray(applicants[2].StudentId.ToString(), applicants[1].StudentId.ToString(), applicants[0].StudentId.ToString()).ToJsonString(), sent["studentIds"]!.ToJsonString());
        page.WaitForAssertion(() => Assert.Contains(_context.Snackbar.ShownSnackbars, s => s.Message == "Your ranking was submitted."), Wait);
    }

    [Fact]
    public async Task A_mentor_sees_the_offers_but_cannot_change_them()
    {
        await using var mentor = new PortalComponentContext("mentor1@st-marys.demo");
        mentor.Gateway.OnJson(HttpMethod.Get, "/api/hospitals/placement-offers", _ => new ApiPage<HospitalOffer>([_draft], 1, 20, 1));
        var page = mentor.RenderWithProviders<OffersPage>();

        page.WaitForAssertion(() => Assert.Contains("Cardiology ward rotation", page.Markup, StringComparison.Ordinal), Wait);
        Assert.Null(Button(page, "Publish Cardiology ward rotation"));
        Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent.Trim() == "New offer");
    }

    [Fact]
    public async Task A_student_is_told_the_page_is_for_hospital_staff_and_nothing_is_asked()
    {
        await using var student = new PortalComponentContext(TestAuth.Student);
        var page = student.RenderWithProviders<OffersPage>();

        page.WaitForAssertion(() => Assert.Contains("This page is for a partner hospital", page.Markup, StringComparison.Ordinal), Wait);
        Assert.Empty(student.Gateway.Requests);
    }

    private static HospitalOffer Offer(string title, string status, long version)
    {
        var start = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(2);
        return new HospitalOffer(Guid.NewGuid(), StMarys, "St Mary's University Hospital", "Cardiology", "cardiology", title, start, start.AddDays(27), 4,
            new PlacementRequirements(4, ["infection-control"], ["medicine"]), status, version, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
    }

    private static AngleSharp.Dom.IElement? Button<T>(IRenderedComponent<T> page, string label)
        where T : Microsoft.AspNetCore.Components.IComponent =>
        page.FindAll("button").FirstOrDefault(b => b.GetAttribute("aria-label") == label);

    private static AngleSharp.Dom.IElement ButtonWithText<T>(IRenderedComponent<T> page, string text)
        where T : Microsoft.AspNetCore.Components.IComponent =>
        page.FindAll("button").First(b => b.TextContent.Trim() == text);

    private static string Name(AngleSharp.Dom.IElement item) => item.QuerySelector(".rank-name")!.TextContent.Trim();

    private static string? FieldError<T>(IRenderedComponent<T> page, string field)
        where T : Microsoft.AspNetCore.Components.IComponent =>
        page.Find(field).QuerySelector(".mud-input-helper-text.mud-input-error") is { } error ? error.TextContent.Trim() : null;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();
}
