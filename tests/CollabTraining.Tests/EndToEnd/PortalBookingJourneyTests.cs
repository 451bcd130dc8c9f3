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
}
