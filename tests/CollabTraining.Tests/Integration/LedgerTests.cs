using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using CollabTraining.Contracts.Hospitals;
using CollabTraining.Contracts.Sharing;
using CollabTraining.Demo;
using CollabTraining.School;
using CollabTraining.School.Data;
using CollabTraining.School.Ledger;
using CollabTraining.Tests.Support;
using CsvHelper;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Tests.Integration;

/// <summary>
/// The consortium's ledger for January 2031, built from a seeded consortium's events sent through the harness:
/// every line must equal the sums this test computes on its own from the events it sent.
/// </summary>
public sealed class LedgerTests(LedgerTests.Consortium consortium) : IClassFixture<LedgerTests.Consortium>
{
    private const string January = "from=2031-01-01&to=2031-02-01";
    private static readonly DateTimeOffset PeriodStart = new(2031, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset PeriodEnd = new(2031, 2, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Every_partys_line_and_the_grand_total_equal_the_sums_of_the_events_sent()
    {
        var report = await LedgerAsync(consortium.ClientAs(TestAuth.SchoolCoordinator), January);
        var lines = report["parties"]!.AsArray().ToDictionary(l => l!["organisationId"]!.GetValue<Guid>(), l => l!);

        var parties = Consortium.Parties.Select(p => p.Id).ToList();
        Assert.Equal(parties.Order(), lines.Keys.Order());
        foreach (var party in parties)
        {
            AssertLine(consortium.Expected(party), lines[party]);
        }

        var total = report["total"]!;
        var expected = parties.Select(consortium.Expected).ToList();
        Assert.Equal(expected.Sum(e => e.SeatsOffered), total["placementSeatsOffered"]!.GetValue<int>());
        Assert.Equal(expected.Sum(e => e.SeatsFilled), total["placementSeatsFilled"]!.GetValue<int>());
        Assert.Equal(expected.Sum(e => e.GpuProvided), total["gpuHoursProvided"]!.GetValue<double>(), 2);
        Assert.Equal(expected.Sum(e => e.GpuUsed), total["gpuHoursUsed"]!.GetValue<double>(), 2);
        Assert.Equal(expected.Sum(e => e.EquipmentProvided), total["equipmentHoursProvided"]!.GetValue<double>(), 2);
        Assert.Equal(expected.Sum(e => e.EquipmentUsed), total["equipmentHoursUsed"]!.GetValue<double>(), 2);
        Assert.Equal(expected.Sum(e => e.Mentors), total["engineeringMentorsOffered"]!.GetValue<int>());
        Assert.Equal((0, 0), (total["projectsMentored"]!.GetValue<int>(), total["moduleClassesTaught"]!.GetValue<int>()));

        // Hand-checked anchors, so a mistake shared by the ledger and the sums above still shows.
        Assert.Equal((4, 2), Seats(lines[Consortium.StMarys.Id]));
        Assert.Equal((5, 1), Seats(lines[Consortium.Riverside.Id]));
        Assert.Equal(16 + 8, lines[Consortium.Helix.Id]["gpuHoursProvided"]!.GetValue<double>(), 2);
        Assert.Equal(2, lines[Consortium.Helix.Id]["equipmentHoursProvided"]!.GetValue<double>(), 2);
    }

    [Fact]
    public async Task Hours_are_clipped_to_the_period_and_a_period_that_misses_everything_is_all_zeros()
    {
        var staff = consortium.ClientAs(TestAuth.SchoolCoordinator);

        // 31 January only: the booking that runs 20:00-04:00 across the month's end counts 4 h of its 8 (2 units: 8 unit-hours).
        var lastDay = await LedgerAsync(staff, "from=2031-01-31&to=2031-02-01");
        var helix = lastDay["parties"]!.AsArray().Single(l => l!["organisationId"]!.GetValue<Guid>() == Consortium.Helix.Id)!;
        Assert.Equal(8, helix["gpuHoursProvided"]!.GetValue<double>(), 2);
        Assert.Equal(Consortium.Clip(PeriodOf(2031, 1, 31, 2031, 2, 1), consortium.ProvidedGpu(Consortium.Helix.Id)), helix["gpuHoursProvided"]!.GetValue<double>(), 2);

        var school = lastDay["parties"]!.AsArray().Single(l => l!["organisationId"]!.GetValue<Guid>() == DemoDirectory.School.Id)!;
        Assert.Equal(8, school["gpuHoursUsed"]!.GetValue<double>(), 2);

        var empty = await LedgerAsync(staff, "from=2029-01-01&to=2029-02-01");
        Assert.All(empty["parties"]!.AsArray(), l => Assert.Equal(0, l!["hoursProvided"]!.GetValue<double>() + l["hoursUsed"]!.GetValue<double>() + l["placementSeatsOffered"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_hospital_coordinator_sees_only_their_own_line_and_is_refused_anyone_elses()
    {
        var coordinator = consortium.ClientAs(TestAuth.StMarysCoordinator);
        var report = await LedgerAsync(coordinator, January);
        var line = Assert.Single(report["parties"]!.AsArray())!;
        Assert.Equal(Consortium.StMarys.Id, line["organisationId"]!.GetValue<Guid>());
        AssertLine(consortium.Expected(Consortium.StMarys.Id), line);
        Assert.Equal(line["placementSeatsOffered"]!.GetValue<int>(), report["total"]!["placementSeatsOffered"]!.GetValue<int>());
        Assert.Equal(line["equipmentHoursUsed"]!.GetValue<double>(), report["total"]!["equipmentHoursUsed"]!.GetValue<double>());

        Assert.Equal(Consortium.StMarys.Id, Assert.Single((await LedgerAsync(coordinator, $"{January}&organisationId={Consortium.StMarys.Id}"))["parties"]!.AsArray())!["organisationId"]!.GetValue<Guid>());
        foreach (var other in new[] { Consortium.Helix.Id, Consortium.Riverside.Id, DemoDirectory.School.Id })
        {
            var problem = await (await coordinator.GetAsync($"/api/school/ledger?{January}&organisationId={other}")).AssertProblemAsync(HttpStatusCode.Forbidden);
            Assert.DoesNotContain("placementSeatsOffered", problem.ToJsonString());
        }

        await (await coordinator.GetAsync($"/api/school/ledger?{January}&organisationId={Consortium.Helix.Id}&format=csv")).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_csv_parses_back_to_the_same_numbers_and_escapes_a_formula_name()
    {
        var staff = consortium.ClientAs(TestAuth.SchoolCoordinator);
        var json = await LedgerAsync(staff, January);
        var response = await staff.GetAsync($"/api/school/ledger?{January}&format=csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("ledger-2031-01-01-to-2031-02-01.csv", response.Content.Headers.ContentDisposition?.FileNameStar ?? response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));

        using var reader = CsvReader.Create(new StringReader(await response.Content.ReadAsStringAsync()), new CsvReaderOptions(), false);
        var rows = reader.GetRecords<LedgerCsvRow>().ToList();
        var parties = json["parties"]!.AsArray();
        Assert.Equal(parties.Count + 1, rows.Count);
        foreach (var line in parties.Append(json["total"]))
        {
            var id = line!["organisationId"]?.GetValue<Guid>().ToString() ?? string.Empty;
            var row = Assert.Single(rows, r => r.OrganisationId == id);
            Assert.Equal(
                (line["placementSeatsOffered"]!.GetValue<int>(), line["placementSeatsFilled"]!.GetValue<int>(), line["gpuHoursProvided"]!.GetValue<double>(), line["gpuHoursUsed"]!.GetValue<double>(),
                    line["equipmentHoursProvided"]!.GetValue<double>(), line["equipmentHoursUsed"]!.GetValue<double>(), line["engineeringMentorsOffered"]!.GetValue<int>(), line["hoursProvided"]!.GetValue<double>(), line["hoursUsed"]!.GetValue<double>()),
                (row.PlacementSeatsOffered, row.PlacementSeatsFilled, row.GpuHoursProvided, row.GpuHoursUsed, row.EquipmentHoursProvided, row.EquipmentHoursUsed, row.EngineeringMentorsOffered, row.HoursProvided, row.HoursUsed));
        }

        Assert.Equal("'" + Consortium.FormulaName, Assert.Single(rows, r => r.OrganisationId == Consortium.Helix.Id.ToString()).Organisation);
        Assert.Equal("Total", rows[^1].Organisation);
    }

    [Theory]
    [InlineData("from=2031-02-01&to=2031-01-01", "to")]
    [InlineData("from=2031-01-01&to=2031-01-01", "to")]
    [InlineData("from=2031-01-01&to=2033-06-01", "to")]
    [InlineData("from=2031-01-01", "to")]
    [InlineData("to=2031-01-01", "from")]
    [InlineData("from=2031-13-01&to=2031-02-01", "from")]
    [InlineData("from=yesterday&to=2031-02-01", "from")]
    [InlineData("format=xlsx", "format")]
    [InlineData("organisationId=nope", "organisationId")]
    public async Task Bad_input_is_a_400_naming_the_field(string query, string field)
    {
        var problem = await (await consortium.ClientAs(TestAuth.SchoolCoordinator).GetAsync($"/api/school/ledger?{query}")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]?[field] is not null, problem.ToJsonString());
    }

    [Fact]
    public async Task Without_a_period_the_ledger_covers_the_current_month()
    {
        var now = consortium.Clock.GetUtcNow();
        var report = await LedgerAsync(consortium.ClientAs(TestAuth.SchoolCoordinator), string.Empty);
        var first = new DateOnly(now.Year, now.Month, 1);
        Assert.Equal((first, first.AddMonths(1)), (DateOnly.Parse(report["from"]!.GetValue<string>(), CultureInfo.InvariantCulture), DateOnly.Parse(report["to"]!.GetValue<string>(), CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Each_resources_booked_and_used_hours_and_utilisation_equal_the_sums_of_the_events_sent()
    {
        var report = await ResourcesAsync(consortium.ClientAs(TestAuth.SchoolCoordinator), January);
        var lines = report["resources"]!.AsArray().ToDictionary(l => l!["resourceId"]!.GetValue<Guid>(), l => l!);
        Assert.Equal(("2031-01-01", "2031-02-01"), (report["from"]!.GetValue<string>(), report["to"]!.GetValue<string>()));

        foreach (var resource in consortium.Resources)
        {
            var line = lines[resource.ResourceId];
            var (booked, used) = consortium.ExpectedResource(resource.ResourceId, (PeriodStart, PeriodEnd));
            var available = resource.Capacity * (PeriodEnd - PeriodStart).TotalHours;
            Assert.Equal((resource.Name, resource.OwnerId, resource.Kind, resource.Capacity), (line["name"]!.GetValue<string>(), line["ownerId"]!.GetValue<Guid>(), line["kind"]!.GetValue<string>(), line["capacity"]!.GetValue<int>()));
            Assert.Equal(booked, line["bookedHours"]!.GetValue<double>(), 2);
            Assert.Equal(used, line["usedHours"]!.GetValue<double>(), 2);
            Assert.Equal(available, line["availableHours"]!.GetValue<double>(), 2);
            Assert.Equal(booked / available, line["utilisation"]!.GetValue<double>(), 4);
        }

        // Hand-checked anchor: Helix's pool, 4 × 4 h on the 5th and 2 × 4 h of the booking across the month's end (the 8 × 10 h one was cancelled).
        var pool = consortium.Resources.Single(r => r.OwnerId == Consortium.Helix.Id && r.Kind == "computePool");
        Assert.Equal(24, lines[pool.ResourceId]["bookedHours"]!.GetValue<double>(), 2);
        Assert.Equal(Consortium.FormulaName, lines[pool.ResourceId]["ownerName"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_party_sees_only_its_own_resources_and_is_refused_anyone_elses()
    {
        var coordinator = consortium.ClientAs(TestAuth.StMarysCoordinator);
        var own = (await ResourcesAsync(coordinator, January))["resources"]!.AsArray();
        Assert.All(own, l => Assert.Equal(Consortium.StMarys.Id, l!["ownerId"]!.GetValue<Guid>()));
        Assert.DoesNotContain(own, l => consortium.Resources.Any(r => r.ResourceId == l!["resourceId"]!.GetValue<Guid>()));

        var staff = consortium.ClientAs(TestAuth.SchoolCoordinator);
        var helix = (await ResourcesAsync(staff, $"{January}&organisationId={Consortium.Helix.Id}"))["resources"]!.AsArray();
        Assert.Equal(consortium.Resources.Where(r => r.OwnerId == Consortium.Helix.Id).Select(r => r.ResourceId).Order(), helix.Select(l => l!["resourceId"]!.GetValue<Guid>()).Order());

        var problem = await (await coordinator.GetAsync($"/api/school/ledger/resources?{January}&organisationId={Consortium.Helix.Id}")).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.DoesNotContain("bookedHours", problem.ToJsonString());
    }

    [Fact]
    public async Task The_resources_csv_has_a_row_per_resource_with_the_same_numbers()
    {
        var staff = consortium.ClientAs(TestAuth.SchoolCoordinator);
        var json = (await ResourcesAsync(staff, January))["resources"]!.AsArray();
        var response = await staff.GetAsync($"/api/school/ledger/resources?{January}&format=csv");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);

        using var reader = CsvReader.Create(new StringReader(await response.Content.ReadAsStringAsync()), new CsvReaderOptions(), false);
        var rows = reader.GetRecords<ResourceUtilisationCsvRow>().ToList();
        Assert.Equal(json.Count, rows.Count);
        foreach (var line in json)
        {
            var row = Assert.Single(rows, r => r.ResourceId == line!["resourceId"]!.GetValue<Guid>().ToString());
            Assert.Equal((line!["bookedHours"]!.GetValue<double>(), line["usedHours"]!.GetValue<double>(), line["utilisation"]!.GetValue<double>()), (row.BookedHours, row.UsedHours, row.Utilisation));
        }

        Assert.All(rows.Where(r => r.OwnerId == Consortium.Helix.Id.ToString()), r => Assert.Equal("'" + Consortium.FormulaName, r.Owner));
    }

    [Theory]
    [InlineData("from=2031-02-01&to=2031-01-01", "to")]
    [InlineData("from=2031-01-01&to=2033-06-01", "to")]
    [InlineData("from=2031-01-01", "to")]
    [InlineData("to=2031-01-01", "from")]
    [InlineData("from=yesterday&to=2031-02-01", "from")]
    [InlineData("format=xlsx", "format")]
    [InlineData("organisationId=nope", "organisationId")]
    public async Task Bad_input_to_the_resources_is_a_400_naming_the_field(string query, string field)
    {
        var problem = await (await consortium.ClientAs(TestAuth.SchoolCoordinator).GetAsync($"/api/school/ledger/resources?{query}")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]?[field] is not null, problem.ToJsonString());
    }

    private static async Task<JsonNode> ResourcesAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync($"/api/school/ledger/resources?{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.ReadNodeAsync();
    }

    private static (int, int) Seats(JsonNode line) => (line["placementSeatsOffered"]!.GetValue<int>(), line["placementSeatsFilled"]!.GetValue<int>());

    private static (DateTimeOffset, DateTimeOffset) PeriodOf(int y1, int m1, int d1, int y2, int m2, int d2) =>
        (new DateTimeOffset(y1, m1, d1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(y2, m2, d2, 0, 0, 0, TimeSpan.Zero));

    private static void AssertLine(Consortium.Line expected, JsonNode actual)
    {
        Assert.Equal(expected.SeatsOffered, actual["placementSeatsOffered"]!.GetValue<int>());
        Assert.Equal(expected.SeatsFilled, actual["placementSeatsFilled"]!.GetValue<int>());
        Assert.Equal(expected.GpuProvided, actual["gpuHoursProvided"]!.GetValue<double>(), 2);
        Assert.Equal(expected.GpuUsed, actual["gpuHoursUsed"]!.GetValue<double>(), 2);
        Assert.Equal(expected.EquipmentProvided, actual["equipmentHoursProvided"]!.GetValue<double>(), 2);
        Assert.Equal(expected.EquipmentUsed, actual["equipmentHoursUsed"]!.GetValue<double>(), 2);
        Assert.Equal(expected.Mentors, actual["engineeringMentorsOffered"]!.GetValue<int>());
        Assert.Equal(expected.GpuProvided + expected.EquipmentProvided, actual["hoursProvided"]!.GetValue<double>(), 2);
        Assert.Equal(expected.GpuUsed + expected.EquipmentUsed, actual["hoursUsed"]!.GetValue<double>(), 2);
        Assert.Equal((0, 0), (actual["projectsMentored"]!.GetValue<int>(), actual["moduleClassesTaught"]!.GetValue<int>()));
    }

    private static async Task<JsonNode> LedgerAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync($"/api/school/ledger?{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.ReadNodeAsync();
    }

    /// <summary>
    /// Two hospitals, an enterprise (named like a formula), an institute and the school, and what they offered and
    /// used around January 2031, sent as events once for the whole class. Expected lines are computed here from
    /// the sent events alone.
    /// </summary>
    public sealed class Consortium : ServiceFactory<SchoolApiMarker>, IAsyncLifetime
    {
        public const string FormulaName = "=HYPERLINK(\"http://evil.test\")";
        public static readonly DemoOrganisation StMarys = TestAuth.User(TestAuth.StMarysCoordinator).Organisation;
        public static readonly DemoOrganisation Riverside = TestAuth.User(TestAuth.RiversideCoordinator).Organisation;
        public static readonly DemoOrganisation Helix = DemoDirectory.Enterprises[0];
        public static readonly DemoOrganisation Imaging = DemoDirectory.Institutes[0];
        public static readonly IReadOnlyList<DemoOrganisation> Parties = [StMarys, Riverside, Helix, Imaging, DemoDirectory.School];
        private static readonly string[] Provided = ["confirmed", "checkedIn", "completed"];

        private readonly List<PlacementOfferSnapshot> _offers = [];
        private readonly HashSet<Guid> _withdrawn = [];
        private readonly List<(Guid OfferId, bool Confirmed)> _answers = [];
        private readonly List<SharedResourceSnapshot> _resources = [];
        private readonly List<BookingChanged> _bookings = [];
        private readonly List<UsageRecorded> _usage = [];
        private readonly List<EngineeringMentorPublished> _mentors = [];

        public sealed record Line(int SeatsOffered, int SeatsFilled, double GpuProvided, double GpuUsed, double EquipmentProvided, double EquipmentUsed, int Mentors);

        public async Task InitializeAsync()
        {
            var sent = new List<Guid>();
            async Task Send<T>(T message)
                where T : class => sent.Add(await this.SendAsync(message));

            // Placements: overlapping, before, on the last day, withdrawn, starting the day after.
            var p1 = Offer(StMarys, 4, new(2031, 1, 10), new(2031, 2, 20));
            var p2 = Offer(StMarys, 3, new(2030, 12, 1), new(2030, 12, 31));
            var p3 = Offer(Riverside, 5, new(2031, 1, 31), new(2031, 3, 1));
            var p4 = Offer(Riverside, 2, new(2031, 1, 5), new(2031, 1, 25));
            var p5 = Offer(Riverside, 6, new(2031, 2, 1), new(2031, 2, 28));
            foreach (var offer in _offers)
            {
                await Send(new PlacementOfferPublished(offer, 1, DateTimeOffset.UtcNow));
            }

            await Send(new PlacementOfferWithdrawn(p4.OfferId, p4.HospitalId, 2, DateTimeOffset.UtcNow));
            _withdrawn.Add(p4.OfferId);
            await this.HandledAsync([.. sent]);

            var placed = new (PlacementOfferSnapshot Offer, bool Confirmed)[] { (p1, true), (p1, true), (p1, false), (p3, true), (p2, true), (p4, true), (p5, true), (p3, false) };
            var assignments = await this.PlaceAsync([.. placed.Select((p, i) => (p.Offer.OfferId, p.Offer.HospitalId, DemoDirectory.Student(40 + i).Id))]);
            for (var i = 0; i < placed.Length; i++)
            {
                var (offer, yes) = placed[i];
                var student = DemoDirectory.Student(40 + i).Id;
                if (yes)
                {
                    await Send(new PlacementAssignmentConfirmed(assignments[i], offer.OfferId, student, 2, DateTimeOffset.UtcNow));
                }
                else
                {
                    await Send(new PlacementAssignmentDeclined(assignments[i], offer.OfferId, student, "No seat after all", 2, DateTimeOffset.UtcNow));
                }

                _answers.Add((offer.OfferId, yes));
            }

            // Resources, and mentors (one inactive).
            var helixPool = Resource(Helix, ResourceOwners.Enterprises, "computePool");
            var helixKit = Resource(Helix, ResourceOwners.Enterprises, "device");
            var scanner = Resource(Imaging, ResourceOwners.Research, "equipment");
            var imagingPool = Resource(Imaging, ResourceOwners.Research, "computePool");
            foreach (var resource in _resources)
            {
                await Send(new SharedResourcePublished(resource, 1, DateTimeOffset.UtcNow));
            }

            foreach (var (org, active) in new[] { (Helix, true), (Helix, true), (Imaging, true), (Imaging, false) })
            {
                var mentor = new EngineeringMentorPublished(Guid.CreateVersion7(), ResourceOwners.Enterprises, org.Id, org == Helix ? FormulaName : org.Name, "Mentor", ["vision"], 2, active, 1, DateTimeOffset.UtcNow);
                _mentors.Add(mentor);
                await Send(mentor);
            }

            await this.HandledAsync([.. sent]);

            var school = DemoDirectory.School.Id;
            var b1 = Booking(helixPool, 4, At(1, 5, 9), At(1, 5, 13), "confirmed", 1, school);
            var b2 = Booking(helixPool, 2, At(1, 31, 20), At(2, 1, 4), "completed", 3, school);
            var b3 = Booking(helixPool, 8, At(1, 10, 8), At(1, 10, 18), "confirmed", 1, school);
            var b4 = Booking(helixKit, 1, At(1, 12, 10), At(1, 12, 12), "checkedIn", 2, StMarys.Id);
            var b5 = Booking(scanner, 1, At(1, 20, 8), At(1, 20, 14), "pendingApproval", 1, school);
            var b6 = Booking(imagingPool, 2, new(2030, 12, 31, 22, 0, 0, TimeSpan.Zero), At(1, 1, 2), "confirmed", 1, school);
            var b7 = Booking(scanner, 1, At(1, 21, 8), At(1, 21, 11), "held", 1, school);
            foreach (var booking in new[] { b1, b2, b3, b4, b5, b6, b7 })
            {
                await Send(booking);
            }

            await this.HandledAsync([.. sent]);

            // A cancellation after the confirmation; a newer version that got there first and an older one arriving late; an approval.
            foreach (var later in new[] { b3 with { Status = "cancelled", Reason = "Blackout: maintenance", Version = 2 }, b4 with { Status = "pendingApproval", Version = 1 }, b5 with { Status = "confirmed", Version = 2 } })
            {
                _bookings.Add(later);
                await Send(later);
            }

            await this.HandledAsync([.. sent]);

            await Send(Use(b1, school, b1.Start, b1.End));
            await Send(Use(b2, school, b2.Start, b2.End));
            await Send(Use(b4, StMarys.Id, b4.Start, b4.End));
            await Send(Use(b5, school, b5.Start, b5.End));
            var february = Booking(helixPool, 1, At(2, 5, 9), At(2, 5, 12), "completed", 3, school);
            await Send(february);
            await Send(Use(february, school, february.Start, february.End));
            await this.HandledAsync([.. sent]);
        }

        Task IAsyncLifetime.DisposeAsync() => Task.CompletedTask;

        public static DateTimeOffset At(int month, int day, int hour) => new(2031, month, day, hour, 0, 0, TimeSpan.Zero);

        public static double Clip((DateTimeOffset Start, DateTimeOffset End) period, IEnumerable<(DateTimeOffset Start, DateTimeOffset End, double PerHour)> spans) =>
            spans.Sum(s =>
            {
                var from = s.Start > period.Start ? s.Start : period.Start;
                var to = s.End < period.End ? s.End : period.End;
                return to > from ? (to - from).TotalHours * s.PerHour : 0;
            });

        public IReadOnlyList<SharedResourceSnapshot> Resources => _resources;

        /// <summary>A resource's booked unit-hours (latest version of each booking, in a provided status) and used unit-hours, clipped to the period.</summary>
        public (double Booked, double Used) ExpectedResource(Guid resourceId, (DateTimeOffset, DateTimeOffset) period) => (
            Clip(period, _bookings.GroupBy(b => b.BookingId).Select(g => g.MaxBy(b => b.Version)!)
                .Where(b => b.ResourceId == resourceId && Provided.Contains(b.Status)).Select(b => (b.Start, b.End, (double)b.Units))),
            Clip(period, _usage.Where(u => u.ResourceId == resourceId)
                .Select(u => (u.CheckedInAt, u.CheckedOutAt, u.UnitHours / (u.CheckedOutAt - u.CheckedInAt).TotalHours))));

        /// <summary>The latest version of each booking sent, as spans of units per hour, of one owner's compute pools in a provided status.</summary>
        public IEnumerable<(DateTimeOffset, DateTimeOffset, double)> ProvidedGpu(Guid owner) => ProvidedOf(owner, k => k == "computePool");

        public Line Expected(Guid party)
        {
            var january = (PeriodStart, PeriodEnd);
            var offered = _offers.Where(o => o.HospitalId == party && !_withdrawn.Contains(o.OfferId) && o.StartsOn < new DateOnly(2031, 2, 1) && o.EndsOn >= new DateOnly(2031, 1, 1)).ToList();
            var filled = _answers.Count(a => a.Confirmed && offered.Any(o => o.OfferId == a.OfferId));
            double Used(Func<string, bool> kind) => Clip(january, _usage.Where(u => u.OrganisationId == party && kind(KindOf(u.ResourceId)))
                .Select(u => (u.CheckedInAt, u.CheckedOutAt, u.UnitHours / (u.CheckedOutAt - u.CheckedInAt).TotalHours)));
            return new Line(offered.Sum(o => o.Seats), filled,
                Clip(january, ProvidedOf(party, k => k == "computePool")), Used(k => k == "computePool"),
                Clip(january, ProvidedOf(party, k => k is "device" or "equipment")), Used(k => k is "device" or "equipment"),
                _mentors.Count(m => m.OrganisationId == party && m.Active));
        }

        private IEnumerable<(DateTimeOffset, DateTimeOffset, double)> ProvidedOf(Guid owner, Func<string, bool> kind) =>
            _bookings.GroupBy(b => b.BookingId).Select(g => g.MaxBy(b => b.Version)!)
                .Where(b => b.OwnerId == owner && Provided.Contains(b.Status) && kind(KindOf(b.ResourceId)))
                .Select(b => (b.Start, b.End, (double)b.Units));

        private string KindOf(Guid resourceId) => _resources.Single(r => r.ResourceId == resourceId).Kind;

        private PlacementOfferSnapshot Offer(DemoOrganisation hospital, int seats, DateOnly starts, DateOnly ends)
        {
            var offer = new PlacementOfferSnapshot(Guid.CreateVersion7(), hospital.Id, hospital.Name, "Ward", "cardiology", $"Offer {_offers.Count}", starts, ends, seats, new PlacementRequirements(1, [], []));
            _offers.Add(offer);
            return offer;
        }

        private SharedResourceSnapshot Resource(DemoOrganisation owner, string service, string kind)
        {
            var resource = new SharedResourceSnapshot(Guid.CreateVersion7(), service, owner.Id, owner == Helix ? FormulaName : owner.Name, kind, $"{kind} of {owner.Key}", "Shared", null, 8, [], false, 24, "UTC", false);
            _resources.Add(resource);
            return resource;
        }

        private BookingChanged Booking(SharedResourceSnapshot resource, int units, DateTimeOffset start, DateTimeOffset end, string status, long version, Guid organisation)
        {
            var booking = new BookingChanged(Guid.CreateVersion7(), resource.ResourceId, resource.Name, resource.OwnerId, Guid.NewGuid(), organisation, status, start, end, units, null, null, version, DateTimeOffset.UtcNow);
            _bookings.Add(booking);
            return booking;
        }

        private UsageRecorded Use(BookingChanged booking, Guid organisation, DateTimeOffset checkedIn, DateTimeOffset checkedOut)
        {
            var used = new UsageRecorded(booking.BookingId, booking.ResourceId, booking.OwnerId, booking.UserId, organisation, checkedIn, checkedOut, booking.Units,
                booking.Units * (checkedOut - checkedIn).TotalHours, 1, DateTimeOffset.UtcNow);
            _usage.Add(used);
            return used;
        }
    }
}
