using System.Net;
using System.Text.Json.Nodes;
using Bunit;
using CollabTraining.Demo;
using CollabTraining.Portal.Api;
using CollabTraining.Portal.Catalog;
using CollabTraining.Portal.Hospital;
using CollabTraining.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace CollabTraining.Tests.Portal;

public sealed class HospitalAssignmentsTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private static readonly Guid StMarys = DemoDirectory.Hospitals[0].Id;
    private readonly PortalComponentContext _context = new(TestAuth.StMarysCoordinator);
    private readonly HospitalOffer _offer;
    private readonly HospitalAssignment _pending;
    private readonly HospitalAssignment _confirmed;

    public HospitalAssignmentsTests()
    {
        var start = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(2);
        _offer = new HospitalOffer(Guid.NewGuid(), StMarys, "St Mary's University Hospital", "Cardiology", "cardiology", "Cardiology ward rotation", start, start.AddDays(27), 4,
            new PlacementRequirements(4, ["infection-control"], ["medicine"]), OfferStatus.Published, 5, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow);
        _pending = new HospitalAssignment(Guid.NewGuid(), Guid.NewGuid(), _offer.Id, _offer.Title, Guid.NewGuid(), "Ada Ahn", 4, "medicine", AssignmentStatus.Pending, null, null, null, 1);
        _confirmed = _pending with { Id = Guid.NewGuid(), StudentId = Guid.NewGuid(), StudentName = "Ben Bauer", Status = AssignmentStatus.Confirmed };
        _context.Gateway
            .OnJson(HttpMethod.Get, "/api/hospitals/placement-offers", _ => new ApiPage<HospitalOffer>([_offer], 1, 100, 1))
            .OnJson(HttpMethod.Get, $"/api/hospitals/placement-offers/{_offer.Id}", _ => _offer)
            .OnJson(HttpMethod.Get, "/api/hospitals/mentors", _ => new[] { new ClinicalMentor(Guid.NewGuid(), StMarys, "Mentor 1", false, null, 0, 2) })
            .OnJson(HttpMethod.Get, "/api/hospitals/assignments", _ => new[] { _pending, _confirmed })
            .OnJson(HttpMethod.Post, $"/api/hospitals/assignments/{_pending.Id}/confirm", _ => _pending with { Status = AssignmentStatus.Confirmed });
    }

    [Fact]
    public async Task A_pending_student_is_confirmed_and_the_list_is_read_again()
    {
        var page = _context.RenderWithProviders<AssignmentsPage>();
        page.WaitForAssertion(() => Assert.Contains("Awaiting your answer", page.Markup, StringComparison.Ordinal), Wait);
        Assert.Null(Button(page, "Confirm Ben Bauer"));

        await page.InvokeAsync(() => Button(page, "Confirm Ada Ahn")!.Click());

        page.WaitForAssertion(() => Assert.Single(_context.Gateway.To($"/api/hospitals/assignments/{_pending.Id}/confirm")), Wait);
        page.WaitForAssertion(() => Assert.Equal(2, _context.Gateway.To("/api/hospitals/assignments").Count()), Wait);
        Assert.Contains(_context.Snackbar.ShownSnackbars, s => s.Message == "Confirmed Ada Ahn.");
    }

    [Fact]
    public async Task A_decline_shows_the_apis_problem_at_the_reason_and_then_sends_the_reason()
    {
        _context.Gateway.On(HttpMethod.Post, $"/api/hospitals/assignments/{_pending.Id}/decline", r => JsonNode.Parse(r.Body!)!["reason"] is null
            ? FakeGateway.Problem(HttpStatusCode.BadRequest, new { title = "One or more validation errors occurred.", status = 400, errors = new Dictionary<string, string[]> { ["reason"] = ["The Reason field is required."] } })
            : FakeGateway.Json(HttpStatusCode.OK, _pending with { Status = "DeclinedByHospital" }));
        var page = _context.RenderWithProviders<AssignmentsPage>();
        page.WaitForAssertion(() => Assert.NotNull(Button(page, "Decline Ada Ahn")), Wait);

        await page.InvokeAsync(() => Button(page, "Decline Ada Ahn")!.Click());
        await page.InvokeAsync(() => page.FindAll(".decline-panel button").First(b => b.TextContent.Trim() == "Decline").Click());
        page.WaitForAssertion(() => Assert.StartsWith("The Reason field is required.", FieldError(page, ".decline-reason"), StringComparison.Ordinal), Wait);

        await page.InvokeAsync(() => page.Find(".decline-reason textarea").Change("The ward closes for renovation in that month."));
        Assert.Null(FieldError(page, ".decline-reason"));
        await page.InvokeAsync(() => page.FindAll(".decline-panel button").First(b => b.TextContent.Trim() == "Decline").Click());

        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".decline-panel")), Wait);
        Assert.Equal(
            """{"reason":"The ward closes for renovation in that month."}""",
            _context.Gateway.To($"/api/hospitals/assignments/{_pending.Id}/decline").Last().Body);
    }

    [Fact]
    public async Task Fewer_seats_are_previewed_then_sent_with_the_offers_terms_and_version()
    {
        _context.Gateway
            .OnJson(HttpMethod.Get, $"/api/hospitals/placement-offers/{_offer.Id}/seat-reduction", r => new SeatReductionPreview(_offer.Id, 4, int.Parse(r.Query["seats"], System.Globalization.CultureInfo.InvariantCulture), 1, 1, [_pending], null))
            .OnJson(HttpMethod.Put, $"/api/hospitals/placement-offers/{_offer.Id}", _ => _offer with { Seats = 1, Version = 6 });
        _context.Services.GetRequiredService<NavigationManager>().NavigateTo($"/hospital/assignments?offerId={_offer.Id}");
        var page = _context.RenderWithProviders<AssignmentsPage>();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".seat-reduction")), Wait);
        Assert.Equal(_offer.Id.ToString(), _context.Gateway.To("/api/hospitals/assignments").First().Query["offerId"]);

        await page.InvokeAsync(() => page.Find(".new-seats input").Change("1"));
        await page.InvokeAsync(() => ButtonWithText(page, "Who would be declined?").Click());
        page.WaitForAssertion(() => Assert.Contains("Fewer seats would decline 1 pending student(s): Ada Ahn", page.Find(".seat-preview").TextContent, StringComparison.Ordinal), Wait);
        Assert.Equal("1", _context.Gateway.To($"/api/hospitals/placement-offers/{_offer.Id}/seat-reduction").Single().Query["seats"]);

        await page.InvokeAsync(() => ButtonWithText(page, "Reduce to 1 seat(s)").Click());

        page.WaitForAssertion(() => Assert.Single(_context.Gateway.To($"/api/hospitals/placement-offers/{_offer.Id}"), r => r.Method == HttpMethod.Put), Wait);
        var put = _context.Gateway.To($"/api/hospitals/placement-offers/{_offer.Id}").Single(r => r.Method == HttpMethod.Put);
        Assert.Equal("\"5\"", put.Headers["If-Match"]);
        Assert.Equal(
            $$"""{"department":"Cardiology","specialty":"cardiology","title":"Cardiology ward rotation","startsOn":"{{_offer.StartsOn:yyyy-MM-dd}}","endsOn":"{{_offer.EndsOn:yyyy-MM-dd}}","seats":1,"requirements":null,"publish":null}""",
            put.Body);
        page.WaitForAssertion(() => Assert.Contains(_context.Snackbar.ShownSnackbars, s => s.Message == "Cardiology ward rotation now has 1 seat(s)."), Wait);
    }

    [Fact]
    public async Task A_mentor_sees_their_students_without_the_coordinators_actions()
    {
        await using var mentor = new PortalComponentContext("mentor1@st-marys.demo");
        mentor.Gateway.OnJson(HttpMethod.Get, "/api/hospitals/assignments", _ => new[] { _pending, _confirmed with { MentorName = "St Mary's University Hospital Mentor 1" } });
        var page = mentor.RenderWithProviders<AssignmentsPage>();

        page.WaitForAssertion(() => Assert.Contains("St Mary's University Hospital Mentor 1", page.Markup, StringComparison.Ordinal), Wait);
        Assert.Null(Button(page, "Confirm Ada Ahn"));
        Assert.DoesNotContain(mentor.Gateway.Requests, r => r.Path == "/api/hospitals/placement-offers");
    }

    private static AngleSharp.Dom.IElement? Button(IRenderedComponent<AssignmentsPage> page, string label) =>
        page.FindAll("button").FirstOrDefault(b => b.GetAttribute("aria-label") == label);

    private static AngleSharp.Dom.IElement ButtonWithText(IRenderedComponent<AssignmentsPage> page, string text) =>
        page.FindAll("button").First(b => b.TextContent.Trim() == text);

    private static string? FieldError(IRenderedComponent<AssignmentsPage> page, string field) =>
        page.Find(field).QuerySelector(".mud-input-helper-text.mud-input-error") is { } error ? error.TextContent.Trim() : null;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();
}
