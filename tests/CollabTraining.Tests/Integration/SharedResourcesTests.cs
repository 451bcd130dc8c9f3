using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CollabTraining.Contracts.School;
using CollabTraining.Contracts.Sharing;
using CollabTraining.Demo;
using CollabTraining.Enterprises;
using CollabTraining.Research;
using CollabTraining.Tests.Support;

namespace CollabTraining.Tests.Integration;

/// <summary>The owner side of shared resources (Enterprises and Research) as its users meet it over HTTP.</summary>
public sealed class SharedResourcesTests : IDisposable
{
    private const string HelixStaff = "staff@helix-compute.demo";
    private const string MedSimStaff = "staff@medsim.demo";
    private const string ImagingStaff = "staff@imaging-institute.demo";
    private static readonly string Alice = DemoDirectory.Student(1).UserName;
    private static readonly string Bob = DemoDirectory.Student(2).UserName;
    private static readonly string Carol = DemoDirectory.Student(3).UserName;

    private readonly ServiceFactory<EnterprisesApiMarker> _enterprises = new ServiceFactory<EnterprisesApiMarker>().With("DueTasks:PollInterval", "00:00:00.100");
    private readonly DateTimeOffset _tomorrow;

    public SharedResourcesTests()
    {
        var now = _enterprises.Clock.GetUtcNow();
        _tomorrow = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(1).AddHours(9);
    }

    public void Dispose() => _enterprises.Dispose();

    [Fact]
    public async Task A_pool_gives_its_units_until_full_then_names_the_reason_and_the_next_free_slot()
    {
        var pool = await CreateAsync(_enterprises, HelixStaff, new { kind = "ComputePool", name = "A100 pool", capacity = 4, model = "A100" });
        var first = await BookAsync(Alice, pool, _tomorrow, _tomorrow.AddHours(2), 3);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal("confirmed", (await first.ReadNodeAsync())["status"]!.GetValue<string>());

        var refused = await (await BookAsync(Bob, pool, _tomorrow.AddHours(1), _tomorrow.AddHours(3), 2)).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("full", refused["reason"]!.GetValue<string>());
        Assert.Contains("1 of 4 units free", refused["detail"]!.GetValue<string>());
        Assert.Equal(_tomorrow.AddHours(2), refused["nextFree"]!["start"]!.GetValue<DateTimeOffset>());

        // Half-open: the next booking may start the instant the first ends, and one unit is still free alongside.
        Assert.Equal(HttpStatusCode.Created, (await BookAsync(Bob, pool, _tomorrow.AddHours(2), _tomorrow.AddHours(3), 4)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await BookAsync(Carol, pool, _tomorrow.AddHours(1), _tomorrow.AddHours(2), 1)).StatusCode);
        await (await BookAsync(Carol, pool, _tomorrow.AddHours(1), _tomorrow.AddHours(2), 1)).AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Theory]
    [InlineData("""{"start":"2030-01-02T10:00:00Z","end":"2030-01-02T09:00:00Z","units":1}""", "end")]
    [InlineData("""{"start":"2030-01-02T10:00:00Z","end":"2030-01-02T11:00:00Z","units":0}""", "units")]
    [InlineData("""{"start":"2030-01-02T10:00:00Z","end":"2030-01-02T11:00:00Z","units":-2}""", "units")]
    [InlineData("""{"start":"2030-01-02T10:00:00Z","end":"2030-01-02T11:00:00Z","units":9}""", "units")]
    [InlineData("""{"start":"2030-01-02T10:00:00Z","end":"2030-01-02T11:00:00Z","units":"two"}""", null)]
    [InlineData("""{"start":"2030-01-02T10:00:00Z","units":1}""", "end")]
    [InlineData("""{"start":"2030-01-02T10:00:00Z","end":"2030-01-02T11:00:00Z","recurrence":{"days":[],"until":"2030-02-01"}}""", null)]
    [InlineData("""{"start":"2030-01-02T10:00:00Z","end":"2030-01-02T11:00:00Z","recurrence":{"days":["Monday"],"until":"2030-02-01"}}""", "recurrence.days")]
    [InlineData("""{"start":"2030-01-02T10:00:00Z","end":"2030-01-02T11:00:00Z","recurrence":{"days":["Wednesday"],"until":"2029-12-01"}}""", "recurrence.until")]
    [InlineData("""{"start":"2030-01-02T10:00:00Z",""", null)]
    [InlineData("""{"start":"0001-01-01T00:00:00Z","end":"0001-01-01T01:00:00Z"}""", "start")]
    [InlineData("""{"start":"2030-01-02T10:00:00Z","end":"9999-12-31T23:59:59Z"}""", "end")]
    public async Task Bad_booking_requests_are_4xx_problems_and_change_nothing(string body, string? field)
    {
        _enterprises.Clock.Advance(new DateTimeOffset(2029, 12, 1, 0, 0, 0, TimeSpan.Zero) - _enterprises.Clock.GetUtcNow());
        var pool = await CreateAsync(_enterprises, HelixStaff, new { kind = "ComputePool", name = "Pool", capacity = 4, rules = new { advanceDays = 365 } });
        var response = await _enterprises.ClientAs(Alice).PostAsync($"/api/enterprises/resources/{pool}/bookings", Json.Raw(body));
        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        if (field is not null)
        {
            Assert.True(problem["errors"]?[field] is not null, $"the problem names {field}: {problem}");
        }

        Assert.Empty(await MyBookingsAsync(Alice));
    }

    [Theory]
    [InlineData("""{"kind":"ComputePool","name":"Pool","capacity":2,"rules":{"timeZone":"Europe"}}""", "rules.timeZone")]
    [InlineData("""{"kind":"ComputePool","name":"Pool","capacity":2,"rules":{"timeZone":"../../etc/passwd"}}""", "rules.timeZone")]
    [InlineData("""{"kind":"ComputePool","name":"Pool","capacity":2,"requiredQualifications":[null]}""", "requiredQualifications")]
    [InlineData("""{"kind":"ComputePool","name":"Pool","capacity":2,"allowedOrganisationKinds":[null]}""", "allowedOrganisationKinds")]
    [InlineData("""{"kind":"ComputePool","name":"Pool","capacity":2,"requiredQualifications":["flying"]}""", "requiredQualifications")]
    [InlineData("""{"kind":"ComputePool","name":"Pool","capacity":0}""", "capacity")]
    [InlineData("""{"kind":"ComputePool","name":"Pool","capacity":2,"rules":{"minimumMinutes":120,"maximumMinutes":60}}""", "rules.maximumDuration")]
    public async Task Bad_resources_are_400_problems_and_nothing_is_offered(string body, string field)
    {
        var problem = await (await _enterprises.ClientAs(HelixStaff).PostAsync("/api/enterprises/resources", Json.Raw(body))).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]?[field] is not null, $"the problem names {field}: {problem}");
        Assert.Equal(0, (await (await _enterprises.ClientAs(HelixStaff).GetAsync("/api/enterprises/resources")).ReadNodeAsync())["total"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("from=0001-01-01T00:00:00Z&to=0001-01-02T00:00:00Z")]
    [InlineData("from=9999-12-30T00:00:00Z&to=9999-12-31T00:00:00Z")]
    [InlineData("from=2030-01-02T00:00:00Z")]
    [InlineData("from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z")]
    [InlineData("from=2030-01-01T00:00:00Z&to=2030-06-01T00:00:00Z")]
    [InlineData("from=yesterday&to=tomorrow")]
    public async Task Bad_windows_for_availability_are_400_problems(string query)
    {
        var pool = await CreateAsync(_enterprises, HelixStaff, new { kind = "ComputePool", name = "Pool", capacity = 2, rules = new { bufferMinutes = 30 } });
        await BookAsync(Alice, pool, _tomorrow, _tomorrow.AddHours(1), 1);
        await (await _enterprises.ClientAs(Alice).GetAsync($"/api/enterprises/resources/availability?{query}")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await _enterprises.ClientAs(Alice).GetAsync($"/api/enterprises/resources/{pool}/calendar?{query}")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_hold_past_its_expiry_never_blocks_a_booking_even_before_its_timer_runs()
    {
        using var factory = new ServiceFactory<EnterprisesApiMarker>().With("DueTasks:Enabled", "false");
        var device = await CreateAsync(factory, MedSimStaff, new { kind = "Device", name = "Sim", capacity = 1 });
        var hold = await (await factory.ClientAs(Alice).PostAsJsonAsync($"/api/enterprises/resources/{device}/holds", new { start = _tomorrow, end = _tomorrow.AddHours(1), holdSeconds = 60 })).ReadNodeAsync();
        await (await factory.ClientAs(Bob).PostAsJsonAsync($"/api/enterprises/resources/{device}/bookings", new { start = _tomorrow, end = _tomorrow.AddHours(1) })).AssertProblemAsync(HttpStatusCode.Conflict);
        factory.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(HttpStatusCode.Created, (await factory.ClientAs(Bob).PostAsJsonAsync($"/api/enterprises/resources/{device}/bookings", new { start = _tomorrow, end = _tomorrow.AddHours(1) })).StatusCode);
        Assert.Equal("expired", (await (await factory.ClientAs(Alice).GetAsync($"/api/enterprises/bookings/{hold["id"]}")).ReadNodeAsync())["status"]!.GetValue<string>());
        await (await factory.ClientAs(Alice).PostAsync($"/api/enterprises/bookings/{hold["id"]}/confirm", null)).AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Unknown_and_foreign_resources_are_refused_and_nothing_changes()
    {
        var pool = await CreateAsync(_enterprises, HelixStaff, new { kind = "ComputePool", name = "Pool", capacity = 2 });
        await (await BookAsync(Alice, Guid.NewGuid(), _tomorrow, _tomorrow.AddHours(1), 1)).AssertProblemAsync(HttpStatusCode.NotFound);

        // Only the owner's staff manage it; a student cannot offer resources at all.
        var medsim = _enterprises.ClientAs(MedSimStaff);
        await (await medsim.PostAsync($"/api/enterprises/resources/{pool}/retire", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await medsim.PostAsJsonAsync($"/api/enterprises/resources/{pool}/blackouts", new { start = _tomorrow, end = _tomorrow.AddHours(1), reason = "Not ours" }))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await medsim.PutAsJsonAsync($"/api/enterprises/resources/{pool}/quotas/{DemoDirectory.School.Id}", new { unitHours = 1, period = "Month" }))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await _enterprises.ClientAs(Alice).PostAsJsonAsync("/api/enterprises/resources", new { kind = "Device", name = "Mine", capacity = 1 }))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await _enterprises.ClientAs(HelixStaff).PostAsJsonAsync("/api/enterprises/resources", new { kind = "Equipment", name = "Not here", capacity = 1 }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);

        // A user books for themself; nobody else cancels it but the owner's staff.
        var booking = (await (await BookAsync(Alice, pool, _tomorrow, _tomorrow.AddHours(1), 1)).ReadNodeAsync())["id"]!.GetValue<Guid>();
        await (await _enterprises.ClientAs(Bob).PostAsJsonAsync($"/api/enterprises/bookings/{booking}/cancel", new { })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await medsim.PostAsJsonAsync($"/api/enterprises/bookings/{booking}/cancel", new { })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await _enterprises.ClientAs(Alice).PostAsync($"/api/enterprises/bookings/{booking}/approve", null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("confirmed", (await MyBookingsAsync(Alice)).Single()["status"]!.GetValue<string>());
        Assert.False((await (await _enterprises.ClientAs(HelixStaff).GetAsync($"/api/enterprises/resources/{pool}")).ReadNodeAsync())["retired"]!.GetValue<bool>());

        var cancelled = await _enterprises.ClientAs(HelixStaff).PostAsJsonAsync($"/api/enterprises/bookings/{booking}/cancel", new { reason = "Cluster upgrade" });
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("Cluster upgrade", (await cancelled.ReadNodeAsync())["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_qualification_from_the_school_lets_a_student_book_the_scanner_and_its_revocation_stops_the_next_booking()
    {
        using var research = new ServiceFactory<ResearchApiMarker>();
        var scanner = await CreateAsync(research, ImagingStaff, new { kind = "Equipment", name = "3T MRI", capacity = 1, requiredQualifications = new[] { "mri-safety" } }, "research");
        var student = DemoDirectory.Student(1);
        var first = await research.ClientAs(Alice).PostAsJsonAsync($"/api/research/resources/{scanner}/bookings", new { start = _tomorrow, end = _tomorrow.AddHours(1) });
        Assert.True(first.StatusCode != HttpStatusCode.InternalServerError, string.Join("\n", research.Logs.Entries.Where(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Warning).Select(e => e.Message)));
        var refused = await first.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("qualification", refused["reason"]!.GetValue<string>());
        Assert.Contains("mri-safety", refused["detail"]!.GetValue<string>());

        var qualification = Guid.NewGuid();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await research.Harness.Bus.Publish(new QualificationChanged(qualification, student.Id, "mri-safety", QualificationChange.Granted, today.AddYears(1), 1, DateTimeOffset.UtcNow));
        Assert.True(await research.Harness.Consumed.EventuallyAsync<QualificationChanged>(m => m.Context.Message.Version == 1));
        Assert.True(await Eventually.HoldsAsync(async () => (await research.ClientAs(Alice).PostAsJsonAsync($"/api/research/resources/{scanner}/bookings",
            new { start = _tomorrow, end = _tomorrow.AddHours(1) })).StatusCode == HttpStatusCode.Created, TimeSpan.FromSeconds(10)));

        // Valid for the booking's dates: a booking after the expiry is refused.
        var late = _tomorrow.AddDays(1);
        await research.Harness.Bus.Publish(new QualificationChanged(qualification, student.Id, "mri-safety", QualificationChange.Renewed, DateOnly.FromDateTime(_tomorrow.UtcDateTime), 2, DateTimeOffset.UtcNow));
        Assert.True(await research.Harness.Consumed.EventuallyAsync<QualificationChanged>(m => m.Context.Message.Version == 2));
        Assert.True(await Eventually.HoldsAsync(async () => (await research.ClientAs(Alice).PostAsJsonAsync($"/api/research/resources/{scanner}/bookings",
            new { start = late, end = late.AddHours(1) })).StatusCode == HttpStatusCode.Conflict, TimeSpan.FromSeconds(10)));

        await research.Harness.Bus.Publish(new QualificationChanged(qualification, student.Id, "mri-safety", QualificationChange.Revoked, null, 3, DateTimeOffset.UtcNow));
        Assert.True(await research.Harness.Consumed.EventuallyAsync<QualificationChanged>(m => m.Context.Message.Version == 3));
        Assert.True(await Eventually.HoldsAsync(async () => (await research.ClientAs(Alice).PostAsJsonAsync($"/api/research/resources/{scanner}/bookings",
            new { start = _tomorrow.AddHours(3), end = _tomorrow.AddHours(4) })).StatusCode == HttpStatusCode.Conflict, TimeSpan.FromSeconds(10)));
        Assert.Single(await MyBookingsAsync(Alice, research, "research"));
    }

    [Fact]
    public async Task A_blackout_cancels_the_bookings_under_it_and_tells_each_user()
    {
        var pool = await CreateAsync(_enterprises, HelixStaff, new { kind = "ComputePool", name = "Pool", capacity = 4 });
        var a = (await (await BookAsync(Alice, pool, _tomorrow, _tomorrow.AddHours(2), 1)).ReadNodeAsync())["id"]!.GetValue<Guid>();
        var b = (await (await BookAsync(Bob, pool, _tomorrow.AddHours(1), _tomorrow.AddHours(3), 2)).ReadNodeAsync())["id"]!.GetValue<Guid>();
        var outside = (await (await BookAsync(Carol, pool, _tomorrow.AddHours(5), _tomorrow.AddHours(6), 1)).ReadNodeAsync())["id"]!.GetValue<Guid>();

        var placed = await _enterprises.ClientAs(HelixStaff).PostAsJsonAsync($"/api/enterprises/resources/{pool}/blackouts",
            new { start = _tomorrow.AddMinutes(30), end = _tomorrow.AddHours(4), reason = "Cooling maintenance" });
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        Assert.Equal([a, b], (await placed.ReadNodeAsync())["cancelledBookings"]!.AsArray().Select(n => n!.GetValue<Guid>()).Order());

        Assert.Contains("Cooling maintenance", (await MyBookingsAsync(Alice)).Single()["reason"]!.GetValue<string>());
        Assert.Equal("confirmed", (await MyBookingsAsync(Carol)).Single()["status"]!.GetValue<string>());
        foreach (var (id, user) in new[] { (a, DemoDirectory.Student(1).Id), (b, DemoDirectory.Student(2).Id) })
        {
            Assert.True(await _enterprises.Harness.Published.EventuallyAsync<BookingChanged>(m =>
                m.Context.Message.BookingId == id && m.Context.Message.UserId == user && m.Context.Message.Status == "cancelled" && m.Context.Message.Reason!.Contains("Cooling")));
        }

        await _enterprises.OutboxDrainedAsync();
        Assert.DoesNotContain(_enterprises.Harness.Published.Snapshot<BookingChanged>(), m => m.Context.Message.BookingId == outside && m.Context.Message.Status == "cancelled");
        var refused = await (await BookAsync(Carol, pool, _tomorrow.AddHours(3), _tomorrow.AddHours(5), 1)).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("blackout", refused["reason"]!.GetValue<string>());
        Assert.Equal(_tomorrow.AddHours(4), refused["nextFree"]!["start"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task A_cancellation_offers_the_slot_to_the_waitlist_and_an_unclaimed_offer_passes_to_the_next()
    {
        using var factory = new ServiceFactory<EnterprisesApiMarker>().With("DueTasks:PollInterval", "00:00:00.100").With("Sharing:ClaimWindow", "00:10:00");
        var device = await CreateAsync(factory, MedSimStaff, new { kind = "Device", name = "Simulator", capacity = 1 });
        var held = (await (await factory.ClientAs(Alice).PostAsJsonAsync($"/api/enterprises/resources/{device}/bookings", new { start = _tomorrow, end = _tomorrow.AddHours(1) })).ReadNodeAsync())["id"]!.GetValue<Guid>();
        await (await factory.ClientAs(Bob).PostAsJsonAsync($"/api/enterprises/resources/{device}/bookings", new { start = _tomorrow, end = _tomorrow.AddHours(1) })).AssertProblemAsync(HttpStatusCode.Conflict);
        foreach (var user in new[] { Bob, Carol })
        {
            Assert.Equal(HttpStatusCode.Created, (await factory.ClientAs(user).PostAsJsonAsync($"/api/enterprises/resources/{device}/waitlist", new { start = _tomorrow, end = _tomorrow.AddHours(1) })).StatusCode);
        }

        await (await factory.ClientAs(Bob).PostAsJsonAsync($"/api/enterprises/resources/{device}/waitlist", new { start = _tomorrow, end = _tomorrow.AddHours(1) })).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.OK, (await factory.ClientAs(Alice).PostAsJsonAsync($"/api/enterprises/bookings/{held}/cancel", new { })).StatusCode);

        var bob = DemoDirectory.Student(2).Id;
        Assert.True(await factory.Harness.Published.EventuallyAsync<WaitlistSlotOffered>(m => m.Context.Message.UserId == bob));
        var bobsHold = (await MyBookingsAsync(Bob, factory)).Single();
        Assert.Equal("held", bobsHold["status"]!.GetValue<string>());

        // Bob lets the claim window pass: the hold lapses by itself and Carol is offered the slot; she claims it.
        factory.Clock.Advance(TimeSpan.FromMinutes(11));
        var carol = DemoDirectory.Student(3).Id;
        Assert.True(await factory.Harness.Published.EventuallyAsync<WaitlistSlotOffered>(m => m.Context.Message.UserId == carol));
        Assert.Equal("expired", (await MyBookingsAsync(Bob, factory)).Single()["status"]!.GetValue<string>());
        var carolsHold = (await MyBookingsAsync(Carol, factory)).Single()["id"]!.GetValue<Guid>();
        var claimed = await factory.ClientAs(Carol).PostAsync($"/api/enterprises/bookings/{carolsHold}/confirm", null);
        Assert.Equal("confirmed", (await claimed.ReadNodeAsync())["status"]!.GetValue<string>());
        Assert.Equal("Claimed", (await (await factory.ClientAs(Carol).GetAsync("/api/enterprises/waitlist/mine")).ReadNodeAsync())[0]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Check_in_and_out_record_the_usage_and_a_missed_check_in_is_released_as_a_no_show()
    {
        var device = await CreateAsync(_enterprises, MedSimStaff, new { kind = "Device", name = "Trainer", capacity = 2, rules = new { checkInRequired = true, autoReleaseMinutes = 10 } });
        var start = _enterprises.Clock.GetUtcNow().AddMinutes(10);
        var used = (await (await BookAsync(Alice, device, start, start.AddHours(2), 2)).ReadNodeAsync())["id"]!.GetValue<Guid>();
        var missed = (await (await BookAsync(Bob, device, start.AddHours(3), start.AddHours(4), 1)).ReadNodeAsync())["id"]!.GetValue<Guid>();

        Assert.Equal("checkedIn", (await (await _enterprises.ClientAs(Alice).PostAsync($"/api/enterprises/bookings/{used}/check-in", null)).ReadNodeAsync())["status"]!.GetValue<string>());
        _enterprises.Clock.Advance(TimeSpan.FromMinutes(10 + 90));
        var done = await (await _enterprises.ClientAs(Alice).PostAsync($"/api/enterprises/bookings/{used}/check-out", null)).ReadNodeAsync();
        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Equal(3.0, done["usedUnitHours"]!.GetValue<double>(), 2);
        Assert.True(await _enterprises.Harness.Published.EventuallyAsync<UsageRecorded>(m => m.Context.Message.BookingId == used && Math.Abs(m.Context.Message.UnitHours - 3.0) < 0.01));

        _enterprises.Clock.Advance(TimeSpan.FromMinutes(90 + 11));
        Assert.True(await Eventually.HoldsAsync(async () => (await MyBookingsAsync(Bob)).Single()["status"]!.GetValue<string>() == "noShow", TimeSpan.FromSeconds(10)));
        await (await _enterprises.ClientAs(Bob).PostAsync($"/api/enterprises/bookings/{missed}/check-in", null)).AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task The_owners_staff_see_what_waits_for_their_approval_and_nobody_else_does()
    {
        var pool = await CreateAsync(_enterprises, HelixStaff, new { kind = "ComputePool", name = "H100", capacity = 4, rules = new { approvalRequired = true } });
        var medsimDevice = await CreateAsync(_enterprises, MedSimStaff, new { kind = "Device", name = "Sim", capacity = 1, rules = new { approvalRequired = true } });
        var waiting = (await (await BookAsync(Alice, pool, _tomorrow, _tomorrow.AddHours(1), 2)).ReadNodeAsync())["id"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.Created, (await BookAsync(Bob, medsimDevice, _tomorrow, _tomorrow.AddHours(1), 1)).StatusCode);

        var pending = await (await _enterprises.ClientAs(HelixStaff).GetAsync("/api/enterprises/bookings?status=PendingApproval")).ReadNodeAsync();
        Assert.Equal(waiting, Assert.Single(pending["items"]!.AsArray())!["id"]!.GetValue<Guid>());
        await (await _enterprises.ClientAs(Alice).GetAsync("/api/enterprises/bookings")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await _enterprises.ClientAs(HelixStaff).GetAsync("/api/enterprises/bookings?status=Sleeping")).AssertProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("confirmed", (await (await _enterprises.ClientAs(HelixStaff).PostAsync($"/api/enterprises/bookings/{waiting}/approve", null)).ReadNodeAsync())["status"]!.GetValue<string>());
        Assert.Empty((await (await _enterprises.ClientAs(HelixStaff).GetAsync("/api/enterprises/bookings?status=PendingApproval")).ReadNodeAsync())["items"]!.AsArray());

        // MedSim never answers Bob: at the start his booking is rejected by itself, and he is told why.
        _enterprises.Clock.MovePast(_tomorrow);
        Assert.True(await Eventually.HoldsAsync(async () => (await MyBookingsAsync(Bob)).Single()["status"]!.GetValue<string>() == "rejected", TimeSpan.FromSeconds(10)));
        Assert.Contains("did not approve", (await MyBookingsAsync(Bob)).Single()["reason"]!.GetValue<string>());
        Assert.Equal("confirmed", (await MyBookingsAsync(Alice)).Single()["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_owner_changes_a_resource_but_never_below_what_its_bookings_hold()
    {
        var pool = await CreateAsync(_enterprises, HelixStaff, new { kind = "ComputePool", name = "A100", capacity = 8 });
        Assert.Equal(HttpStatusCode.Created, (await BookAsync(Alice, pool, _tomorrow, _tomorrow.AddHours(2), 3)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await BookAsync(Bob, pool, _tomorrow.AddHours(1), _tomorrow.AddHours(3), 2)).StatusCode);
        var staff = _enterprises.ClientAs(HelixStaff);

        var cut = await (await staff.PutAsJsonAsync($"/api/enterprises/resources/{pool}", new { kind = "ComputePool", name = "A100", capacity = 4 })).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("up to 5 units", cut["detail"]!.GetValue<string>());
        await (await _enterprises.ClientAs(MedSimStaff).PutAsJsonAsync($"/api/enterprises/resources/{pool}", new { kind = "ComputePool", name = "Ours", capacity = 8 }))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await staff.PutAsJsonAsync($"/api/enterprises/resources/{pool}", new { kind = "Device", name = "A100", capacity = 8 })).AssertProblemAsync(HttpStatusCode.BadRequest);

        var revised = await staff.PutAsJsonAsync($"/api/enterprises/resources/{pool}",
            new { kind = "ComputePool", name = "A100 80GB pool", capacity = 5, requiredQualifications = new[] { "gpu-cluster-onboarding" }, rules = new { maximumMinutes = 240 } });
        Assert.Equal(HttpStatusCode.OK, revised.StatusCode);
        var body = await revised.ReadNodeAsync();
        Assert.Equal(5, body["capacity"]!.GetValue<int>());
        Assert.Equal(240, body["rules"]!["maximumMinutes"]!.GetValue<int>());
        Assert.True(await _enterprises.Harness.Published.EventuallyAsync<SharedResourcePublished>(m => m.Context.Message.Resource.Name == "A100 80GB pool" && m.Context.Message.Resource.Capacity == 5));

        // The new rules apply to new requests: the qualification is now needed.
        var refused = await (await BookAsync(Carol, pool, _tomorrow.AddDays(1), _tomorrow.AddDays(1).AddHours(1), 1)).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("qualification", refused["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Engineers_offer_themselves_as_mentors_and_nobody_claims_another_organisations_engineer()
    {
        var engineer = TestAuth.User("mentor@helix-compute.demo");
        var offer = new { name = "Dr Helix", expertise = new[] { "computer vision", "GPU computing" }, projectCapacity = 2 };

        // Staff of another organisation cannot claim Helix's engineer first, nor can a student offer to mentor.
        await (await _enterprises.ClientAs(MedSimStaff).PutAsJsonAsync($"/api/enterprises/mentors/{engineer.Id}", offer)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await _enterprises.ClientAs(Alice).PutAsJsonAsync($"/api/enterprises/mentors/{DemoDirectory.Student(1).Id}", offer)).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Empty((await (await _enterprises.ClientAs(Alice).GetAsync("/api/enterprises/mentors")).ReadNodeAsync()).AsArray());

        var offered = await _enterprises.ClientAs(engineer.UserName).PutAsJsonAsync($"/api/enterprises/mentors/{engineer.Id}", offer);
        Assert.Equal(HttpStatusCode.OK, offered.StatusCode);
        Assert.Equal("Helix Compute", (await offered.ReadNodeAsync())["organisationName"]!.GetValue<string>());
        Assert.True(await _enterprises.Harness.Published.EventuallyAsync<EngineeringMentorPublished>(m => m.Context.Message.MentorId == engineer.Id && m.Context.Message.ProjectCapacity == 2));

        // Their organisation's staff change what they take; another organisation's staff cannot.
        Assert.Equal(HttpStatusCode.OK, (await _enterprises.ClientAs(HelixStaff).PutAsJsonAsync($"/api/enterprises/mentors/{engineer.Id}", offer with { projectCapacity = 4 })).StatusCode);
        await (await _enterprises.ClientAs(MedSimStaff).PutAsJsonAsync($"/api/enterprises/mentors/{engineer.Id}", offer)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await _enterprises.ClientAs(engineer.UserName).PutAsJsonAsync($"/api/enterprises/mentors/{engineer.Id}", new { name = "Dr Helix", expertise = new string?[] { null }, projectCapacity = 2 }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(4, (await (await _enterprises.ClientAs(Alice).GetAsync("/api/enterprises/mentors")).ReadNodeAsync())[0]!["projectCapacity"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_quota_refuses_a_booking_beyond_it_naming_what_remains()
    {
        var pool = await CreateAsync(_enterprises, HelixStaff, new { kind = "ComputePool", name = "Pool", capacity = 8 });
        Assert.Equal(HttpStatusCode.OK, (await _enterprises.ClientAs(HelixStaff).PutAsJsonAsync($"/api/enterprises/resources/{pool}/quotas/{DemoDirectory.School.Id}",
            new { unitHours = 10, period = "Month" })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await BookAsync(Alice, pool, _tomorrow, _tomorrow.AddHours(2), 3)).StatusCode);
        var refused = await (await BookAsync(Bob, pool, _tomorrow, _tomorrow.AddHours(3), 2)).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("quota", refused["reason"]!.GetValue<string>());
        Assert.Contains("4 of its 10 unit-hours", refused["detail"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Created, (await BookAsync(Bob, pool, _tomorrow, _tomorrow.AddHours(2), 2)).StatusCode);
    }

    [Fact]
    public async Task A_weekly_series_is_all_or_nothing_or_names_each_refused_occurrence()
    {
        var device = await CreateAsync(_enterprises, MedSimStaff, new { kind = "Device", name = "Sim", capacity = 1 });
        var blocker = _tomorrow.AddDays(7);
        Assert.Equal(HttpStatusCode.Created, (await BookAsync(Bob, device, blocker, blocker.AddHours(1), 1)).StatusCode);
        var days = new[] { _tomorrow.DayOfWeek.ToString() };
        var until = DateOnly.FromDateTime(_tomorrow.UtcDateTime.AddDays(14));

        var all = await (await _enterprises.ClientAs(Alice).PostAsJsonAsync($"/api/enterprises/resources/{device}/bookings",
            new { start = _tomorrow, end = _tomorrow.AddHours(1), recurrence = new { days, until } })).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains(blocker.ToString("yyyy-MM-dd"), all["detail"]!.GetValue<string>());
        Assert.Empty(await MyBookingsAsync(Alice));

        var each = await _enterprises.ClientAs(Alice).PostAsJsonAsync($"/api/enterprises/resources/{device}/bookings",
            new { start = _tomorrow, end = _tomorrow.AddHours(1), recurrence = new { days, until, allOrNothing = false } });
        Assert.Equal(HttpStatusCode.Created, each.StatusCode);
        var series = await each.ReadNodeAsync();
        Assert.Equal(2, series["booked"]!.AsArray().Count);
        Assert.Equal(blocker, series["refused"]![0]!["start"]!.GetValue<DateTimeOffset>());
        Assert.Equal("full", series["refused"]![0]!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_calendar_feed_holds_the_users_bookings_for_a_real_parser_and_answers_404_once_revoked()
    {
        var pool = await CreateAsync(_enterprises, HelixStaff, new { kind = "ComputePool", name = "Feed pool", capacity = 2 });
        var booking = (await (await BookAsync(Alice, pool, _tomorrow, _tomorrow.AddHours(2), 1)).ReadNodeAsync())["id"]!.GetValue<Guid>();
        await BookAsync(Bob, pool, _tomorrow, _tomorrow.AddHours(2), 1);
        var feed = await (await _enterprises.ClientAs(Alice).PostAsync("/api/enterprises/feeds", null)).ReadNodeAsync();
        var anonymous = _enterprises.CreateClient();

        var text = await (await anonymous.GetAsync(feed["bookingsUrl"]!.GetValue<string>())).Content.ReadAsStringAsync();
        var calendar = Ical.Net.Calendar.Load(text)!;
        var only = Assert.Single(calendar.Events);
        Assert.Equal($"{booking}@collabtraining", only.Uid);
        Assert.Contains("Feed pool", only.Summary);
        Assert.Equal(_tomorrow.UtcDateTime, only.DtStart!.AsUtc);

        var resourceUrl = feed["resourceUrlTemplate"]!.GetValue<string>().Replace("{resourceId}", pool.ToString());
        var resourceCalendar = Ical.Net.Calendar.Load(await anonymous.GetStringAsync(resourceUrl))!;
        Assert.Equal(2, resourceCalendar.Events.Count);
        Assert.Contains(resourceCalendar.Events, e => e.Summary!.StartsWith("Busy", StringComparison.Ordinal));

        await (await _enterprises.ClientAs(Bob).DeleteAsync($"/api/enterprises/feeds/{feed["id"]}")).AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(feed["bookingsUrl"]!.GetValue<string>())).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _enterprises.ClientAs(Alice).DeleteAsync($"/api/enterprises/feeds/{feed["id"]}")).StatusCode);
        await (await anonymous.GetAsync(feed["bookingsUrl"]!.GetValue<string>())).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await anonymous.GetAsync(resourceUrl)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await anonymous.GetAsync("/api/enterprises/feeds/not-a-secret/bookings.ics")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Two_instances_on_one_database_never_oversubscribe()
    {
        using var second = new ServiceFactory<EnterprisesApiMarker>().With("Database:DataDirectory", _enterprises.DataDirectory);
        var pool = await CreateAsync(_enterprises, HelixStaff, new { kind = "ComputePool", name = "Shared pool", capacity = 4 });
        _ = second.CreateClient();
        var requests = Enumerable.Range(1, 40).Select(i => (i % 2 == 0 ? _enterprises : second).ClientAs(DemoDirectory.Student(i).UserName)
            .PostAsJsonAsync($"/api/enterprises/resources/{pool}/bookings", new { start = _tomorrow, end = _tomorrow.AddHours(1) }));
        var responses = await Task.WhenAll(requests);
        Assert.Equal(4, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(36, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
    }

    private async Task<HttpResponseMessage> BookAsync(string user, Guid resource, DateTimeOffset start, DateTimeOffset end, int units) =>
        await _enterprises.ClientAs(user).PostAsJsonAsync($"/api/enterprises/resources/{resource}/bookings", new { start, end, units });

    private async Task<List<JsonNode>> MyBookingsAsync(string user, ServiceFactory<EnterprisesApiMarker>? factory = null) =>
        (await (await (factory ?? _enterprises).ClientAs(user).GetAsync("/api/enterprises/bookings/mine")).ReadNodeAsync()).AsArray().Select(n => n!).ToList();

    private static async Task<List<JsonNode>> MyBookingsAsync<T>(string user, ServiceFactory<T> factory, string service)
        where T : class =>
        (await (await factory.ClientAs(user).GetAsync($"/api/{service}/bookings/mine")).ReadNodeAsync()).AsArray().Select(n => n!).ToList();

    private static async Task<Guid> CreateAsync<T>(ServiceFactory<T> factory, string staff, object resource, string service = "enterprises")
        where T : class
    {
        var response = await factory.ClientAs(staff).PostAsJsonAsync($"/api/{service}/resources", resource);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.ReadNodeAsync())["id"]!.GetValue<Guid>();
    }
}

/// <summary>The demo world's shared resources: what `./run.sh` shows on the first start.</summary>
public sealed class SharedResourceDemoSeedTests
{
    [Fact]
    public async Task The_demo_seed_offers_pools_devices_and_equipment_with_mentors_and_bookings_over_the_coming_weeks()
    {
        using var enterprises = new ServiceFactory<EnterprisesApiMarker>().With("Demo:Seed", "true");
        using var research = new ServiceFactory<ResearchApiMarker>().With("Demo:Seed", "true");
        var pools = await (await enterprises.ClientAs("staff@helix-compute.demo").GetAsync("/api/enterprises/resources")).ReadNodeAsync();
        Assert.Equal(5, pools["total"]!.GetValue<int>());
        Assert.Contains(pools["items"]!.AsArray(), r => r!["kind"]!.GetValue<string>() == "ComputePool" && r["capacity"]!.GetValue<int>() == 8);
        Assert.Contains(pools["items"]!.AsArray(), r => r!["kind"]!.GetValue<string>() == "Device");

        var equipment = await (await research.ClientAs("staff@imaging-institute.demo").GetAsync("/api/research/resources")).ReadNodeAsync();
        Assert.Equal(4, equipment["total"]!.GetValue<int>());
        Assert.Contains(equipment["items"]!.AsArray(), r => r!["requiredQualifications"]!.AsArray().Any(q => q!.GetValue<string>() == "mri-safety"));
        Assert.Equal(2, (await (await research.ClientAs("staff@imaging-institute.demo").GetAsync("/api/research/mentors")).ReadNodeAsync()).AsArray().Count);

        var booked = await (await enterprises.ClientAs("staff@helix-compute.demo").GetAsync("/api/enterprises/bookings?pageSize=200")).ReadNodeAsync();
        Assert.True(booked["total"]!.GetValue<int>() >= 20, $"the demo books the coming weeks: {booked["total"]}");
        Assert.True(await enterprises.Harness.Published.EventuallyAsync<SharedResourcePublished>(m => m.Context.Message.Resource.OwnerName == "Helix Compute"));

        // The past fortnight's use is there too: completed bookings whose usage was published (the ledger's hours used).
        var completed = await (await enterprises.ClientAs("staff@helix-compute.demo").GetAsync("/api/enterprises/bookings?status=Completed&pageSize=200")).ReadNodeAsync();
        Assert.True(completed["total"]!.GetValue<int>() >= 6, $"three used bookings per pool: {completed["total"]}");
        Assert.True(await enterprises.Harness.Published.EventuallyAsync<UsageRecorded>(m => m.Context.Message.UnitHours > 0));

        // Two instances starting at once on one empty database both come up (the partners and the demo are seeded once).
        var directory = Path.Combine(Path.GetTempPath(), "collabtraining-tests", Guid.NewGuid().ToString("N"));
        using var first = new ServiceFactory<EnterprisesApiMarker>().With("Demo:Seed", "true").With("Database:DataDirectory", directory);
        using var second = new ServiceFactory<EnterprisesApiMarker>().With("Demo:Seed", "true").With("Database:DataDirectory", directory);
        await Task.WhenAll(Task.Run(() => first.CreateClient()), Task.Run(() => second.CreateClient()));
        Assert.Equal(5, (await (await second.ClientAs("staff@medsim.demo").GetAsync("/api/enterprises/resources")).ReadNodeAsync())["total"]!.GetValue<int>());
        Assert.Equal(2, (await (await first.ClientAs("staff@medsim.demo").GetAsync("/api/enterprises/enterprises")).ReadNodeAsync()).AsArray().Count);

        // Started again on the same database, it seeds nothing twice.
        using var again = new ServiceFactory<EnterprisesApiMarker>().With("Demo:Seed", "true").With("Database:DataDirectory", enterprises.DataDirectory);
        Assert.Equal(5, (await (await again.ClientAs("staff@medsim.demo").GetAsync("/api/enterprises/resources")).ReadNodeAsync())["total"]!.GetValue<int>());
    }
}
