using CollabTraining.Bookings;
using CollabTraining.Messaging.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Tests.Integration;

/// <summary>
/// The reads a decision makes on a real SQLite file: around a slot they find every booking and blackout that can
/// matter to it (its buffer and the longest booking included) and nothing else, compiled or not.
/// </summary>
public sealed class BookingReadsTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Start = Now.AddDays(1);
    private static readonly DateTimeOffset End = Start.AddHours(2);
    private static readonly TimeSpan Buffer = TimeSpan.FromMinutes(10);
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"booking-reads-{Guid.NewGuid():N}.db");
    private readonly Booker _booker = new(Guid.NewGuid(), "Ada", Guid.NewGuid(), "school", new HashSet<string>());

    [Fact]
    public async Task A_slot_s_bookings_are_those_that_still_hold_units_within_its_buffer_and_no_others()
    {
        var rules = new BookingRules { Buffer = Buffer };
        var pool = Resource.Create(Guid.NewGuid(), Guid.NewGuid(), ResourceKind.ComputePool, "H100 pool", 50, rules);
        var elsewhere = Resource.Create(Guid.NewGuid(), Guid.NewGuid(), ResourceKind.ComputePool, "A100 pool", 50, rules);
        Booking Book(Resource resource, DateTimeOffset start, DateTimeOffset end) =>
            resource.Book(Guid.NewGuid(), new BookingRequest(_booker, start, end, 1), new Calendar([], []), Now);

        // The longest booking on the pool (3 hours) began before the slot and its buffer runs into it.
        var longBefore = Book(pool, Start - TimeSpan.FromMinutes(185), Start - TimeSpan.FromMinutes(5));
        var endsInBuffer = Book(pool, Start.AddHours(-1), Start.AddMinutes(-9));
        var startsInBuffer = Book(pool, End.AddMinutes(9), End.AddHours(1));
        var confirmed = Book(pool, Start, End);
        var held = pool.Hold(Guid.NewGuid(), new BookingRequest(_booker, Start, End, 1), new Calendar([], []), Now, TimeSpan.FromMinutes(10));
        var checkedIn = Book(pool, Start, End);
        checkedIn.CheckIn(Start);
        var completed = Book(pool, Start, End);
        completed.CheckIn(Start);
        completed.CheckOut(Start.AddHours(1));
        var endsAsBufferBegins = Book(pool, Start.AddHours(-1), Start - Buffer);
        var startsAfterBuffer = Book(pool, End + Buffer, End.AddHours(1));
        var cancelled = Book(pool, Start, End);
        cancelled.Cancel("plans changed", Now);
        var expired = pool.Hold(Guid.NewGuid(), new BookingRequest(_booker, Start, End, 1), new Calendar([], []), Now, TimeSpan.FromMinutes(10));
        expired.ExpireIfDue(Now.AddHours(1));
        var noShow = Book(pool, Start, End);
        noShow.ReleaseIfNoShow(rules with { CheckInRequired = true }, End);
        var onAnotherResource = Book(elsewhere, Start, End);
        pool.Revise(pool.Name, null, null, pool.Capacity, rules with { ApprovalRequired = true }, [], [], [], 0);
        var pending = Book(pool, Start, End);
        var rejected = Book(pool, Start, End);
        rejected.Reject("exam");

        await using (var db = Context())
        {
            await db.Database.EnsureCreatedAsync();
            db.AddRange(pool, elsewhere);
            db.AddRange(longBefore, endsInBuffer, startsInBuffer, confirmed, held, checkedIn, completed, endsAsBufferBegins, startsAfterBuffer, cancelled, expired, noShow, onAnotherResource, pending, rejected);
            await db.SaveChangesAsync();
        }

        Guid[] expected = [.. new[] { longBefore, endsInBuffer, startsInBuffer, confirmed, held, checkedIn, completed, pending }.Select(b => b.Id).Order()];
        var tokyo = TimeSpan.FromHours(9);
        await using var read = Context();
        var stored = (await read.FindResourceAsync(pool.Id))!;
        Assert.Equal(TimeSpan.FromHours(3), stored.LongestBooking);

        var compiled = await read.ReadAround(stored, Start.ToOffset(tokyo), End.ToOffset(tokyo)).ToListAsync();
        var composed = await read.Set<Booking>().Around(stored, Start.ToOffset(tokyo), End.ToOffset(tokyo)).ToListAsync();
        Assert.Equal(expected, compiled.Select(b => b.Id).Order());
        Assert.Equal(expected, composed.Select(b => b.Id).Order());
        Assert.All(compiled, b => Assert.Equal(EntityState.Detached, read.Entry(b).State));
    }

    [Fact]
    public async Task A_slot_s_blackouts_are_those_overlapping_it_and_no_others()
    {
        var pool = Resource.Create(Guid.NewGuid(), Guid.NewGuid(), ResourceKind.Equipment, "Scanner", 1, new BookingRules { Buffer = Buffer });
        var elsewhere = Resource.Create(Guid.NewGuid(), Guid.NewGuid(), ResourceKind.Equipment, "Microscope", 1, new BookingRules());
        Blackout Window(Resource resource, DateTimeOffset start, DateTimeOffset end) => Blackout.Create(Guid.NewGuid(), resource, start, end, "service");
        var endsAtStart = Window(pool, Start.AddHours(-1), Start);
        var endsJustAfterStart = Window(pool, Start.AddHours(-1), Start.AddMinutes(1));
        var startsJustBeforeEnd = Window(pool, End.AddMinutes(-1), End.AddHours(1));
        var startsAtEnd = Window(pool, End, End.AddHours(1));
        var onAnotherResource = Window(elsewhere, Start, End);

        await using (var db = Context())
        {
            await db.Database.EnsureCreatedAsync();
            db.AddRange(pool, elsewhere);
            db.AddRange(endsAtStart, endsJustAfterStart, startsJustBeforeEnd, startsAtEnd, onAnotherResource);
            await db.SaveChangesAsync();
        }

        Guid[] expected = [.. new[] { endsJustAfterStart, startsJustBeforeEnd }.Select(b => b.Id).Order()];
        var paris = TimeSpan.FromHours(1);
        await using var read = Context();
        var stored = (await read.FindResourceAsync(pool.Id))!;
        Assert.Equal(expected, (await read.ReadBlackoutsAround(stored, Start.ToOffset(paris), End.ToOffset(paris)).ToListAsync()).Select(b => b.Id).Order());
        Assert.Equal(expected, (await read.Set<Blackout>().Around(stored, Start.ToOffset(paris), End.ToOffset(paris)).ToListAsync()).Select(b => b.Id).Order());
    }

    [Fact]
    public async Task A_resource_is_found_by_its_id_tracked_so_its_version_guards_what_is_decided_on_it()
    {
        var scanner = Resource.Create(Guid.NewGuid(), Guid.NewGuid(), ResourceKind.Equipment, "Scanner", 1, new BookingRules());
        var microscope = Resource.Create(Guid.NewGuid(), Guid.NewGuid(), ResourceKind.Equipment, "Microscope", 1, new BookingRules());
        await using (var db = Context())
        {
            await db.Database.EnsureCreatedAsync();
            db.AddRange(scanner, microscope);
            await db.SaveChangesAsync();
        }

        await using (var db = Context())
        {
            var found = await db.FindResourceAsync(microscope.Id);
            Assert.Equal("Microscope", found!.Name);
            Assert.Null(await db.FindResourceAsync(Guid.NewGuid()));

            found.Retire();
            await db.SaveChangesAsync();
        }

        await using var check = Context();
        var retired = (await check.FindResourceAsync(microscope.Id))!;
        Assert.Equal((true, 2L), (retired.Retired, retired.Version));
        Assert.False((await check.FindResourceAsync(scanner.Id))!.Retired);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_path);
    }

    private ReadsContext Context() => new(new DbContextOptionsBuilder<ReadsContext>().UseSqlite($"Data Source={_path}").Options);

    private sealed class ReadsContext(DbContextOptions<ReadsContext> options) : ServiceDbContext(options)
    {
        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            base.OnModelCreating(modelBuilder);
            modelBuilder.AddBookingKernel();
        }
    }
}
