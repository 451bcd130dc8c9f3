using System.Net;
using System.Text.Json;
using Bunit;
using CollabTraining.Demo;
using CollabTraining.Portal.Owners;
using CollabTraining.Tests.Support;

namespace CollabTraining.Tests.Portal;

/// <summary>owner/approvals: bookings waiting for approval, and today's bookings to check in.</summary>
public sealed class OwnerApprovalsTests : IAsyncLifetime
{
    private const string Bookings = "/api/enterprises/bookings";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private readonly PortalComponentContext _context = new("staff@helix-compute.demo");
    private readonly OwnedBooking _pending = Booking("Student 007", "pendingApproval", DateTimeOffset.UtcNow.AddDays(2));
    private readonly OwnedBooking _today = Booking("Student 011", "confirmed", DateTimeOffset.UtcNow.AddMinutes(5));
    private readonly OwnedBooking _inUse = Booking("Student 012", "checkedIn", DateTimeOffset.UtcNow.AddMinutes(-30));

    public OwnerApprovalsTests()
    {
        _context.Gateway.OnJson(HttpMethod.Get, Bookings, r => r.Query.ContainsKey("status")
            ? new { items = new[] { _pending }, pageNumber = 1, pageSize = 20, total = 1 }
            : new { items = new[] { _today, _inUse }, pageNumber = 1, pageSize = 20, total = 2 });
    }

    [Fact]
    public async Task Waiting_bookings_are_asked_for_by_status_and_approving_one_posts_to_it_and_reads_the_lists_again()
    {
        _context.Gateway.OnJson(HttpMethod.Post, $"{Bookings}/{_pending.Id}/approve", _ => _pending with { Status = "confirmed" });
        _context.Gateway.OnJson(HttpMethod.Get, $"/api/enterprises/resources/{_pending.ResourceId}", _ => new OwnedResource(
            _pending.ResourceId, DemoDirectory.Enterprises[0].Id, "Helix Compute", "ComputePool", "GPU pool A", string.Empty, null, 4,
            new OwnerRules(TimeZone: "Asia/Shanghai"), [], [], [], false, 1));
        var page = _context.RenderWithProviders<ApprovalsPage>();

        page.WaitForAssertion(() => Assert.Contains("Student 007", page.Find("[data-testid=pending]").TextContent, StringComparison.Ordinal), Wait);
        // Shown in the resource's time zone, read once however often the lists are read.
        var shanghai = TimeZoneInfo.ConvertTime(_pending.Start, TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai")).DateTime;
        page.WaitForAssertion(() => Assert.Contains(shanghai.ToString("g", System.Globalization.CultureInfo.CurrentCulture), page.Find("[data-testid=pending]").TextContent, StringComparison.Ordinal), Wait);
        Assert.Contains("(Asia/Shanghai)", page.Find("[data-testid=pending]").TextContent, StringComparison.Ordinal);
        var asked = Assert.Single(_context.Gateway.To(Bookings), r => r.Query.ContainsKey("status")).Query;
        Assert.Equal(("PendingApproval", "1", "20"), (asked["status"], asked["page"], asked["pageSize"]));

        await page.InvokeAsync(() => page.Find("button[aria-label='Approve the booking of GPU pool A by Student 007']").Click());

        page.WaitForAssertion(() => Assert.Single(_context.Gateway.To($"{Bookings}/{_pending.Id}/approve")), Wait);
        Assert.Null(_context.Gateway.To($"{Bookings}/{_pending.Id}/approve").Single().Body);
        page.WaitForAssertion(() => Assert.Equal(2, _context.Gateway.To(Bookings).Count(r => r.Query.ContainsKey("status"))), Wait);
        Assert.Contains(_context.Snackbar.ShownSnackbars, s => s.Message == "Student 007's booking of GPU pool A is approved.");
        Assert.Single(_context.Gateway.To($"/api/enterprises/resources/{_pending.ResourceId}"));
    }

    [Fact]
    public async Task Rejecting_sends_the_reason_and_the_apis_problem_with_it_shows_at_the_reason()
    {
        _context.Gateway.On(HttpMethod.Post, $"{Bookings}/{_pending.Id}/reject", r => JsonDocument.Parse(r.Body!).RootElement.GetProperty("reason").GetString()!.Length > 10
            ? FakeGateway.Problem(HttpStatusCode.BadRequest, new
            {
                title = "One or more validation errors occurred.",
                status = 400,
                errors = new Dictionary<string, string[]> { ["reason"] = ["The field Reason must be a string with a maximum length of 500."] },
            })
            : FakeGateway.Json(HttpStatusCode.OK, _pending with { Status = "rejected", Reason = "Full week" }));
        var page = _context.RenderWithProviders<ApprovalsPage>();
        page.WaitForAssertion(() => Assert.Contains("Student 007", page.Markup, StringComparison.Ordinal), Wait);

        await page.InvokeAsync(() => page.Find("button[aria-label='Reject the booking of GPU pool A by Student 007']").Click());
        await page.InvokeAsync(() => ReasonInput(page).Change("A reason far too long"));
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent.Trim() == "Reject the booking").Click());

        page.WaitForAssertion(() => Assert.Equal("The field Reason must be a string with a maximum length of 500.", ReasonError(page)), Wait);
        Assert.Equal("A reason far too long", JsonDocument.Parse(_context.Gateway.To($"{Bookings}/{_pending.Id}/reject").Single().Body!).RootElement.GetProperty("reason").GetString());

        await page.InvokeAsync(() => ReasonInput(page).Change("Full week"));
        page.WaitForAssertion(() => Assert.Null(ReasonError(page)), Wait);
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent.Trim() == "Reject the booking").Click());
        page.WaitForAssertion(() => Assert.DoesNotContain("Reason for rejecting", page.Markup, StringComparison.Ordinal), Wait);
        Assert.Equal("Full week", JsonDocument.Parse(_context.Gateway.To($"{Bookings}/{_pending.Id}/reject").Last().Body!).RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Todays_bookings_are_asked_for_by_the_day_and_checking_in_too_early_shows_the_apis_conflict()
    {
        _context.Gateway.On(HttpMethod.Post, $"{Bookings}/{_today.Id}/check-in", _ => FakeGateway.Problem(HttpStatusCode.Conflict, new
        {
            title = "The request conflicts with the current state.",
            status = 409,
            detail = "Check in from a quarter of an hour before the start until the end.",
        }));
        _context.Gateway.OnJson(HttpMethod.Post, $"{Bookings}/{_inUse.Id}/check-out", _ => _inUse with { Status = "completed" });
        var page = _context.RenderWithProviders<ApprovalsPage>();

        page.WaitForAssertion(() => Assert.Contains("Student 011", page.Find("[data-testid=today]").TextContent, StringComparison.Ordinal), Wait);
        var asked = Assert.Single(_context.Gateway.To(Bookings), r => !r.Query.ContainsKey("status")).Query;
        var from = DateTimeOffset.Parse(asked["from"], System.Globalization.CultureInfo.InvariantCulture);
        var to = DateTimeOffset.Parse(asked["to"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(from <= DateTimeOffset.UtcNow && DateTimeOffset.UtcNow < to && to - from <= TimeSpan.FromHours(25), $"today is {from} to {to}");
        Assert.Contains("checked in", page.Find("[data-testid=today]").TextContent, StringComparison.Ordinal);

        await page.InvokeAsync(() => page.Find("button[aria-label='Check Student 011 in to GPU pool A']").Click());
        page.WaitForAssertion(() => Assert.Contains(_context.Snackbar.ShownSnackbars, s => s.Message == "Check in from a quarter of an hour before the start until the end."), Wait);
        Assert.Empty(page.FindAll("button[aria-label='Check Student 011 out of GPU pool A']"));

        await page.InvokeAsync(() => page.Find("button[aria-label='Check Student 012 out of GPU pool A']").Click());
        page.WaitForAssertion(() => Assert.Single(_context.Gateway.To($"{Bookings}/{_inUse.Id}/check-out")), Wait);
    }

    [Fact]
    public void A_403_from_the_api_is_shown_not_thrown()
    {
        _context.Gateway.On(HttpMethod.Get, Bookings, _ => FakeGateway.Problem(HttpStatusCode.Forbidden, new
        {
            title = "Forbidden",
            status = 403,
            detail = "Only an owner's staff see the bookings of its resources.",
        }));
        var page = _context.RenderWithProviders<ApprovalsPage>();

        page.WaitForAssertion(() => Assert.Contains(_context.Snackbar.ShownSnackbars, s => s.Message == "Only an owner's staff see the bookings of its resources."), Wait);
        Assert.Contains("No bookings are waiting for approval.", page.Markup, StringComparison.Ordinal);
    }

    private static AngleSharp.Dom.IElement ReasonControl(IRenderedComponent<ApprovalsPage> page) =>
        page.FindAll(".mud-input-control").Single(c => c.QuerySelector("label")?.TextContent.Trim() == "Reason for rejecting");

    private static AngleSharp.Dom.IElement ReasonInput(IRenderedComponent<ApprovalsPage> page) => ReasonControl(page).QuerySelector("textarea, input")!;

    private static string? ReasonError(IRenderedComponent<ApprovalsPage> page) =>
        ReasonControl(page).QuerySelector(".mud-input-helper-text.mud-input-error") is { } error ? error.TextContent.Trim() : null;

    private static OwnedBooking Booking(string user, string status, DateTimeOffset start) => new(
        Guid.NewGuid(), Guid.NewGuid(), "GPU pool A", Guid.NewGuid(), user, DemoDirectory.School.Id, 1, start, start.AddHours(2),
        status, null, null, status == "checkedIn" ? start : null, null, 0, 1);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();
}
