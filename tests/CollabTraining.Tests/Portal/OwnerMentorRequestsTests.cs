using System.Net;
using System.Text.Json;
using Bunit;
using CollabTraining.Demo;
using CollabTraining.Portal.Owners;
using CollabTraining.Tests.Support;

namespace CollabTraining.Tests.Portal;

/// <summary>owner/mentor-requests: school projects' requests for the organisation's engineering mentors.</summary>
public sealed class OwnerMentorRequestsTests : IAsyncLifetime
{
    private const string Requests = "/api/enterprises/mentor-requests";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private static readonly DemoOrganisation Helix = DemoDirectory.Enterprises[0];
    private static readonly DemoUser Mentor = TestAuth.User("mentor@helix-compute.demo");
    private static readonly Guid OtherMentor = Guid.NewGuid();
    private readonly PortalComponentContext _context = new(Mentor.UserName);
    private readonly OwnerMentorRequest _waiting = Request("Sepsis early-warning model", Mentor.Id, "Helix Compute Engineering Mentor", "Waiting");
    private readonly OwnerMentorRequest _accepted = Request("Ward robot navigation", Mentor.Id, "Helix Compute Engineering Mentor", "Accepted");
    private readonly OwnerMentorRequest _others = Request("ECG denoising", OtherMentor, "Ada Engineer", "Waiting");

    public OwnerMentorRequestsTests()
    {
        _context.Gateway
            .OnJson(HttpMethod.Get, Requests, _ => new[] { _waiting, _accepted, _others })
            .OnJson(HttpMethod.Get, "/api/enterprises/mentors", _ => new[]
            {
                new EngineeringMentor(Mentor.Id, Helix.Id, Helix.Name, "Helix Compute Engineering Mentor", ["machine learning"], 2, true, 1),
                new EngineeringMentor(OtherMentor, Helix.Id, Helix.Name, "Ada Engineer", ["signal processing"], 1, true, 1),
            });
    }

    [Fact]
    public void Each_mentors_load_is_shown_and_only_the_requests_addressed_to_the_signed_in_mentor_can_be_answered_here()
    {
        var page = _context.RenderWithProviders<MentorRequestsPage>();

        page.WaitForAssertion(() => Assert.Contains("Sepsis early-warning model", page.Find("[data-testid=requests]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Equal(Helix.Id.ToString(), Assert.Single(_context.Gateway.To("/api/enterprises/mentors")).Query["organisationId"]);
        var mentors = page.Find("[data-testid=mentors]").TextContent;
        Assert.Contains("1 of 2 projects taken", mentors, StringComparison.Ordinal);
        Assert.Contains("0 of 1 projects taken", mentors, StringComparison.Ordinal);

        // Waiting requests are shown first; the accepted one only when asked for.
        var requests = page.Find("[data-testid=requests]").TextContent;
        Assert.DoesNotContain("Ward robot navigation", requests, StringComparison.Ordinal);
        Assert.Single(page.FindAll("button[aria-label='Accept mentoring Sepsis early-warning model']"));
        Assert.Empty(page.FindAll("button[aria-label='Accept mentoring ECG denoising']"));
        Assert.Contains("Only Ada Engineer can answer", requests, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Declining_needs_a_reason_sends_it_and_shows_the_apis_problem_at_it()
    {
        _context.Gateway.On(HttpMethod.Post, $"{Requests}/{_waiting.Id}/decline", r => JsonDocument.Parse(r.Body!).RootElement.GetProperty("reason").GetString() == "no"
            ? FakeGateway.Problem(HttpStatusCode.BadRequest, new
            {
                title = "The request breaks a rule.",
                status = 400,
                errors = new Dictionary<string, string[]> { ["reason"] = ["Say why in plain words (at least two characters, no control characters)."] },
            })
            : FakeGateway.Json(HttpStatusCode.OK, _waiting with { State = "Declined", Reason = "On leave until spring" }));
        var page = _context.RenderWithProviders<MentorRequestsPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("button[aria-label='Decline mentoring Sepsis early-warning model']")), Wait);

        await page.InvokeAsync(() => page.Find("button[aria-label='Decline mentoring Sepsis early-warning model']").Click());
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent.Trim() == "Decline the request").Click());
        page.WaitForAssertion(() => Assert.Equal("Required", ReasonError(page)), Wait);
        Assert.Empty(_context.Gateway.To($"{Requests}/{_waiting.Id}/decline"));

        await page.InvokeAsync(() => ReasonInput(page).Change("no"));
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent.Trim() == "Decline the request").Click());
        page.WaitForAssertion(() => Assert.Equal("Say why in plain words (at least two characters, no control characters).", ReasonError(page)), Wait);

        await page.InvokeAsync(() => ReasonInput(page).Change("On leave until spring"));
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent.Trim() == "Decline the request").Click());
        page.WaitForAssertion(() => Assert.Contains(_context.Snackbar.ShownSnackbars, s => s.Message == "You declined Sepsis early-warning model."), Wait);
        Assert.Equal(["no", "On leave until spring"], _context.Gateway.To($"{Requests}/{_waiting.Id}/decline")
            .Select(r => JsonDocument.Parse(r.Body!).RootElement.GetProperty("reason").GetString()));
        Assert.Equal(2, _context.Gateway.To(Requests).Count());
    }

    [Fact]
    public async Task Accepting_beyond_the_mentors_capacity_shows_the_apis_refusal()
    {
        _context.Gateway.On(HttpMethod.Post, $"{Requests}/{_waiting.Id}/accept", _ => FakeGateway.Problem(HttpStatusCode.UnprocessableEntity, new
        {
            title = "The request is refused.",
            status = 422,
            detail = "Helix Compute Engineering Mentor takes at most 2 projects at once and has accepted 2.",
            reason = "mentor-over-committed",
        }));
        var page = _context.RenderWithProviders<MentorRequestsPage>();
        page.WaitForAssertion(() => Assert.Single(page.FindAll("button[aria-label='Accept mentoring Sepsis early-warning model']")), Wait);

        await page.InvokeAsync(() => page.Find("button[aria-label='Accept mentoring Sepsis early-warning model']").Click());

        page.WaitForAssertion(() => Assert.Contains(_context.Snackbar.ShownSnackbars,
            s => s.Message == "Helix Compute Engineering Mentor takes at most 2 projects at once and has accepted 2."), Wait);
        Assert.Null(Assert.Single(_context.Gateway.To($"{Requests}/{_waiting.Id}/accept")).Body);
    }

    private static AngleSharp.Dom.IElement ReasonControl(IRenderedComponent<MentorRequestsPage> page) =>
        page.FindAll(".mud-input-control").Single(c => c.QuerySelector("label")?.TextContent.Trim().TrimEnd('*').Trim() == "Reason for declining");

    private static AngleSharp.Dom.IElement ReasonInput(IRenderedComponent<MentorRequestsPage> page) => ReasonControl(page).QuerySelector("textarea, input")!;

    private static string? ReasonError(IRenderedComponent<MentorRequestsPage> page) =>
        ReasonControl(page).QuerySelector(".mud-input-helper-text.mud-input-error") is { } error ? error.TextContent.Trim() : null;

    private static OwnerMentorRequest Request(string project, Guid mentor, string mentorName, string state) => new(
        Guid.NewGuid(), Guid.NewGuid(), project, "engineering", mentor, mentorName, Helix.Id, DateTimeOffset.UtcNow.AddDays(5), DateTimeOffset.UtcNow.AddDays(-1),
        state, null, state == "Waiting" ? null : DateTimeOffset.UtcNow.AddHours(-3));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();
}
