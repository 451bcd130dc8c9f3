using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CollabTraining.Demo;
using CollabTraining.Tests.Support;

namespace CollabTraining.Tests.EndToEnd;

/// <summary>
/// The consortium's ledger against the owners' own books, through the gateway: an enterprise's GPU-hours and
/// device-hours provided over a period equal what its booking list says, computed here independently
/// (confirmed, checked-in and completed bookings, clipped to the period), and each party sees only its line.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class LedgerFlowTests(Platform platform)
{
    private static readonly string[] Providing = ["confirmed", "checkedIn", "completed"];

    [Fact]
    public async Task An_owners_hours_in_the_ledger_equal_the_sum_of_its_own_bookings_and_a_party_sees_only_its_line()
    {
        var helix = DemoDirectory.Enterprises.Single(o => o.Key == "helix-compute");
        var staff = Client("staff@helix-compute.demo");
        var from = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(1);
        var to = from.AddDays(30);
        var day = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

        // Something to count: two bookings on a fresh pool (one straddling the period's end), one cancelled, one on a device.
        var pool = await CreateAsync(staff, new { kind = "ComputePool", name = $"Ledger pool {Guid.NewGuid():N}", capacity = 4 });
        var device = await CreateAsync(staff, new { kind = "Device", name = $"Ledger device {Guid.NewGuid():N}", capacity = 2 });
        var student = Client(DemoDirectory.Student(60).UserName);
        await BookAsync(student, pool, day.AddDays(3).AddHours(9), 5, units: 2);
        await BookAsync(student, pool, day.AddDays(29).AddHours(20), 10, units: 3);
        var cancelled = await BookAsync(student, pool, day.AddDays(5).AddHours(9), 4, units: 1);
        Assert.Equal(HttpStatusCode.OK, (await student.PostAsJsonAsync($"/api/enterprises/bookings/{cancelled}/cancel", new { reason = "Plans changed" })).StatusCode);
        await BookAsync(student, device, day.AddDays(4).AddHours(13), 2, units: 1);

        var school = Client("coordinator@northbridge.demo");
        var period = $"from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}";
        (double Gpu, double Equipment) expected = default;
        JsonNode? line = null;
        var agreed = await Eventually.HoldsAsync(async () =>
        {
            expected = await OwnBooksAsync(staff, helix.Id, day, new DateTimeOffset(to.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
            line = (await (await school.GetAsync($"/api/school/ledger?{period}&organisationId={helix.Id}")).ReadNodeAsync())["parties"]!.AsArray().SingleOrDefault();
            return line is not null && Math.Abs(line["gpuHoursProvided"]!.GetValue<double>() - expected.Gpu) < 0.01
                && Math.Abs(line["equipmentHoursProvided"]!.GetValue<double>() - expected.Equipment) < 0.01;
        }, TimeSpan.FromSeconds(30), TimeSpan.FromMilliseconds(500));
        Assert.True(agreed, $"ledger {line?.ToJsonString()} vs the owner's books {expected}\n{platform.Logs()}");
        Assert.True(expected.Gpu >= 2 * 5 + 3 * 4, $"the pool's bookings count, the last one clipped at the period's end: {expected}");

        // The enterprise sees its own line; another party's is refused; the CSV carries the same numbers.
        var own = (await (await staff.GetAsync($"/api/school/ledger?{period}")).ReadNodeAsync())["parties"]!.AsArray();
        Assert.Equal(helix.Id, Assert.Single(own)!["organisationId"]!.GetValue<Guid>());
        await (await staff.GetAsync($"/api/school/ledger?{period}&organisationId={DemoDirectory.Institutes[0].Id}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        var csv = await (await staff.GetAsync($"/api/school/ledger?{period}&format=csv")).Content.ReadAsStringAsync();
        Assert.Contains(expected.Gpu.ToString("0.##", CultureInfo.InvariantCulture), csv);
    }

    /// <summary>What the owner's own booking list says it provided in [start, end): units × hours inside the period, by kind.</summary>
    private static async Task<(double Gpu, double Equipment)> OwnBooksAsync(HttpClient staff, Guid owner, DateTimeOffset start, DateTimeOffset end)
    {
        var kinds = new Dictionary<Guid, string>();
        for (var page = 1; ; page++)
        {
            var resources = await (await staff.GetAsync($"/api/enterprises/resources?ownerId={owner}&includeRetired=true&page={page}&pageSize=100")).ReadNodeAsync();
            foreach (var r in resources["items"]!.AsArray())
            {
                kinds[r!["id"]!.GetValue<Guid>()] = r["kind"]!.GetValue<string>();
            }

            if (page * 100 >= resources["total"]!.GetValue<int>())
            {
                break;
            }
        }

        double gpu = 0, equipment = 0;
        for (var page = 1; ; page++)
        {
            // Bookings last at most a week, so any that overlaps the period starts after start − 8 days.
            var list = await (await staff.GetAsync($"/api/enterprises/bookings?from={Q(start.AddDays(-8))}&to={Q(end)}&page={page}&pageSize=200")).ReadNodeAsync();
            foreach (var b in list["items"]!.AsArray().Where(b => Providing.Contains(b!["status"]!.GetValue<string>())))
            {
                var (s, e) = (b!["start"]!.GetValue<DateTimeOffset>(), b["end"]!.GetValue<DateTimeOffset>());
                var hours = Math.Max(0, ((e < end ? e : end) - (s > start ? s : start)).TotalHours) * b["units"]!.GetValue<int>();
                var kind = kinds.GetValueOrDefault(b["resourceId"]!.GetValue<Guid>(), string.Empty);
                if (kind.Equals("computePool", StringComparison.OrdinalIgnoreCase))
                {
                    gpu += hours;
                }
                else if (kind.Equals("device", StringComparison.OrdinalIgnoreCase) || kind.Equals("equipment", StringComparison.OrdinalIgnoreCase))
                {
                    equipment += hours;
                }
            }

            if (page * 200 >= list["total"]!.GetValue<int>())
            {
                return (Math.Round(gpu, 2), Math.Round(equipment, 2));
            }
        }
    }

    private static async Task<Guid> BookAsync(HttpClient client, Guid resource, DateTimeOffset start, int hours, int units)
    {
        var response = await client.PostAsJsonAsync($"/api/enterprises/resources/{resource}/bookings", new { start, end = start.AddHours(hours), units });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.ReadNodeAsync())["id"]!.GetValue<Guid>();
    }

    private async Task<Guid> CreateAsync(HttpClient staff, object resource)
    {
        var response = await staff.PostAsJsonAsync("/api/enterprises/resources", resource);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync() + platform.Logs());
        return (await response.ReadNodeAsync())["id"]!.GetValue<Guid>();
    }

    private HttpClient Client(string userName) => platform.ClientAs(userName);

    private static string Q(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O"));
}
