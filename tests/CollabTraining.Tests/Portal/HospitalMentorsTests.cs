using System.Net;
using Bunit;
using CollabTraining.Demo;
using CollabTraining.Portal.Hospital;
using CollabTraining.Tests.Support;

namespace CollabTraining.Tests.Portal;

public sealed class HospitalMentorsTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private static readonly Guid StMarys = DemoDirectory.Hospitals[0].Id;
    private readonly PortalComponentContext _context = new(TestAuth.StMarysCoordinator);
    private readonly ClinicalMentor _active = new(Guid.NewGuid(), StMarys, "Dr Ada Active", false, null, 2, 3);

    public HospitalMentorsTests()
    {
        _context.Gateway
            .OnJson(HttpMethod.Get, "/api/hospitals/mentors", _ => new[] { _active })
            .OnJson(HttpMethod.Delete, $"/api/hospitals/mentors/{_active.Id}", _ => _active with { Retired = true, RetiredAt = DateTimeOffset.UtcNow });
    }

    [Fact]
    public async Task The_mentors_are_listed_and_one_is_retired()
    {
        var page = _context.RenderWithProviders<MentorsPage>();
        page.WaitForAssertion(() => Assert.Contains("Dr Ada Active", page.Markup, StringComparison.Ordinal), Wait);
        Assert.Empty(_context.Gateway.To("/api/hospitals/mentors").Single().Query);

        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.GetAttribute("aria-label") == "Retire Dr Ada Active").Click());

        page.WaitForAssertion(() => Assert.Single(_context.Gateway.To($"/api/hospitals/mentors/{_active.Id}"), r => r.Method == HttpMethod.Delete), Wait);
        page.WaitForAssertion(() => Assert.Contains(_context.Snackbar.ShownSnackbars, s => s.Message == "Dr Ada Active takes no new students."), Wait);
    }

    [Fact]
    public async Task Adding_a_mentor_sends_the_user_id_name_and_capacity_and_shows_the_apis_problem_at_its_field()
    {
        var userId = Guid.NewGuid();
        _context.Gateway.On(HttpMethod.Post, "/api/hospitals/mentors", r => r.Body!.Contains("\"name\":\"X\"", StringComparison.Ordinal)
            ? FakeGateway.Problem(HttpStatusCode.BadRequest, new { title = "One or more validation errors occurred.", status = 400, errors = new Dictionary<string, string[]> { ["name"] = ["The field Name must be a string with a minimum length of 2 and a maximum length of 200."] } })
            : FakeGateway.Json(HttpStatusCode.Created, new ClinicalMentor(userId, StMarys, "Dr Ben New", false, null, 0, 4)));
        var page = _context.RenderWithProviders<MentorsPage>();
        page.WaitForAssertion(() => Assert.Contains("Dr Ada Active", page.Markup, StringComparison.Ordinal), Wait);

        // Not a user id: said at the field, nothing sent.
        await page.InvokeAsync(() => page.Find(".mentor-user input").Change("not-an-id"));
        await page.InvokeAsync(() => AddButton(page).Click());
        Assert.Equal("Give a user id (a GUID, such as 0193a5c2-…).", FieldError(page, ".mentor-user"));
        Assert.DoesNotContain(_context.Gateway.To("/api/hospitals/mentors"), r => r.Method == HttpMethod.Post);

        await page.InvokeAsync(() => page.Find(".mentor-user input").Change(userId.ToString()));
        await page.InvokeAsync(() => page.Find(".mentor-name input").Change("X"));
        await page.InvokeAsync(() => page.Find(".mentor-capacity input").Change("4"));
        await page.InvokeAsync(() => AddButton(page).Click());
        page.WaitForAssertion(() => Assert.Equal("The field Name must be a string with a minimum length of 2 and a maximum length of 200.", FieldError(page, ".mentor-name")), Wait);

        await page.InvokeAsync(() => page.Find(".mentor-name input").Change("Dr Ben New"));
        await page.InvokeAsync(() => AddButton(page).Click());
        page.WaitForAssertion(() => Assert.Contains(_context.Snackbar.ShownSnackbars, s => s.Message == "Dr Ben New is a clinical mentor here."), Wait);
        Assert.Equal($$"""{"userId":"{{userId}}","name":"Dr Ben New","projectCapacity":4}""", _context.Gateway.To("/api/hospitals/mentors").Last(r => r.Method == HttpMethod.Post).Body);
    }

    [Fact]
    public async Task A_mentor_sees_the_list_but_no_form()
    {
        await using var mentor = new PortalComponentContext("mentor1@st-marys.demo");
        mentor.Gateway.OnJson(HttpMethod.Get, "/api/hospitals/mentors", _ => new[] { _active });
        var page = mentor.RenderWithProviders<MentorsPage>();

        page.WaitForAssertion(() => Assert.Contains("Dr Ada Active", page.Markup, StringComparison.Ordinal), Wait);
        Assert.Empty(page.FindAll(".mentor-form"));
        Assert.DoesNotContain(page.FindAll("button"), b => b.GetAttribute("aria-label") == "Retire Dr Ada Active");
    }

    private static AngleSharp.Dom.IElement AddButton(IRenderedComponent<MentorsPage> page) =>
        page.FindAll(".mentor-form button").Single(b => b.TextContent.Trim() == "Add a mentor");

    private static string? FieldError(IRenderedComponent<MentorsPage> page, string field) =>
        page.Find(field).QuerySelector(".mud-input-helper-text.mud-input-error") is { } error ? error.TextContent.Trim() : null;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();
}
