using CollabTraining.Portal.Localization;
using System.Net;
using System.Text.Json;
using Bunit;
using CollabTraining.Portal.Bookings;
using CollabTraining.Portal.Catalog;
using CollabTraining.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace CollabTraining.Tests.Portal;

public sealed class BookingsTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private static readonly Guid Scanner = Guid.Parse("0195f3a2-7c1e-7d4b-9a51-3f0c2e8b1d47");
    private static readonly TimeZoneInfo London = WeekAvailability.Zone("Europe/London");
    private readonly PortalComponentContext _context = new();
    private IRenderedComponent<IComponent>? _host;

    public BookingsTests()
    {
        _context.Gateway
            .OnJson(HttpMethod.Get, $"/api/research/resources/{Scanner}", _ => ScannerJson())
            .OnJson(HttpMethod.Get, $"/api/research/resources/{Scanner}/calendar", r =>
            {
                // One unit of two taken on the Tuesday of the asked week, 10:00 to 11:00 London time.
                var from = DateTimeOffset.Parse(r.Query["from"], System.Globalization.CultureInfo.InvariantCulture);
                var monday = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, London).DateTime);
                var start = WeekAvailability.Instant(monday.AddDays(1), TimeSpan.FromHours(10), London);
                var friday = WeekAvailability.Instant(monday.AddDays(4), TimeSpan.FromHours(8), London);
                return new[]
                {
                    new { bookingId = (Guid?)null, start, end = start.AddHours(1), units = 1, status = "busy", userName = (string?)null },
                    new { bookingId = (Guid?)null, start = friday, end = friday.AddHours(2), units = 2, status = "blackout", userName = (string?)"Helium refill" },
                };
            });
    }

    [Fact]
    public async Task The_week_shows_free_units_per_hour_and_a_picked_slot_is_booked_with_exactly_start_end_and_units()
    {
        _context.Gateway.On(HttpMethod.Post, $"/api/research/resources/{Scanner}/bookings", r => FakeGateway.Json(HttpStatusCode.Created, BookingJson(r)));
        var page = await OpenBookingPageAsync();

        await page.InvokeAsync(() => page.Find("button[data-testid='next-week']").Click());
        var monday = NextMonday();
        var tuesdayTen = WeekAvailability.Instant(monday.AddDays(1), TimeSpan.FromHours(10), London);
        page.WaitForAssertion(() => Assert.Equal(WeekAvailability.Instant(monday, TimeSpan.Zero, London),
            DateTimeOffset.Parse(_context.Gateway.To($"/api/research/resources/{Scanner}/calendar").Last().Query["from"], System.Globalization.CultureInfo.InvariantCulture)), Wait);

        // Tuesday 10:00 has one of two units free, Tuesday 11:00 both.
        page.WaitForAssertion(() => Assert.Equal("1/2", Slot(page, monday.AddDays(1), 10).TextContent.Trim()), Wait);
        Assert.Equal("2/2", Slot(page, monday.AddDays(1), 11).TextContent.Trim());

        // A blackout closes its hours, and says why.
        var closed = Slot(page, monday.AddDays(4), 9);
        Assert.Equal("Closed", closed.TextContent.Trim());
        Assert.True(closed.HasAttribute("disabled"));
        Assert.EndsWith("Closed: Helium refill", closed.GetAttribute("aria-label"), StringComparison.Ordinal);
        Assert.Equal("2/2", Slot(page, monday.AddDays(4), 10).TextContent.Trim());

        await page.InvokeAsync(() => Slot(page, monday.AddDays(1), 10).Click());
        await page.InvokeAsync(() => page.Find("button[data-testid='book']").Click());

        page.WaitForAssertion(() => Assert.Contains("3T MRI research scanner booked", page.Find("[data-testid='booked']").TextContent, StringComparison.Ordinal), Wait);
        var sent = JsonDocument.Parse(Assert.Single(_context.Gateway.To($"/api/research/resources/{Scanner}/bookings")).Body!).RootElement;
        Assert.Equal(new[] { "start", "end", "units" }, sent.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(tuesdayTen, sent.GetProperty("start").GetDateTimeOffset());
        Assert.Equal(tuesdayTen.AddHours(1), sent.GetProperty("end").GetDateTimeOffset());
        Assert.Equal(1, sent.GetProperty("units").GetInt32());
    }

    [Fact]
    public async Task A_refusal_for_a_missing_qualification_is_shown_beside_the_form_with_its_reason()
    {
        _context.Gateway.On(HttpMethod.Post, $"/api/research/resources/{Scanner}/bookings", _ => FakeGateway.Problem(HttpStatusCode.Conflict, new
        {
            title = "The request conflicts with the current state.",
            status = 409,
            detail = "Booking 3T MRI research scanner needs mri-safety, valid until the booking ends; you do not hold it.",
            reason = "qualification",
        }));
        var page = await OpenBookingPageAsync();
        await page.InvokeAsync(() => page.Find("button[data-testid='next-week']").Click());
        var monday = NextMonday();
        page.WaitForAssertion(() => Assert.Equal("2/2", Slot(page, monday.AddDays(2), 9).TextContent.Trim()), Wait);

        await page.InvokeAsync(() => Slot(page, monday.AddDays(2), 9).Click());
        await page.InvokeAsync(() => page.Find("button[data-testid='book']").Click());

        page.WaitForAssertion(() => Assert.Contains("You are not qualified", page.Find("[data-testid='refusal']").TextContent, StringComparison.Ordinal), Wait);
        Assert.Equal("Booking 3T MRI research scanner needs mri-safety, valid until the booking ends; you do not hold it.", page.Find("[data-testid='refusal-detail']").TextContent.Trim());
        Assert.Empty(page.FindAll("[data-testid='join-waitlist']"));
        Assert.Empty(page.FindAll("[data-testid='booked']"));
    }

    [Fact]
    public async Task A_full_slot_offers_the_next_free_one_and_the_waitlist_which_is_sent_the_same_slot()
    {
        var next = WeekAvailability.Instant(NextMonday().AddDays(3), TimeSpan.FromHours(14), London);
        _context.Gateway
            .On(HttpMethod.Post, $"/api/research/resources/{Scanner}/bookings", _ => FakeGateway.Problem(HttpStatusCode.Conflict, new
            {
                title = "The request conflicts with the current state.",
                status = 409,
                detail = "3T MRI research scanner is fully booked.",
                reason = "full",
                nextFree = new { start = next, end = next.AddHours(1) },
            }))
            .On(HttpMethod.Post, $"/api/research/resources/{Scanner}/waitlist", r => FakeGateway.Json(HttpStatusCode.Created, new
            {
                id = Guid.NewGuid(), resourceId = Scanner, start = JsonDocument.Parse(r.Body!).RootElement.GetProperty("start").GetDateTimeOffset(),
                end = JsonDocument.Parse(r.Body!).RootElement.GetProperty("end").GetDateTimeOffset(), units = 1, status = "Waiting", offeredHoldId = (Guid?)null, joinedAt = DateTimeOffset.UtcNow,
            }));
        var page = await OpenBookingPageAsync();
        await page.InvokeAsync(() => page.Find("button[data-testid='next-week']").Click());
        var monday = NextMonday();
        page.WaitForAssertion(() => Assert.Equal("1/2", Slot(page, monday.AddDays(1), 10).TextContent.Trim()), Wait);
        await page.InvokeAsync(() => Slot(page, monday.AddDays(1), 10).Click());
        await page.InvokeAsync(() => page.Find("button[data-testid='book']").Click());

        page.WaitForAssertion(() => Assert.Contains("Fully booked", page.Find("[data-testid='refusal']").TextContent, StringComparison.Ordinal), Wait);
        await page.InvokeAsync(() => page.Find("button[data-testid='join-waitlist']").Click());

        page.WaitForAssertion(() => Assert.Contains("You wait for 3T MRI research scanner", page.Find("[data-testid='booked']").TextContent, StringComparison.Ordinal), Wait);
        var booked = JsonDocument.Parse(_context.Gateway.To($"/api/research/resources/{Scanner}/bookings").Single().Body!).RootElement;
        var waited = JsonDocument.Parse(_context.Gateway.To($"/api/research/resources/{Scanner}/waitlist").Single().Body!).RootElement;
        Assert.Equal(booked.GetRawText(), waited.GetRawText());
    }

    [Fact]
    public async Task The_apis_message_about_the_units_appears_at_the_units_field()
    {
        _context.Gateway.On(HttpMethod.Post, $"/api/research/resources/{Scanner}/bookings", _ => FakeGateway.Problem(HttpStatusCode.BadRequest, new
        {
            title = "The request breaks a rule.",
            status = 400,
            errors = new Dictionary<string, string[]> { ["units"] = ["3T MRI research scanner has 2 units; you asked for 3."] },
        }));
        var page = await OpenBookingPageAsync();
        await page.InvokeAsync(() => page.Find("button[data-testid='next-week']").Click());
        var monday = NextMonday();
        page.WaitForAssertion(() => Assert.Equal("2/2", Slot(page, monday.AddDays(4), 15).TextContent.Trim()), Wait);
        await page.InvokeAsync(() => Slot(page, monday.AddDays(4), 15).Click());
        await page.InvokeAsync(() => page.Find("button[data-testid='book']").Click());

        page.WaitForAssertion(() => Assert.Equal("3T MRI research scanner has 2 units; you asked for 3.", FieldError(page, "Units")), Wait);
        Assert.Empty(page.FindAll("[data-testid='refusal']"));
    }

    [Fact]
    public async Task Booking_without_a_slot_names_the_missing_start_and_end_and_sends_nothing()
    {
        var page = await OpenBookingPageAsync();
        await page.InvokeAsync(() => page.Find("button[data-testid='book']").Click());

        page.WaitForAssertion(() => Assert.Equal("Choose the start date and time.", FieldError(page, "Start date")), Wait);
        Assert.Equal("Choose the end date and time.", FieldError(page, "End date"));
        Assert.Empty(_context.Gateway.To($"/api/research/resources/{Scanner}/bookings"));
    }

    [Fact]
    public void A_malformed_link_is_said_so_and_nothing_is_asked()
    {
        _context.Services.GetRequiredService<NavigationManager>().NavigateTo("bookings?resourceId=not-an-id&service=research");
        var page = Render<BookingPage>();

        page.WaitForAssertion(() => Assert.Contains("does not name a resource", page.Find("[data-testid='resource-problem']").TextContent, StringComparison.Ordinal), Wait);
        Assert.DoesNotContain(_context.Gateway.Requests, r => r.Path.StartsWith("/api/research", StringComparison.Ordinal));
    }

    [Fact]
    public async Task My_bookings_lists_both_services_and_cancelling_after_confirming_posts_the_cancel()
    {
        var soon = DateTimeOffset.UtcNow.AddDays(3);
        var gpu = Booking(Guid.NewGuid(), "GPU pool A100", soon, "confirmed");
        var mri = Booking(Guid.NewGuid(), "3T MRI research scanner", soon.AddDays(1), "pendingApproval");
        var old = Booking(Guid.NewGuid(), "Old VR headset", DateTimeOffset.UtcNow.AddDays(-10), "completed");
        var waiting = Guid.NewGuid();
        _context.Gateway
            .OnJson(HttpMethod.Get, "/api/enterprises/bookings/mine", _ => new[] { gpu, old })
            .OnJson(HttpMethod.Get, "/api/research/bookings/mine", _ => new[] { mri })
            .OnJson(HttpMethod.Get, "/api/enterprises/waitlist/mine", _ => Array.Empty<object>())
            .OnJson(HttpMethod.Get, "/api/research/waitlist/mine", _ => new[] { new { id = waiting, resourceId = Scanner, start = soon, end = soon.AddHours(1), units = 1, status = "Waiting", offeredHoldId = (Guid?)null, joinedAt = DateTimeOffset.UtcNow } })
            .On(HttpMethod.Post, $"/api/research/bookings/{mri.Id}/cancel", _ => FakeGateway.Json(HttpStatusCode.OK, mri with { Status = "cancelled" }))
            .On(HttpMethod.Delete, $"/api/research/waitlist/{waiting}", _ => new HttpResponseMessage(HttpStatusCode.NoContent));
        var page = Render<MyBookingsPage>();

        page.WaitForAssertion(() => Assert.Contains("GPU pool A100", page.Markup, StringComparison.Ordinal), Wait);
        Assert.Contains("Waiting for approval", page.Markup, StringComparison.Ordinal);
        Assert.Equal("true", _context.Gateway.To("/api/enterprises/bookings/mine").Single().Query["includePast"]);
        Assert.Equal(2, page.FindAll("button[data-testid='cancel']").Count);

        await page.InvokeAsync(() => page.FindAll("button[data-testid='cancel']")[1].Click());
        var host = _host!;
        host.WaitForAssertion(() => Assert.Contains("3T MRI research scanner", host.Find(".mud-dialog").TextContent, StringComparison.Ordinal), Wait);
        await host.InvokeAsync(() => host.FindAll(".mud-dialog button").Single(b => b.TextContent.Trim() == "Cancel booking").Click());

        page.WaitForAssertion(() => Assert.Single(_context.Gateway.To($"/api/research/bookings/{mri.Id}/cancel")), Wait);
        Assert.Equal("""{"reason":null}""", _context.Gateway.To($"/api/research/bookings/{mri.Id}/cancel").Single().Body);
        Assert.Empty(_context.Gateway.To($"/api/enterprises/bookings/{gpu.Id}/cancel"));

        // The waitlist names the resource (asked of its owner) and leaving it deletes the entry.
        await page.InvokeAsync(() => page.FindAll(".mud-tab")[2].Click());
        page.WaitForAssertion(() => Assert.Contains("3T MRI research scanner", page.Find("[data-testid='waitlist']").TextContent, StringComparison.Ordinal), Wait);
        await page.InvokeAsync(() => page.Find("button[data-testid='leave']").Click());
        page.WaitForAssertion(() => Assert.Single(_context.Gateway.To($"/api/research/waitlist/{waiting}")), Wait);
    }

    [Fact]
    public void My_bookings_read_on_the_browsers_clock_and_say_which_zone_that_is()
    {
        var start = new DateTimeOffset(2031, 12, 1, 2, 0, 0, TimeSpan.Zero);
        _context.Gateway
            .OnJson(HttpMethod.Get, "/api/enterprises/bookings/mine", _ => new[] { Booking(Guid.NewGuid(), "GPU pool A100", start, "confirmed") })
            .OnJson(HttpMethod.Get, "/api/research/bookings/mine", _ => Array.Empty<object>())
            .OnJson(HttpMethod.Get, "/api/enterprises/waitlist/mine", _ => Array.Empty<object>())
            .OnJson(HttpMethod.Get, "/api/research/waitlist/mine", _ => Array.Empty<object>());

        var page = Render<MyBookingsPage>(UserTimeZone.From("Asia/Shanghai"));

        // 02:00 UTC is 10:00 in Shanghai.
        var local = new DateTime(2031, 12, 1, 10, 0, 0).ToString("g", System.Globalization.CultureInfo.CurrentCulture);
        page.WaitForAssertion(() => Assert.Contains(local, page.Markup, StringComparison.Ordinal), Wait);
        Assert.Equal("Times in Asia/Shanghai.", page.Find("[data-testid='times-in']").TextContent.Trim());
        Assert.DoesNotContain(" UTC", page.Find("table").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void A_browser_zone_this_server_does_not_know_reads_as_utc_and_says_so()
    {
        Assert.Equal(("UTC", false), (UserTimeZone.From("Mars/Olympus_Mons").Name, UserTimeZone.From("Mars/Olympus_Mons").Known));
        Assert.Equal("UTC", UserTimeZone.From(null).Name);
        Assert.Equal("UTC", UserTimeZone.From(new string('x', 200)).Name);
        var zone = UserTimeZone.From("Europe/London");
        Assert.Equal(new DateTimeOffset(2031, 7, 1, 0, 0, 0, TimeSpan.FromHours(1)), zone.StartOf(new DateOnly(2031, 7, 1)));
    }

    [Fact]
    public async Task The_calendar_lists_this_weeks_bookings_and_makes_a_feed_address_to_copy()
    {
        var today = DateTimeOffset.UtcNow;
        var monday = WeekAvailability.WeekOf(DateOnly.FromDateTime(today.UtcDateTime));
        var inWeek = new DateTimeOffset(monday.AddDays(2).ToDateTime(new TimeOnly(9, 0)), TimeSpan.Zero);
        var secret = new string('a', 64);
        _context.Gateway
            .OnJson(HttpMethod.Get, "/api/enterprises/bookings/mine", _ => new[] { Booking(Guid.NewGuid(), "GPU pool A100", inWeek, "confirmed"), Booking(Guid.NewGuid(), "Far away GPU", inWeek.AddDays(30), "confirmed") })
            .OnJson(HttpMethod.Get, "/api/research/bookings/mine", _ => Array.Empty<object>())
            .OnJson(HttpMethod.Get, "/api/enterprises/waitlist/mine", _ => Array.Empty<object>())
            .OnJson(HttpMethod.Get, "/api/research/waitlist/mine", _ => Array.Empty<object>())
            .OnJson(HttpMethod.Get, "/api/enterprises/feeds", _ => Array.Empty<object>())
            .OnJson(HttpMethod.Get, "/api/research/feeds", _ => Array.Empty<object>())
            .OnJson(HttpMethod.Get, $"/api/school/students/{TestAuth.User(TestAuth.Student).Id}/record", _ => new
            {
                studentId = TestAuth.User(TestAuth.Student).Id,
                placements = new[]
                {
                    new { assignmentId = Guid.NewGuid(), title = "Cardiology ward rotation", hospitalName = "St Mary's University Hospital", startsOn = monday.AddDays(-3), endsOn = monday.AddDays(24), status = "Confirmed" },
                    new { assignmentId = Guid.NewGuid(), title = "Declined surgery rotation", hospitalName = "Riverside General Hospital", startsOn = monday, endsOn = monday.AddDays(27), status = "DeclinedByStudent" },
                    new { assignmentId = Guid.NewGuid(), title = "Next term's paediatrics", hospitalName = "Northbridge Children's Hospital", startsOn = monday.AddDays(60), endsOn = monday.AddDays(87), status = "Pending" },
                },
            })
            .On(HttpMethod.Post, "/api/research/feeds", _ => FakeGateway.Json(HttpStatusCode.Created, new
            {
                id = Guid.NewGuid(), secret, bookingsUrl = $"/api/research/feeds/{secret}/bookings.ics",
                resourceUrlTemplate = $"/api/research/feeds/{secret}/resources/{{resourceId}}.ics", createdAt = DateTimeOffset.UtcNow,
            }));
        var page = Render<CalendarPage>();

        page.WaitForAssertion(() => Assert.Contains("GPU pool A100", page.Find("[data-testid='calendar-list']").TextContent, StringComparison.Ordinal), Wait);
        Assert.DoesNotContain("Far away GPU", page.Find("[data-testid='calendar-list']").TextContent, StringComparison.Ordinal);

        // The student's placement this week is in it too; a declined one and a later one are not.
        var placements = page.Find("[data-testid='calendar-placements']").TextContent;
        Assert.Contains("Cardiology ward rotation · St Mary's University Hospital", placements, StringComparison.Ordinal);
        Assert.DoesNotContain("Declined surgery rotation", placements, StringComparison.Ordinal);
        Assert.DoesNotContain("paediatrics", placements, StringComparison.Ordinal);
        Assert.Empty(page.FindAll(".mud-alert"));

        await page.InvokeAsync(() => page.Find("button[data-testid='make-feed-research']").Click());
        var url = $"http://localhost/api/research/feeds/{secret}/bookings.ics";
        page.WaitForAssertion(() => Assert.Equal(url, page.Find("[data-testid='feed-url-research'] input, input[data-testid='feed-url-research']").GetAttribute("value")), Wait);
        Assert.Null(_context.Gateway.To("/api/research/feeds").Single(r => r.Method == HttpMethod.Post).Body);

        await page.InvokeAsync(() => page.FindAll("button").First(b => b.TextContent.Trim() == "Copy").Click());
        var copied = _context.JSInterop.VerifyInvoke("navigator.clipboard.writeText");
        Assert.Equal(url, copied.Arguments[0]);
    }

    [Fact]
    public void A_catalog_resource_row_links_to_booking_it_at_its_owners_service()
    {
        _context.Gateway
            .OnJson(HttpMethod.Get, "/api/enterprises/enterprises", _ => Array.Empty<object>())
            .OnJson(HttpMethod.Get, "/api/research/institutes", _ => Array.Empty<object>())
            .OnJson(HttpMethod.Get, "/api/school/catalog/resources", _ => new
            {
                items = new[]
                {
                    new
                    {
                        kind = "equipment", id = Scanner, service = "research", ownerId = Guid.NewGuid(), ownerName = "Institute for Biomedical Imaging", name = "3T MRI research scanner",
                        description = (string?)null, model = (string?)null, capacity = 1, requiredQualifications = new[] { "mri-safety" }, approvalRequired = false,
                        expertise = Array.Empty<string>(), projectCapacity = (int?)null,
                    },
                },
                pageNumber = 1, pageSize = 20, total = 1,
            });
        var tab = _context.RenderWithProviders<ResourcesTab>((nameof(ResourcesTab.Kind), CatalogClient.AnyResource));

        tab.WaitForAssertion(() => Assert.Equal($"bookings?resourceId={Scanner}&service=research", tab.Find("[data-testid='book-resource']").GetAttribute("href")), Wait);
        Assert.Equal("Book: 3T MRI research scanner", tab.Find("[data-testid='book-resource']").GetAttribute("aria-label"));
    }

    [Fact]
    public void Free_units_are_the_capacity_less_the_busiest_moment_and_none_under_a_blackout()
    {
        var t = new DateTimeOffset(2030, 1, 7, 10, 0, 0, TimeSpan.Zero);
        BusyInterval Busy(int fromMinutes, int toMinutes, int units, string status = "busy") => new(null, t.AddMinutes(fromMinutes), t.AddMinutes(toMinutes), units, status, null);

        // Two bookings that do not overlap each other take at most 2 at once.
        Assert.Equal((2, false), WeekAvailability.FreeUnits(4, [Busy(0, 30, 2), Busy(30, 60, 1)], t, t.AddHours(1)));
        Assert.Equal((1, false), WeekAvailability.FreeUnits(4, [Busy(-30, 30, 2), Busy(15, 90, 1)], t, t.AddHours(1)));
        Assert.Equal((4, false), WeekAvailability.FreeUnits(4, [Busy(60, 120, 4)], t, t.AddHours(1)));
        Assert.Equal((0, true), WeekAvailability.FreeUnits(4, [Busy(50, 70, 4, "blackout")], t, t.AddHours(1)));
        Assert.Equal(new DateOnly(2030, 1, 7), WeekAvailability.WeekOf(new DateOnly(2030, 1, 13)));
    }

    private async Task<IRenderedComponent<BookingPage>> OpenBookingPageAsync()
    {
        var navigation = _context.Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo($"bookings?resourceId={Scanner}&service=research");
        var page = Render<BookingPage>();
        page.WaitForAssertion(() => Assert.Contains("3T MRI research scanner", page.Find("[data-testid='resource']").TextContent, StringComparison.Ordinal), Wait);
        Assert.Contains("Needs mri-safety", page.Find("[data-testid='resource']").TextContent, StringComparison.Ordinal);
        await Task.CompletedTask;
        return page;
    }

    /// <summary>The page with the providers the layout gives it (popovers, dialogs, snackbars).</summary>
    private IRenderedComponent<TComponent> Render<TComponent>(UserTimeZone? zone = null)
        where TComponent : IComponent
    {
        _host = _context.Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudDialogProvider>(1);
            builder.CloseComponent();
            builder.OpenComponent<MudSnackbarProvider>(2);
            builder.CloseComponent();
            builder.OpenComponent<CascadingValue<UserTimeZone>>(3);
            builder.AddAttribute(4, nameof(CascadingValue<UserTimeZone>.Value), zone ?? UserTimeZone.Utc);
            builder.AddAttribute(5, nameof(CascadingValue<UserTimeZone>.ChildContent), (RenderFragment)(page =>
            {
                page.OpenComponent<TComponent>(0);
                page.CloseComponent();
            }));
            builder.CloseComponent();
        });
        return _host.FindComponent<TComponent>();
    }

    private static DateOnly NextMonday() =>
        WeekAvailability.WeekOf(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, London).DateTime)).AddDays(7);

    private static AngleSharp.Dom.IElement Slot(IRenderedComponent<BookingPage> page, DateOnly day, int hour)
    {
        var rows = page.FindAll("[data-testid='week-grid'] tbody tr");
        var row = rows.Single(r => r.QuerySelector("th")!.TextContent.Trim() == TimeOnly.FromTimeSpan(TimeSpan.FromHours(hour)).ToString("t", System.Globalization.CultureInfo.CurrentCulture));
        return row.QuerySelectorAll("button[data-testid='slot']")[(day.DayNumber - WeekAvailability.WeekOf(day).DayNumber)];
    }

    private static string? FieldError(IRenderedComponent<BookingPage> page, string label) =>
        page.FindAll(".mud-input-control").First(c => c.QuerySelector("label")?.TextContent.Trim() == label)
            .QuerySelector(".mud-input-helper-text.mud-input-error") is { } error ? error.TextContent.Trim() : null;

    private static object ScannerJson() => new
    {
        id = Scanner, ownerId = Guid.NewGuid(), ownerName = "Institute for Biomedical Imaging", kind = "Equipment", name = "3T MRI research scanner",
        description = "Research scanner; sessions need MRI safety training.", model = "Siemens Prisma 3T", capacity = 2,
        rules = new { minimumMinutes = 60, maximumMinutes = 240, noticeMinutes = 120, advanceDays = 180, bufferMinutes = 0, approvalRequired = false, checkInRequired = true, autoReleaseMinutes = 20, timeZone = "Europe/London" },
        requiredQualifications = new[] { "mri-safety" }, allowedOrganisations = Array.Empty<Guid>(), allowedOrganisationKinds = Array.Empty<string>(), retired = false, version = 3,
    };

    private static object BookingJson(SentRequest request)
    {
        var body = JsonDocument.Parse(request.Body!).RootElement;
        return Booking(Guid.NewGuid(), "3T MRI research scanner", body.GetProperty("start").GetDateTimeOffset(), "confirmed") with { End = body.GetProperty("end").GetDateTimeOffset() };
    }

    private static BookingJsonRow Booking(Guid id, string resourceName, DateTimeOffset start, string status) =>
        new(id, resourceName.Contains("MRI", StringComparison.Ordinal) ? Scanner : Guid.NewGuid(), resourceName, Guid.NewGuid(), "Student 001", Guid.NewGuid(), 1, start, start.AddHours(1), status, null, null, null, null, 0, 1);

    private sealed record BookingJsonRow(
        Guid Id, Guid ResourceId, string ResourceName, Guid UserId, string UserName, Guid OrganisationId, int Units, DateTimeOffset Start, DateTimeOffset End,
        string Status, string? Reason, DateTimeOffset? HoldExpiresAt, DateTimeOffset? CheckedInAt, DateTimeOffset? CheckedOutAt, double UsedUnitHours, long Version);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();
}
