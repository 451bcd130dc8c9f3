using System.Net;
using Bunit;
using CollabTraining.Portal.Hospital;
using CollabTraining.Tests.Support;

namespace CollabTraining.Tests.Portal;

public sealed class HospitalHoursTests : IAsyncLifetime
{
    private const string MentorName = "mentor1@st-marys.demo";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private readonly PortalComponentContext _context = new(MentorName);
    private readonly HospitalAssignment _student;
    private readonly HoursEntry _monday;
    private readonly HoursEntry _tuesday;
    private readonly HoursEntry _approved;

    public HospitalHoursTests()
    {
        var mentor = TestAuth.User(MentorName);
        _student = new HospitalAssignment(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "Cardiology ward rotation", Guid.NewGuid(), "Ada Ahn", 4, "medicine",
            AssignmentStatus.Confirmed, null, mentor.Id, mentor.DisplayName, 2);
        var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3);
        _monday = new HoursEntry(Guid.NewGuid(), _student.Id, _student.StudentId, day, 7.5m, "Ward round and admissions", "Pending", null, DateTimeOffset.UtcNow.AddDays(-3));
        _tuesday = _monday with { Id = Guid.NewGuid(), Date = day.AddDays(1), Hours = 12m, Activity = "Night shift on the coronary care unit" };
        _approved = _monday with { Id = Guid.NewGuid(), Date = day.AddDays(-1), Activity = "Cath lab observation", Status = "Approved" };
        _context.Gateway
            .OnJson(HttpMethod.Get, "/api/hospitals/assignments", _ => new[] { _student, _student with { Id = Guid.NewGuid(), Status = AssignmentStatus.Pending } })
            .OnJson(HttpMethod.Get, $"/api/hospitals/assignments/{_student.Id}/hours", _ => new[] { _approved, _monday, _tuesday })
            .OnJson(HttpMethod.Post, $"/api/hospitals/hours/{_monday.Id}/approve", _ => _monday with { Status = "Approved" })
            .On(HttpMethod.Post, $"/api/hospitals/hours/{_tuesday.Id}/reject", r => r.Body!.Contains("\"note\":null", StringComparison.Ordinal)
                ? FakeGateway.Problem(HttpStatusCode.BadRequest, new { title = "One or more validation errors occurred.", status = 400, errors = new Dictionary<string, string[]> { ["note"] = ["Say why the hours are rejected, so the student can correct them."] } })
                : FakeGateway.Json(HttpStatusCode.OK, _tuesday with { Status = "Rejected", ReviewNote = "You were not on shift that night." }));
    }

    [Fact]
    public async Task The_mentor_approves_one_entry_and_rejects_another_with_a_note_the_api_asked_for()
    {
        var page = _context.RenderWithProviders<HoursPage>();
        page.WaitForAssertion(() => Assert.Contains("Night shift on the coronary care unit", page.Markup, StringComparison.Ordinal), Wait);
        Assert.DoesNotContain("Cath lab observation", page.Markup, StringComparison.Ordinal);
        Assert.Single(_context.Gateway.Requests, r => r.Path.EndsWith("/hours", StringComparison.Ordinal));

        await page.InvokeAsync(() => Button(page, "Approve Ada Ahn's hours on").Click());
        page.WaitForAssertion(() => Assert.Contains(_context.Snackbar.ShownSnackbars, s => s.Message == "Approved Ada Ahn's hours."), Wait);
        Assert.Equal("""{"note":null}""", _context.Gateway.To($"/api/hospitals/hours/{_monday.Id}/approve").Single().Body);
        page.WaitForAssertion(() => Assert.DoesNotContain("Ward round and admissions", page.Markup, StringComparison.Ordinal), Wait);

        await page.InvokeAsync(() => Button(page, "Reject Ada Ahn's hours on").Click());
        await page.InvokeAsync(() => page.FindAll(".reject-panel button").First(b => b.TextContent.Trim() == "Reject").Click());
        page.WaitForAssertion(() => Assert.Equal("Say why the hours are rejected, so the student can correct them.", FieldError(page, ".reject-note")), Wait);

        await page.InvokeAsync(() => page.Find(".reject-note textarea").Change("You were not on shift that night."));
        await page.InvokeAsync(() => page.FindAll(".reject-panel button").First(b => b.TextContent.Trim() == "Reject").Click());
        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".reject-panel")), Wait);
        Assert.Equal("""{"note":"You were not on shift that night."}""", _context.Gateway.To($"/api/hospitals/hours/{_tuesday.Id}/reject").Last().Body);
        Assert.Contains("No hours await review.", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_coordinator_sees_the_hours_but_only_the_mentor_reviews_them()
    {
        await using var coordinator = new PortalComponentContext(TestAuth.StMarysCoordinator);
        coordinator.Gateway
            .OnJson(HttpMethod.Get, "/api/hospitals/assignments", _ => new[] { _student })
            .OnJson(HttpMethod.Get, $"/api/hospitals/assignments/{_student.Id}/hours", _ => new[] { _monday });
        var page = coordinator.RenderWithProviders<HoursPage>();

        page.WaitForAssertion(() => Assert.Contains("Ward round and admissions", page.Markup, StringComparison.Ordinal), Wait);
        Assert.DoesNotContain(page.FindAll("button"), b => b.TextContent.Trim() == "Approve");
    }

    private static AngleSharp.Dom.IElement Button(IRenderedComponent<HoursPage> page, string labelStart) =>
        page.FindAll("button").First(b => b.GetAttribute("aria-label")?.StartsWith(labelStart, StringComparison.Ordinal) == true);

    private static string? FieldError(IRenderedComponent<HoursPage> page, string field) =>
        page.Find(field).QuerySelector(".mud-input-helper-text.mud-input-error") is { } error ? error.TextContent.Trim() : null;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();
}
