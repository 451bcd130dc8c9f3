using System.Net;
using System.Net.Http.Json;
using CollabTraining.Demo;
using CollabTraining.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CollabTraining.Tests.EndToEnd;

/// <summary>Booking a shared resource in the portal, in a real browser, through the gateway, against the real platform.</summary>
[Collection(PlatformCollection.Name)]
public sealed class PortalBookingJourneyTests(Platform platform, PortalBrowser browser)
{
    [Fact]
    public async Task A_student_without_mri_safety_books_the_institutes_gated_scanner_from_the_catalog_and_sees_why_it_is_refused()
    {
        // Student 007 holds no MRI safety (the demo cohort gives it to every fourth student; no other test grants it to 007),
        // and is one of the students the sign-in picker shows.
        var student = DemoDirectory.Student(7);
        var name = $"Journey scanner {Guid.NewGuid():N}"[..28];
        var created = await platform.ClientAs("staff@imaging-institute.demo").PostAsJsonAsync("/api/research/resources", new
        {
            kind = "Equipment", name, capacity = 1, description = "MRI-gated research scanner for the portal journey.", requiredQualifications = new[] { "mri-safety" },
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var scannerId = (await created.ReadNodeAsync())["id"]!.GetValue<Guid>();
        var api = platform.ClientAs(student.UserName);
        Assert.True(await Eventually.HoldsAsync(
            async () => (await (await api.GetAsync($"/api/school/catalog/resources?kind=resource&q={Uri.EscapeDataString(name)}")).ReadNodeAsync())["total"]!.GetValue<int>() == 1,
            TimeSpan.FromSeconds(20)), "the scanner did not reach the catalog\n" + platform.Logs());

        var page = await browser.NewPageAsync();
        await PortalBrowser.JourneyAsync(page, "student-refused-gated-scanner", async () =>
        {
            await page.GotoAsync(new Uri(platform.Gateway, "/catalog?tab=resources").ToString());
            await page.Locator($"button[value='{student.UserName}']").ClickAsync();
            await page.WaitForURLAsync("**/catalog?tab=resources");
            await page.GetByLabel("Search", new() { Exact = true }).FillAsync(name);

            // The catalog row's Book button opens the booking page for that resource at its owner's service.
            var row = page.Locator(".mud-table-body tr", new() { HasText = name });
            await Expect(row).ToBeVisibleAsync();
            await row.GetByRole(AriaRole.Link, new() { Name = $"Book: {name}" }).ClickAsync();
            await page.WaitForURLAsync($"**/bookings?resourceId={scannerId}&service=research");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Book a resource", Level = 1 })).ToBeVisibleAsync();
            await Expect(page.Locator("[data-testid='resource']")).ToContainTextAsync(name);
            await Expect(page.Locator("[data-testid='resource']")).ToContainTextAsync("Needs mri-safety");

            // Next week, Wednesday 10:00: the grid says the unit is free; the owner refuses the student for the qualification.
            await page.GetByRole(AriaRole.Button, new() { Name = "Next week" }).ClickAsync();
            var wednesdayTen = page.Locator("[data-testid='week-grid'] tbody tr").Nth(3).Locator("button[data-testid='slot']").Nth(2);
            await Expect(wednesdayTen).ToHaveTextAsync("1/1");
            await wednesdayTen.ClickAsync();
            await Expect(page.GetByLabel("Start time")).Not.ToBeEmptyAsync();
            await page.Locator("button[data-testid='book']").ClickAsync();

            var refusal = page.Locator("[data-testid='refusal']");
            await Expect(refusal).ToContainTextAsync("You are not qualified");
            await Expect(refusal).ToContainTextAsync("needs mri-safety");
            await Expect(page.Locator("[data-testid='booked']")).ToHaveCountAsync(0);
        });

        var mine = (await (await api.GetAsync("/api/research/bookings/mine")).ReadNodeAsync())!.AsArray();
        Assert.DoesNotContain(mine, b => b!["resourceId"]!.GetValue<Guid>() == scannerId);
    }

    [Fact]
    public async Task A_student_books_a_free_slot_waits_for_a_full_one_cancels_and_leaves_in_the_portal_and_subscribes_to_the_calendar_feed()
    {
        var student = DemoDirectory.Student(6);
        var name = $"Journey microscope {Guid.NewGuid():N}"[..31];
        var created = await platform.ClientAs("staff@imaging-institute.demo").PostAsJsonAsync("/api/research/resources", new { kind = "Equipment", name, capacity = 1 });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = (await created.ReadNodeAsync())["id"]!.GetValue<Guid>();

        // Someone else already holds Thursday 11:00 next week (the resource keeps UTC).
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var nextMonday = today.AddDays(7 - (((int)today.DayOfWeek + 6) % 7));
        var taken = new DateTimeOffset(nextMonday.AddDays(3).ToDateTime(new TimeOnly(11, 0)), TimeSpan.Zero);
        var other = await platform.ClientAs(DemoDirectory.Student(9).UserName).PostAsJsonAsync($"/api/research/resources/{id}/bookings", new { start = taken, end = taken.AddHours(1) });
        Assert.True(other.StatusCode == HttpStatusCode.Created, await other.Content.ReadAsStringAsync());

        var page = await browser.NewPageAsync();
        await PortalBrowser.JourneyAsync(page, "student-books-waits-cancels-subscribes", async () =>
        {
            await page.GotoAsync(new Uri(platform.Gateway, $"/bookings?resourceId={id}&service=research").ToString());
            await page.Locator($"button[value='{student.UserName}']").ClickAsync();
            await page.WaitForURLAsync($"**/bookings?resourceId={id}&service=research");
            await Expect(page.Locator("[data-testid='resource']")).ToContainTextAsync(name);
            await page.GetByRole(AriaRole.Button, new() { Name = "Next week" }).ClickAsync();
            var thursday = (int hour) => page.Locator("[data-testid='week-grid'] tbody tr").Nth(hour - 7).Locator("button[data-testid='slot']").Nth(3);

            // A free hour is booked at once.
            await Expect(thursday(10)).ToHaveTextAsync("1/1");
            await thursday(10).ClickAsync();
            await page.Locator("button[data-testid='book']").ClickAsync();
            await Expect(page.Locator("[data-testid='booked']")).ToContainTextAsync("Confirmed");
            await Expect(thursday(10)).ToHaveTextAsync("0/1");

            // The full hour is refused as full, and the student waits for it instead.
            await Expect(thursday(11)).ToHaveTextAsync("0/1");
            await thursday(11).ClickAsync();
            await page.Locator("button[data-testid='book']").ClickAsync();
            await Expect(page.Locator("[data-testid='refusal']")).ToContainTextAsync("Fully booked");
            await page.Locator("button[data-testid='join-waitlist']").ClickAsync();
            await Expect(page.Locator("[data-testid='booked']")).ToContainTextAsync($"You wait for {name}");

            // My bookings: cancel the booking (after confirming), leave the waitlist.
            await page.GetByRole(AriaRole.Link, new() { Name = "My bookings and waitlist" }).First.ClickAsync();
            await page.WaitForURLAsync("**/bookings/mine");
            var row = page.Locator(".mud-table-body tr", new() { HasText = name });
            await Expect(row).ToContainTextAsync("Confirmed");
            await row.Locator("button[data-testid='cancel']").ClickAsync();
            await page.Locator(".mud-dialog button", new() { HasText = "Cancel booking" }).ClickAsync();
            await Expect(row).ToContainTextAsync("Cancelled");
            await page.GetByRole(AriaRole.Tab, new() { Name = "Waitlist" }).ClickAsync();
            var wait = page.Locator("[data-testid='waitlist'] .mud-table-body tr", new() { HasText = name });
            await Expect(wait).ToContainTextAsync("Waiting");
            await wait.Locator("button[data-testid='leave']").ClickAsync();
            await Expect(wait).ToContainTextAsync("Left");

            // My calendar: the week's list, and a feed address that a calendar client can read without signing in.
            await page.GetByRole(AriaRole.Link, new() { Name = "My calendar" }).First.ClickAsync();
            await page.WaitForURLAsync("**/calendar");
            await page.GetByRole(AriaRole.Button, new() { Name = "Next week" }).ClickAsync();
            await page.GetByLabel("Show cancelled").CheckAsync();
            await Expect(page.Locator("[data-testid='calendar-list']")).ToContainTextAsync(name);
            await page.Locator("button[data-testid='make-feed-research']").ClickAsync();
            var address = page.GetByLabel("Calendar address", new() { Exact = true });
            await Expect(address).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("/api/research/feeds/[0-9a-f]{64}/bookings\\.ics$"));
            using var calendarClient = new HttpClient();
            var ics = await calendarClient.GetStringAsync(await address.InputValueAsync());
            Assert.Contains("BEGIN:VCALENDAR", ics, StringComparison.Ordinal);
            Assert.Contains(name, ics, StringComparison.Ordinal);
        });
    }
}
