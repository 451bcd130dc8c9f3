using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CollabTraining.Contracts.Sharing;
using CollabTraining.Demo;
using CollabTraining.Enterprises;
using CollabTraining.Research;
using CollabTraining.School;
using CollabTraining.School.Data;
using CollabTraining.School.Notifications;
using CollabTraining.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Tests.Integration;

/// <summary>Removing a blackout (<c>DELETE …/resources/{id}/blackouts/{blackoutId}</c>) and listing them with their ids, over HTTP.</summary>
public sealed class BlackoutRemovalTests : IDisposable
{
    private const string HelixStaff = "staff@helix-compute.demo";
    private const string MedSimStaff = "staff@medsim.demo";
    private static readonly string Alice = DemoDirectory.Student(1).UserName;
    private static readonly string Bob = DemoDirectory.Student(2).UserName;

    private readonly ServiceFactory<EnterprisesApiMarker> _enterprises = new ServiceFactory<EnterprisesApiMarker>().With("DueTasks:PollInterval", "00:00:00.100");
    private readonly DateTimeOffset _tomorrow;

    public BlackoutRemovalTests()
    {
        var now = _enterprises.Clock.GetUtcNow();
        _tomorrow = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(1).AddHours(9);
    }

    public void Dispose() => _enterprises.Dispose();

    [Fact]
    public async Task Removing_a_blackout_lets_its_time_be_booked_again_but_does_not_bring_back_what_it_cancelled()
    {
        var pool = await CreateAsync(_enterprises, HelixStaff, new { kind = "ComputePool", name = "Pool", capacity = 2 });
        var cancelled = (await (await BookAsync(Alice, pool, _tomorrow, _tomorrow.AddHours(1), 1)).ReadNodeAsync())["id"]!.GetValue<Guid>();
        var staff = _enterprises.ClientAs(HelixStaff);
        var blackout = await PlaceAsync(staff, pool, _tomorrow, _tomorrow.AddHours(4), "Cooling maintenance");
        Assert.Equal("blackout", (await (await BookAsync(Bob, pool, _tomorrow.AddHours(1), _tomorrow.AddHours(2), 1)).AssertProblemAsync(HttpStatusCode.Conflict))["reason"]!.GetValue<string>());

        // The list gives each blackout its id (anyone signed in sees them, as in the calendar).
        var listed = await ListAsync(_enterprises.ClientAs(Bob), pool);
        var entry = Assert.Single(listed);
        Assert.Equal((blackout, "Cooling maintenance", _tomorrow, _tomorrow.AddHours(4)),
            (entry["id"]!.GetValue<Guid>(), entry["reason"]!.GetValue<string>(), entry["start"]!.GetValue<DateTimeOffset>(), entry["end"]!.GetValue<DateTimeOffset>()));

        var removed = await staff.DeleteAsync($"/api/enterprises/resources/{pool}/blackouts/{blackout}");
        Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);

        Assert.Equal(HttpStatusCode.Created, (await BookAsync(Bob, pool, _tomorrow.AddHours(1), _tomorrow.AddHours(2), 1)).StatusCode);
        Assert.Empty(await ListAsync(staff, pool));
        var calendar = await (await staff.GetAsync($"/api/enterprises/resources/{pool}/calendar?from={Q(_tomorrow)}&to={Q(_tomorrow.AddDays(1))}")).ReadNodeAsync();
        Assert.DoesNotContain(calendar.AsArray(), e => e!["status"]!.GetValue<string>() == "blackout");

        // What the blackout cancelled stays cancelled: its user was told, and may have booked elsewhere.
        var alices = Assert.Single(await MyBookingsAsync(Alice));
        Assert.Equal((cancelled, "cancelled"), (alices["id"]!.GetValue<Guid>(), alices["status"]!.GetValue<string>()));

        Assert.True(await _enterprises.Harness.Published.EventuallyAsync<BlackoutRemoved>(m =>
            m.Context.Message.BlackoutId == blackout && m.Context.Message.ResourceId == pool && m.Context.Message.Version == 2
            && m.Context.Message.Start == _tomorrow && m.Context.Message.Reason == "Cooling maintenance"));

        // Removed is gone: a second removal finds nothing.
        await (await staff.DeleteAsync($"/api/enterprises/resources/{pool}/blackouts/{blackout}")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_organisations_staff_and_a_student_are_refused_and_the_blackout_stands()
    {
        var pool = await CreateAsync(_enterprises, HelixStaff, new { kind = "ComputePool", name = "Pool", capacity = 2 });
        var blackout = await PlaceAsync(_enterprises.ClientAs(HelixStaff), pool, _tomorrow, _tomorrow.AddHours(2), "Firmware update");

        var foreign = await (await _enterprises.ClientAs(MedSimStaff).DeleteAsync($"/api/enterprises/resources/{pool}/blackouts/{blackout}"))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("Only the staff of Pool's owner", foreign["detail"]!.GetValue<string>());
        await (await _enterprises.ClientAs(Alice).DeleteAsync($"/api/enterprises/resources/{pool}/blackouts/{blackout}")).AssertProblemAsync(HttpStatusCode.Forbidden);

        // Another organisation's staff learn nothing about ids either: refused before the blackout is looked for.
        await (await _enterprises.ClientAs(MedSimStaff).DeleteAsync($"/api/enterprises/resources/{pool}/blackouts/{Guid.NewGuid()}")).AssertProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal(blackout, Assert.Single(await ListAsync(_enterprises.ClientAs(HelixStaff), pool))["id"]!.GetValue<Guid>());
        Assert.Equal("blackout", (await (await BookAsync(Alice, pool, _tomorrow, _tomorrow.AddHours(1), 1)).AssertProblemAsync(HttpStatusCode.Conflict))["reason"]!.GetValue<string>());
        await _enterprises.OutboxDrainedAsync();
        Assert.Empty(_enterprises.Harness.Published.Snapshot<BlackoutRemoved>());
    }

    [Fact]
    public async Task Unknown_ids_are_404_problems_and_a_blackout_of_another_resource_is_not_found_through_this_one()
    {
        var staff = _enterprises.ClientAs(HelixStaff);
        var pool = await CreateAsync(_enterprises, HelixStaff, new { kind = "ComputePool", name = "Pool", capacity = 2 });
        var other = await CreateAsync(_enterprises, HelixStaff, new { kind = "Device", name = "Other", capacity = 1 });
        var blackout = await PlaceAsync(staff, pool, _tomorrow, _tomorrow.AddHours(2), "Firmware update");

        var unknown = await (await staff.DeleteAsync($"/api/enterprises/resources/{pool}/blackouts/{Guid.NewGuid()}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("No blackout", unknown["detail"]!.GetValue<string>());
        await (await staff.DeleteAsync($"/api/enterprises/resources/{Guid.NewGuid()}/blackouts/{blackout}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await staff.DeleteAsync($"/api/enterprises/resources/{other}/blackouts/{blackout}")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await staff.GetAsync($"/api/enterprises/resources/{Guid.NewGuid()}/blackouts")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Single(await ListAsync(staff, pool));
    }

    [Fact]
    public async Task A_blackout_already_over_is_kept_with_a_409_and_one_under_way_is_removed_at_once()
    {
        var staff = _enterprises.ClientAs(HelixStaff);
        var pool = await CreateAsync(_enterprises, HelixStaff, new { kind = "ComputePool", name = "Pool", capacity = 2 });
        var past = await PlaceAsync(staff, pool, _tomorrow, _tomorrow.AddHours(1), "Power test");
        var underWay = await PlaceAsync(staff, pool, _tomorrow.AddHours(2), _tomorrow.AddHours(6), "Cooling maintenance");
        _enterprises.Clock.Advance(_tomorrow.AddHours(3) - _enterprises.Clock.GetUtcNow());

        var over = await (await staff.DeleteAsync($"/api/enterprises/resources/{pool}/blackouts/{past}")).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("already over", over["detail"]!.GetValue<string>());

        // The list without a window holds what is not yet over; with one, what overlaps it (the past one too).
        Assert.Equal(underWay, Assert.Single(await ListAsync(staff, pool))["id"]!.GetValue<Guid>());
        Assert.Equal(2, (await ListAsync(staff, pool, $"?from={Q(_tomorrow.AddHours(-1))}&to={Q(_tomorrow.AddDays(1))}")).Count);
        await (await staff.GetAsync($"/api/enterprises/resources/{pool}/blackouts?from={Q(_tomorrow)}")).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(HttpStatusCode.NoContent, (await staff.DeleteAsync($"/api/enterprises/resources/{pool}/blackouts/{underWay}")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await BookAsync(Alice, pool, _tomorrow.AddHours(4), _tomorrow.AddHours(5), 1)).StatusCode);
    }

    [Fact]
    public async Task The_time_a_removal_frees_goes_first_to_whoever_waits_for_it()
    {
        var device = await CreateAsync(_enterprises, HelixStaff, new { kind = "Device", name = "Sim", capacity = 1 });
        Assert.Equal(HttpStatusCode.Created, (await BookAsync(Alice, device, _tomorrow, _tomorrow.AddHours(1), 1)).StatusCode);
        var joined = await _enterprises.ClientAs(Bob).PostAsJsonAsync($"/api/enterprises/resources/{device}/waitlist", new { start = _tomorrow, end = _tomorrow.AddHours(1), units = 1 });
        Assert.Equal(HttpStatusCode.Created, joined.StatusCode);
        var staff = _enterprises.ClientAs(HelixStaff);
        var blackout = await PlaceAsync(staff, device, _tomorrow.AddMinutes(-30), _tomorrow.AddHours(2), "Calibration");
        Assert.Empty(_enterprises.Harness.Published.Snapshot<WaitlistSlotOffered>());

        Assert.Equal(HttpStatusCode.NoContent, (await staff.DeleteAsync($"/api/enterprises/resources/{device}/blackouts/{blackout}")).StatusCode);

        var bob = DemoDirectory.Student(2).Id;
        Assert.True(await _enterprises.Harness.Published.EventuallyAsync<WaitlistSlotOffered>(m => m.Context.Message.UserId == bob && m.Context.Message.Start == _tomorrow));
        Assert.Equal("cancelled", Assert.Single(await MyBookingsAsync(Alice))["status"]!.GetValue<string>());
        Assert.Equal("held", Assert.Single(await MyBookingsAsync(Bob))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Research_removes_its_blackouts_the_same_way()
    {
        using var research = new ServiceFactory<ResearchApiMarker>();
        const string imaging = "staff@imaging-institute.demo";
        var scanner = await CreateAsync(research, imaging, new { kind = "Equipment", name = "3T MRI", capacity = 1 }, "research");
        var placed = await research.ClientAs(imaging).PostAsJsonAsync($"/api/research/resources/{scanner}/blackouts",
            new { start = _tomorrow, end = _tomorrow.AddHours(2), reason = "Helium refill" });
        var blackout = (await placed.ReadNodeAsync())["id"]!.GetValue<Guid>();

        await (await research.ClientAs(HelixStaff).DeleteAsync($"/api/research/resources/{scanner}/blackouts/{blackout}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.NoContent, (await research.ClientAs(imaging).DeleteAsync($"/api/research/resources/{scanner}/blackouts/{blackout}")).StatusCode);
        Assert.Empty((await (await research.ClientAs(imaging).GetAsync($"/api/research/resources/{scanner}/blackouts")).ReadNodeAsync()).AsArray());
    }

    [Fact]
    public async Task The_school_forgets_a_removed_blackout_so_its_catalog_no_longer_names_it()
    {
        using var school = new ServiceFactory<SchoolApiMarker>();
        var (id, resource, owner) = (Guid.CreateVersion7(), Guid.CreateVersion7(), DemoDirectory.Enterprises[0].Id);
        Task<bool> KnownAsync() => school.InScopeAsync<SchoolDbContext, bool>(db => db.Set<KnownBlackout>().AnyAsync(b => b.Id == id));

        await school.Harness.Bus.Publish(new BlackoutPlaced(id, resource, owner, _tomorrow, _tomorrow.AddHours(2), "Cooling maintenance", [], 1, DateTimeOffset.UtcNow));
        Assert.True(await Eventually.HoldsAsync(KnownAsync, TimeSpan.FromSeconds(10)));
        var removed = new BlackoutRemoved(id, resource, owner, _tomorrow, _tomorrow.AddHours(2), "Cooling maintenance", 2, DateTimeOffset.UtcNow);
        await school.Harness.Bus.Publish(removed);
        Assert.True(await Eventually.HoldsAsync(async () => !await KnownAsync(), TimeSpan.FromSeconds(10)));

        // A repeat finds nothing to remove and fails nothing.
        await school.Harness.Bus.Publish(removed);
        Assert.True(await school.Harness.Consumed.EventuallyAsync<BlackoutRemoved>(m => m.Context.Message.BlackoutId == id));
        Assert.False(await KnownAsync());
    }

    private static string Q(DateTimeOffset instant) => Uri.EscapeDataString(instant.ToString("O"));

    private static async Task<Guid> PlaceAsync(HttpClient staff, Guid resource, DateTimeOffset start, DateTimeOffset end, string reason)
    {
        var placed = await staff.PostAsJsonAsync($"/api/enterprises/resources/{resource}/blackouts", new { start, end, reason });
        Assert.True(placed.StatusCode == HttpStatusCode.Created, await placed.Content.ReadAsStringAsync());
        return (await placed.ReadNodeAsync())["id"]!.GetValue<Guid>();
    }

    private static async Task<List<JsonNode>> ListAsync(HttpClient client, Guid resource, string query = "")
    {
        var response = await client.GetAsync($"/api/enterprises/resources/{resource}/blackouts{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.ReadNodeAsync()).AsArray().Select(n => n!).ToList();
    }

    private async Task<HttpResponseMessage> BookAsync(string user, Guid resource, DateTimeOffset start, DateTimeOffset end, int units) =>
        await _enterprises.ClientAs(user).PostAsJsonAsync($"/api/enterprises/resources/{resource}/bookings", new { start, end, units });

    private async Task<List<JsonNode>> MyBookingsAsync(string user) =>
        (await (await _enterprises.ClientAs(user).GetAsync("/api/enterprises/bookings/mine")).ReadNodeAsync()).AsArray().Select(n => n!).ToList();

    private static async Task<Guid> CreateAsync<T>(ServiceFactory<T> factory, string staff, object resource, string service = "enterprises")
        where T : class
    {
        var response = await factory.ClientAs(staff).PostAsJsonAsync($"/api/{service}/resources", resource);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.ReadNodeAsync())["id"]!.GetValue<Guid>();
    }
}
