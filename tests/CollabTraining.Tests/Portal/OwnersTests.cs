using System.Net;
using System.Text.Json;
using Bunit;
using CollabTraining.Demo;
using CollabTraining.Portal.Owners;
using CollabTraining.Portal.SignIn;
using CollabTraining.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace CollabTraining.Tests.Portal;

/// <summary>The resource owners' pages (enterprise and institute staff): what they show and exactly what they send.</summary>
public sealed class OwnersTests : IAsyncLifetime
{
    private const string HelixStaff = "staff@helix-compute.demo";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private static readonly Guid Helix = DemoDirectory.Enterprises[0].Id;
    private static readonly Guid PoolId = Guid.Parse("0192f000-0000-7000-8000-000000000001");
    private readonly PortalComponentContext _context = new(HelixStaff);

    public OwnersTests()
    {
        _context.Gateway
            .OnJson(HttpMethod.Get, "/api/enterprises/resources", r => new { items = new[] { Pool() }, pageNumber = 1, pageSize = 20, total = 1 })
            .OnJson(HttpMethod.Get, $"/api/enterprises/resources/{PoolId}", _ => Pool())
            .OnJson(HttpMethod.Get, $"/api/enterprises/resources/{PoolId}/calendar", _ => Array.Empty<object>())
            .OnJson(HttpMethod.Get, $"/api/enterprises/resources/{PoolId}/blackouts", _ => Array.Empty<object>());
    }

    private PortalUser User => PortalUser.From(_context.Principal)!;

    [Fact]
    public void Our_resources_lists_the_organisations_own_resources_retired_ones_too_paged_on_the_server()
    {
        var page = _context.RenderWithProviders<ResourcesPage>();

        page.WaitForAssertion(() => Assert.Contains("GPU pool A", page.Markup, StringComparison.Ordinal), Wait);
        var asked = Assert.Single(_context.Gateway.To("/api/enterprises/resources")).Query;
        Assert.Equal((Helix.ToString(), "true", "1", "20"), (asked["ownerId"], asked["includeRetired"], asked["page"], asked["pageSize"]));
        Assert.Contains("gpu-cluster-onboarding", page.Markup, StringComparison.Ordinal);
        Assert.Equal($"owner/resources/{PoolId}", page.Find("a.mud-link").GetAttribute("href"));
    }

    [Fact]
    public async Task An_institutes_staff_are_served_by_research_and_a_student_is_told_the_page_is_not_theirs()
    {
        Assert.Equal("api/research", OwnersClient.ServiceOf(PortalUser.From(Session.Create(TestAuth.TokenFor("staff@imaging-institute.demo"), DateTimeOffset.UtcNow.AddHours(1), null))!));
        Assert.Equal(["Equipment"], OwnersClient.KindsOf(PortalUser.From(Session.Create(TestAuth.TokenFor("staff@imaging-institute.demo"), DateTimeOffset.UtcNow.AddHours(1), null))!));

        await using var student = new PortalComponentContext(TestAuth.Student);
        var page = student.RenderWithProviders<ResourcesPage>();
        page.WaitForAssertion(() => Assert.Contains("This page is for the staff of an enterprise or a research institute.", page.Markup, StringComparison.Ordinal), Wait);
        Assert.Empty(student.Gateway.Requests);
    }

    [Fact]
    public async Task Offering_a_resource_sends_the_whole_description_and_the_apis_problem_appears_at_its_field()
    {
        var created = Pool() with { Name = "GPU pool B" };
        _context.Gateway.On(HttpMethod.Post, "/api/enterprises/resources", r => JsonDocument.Parse(r.Body!).RootElement.GetProperty("name").GetString() == "X1"
            ? FakeGateway.Problem(HttpStatusCode.BadRequest, new
            {
                title = "One or more validation errors occurred.",
                status = 400,
                errors = new Dictionary<string, string[]> { ["name"] = ["The field Name must be a string with a minimum length of 2 and a maximum length of 200."] },
            })
            : FakeGateway.Json(HttpStatusCode.Created, created));
        var page = _context.RenderWithProviders<ResourcesPage>();
        page.WaitForAssertion(() => Assert.Contains("GPU pool A", page.Markup, StringComparison.Ordinal), Wait);

        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent.Trim() == "Offer a new resource").Click());
        await page.InvokeAsync(() => Input(page, "Name").Change("X1"));
        await page.InvokeAsync(() => Input(page, "Capacity (units)").Change("3"));
        await page.InvokeAsync(() => page.FindComponents<MudCheckBox<bool>>().Single(c => c.Instance.Label == "Bookings need our approval").Find("input").Change(true));
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent.Trim() == "Offer the resource").Click());

        page.WaitForAssertion(() => Assert.Equal("The field Name must be a string with a minimum length of 2 and a maximum length of 200.", Error(page, "Name")), Wait);
        var sent = JsonDocument.Parse(Assert.Single(_context.Gateway.To("/api/enterprises/resources"), r => r.Method == HttpMethod.Post).Body!).RootElement;
        Assert.Equal("ComputePool", sent.GetProperty("kind").GetString());
        Assert.Equal(3, sent.GetProperty("capacity").GetInt32());
        Assert.True(sent.GetProperty("rules").GetProperty("approvalRequired").GetBoolean());
        Assert.False(sent.GetProperty("rules").GetProperty("checkInRequired").GetBoolean());
        Assert.Equal(JsonValueKind.Null, sent.GetProperty("rules").GetProperty("maximumMinutes").ValueKind);
        Assert.Equal(0, sent.GetProperty("requiredQualifications").GetArrayLength());
        Assert.DoesNotContain(_context.Snackbar.ShownSnackbars, s => s.Message?.Contains("minimum length", StringComparison.Ordinal) == true);

        // Changing the field clears its message; a good name offers the resource and opens it.
        await page.InvokeAsync(() => Input(page, "Name").Change("GPU pool B"));
        page.WaitForAssertion(() => Assert.Null(Error(page, "Name")), Wait);
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent.Trim() == "Offer the resource").Click());
        page.WaitForAssertion(() => Assert.EndsWith($"owner/resources/{PoolId}", _context.Services.GetRequiredService<NavigationManager>().Uri, StringComparison.Ordinal), Wait);
    }

    [Fact]
    public async Task Changing_a_resource_sends_its_whole_description_keeping_what_the_form_did_not_touch()
    {
        var school = DemoDirectory.School.Id;
        var pool = Pool() with { AllowedOrganisations = [school], AllowedOrganisationKinds = ["school"] };
        _context.Gateway.OnJson(HttpMethod.Put, $"/api/enterprises/resources/{PoolId}", r => pool with { Name = "GPU pool A (A100)", Version = 4 });
        OwnedResource? saved = null;
        var form = _context.RenderWithProviders<ResourceForm>((nameof(ResourceForm.User), User), (nameof(ResourceForm.Resource), pool),
            (nameof(ResourceForm.OnSaved), EventCallback.Factory.Create<OwnedResource>(this, r => saved = r)));

        Assert.True(form.FindComponents<MudSelect<string>>().First(s => s.Instance.Label == "Kind of resource").Instance.Disabled);
        await form.InvokeAsync(() => Input(form, "Name").Change("GPU pool A (A100)"));
        await form.InvokeAsync(() => form.FindAll("button").Single(b => b.TextContent.Trim() == "Save changes").Click());

        form.WaitForAssertion(() => Assert.Equal("GPU pool A (A100)", saved?.Name), Wait);
        var sent = JsonDocument.Parse(Assert.Single(_context.Gateway.To($"/api/enterprises/resources/{PoolId}"), r => r.Method == HttpMethod.Put).Body!).RootElement;
        Assert.Equal(("ComputePool", "GPU pool A (A100)", 4, "A100", "Eight A100 nodes"), (sent.GetProperty("kind").GetString(), sent.GetProperty("name").GetString(),
            sent.GetProperty("capacity").GetInt32(), sent.GetProperty("model").GetString(), sent.GetProperty("description").GetString()));
        Assert.Equal(school, Assert.Single(sent.GetProperty("allowedOrganisations").EnumerateArray()).GetGuid());
        Assert.Equal("school", Assert.Single(sent.GetProperty("allowedOrganisationKinds").EnumerateArray()).GetString());
        Assert.Equal("gpu-cluster-onboarding", Assert.Single(sent.GetProperty("requiredQualifications").EnumerateArray()).GetString());
        var rules = sent.GetProperty("rules");
        Assert.Equal((480, 30, true, "Europe/London"), (rules.GetProperty("maximumMinutes").GetInt32(), rules.GetProperty("bufferMinutes").GetInt32(),
            rules.GetProperty("checkInRequired").GetBoolean(), rules.GetProperty("timeZone").GetString()));
        Assert.False(sent.TryGetProperty("ownerId", out _));
    }

    [Fact]
    public async Task The_rules_are_saved_with_the_rest_of_the_resource_and_a_rule_the_domain_refuses_shows_at_its_field()
    {
        _context.Gateway.On(HttpMethod.Put, $"/api/enterprises/resources/{PoolId}", _ => FakeGateway.Problem(HttpStatusCode.BadRequest, new
        {
            title = "One or more validation errors occurred.",
            status = 400,
            errors = new Dictionary<string, string[]> { ["rules.maximumDuration"] = ["The longest booking must be at least as long as the shortest, which is above zero."] },
        }));
        var form = _context.RenderWithProviders<RulesForm>((nameof(RulesForm.User), User), (nameof(RulesForm.Resource), Pool()));

        await form.InvokeAsync(() => Input(form, "Shortest booking (minutes)").Change("120"));
        await form.InvokeAsync(() => Input(form, "Longest booking (minutes)").Change("60"));
        await form.InvokeAsync(() => form.FindAll("button").Single(b => b.TextContent.Trim() == "Save the rules").Click());

        form.WaitForAssertion(() => Assert.Equal("The longest booking must be at least as long as the shortest, which is above zero.", Error(form, "Longest booking (minutes)")), Wait);
        Assert.Null(Error(form, "Shortest booking (minutes)"));
        var sent = JsonDocument.Parse(Assert.Single(_context.Gateway.To($"/api/enterprises/resources/{PoolId}"), r => r.Method == HttpMethod.Put).Body!).RootElement;
        Assert.Equal(("ComputePool", "GPU pool A", 4), (sent.GetProperty("kind").GetString(), sent.GetProperty("name").GetString(), sent.GetProperty("capacity").GetInt32()));
        var rules = sent.GetProperty("rules");
        Assert.Equal((120, 60, 30, "Europe/London"), (rules.GetProperty("minimumMinutes").GetInt32(), rules.GetProperty("maximumMinutes").GetInt32(),
            rules.GetProperty("bufferMinutes").GetInt32(), rules.GetProperty("timeZone").GetString()));
        Assert.Equal("gpu-cluster-onboarding", Assert.Single(sent.GetProperty("requiredQualifications").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task A_blackout_is_sent_in_the_resources_time_zone_and_an_end_before_its_start_is_shown_at_the_end()
    {
        _context.Gateway.On(HttpMethod.Post, $"/api/enterprises/resources/{PoolId}/blackouts", _ => FakeGateway.Problem(HttpStatusCode.BadRequest, new
        {
            title = "The request breaks a rule.",
            status = 400,
            errors = new Dictionary<string, string[]> { ["end"] = ["The end must come after the start."] },
        }));
        var panel = _context.RenderWithProviders<BlackoutsPanel>((nameof(BlackoutsPanel.User), User), (nameof(BlackoutsPanel.Resource), Pool()));
        panel.WaitForAssertion(() => Assert.Contains("No blackouts ahead.", panel.Markup, StringComparison.Ordinal), Wait);

        var pickers = panel.FindComponents<MudDatePicker>();
        await panel.InvokeAsync(() => pickers[0].Instance.DateChanged.InvokeAsync(new DateTime(2030, 7, 2)));
        await panel.InvokeAsync(() => pickers[1].Instance.DateChanged.InvokeAsync(new DateTime(2030, 7, 1)));
        await panel.InvokeAsync(() => Input(panel, "Reason").Change("Cooling maintenance"));
        await panel.InvokeAsync(() => panel.FindAll("button").Single(b => b.TextContent.Trim() == "Place the blackout").Click());

        panel.WaitForAssertion(() => Assert.Equal("The end must come after the start.", Error(panel, "End date")), Wait);
        var sent = JsonDocument.Parse(Assert.Single(_context.Gateway.To($"/api/enterprises/resources/{PoolId}/blackouts"), r => r.Method == HttpMethod.Post).Body!).RootElement;
        // 08:00 and 18:00 in London in July are 07:00 and 17:00 UTC.
        Assert.Equal(new DateTimeOffset(2030, 7, 2, 7, 0, 0, TimeSpan.Zero), sent.GetProperty("start").GetDateTimeOffset());
        Assert.Equal(new DateTimeOffset(2030, 7, 1, 17, 0, 0, TimeSpan.Zero), sent.GetProperty("end").GetDateTimeOffset());
        Assert.Equal("Cooling maintenance", sent.GetProperty("reason").GetString());
        Assert.Null(Error(panel, "Start date"));
    }

    [Fact]
    public async Task Removing_a_blackout_asks_first_sends_the_delete_to_its_path_and_its_row_goes()
    {
        var (cooling, firmware) = (Guid.NewGuid(), Guid.NewGuid());
        var start = new DateTimeOffset(2030, 7, 1, 7, 0, 0, TimeSpan.Zero);
        _context.Gateway
            .OnJson(HttpMethod.Get, $"/api/enterprises/resources/{PoolId}/blackouts", _ => new object[]
            {
                new { id = cooling, resourceId = PoolId, start, end = start.AddHours(10), reason = "Cooling maintenance" },
                new { id = firmware, resourceId = PoolId, start = start.AddDays(3), end = start.AddDays(3).AddHours(2), reason = "Firmware update" },
            })
            .On(HttpMethod.Delete, $"/api/enterprises/resources/{PoolId}/blackouts/{cooling}", _ => new HttpResponseMessage(HttpStatusCode.NoContent));
        BlackoutEntry? removed = null;
        var panel = _context.RenderWithProviders<BlackoutsPanel>((nameof(BlackoutsPanel.User), User), (nameof(BlackoutsPanel.Resource), Pool()),
            (nameof(BlackoutsPanel.OnRemoved), EventCallback.Factory.Create<BlackoutEntry>(this, b => removed = b)));
        panel.WaitForAssertion(() => Assert.Equal(2, panel.FindAll("tbody tr").Count), Wait);
        Assert.DoesNotContain("does not yet remove", panel.Markup, StringComparison.Ordinal);

        // Times in the resource's zone (London, summer: UTC+1), as the label names them.
        var label = $"Remove blackout Cooling maintenance {new DateTime(2030, 7, 1, 8, 0, 0).ToString("g", System.Globalization.CultureInfo.CurrentCulture)}"
            + $" – {new DateTime(2030, 7, 1, 18, 0, 0).ToString("g", System.Globalization.CultureInfo.CurrentCulture)}";
        await panel.InvokeAsync(() => panel.Find($"button[aria-label='{label}']").Click());
        Assert.DoesNotContain(_context.Gateway.Requests, r => r.Method == HttpMethod.Delete);
        await panel.InvokeAsync(() => panel.FindAll("button").Single(b => b.TextContent.Trim() == "Remove it").Click());

        panel.WaitForAssertion(() => Assert.Single(panel.FindAll("tbody tr")), Wait);
        Assert.Contains("Firmware update", panel.Find("tbody tr").TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Cooling maintenance", panel.Find("tbody").TextContent, StringComparison.Ordinal);
        Assert.Equal($"/api/enterprises/resources/{PoolId}/blackouts/{cooling}", Assert.Single(_context.Gateway.Requests, r => r.Method == HttpMethod.Delete).Path);
        Assert.Equal(cooling, removed?.Id);
        Assert.Contains(_context.Snackbar.ShownSnackbars, s => s.Message == "The blackout is removed; its time can be booked again.");
    }

    [Fact]
    public async Task A_removal_the_api_refuses_shows_its_problem_and_the_blackout_stays()
    {
        var ended = Guid.NewGuid();
        var start = new DateTimeOffset(2030, 7, 1, 7, 0, 0, TimeSpan.Zero);
        const string detail = "The blackout from 2030-07-01 07:00:00Z to 2030-07-01 17:00:00Z is already over; it stays as the record of the bookings it cancelled.";
        _context.Gateway
            .OnJson(HttpMethod.Get, $"/api/enterprises/resources/{PoolId}/blackouts", _ => new object[]
            {
                new { id = ended, resourceId = PoolId, start, end = start.AddHours(10), reason = "Cooling maintenance" },
            })
            .On(HttpMethod.Delete, $"/api/enterprises/resources/{PoolId}/blackouts/{ended}", _ => FakeGateway.Problem(HttpStatusCode.Conflict, new
            {
                title = "The request conflicts with the current state.",
                status = 409,
                detail,
            }));
        var panel = _context.RenderWithProviders<BlackoutsPanel>((nameof(BlackoutsPanel.User), User), (nameof(BlackoutsPanel.Resource), Pool()));
        panel.WaitForAssertion(() => Assert.Single(panel.FindAll("tbody tr")), Wait);

        await panel.InvokeAsync(() => panel.FindAll("button").Single(b => b.TextContent.Trim() == "Remove").Click());
        await panel.InvokeAsync(() => panel.FindAll("button").Single(b => b.TextContent.Trim() == "Remove it").Click());

        panel.WaitForAssertion(() => Assert.Contains(_context.Snackbar.ShownSnackbars, s => s.Message == detail), Wait);
        Assert.Contains("Cooling maintenance", panel.Find("tbody tr").TextContent, StringComparison.Ordinal);
        Assert.Single(_context.Gateway.Requests, r => r.Method == HttpMethod.Delete);
        panel.WaitForAssertion(() => Assert.Single(panel.FindAll("button"), b => b.TextContent.Trim() == "Remove"), Wait);
    }

    [Fact]
    public void The_calendar_asks_for_this_week_and_shows_each_booking_and_blackout_in_the_grid()
    {
        var zone = OwnersClient.ZoneOf(Pool().Rules);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).DateTime);
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var tuesdayTen = OwnersClient.InZone(monday.AddDays(1).ToDateTime(new TimeOnly(10, 0)), zone);
        _context.Gateway.OnJson(HttpMethod.Get, $"/api/enterprises/resources/{PoolId}/calendar", _ => new object[]
        {
            new { bookingId = Guid.NewGuid(), start = tuesdayTen, end = tuesdayTen.AddHours(2), units = 2, status = "pendingApproval", userName = "Student 007" },
            new { bookingId = (Guid?)null, start = tuesdayTen.AddDays(1), end = tuesdayTen.AddDays(1).AddHours(3), units = 4, status = "blackout", userName = "Cooling maintenance" },
        });

        var calendar = _context.RenderWithProviders<WeekCalendar>((nameof(WeekCalendar.User), User), (nameof(WeekCalendar.Resource), Pool()));

        calendar.WaitForAssertion(() => Assert.Equal(2, calendar.FindAll(".owner-entry").Count), Wait);
        var asked = Assert.Single(_context.Gateway.To($"/api/enterprises/resources/{PoolId}/calendar")).Query;
        Assert.Equal(OwnersClient.InZone(monday.ToDateTime(TimeOnly.MinValue), zone), DateTimeOffset.Parse(asked["from"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(OwnersClient.InZone(monday.AddDays(7).ToDateTime(TimeOnly.MinValue), zone), DateTimeOffset.Parse(asked["to"], System.Globalization.CultureInfo.InvariantCulture));
        var rows = calendar.FindAll("tbody tr");
        var tenOClock = rows.Single(r => r.QuerySelector("th")!.TextContent.Trim() == new TimeOnly(10, 0).ToString("t", System.Globalization.CultureInfo.CurrentCulture));
        var cells = tenOClock.QuerySelectorAll("td");
        Assert.Contains("Student 007 · waiting for approval · 2 u.", cells[1].TextContent, StringComparison.Ordinal);
        Assert.Contains("Blackout: Cooling maintenance", cells[2].TextContent, StringComparison.Ordinal);
        Assert.Equal(string.Empty, cells[0].TextContent.Trim());
    }

    [Fact]
    public async Task A_resource_opens_at_its_calendar_and_retiring_it_asks_first_then_tells_the_api()
    {
        _context.Gateway.OnJson(HttpMethod.Post, $"/api/enterprises/resources/{PoolId}/retire", _ => Pool() with { Retired = true });
        var page = _context.RenderWithProviders<ResourcePage>((nameof(ResourcePage.Id), PoolId));

        page.WaitForAssertion(() => Assert.Equal("GPU pool A", page.Find("h1").TextContent.Trim()), Wait);
        page.WaitForAssertion(() => Assert.Single(_context.Gateway.To($"/api/enterprises/resources/{PoolId}/calendar")), Wait);
        Assert.Contains("Times in Europe/London", page.Markup, StringComparison.Ordinal);

        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent.Trim() == "Retire").Click());
        Assert.Empty(_context.Gateway.To($"/api/enterprises/resources/{PoolId}/retire"));
        await page.InvokeAsync(() => page.FindAll("button").Single(b => b.TextContent.Trim() == "Retire it").Click());
        page.WaitForAssertion(() => Assert.Contains("Retired", page.FindAll(".mud-chip").Select(c => c.TextContent.Trim())), Wait);
        Assert.Single(_context.Gateway.To($"/api/enterprises/resources/{PoolId}/retire"));
    }

    [Fact]
    public void Another_organisations_resource_is_not_managed_here()
    {
        _context.Gateway.OnJson(HttpMethod.Get, $"/api/enterprises/resources/{PoolId}", _ => Pool() with { OwnerId = DemoDirectory.Enterprises[1].Id });
        var page = _context.RenderWithProviders<ResourcePage>((nameof(ResourcePage.Id), PoolId));

        page.WaitForAssertion(() => Assert.Contains("This resource belongs to another organisation; only its staff manage it.", page.Markup, StringComparison.Ordinal), Wait);
        Assert.Empty(_context.Gateway.To($"/api/enterprises/resources/{PoolId}/calendar"));
    }

    private static OwnedResource Pool() => new(
        PoolId, Helix, "Helix Compute", "ComputePool", "GPU pool A", "Eight A100 nodes", "A100", 4,
        new OwnerRules(15, 480, 0, 90, 30, false, true, 15, "Europe/London"),
        ["gpu-cluster-onboarding"], [], [], false, 3);

    /// <summary>The input of the MudBlazor field with this label.</summary>
    private static AngleSharp.Dom.IElement Input<T>(IRenderedComponent<T> component, string label)
        where T : IComponent =>
        Control(component, label).QuerySelector("input, textarea") ?? throw new InvalidOperationException($"No input labelled {label}");

    private static string? Error<T>(IRenderedComponent<T> component, string label)
        where T : IComponent =>
        Control(component, label).QuerySelector(".mud-input-helper-text.mud-input-error") is { } error ? error.TextContent.Trim() : null;

    private static AngleSharp.Dom.IElement Control<T>(IRenderedComponent<T> component, string label)
        where T : IComponent =>
        component.FindAll(".mud-input-control").FirstOrDefault(c => c.QuerySelector("label")?.TextContent.Trim().TrimEnd('*').Trim() == label)
        ?? throw new InvalidOperationException($"No field labelled {label}");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();
}
