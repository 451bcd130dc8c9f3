using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CollabTraining.Demo;
using CollabTraining.Tests.Support;

namespace CollabTraining.Tests.EndToEnd;

/// <summary>Shared resources as people meet them: through the gateway, two Enterprises instances on one database, a real broker.</summary>
[Collection(PlatformCollection.Name)]
public sealed class SharedResourceFlowTests(Platform platform)
{
    private static readonly DateTimeOffset Tomorrow = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(2).AddHours(9);

    [Fact]
    public async Task Two_hundred_parallel_requests_for_one_slot_of_a_4_GPU_pool_confirm_exactly_four()
    {
        var pool = await CreateAsync("staff@helix-compute.demo", "enterprises", new { kind = "ComputePool", name = $"Race pool {Guid.NewGuid():N}", capacity = 4 });
        var clients = Enumerable.Range(1, 50).Select(i => Client(DemoDirectory.Student(100 + i).UserName)).ToList();
        var slot = Tomorrow.AddDays(3);
        var responses = await Task.WhenAll(Enumerable.Range(0, 200).Select(i =>
            clients[i % clients.Count].PostAsJsonAsync($"/api/enterprises/resources/{pool}/bookings", new { start = slot, end = slot.AddHours(2) })));

        var statuses = responses.GroupBy(r => (int)r.StatusCode).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(statuses.GetValueOrDefault(201) == 4 && statuses.GetValueOrDefault(409) == 196,
            $"expected 4 × 201 and 196 × 409, got {string.Join(", ", statuses.Select(s => $"{s.Value} × {s.Key}"))}\n{platform.Logs()}");
        var calendar = await (await Client("staff@helix-compute.demo").GetAsync($"/api/enterprises/resources/{pool}/calendar?from={Q(slot)}&to={Q(slot.AddHours(2))}")).ReadNodeAsync();
        Assert.Equal(4, calendar.AsArray().Sum(e => e!["units"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_blackout_cancels_bookings_and_a_cancellation_promotes_the_waitlist()
    {
        var staff = Client("staff@medsim.demo");
        var device = await CreateAsync("staff@medsim.demo", "enterprises", new { kind = "Device", name = $"Flow simulator {Guid.NewGuid():N}", capacity = 1 });
        var (alice, bob) = (Client(DemoDirectory.Student(11).UserName), Client(DemoDirectory.Student(12).UserName));
        var slot = Tomorrow.AddDays(5);

        var aliceBooking = (await (await alice.PostAsJsonAsync($"/api/enterprises/resources/{device}/bookings", new { start = slot, end = slot.AddHours(1) })).ReadNodeAsync())["id"]!.GetValue<Guid>();
        await (await bob.PostAsJsonAsync($"/api/enterprises/resources/{device}/bookings", new { start = slot, end = slot.AddHours(1) })).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.Created, (await bob.PostAsJsonAsync($"/api/enterprises/resources/{device}/waitlist", new { start = slot, end = slot.AddHours(1) })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await alice.PostAsJsonAsync($"/api/enterprises/bookings/{aliceBooking}/cancel", new { reason = "Exam moved" })).StatusCode);
        var bobsHold = (await (await bob.GetAsync("/api/enterprises/bookings/mine")).ReadNodeAsync()).AsArray().Single(b => b!["resourceId"]!.GetValue<Guid>() == device)!;
        Assert.Equal("held", bobsHold["status"]!.GetValue<string>());
        Assert.Equal("confirmed", (await (await bob.PostAsync($"/api/enterprises/bookings/{bobsHold["id"]}/confirm", null)).ReadNodeAsync())["status"]!.GetValue<string>());

        var placed = await staff.PostAsJsonAsync($"/api/enterprises/resources/{device}/blackouts", new { start = slot.AddMinutes(-30), end = slot.AddHours(2), reason = "Firmware update" });
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var cancelled = (await (await bob.GetAsync($"/api/enterprises/bookings/{bobsHold["id"]}")).ReadNodeAsync());
        Assert.Equal("cancelled", cancelled["status"]!.GetValue<string>());
        Assert.Contains("Firmware update", cancelled["reason"]!.GetValue<string>());

        // Bob is told through the event: the school turns it into his notification.
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            var notes = await (await bob.GetAsync("/api/school/notifications/mine")).ReadNodeAsync();
            return notes.AsArray().Any(n => n!["text"]!.GetValue<string>().Contains("Firmware update", StringComparison.Ordinal));
        }, TimeSpan.FromSeconds(20)), platform.Logs());
    }

    [Fact]
    public async Task A_hold_expires_by_itself_also_across_a_restart_of_the_service()
    {
        var device = await CreateAsync("staff@medsim.demo", "enterprises", new { kind = "Device", name = $"Hold device {Guid.NewGuid():N}", capacity = 1 });
        var carol = Client(DemoDirectory.Student(13).UserName);
        var slot = Tomorrow.AddDays(6);
        var hold = await (await carol.PostAsJsonAsync($"/api/enterprises/resources/{device}/holds", new { start = slot, end = slot.AddHours(1), holdSeconds = 5 })).ReadNodeAsync();
        Assert.Equal("held", hold["status"]!.GetValue<string>());

        // Both instances go down before the hold is due and come back after: the due task is in the database.
        await platform.KillAsync("enterprises");
        await platform.KillAsync("enterprises-2");
        await Task.Delay(TimeSpan.FromSeconds(6));
        await platform.RestartAsync("enterprises");
        await platform.RestartAsync("enterprises-2");

        Assert.True(await Eventually.HoldsAsync(async () =>
            (await (await carol.GetAsync($"/api/enterprises/bookings/{hold["id"]}")).ReadNodeAsync())["status"]!.GetValue<string>() == "expired", TimeSpan.FromSeconds(20)), platform.Logs());
        Assert.Equal(HttpStatusCode.Created, (await Client(DemoDirectory.Student(14).UserName).PostAsJsonAsync($"/api/enterprises/resources/{device}/bookings", new { start = slot, end = slot.AddHours(1) })).StatusCode);

        // Leave the platform as the next test expects it: a burst through the gateway reaches both instances (400: no body).
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            var burst = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => carol.PostAsJsonAsync($"/api/enterprises/resources/{device}/bookings", new { })));
            return burst.All(r => r.StatusCode == HttpStatusCode.BadRequest);
        }, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(1)), "the gateway kept answering 502 after the restart\n" + platform.Logs());
    }

    [Fact]
    public async Task A_qualification_granted_at_the_school_lets_a_student_book_the_scanner_and_its_revocation_refuses_the_next()
    {
        var student = DemoDirectory.Student(21);
        var scanner = await CreateAsync("staff@imaging-institute.demo", "research",
            new { kind = "Equipment", name = $"Flow MRI {Guid.NewGuid():N}", capacity = 1, requiredQualifications = new[] { "radiation-protection" } });
        var client = Client(student.UserName);
        var school = Client("coordinator@northbridge.demo");
        var slot = Tomorrow.AddDays(7);
        await school.DeleteAsync($"/api/school/students/{student.Id}/qualifications/radiation-protection");
        Assert.True(await Eventually.HoldsAsync(async () => (await client.PostAsJsonAsync($"/api/research/resources/{scanner}/bookings",
            new { start = slot, end = slot.AddHours(1) })).StatusCode == HttpStatusCode.Conflict, TimeSpan.FromSeconds(20)));

        var granted = await school.PutAsJsonAsync($"/api/school/students/{student.Id}/qualifications/radiation-protection",
            new { expiresOn = DateOnly.FromDateTime(DateTime.UtcNow.AddYears(1)) });
        Assert.Equal(HttpStatusCode.OK, granted.StatusCode);
        Assert.True(await Eventually.HoldsAsync(async () => (await client.PostAsJsonAsync($"/api/research/resources/{scanner}/bookings",
            new { start = slot, end = slot.AddHours(1) })).StatusCode == HttpStatusCode.Created, TimeSpan.FromSeconds(20)), platform.Logs());

        Assert.Equal(HttpStatusCode.NoContent, (await school.DeleteAsync($"/api/school/students/{student.Id}/qualifications/radiation-protection")).StatusCode);
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            var response = await client.PostAsJsonAsync($"/api/research/resources/{scanner}/bookings", new { start = slot.AddHours(3), end = slot.AddHours(4) });
            return response.StatusCode == HttpStatusCode.Conflict && (await response.ReadNodeAsync())["reason"]?.GetValue<string>() == "qualification";
        }, TimeSpan.FromSeconds(20)), platform.Logs());
    }

    [Fact]
    public async Task The_calendar_feed_is_served_through_the_gateway_without_a_token_until_revoked()
    {
        var pool = await CreateAsync("staff@helix-compute.demo", "enterprises", new { kind = "ComputePool", name = $"Feed pool {Guid.NewGuid():N}", capacity = 2 });
        var dave = Client(DemoDirectory.Student(31).UserName);
        var slot = Tomorrow.AddDays(8);
        Assert.Equal(HttpStatusCode.Created, (await dave.PostAsJsonAsync($"/api/enterprises/resources/{pool}/bookings", new { start = slot, end = slot.AddHours(1) })).StatusCode);
        var feed = await (await dave.PostAsync("/api/enterprises/feeds", null)).ReadNodeAsync();
        var anonymous = platform.Anonymous();
        var ics = await anonymous.GetAsync(feed["bookingsUrl"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, ics.StatusCode);
        Assert.Equal("text/calendar", ics.Content.Headers.ContentType?.MediaType);
        Assert.Single(Ical.Net.Calendar.Load(await ics.Content.ReadAsStringAsync())!.Events);

        Assert.Equal(HttpStatusCode.NoContent, (await dave.DeleteAsync($"/api/enterprises/feeds/{feed["id"]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(feed["bookingsUrl"]!.GetValue<string>())).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/enterprises/bookings/mine")).StatusCode);
    }

    private HttpClient Client(string userName) => platform.ClientAs(userName);

    private async Task<Guid> CreateAsync(string staff, string service, object resource)
    {
        var response = await Client(staff).PostAsJsonAsync($"/api/{service}/resources", resource);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync() + platform.Logs());
        return (await response.ReadNodeAsync())["id"]!.GetValue<Guid>();
    }

    private static string Q(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O"));
}
