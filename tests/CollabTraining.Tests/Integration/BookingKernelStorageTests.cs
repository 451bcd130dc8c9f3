using CollabTraining.Bookings;
using CollabTraining.Messaging.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Tests.Integration;

/// <summary>
/// The kernel mapped into a service's context on a real SQLite file, as Enterprises and Research will map it:
/// rules and lists round-trip, a slot's bookings are found by an index range, and two deciders on one
/// database cannot both commit against the same calendar (the resource's version is a concurrency token).
/// </summary>
public sealed class BookingKernelStorageTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"booking-kernel-{Guid.NewGuid():N}.db");

    [Fact]
    public async Task A_resource_its_rules_and_its_bookings_round_trip_and_a_slot_reads_only_what_overlaps()
    {
        var owner = Guid.NewGuid();
        var rules = new BookingRules { Buffer = TimeSpan.FromMinutes(10), MinimumNotice = TimeSpan.FromHours(1), CheckInRequired = true, TimeZone = "Europe/London" };
        var pool = Resource.Create(Guid.NewGuid(), owner, ResourceKind.ComputePool, "H100 pool", 8, rules, ["gpu-induction"], [], ["school", "institute"]);
        var booker = new Booker(Guid.NewGuid(), "Grace Hopper", Guid.NewGuid(), "school", new HashSet<string> { "gpu-induction" });
        await using (var db = Context())
        {
            await db.Database.EnsureCreatedAsync();
            db.Add(pool);
            var calendar = new List<Booking>();
            for (var hour = 2; hour < 12; hour += 2)
            {
                var booking = pool.Book(Guid.NewGuid(), new BookingRequest(booker, Now.AddHours(hour), Now.AddHours(hour + 1), 4), new Calendar(calendar, []), Now);
                calendar.Add(booking);
                db.Add(booking);
            }

            await db.SaveChangesAsync();
        }

        await using (var db = Context())
        {
            var stored = await db.Set<Resource>().SingleAsync(r => r.Id == pool.Id);
            Assert.Equal(rules, stored.Rules);
            Assert.Equal(["gpu-induction"], stored.RequiredQualifications);
            Assert.Equal(["school", "institute"], stored.AllowedOrganisationKinds);
            Assert.Equal(6, stored.Version);

            Assert.Equal(TimeSpan.FromHours(1), stored.LongestBooking);

            // With the 10-minute buffer, [4:30, 6:30) is touched by the bookings at 4:00 and 6:00 only.
            var overlapping = await db.Set<Booking>().Around(stored, Now.AddHours(4).AddMinutes(30), Now.AddHours(6).AddMinutes(30))
                .OrderBy(b => b.Start)
                .Select(b => b.Start)
                .ToListAsync();
            Assert.Equal([Now.AddHours(4), Now.AddHours(6)], overlapping);
            Assert.Equal([Now.AddHours(2)], await db.Set<Booking>().Around(stored, Now.AddHours(3).AddMinutes(5), Now.AddHours(3).AddMinutes(30)).Select(b => b.Start).ToListAsync());
        }
    }

    [Fact]
    public async Task Two_deciders_on_one_database_cannot_both_commit_against_the_same_calendar()
    {
        var scanner = Resource.Create(Guid.NewGuid(), Guid.NewGuid(), ResourceKind.Equipment, "Scanner", 1, new BookingRules());
        await using (var db = Context())
        {
            await db.Database.EnsureCreatedAsync();
            db.Add(scanner);
            await db.SaveChangesAsync();
        }

        var booker = new Booker(Guid.NewGuid(), "Ada", Guid.NewGuid(), "school", new HashSet<string>());
        await using var first = Context();
        await using var second = Context();
        var one = await first.Set<Resource>().SingleAsync();
        var other = await second.Set<Resource>().SingleAsync();

        // Both read an empty calendar and both decide the slot is free; only the first commit stands.
        first.Add(one.Book(Guid.NewGuid(), new BookingRequest(booker, Now.AddHours(2), Now.AddHours(3), 1), new Calendar([], []), Now));
        second.Add(other.Book(Guid.NewGuid(), new BookingRequest(booker, Now.AddHours(2), Now.AddHours(3), 1), new Calendar([], []), Now));
        await first.SaveChangesAsync();
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => second.SaveChangesAsync());

        await using var check = Context();
        Assert.Equal(1, await check.Set<Booking>().CountAsync());
    }

    [Fact]
    public async Task Durations_are_stored_as_ticks_so_rules_of_days_fit_sql_server_too()
    {
        await using var sqlServer = new KernelContext(new DbContextOptionsBuilder<KernelContext>().UseSqlServer("Server=unused;Database=unused").Options);
        var script = sqlServer.Database.GenerateCreateScript();
        var resources = script[script.IndexOf("CREATE TABLE [Resources]", StringComparison.Ordinal)..];
        resources = resources[..resources.IndexOf(");", StringComparison.Ordinal)];
        Assert.Contains("[Rules_MaximumDuration] bigint", resources);
        Assert.Contains("[LongestBooking] bigint", resources);
        Assert.DoesNotContain(" time", resources);

        // And on SQLite a resource with a seven-day maximum and a half-year horizon round-trips.
        var pool = Resource.Create(Guid.NewGuid(), Guid.NewGuid(), ResourceKind.ComputePool, "Pool", 2, new BookingRules());
        await using (var db = Context())
        {
            await db.Database.EnsureCreatedAsync();
            db.Add(pool);
            await db.SaveChangesAsync();
        }

        await using var read = Context();
        Assert.Equal(TimeSpan.FromDays(180), (await read.Set<Resource>().SingleAsync()).Rules.MaximumAdvance);
    }

    [Fact]
    public async Task A_booking_sent_with_another_offset_is_found_by_the_read_around_a_slot()
    {
        var pool = Resource.Create(Guid.NewGuid(), Guid.NewGuid(), ResourceKind.Equipment, "Scanner", 1, new BookingRules());
        var booker = new Booker(Guid.NewGuid(), "Ada", Guid.NewGuid(), "school", new HashSet<string>());
        var tokyo = TimeSpan.FromHours(9);
        await using (var db = Context())
        {
            await db.Database.EnsureCreatedAsync();
            db.Add(pool);
            db.Add(pool.Book(Guid.NewGuid(), new BookingRequest(booker, Now.AddHours(2).ToOffset(tokyo), Now.AddHours(3).ToOffset(tokyo), 1), new Calendar([], []), Now));
            await db.SaveChangesAsync();
        }

        await using var read = Context();
        var stored = await read.Set<Resource>().SingleAsync();
        var around = await read.Set<Booking>().Around(stored, Now.AddHours(2).AddMinutes(30), Now.AddHours(4)).ToListAsync();
        var found = Assert.Single(around);
        Assert.Throws<BookingRefusedException>(() => stored.Book(Guid.NewGuid(), new BookingRequest(booker, Now.AddHours(2).AddMinutes(30), Now.AddHours(4), 1),
            new Calendar(around, [], new Slot(Now.AddHours(2).AddMinutes(30), Now.AddHours(4))), Now));
        Assert.Equal(Now.AddHours(2), found.Start);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_path);
    }

    private KernelContext Context() => new(new DbContextOptionsBuilder<KernelContext>().UseSqlite($"Data Source={_path}").Options);

    private sealed class KernelContext(DbContextOptions<KernelContext> options) : ServiceDbContext(options)
    {
        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            base.OnModelCreating(modelBuilder);
            modelBuilder.AddBookingKernel();
        }
    }
}
