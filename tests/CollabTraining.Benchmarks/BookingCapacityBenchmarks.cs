using BenchmarkDotNet.Attributes;
using CollabTraining.Bookings;
using CollabTraining.Messaging.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Benchmarks;

/// <summary>
/// Issue 8's capacity check on a resource holding 100,000 bookings (a 4-unit pool booked every hour of some
/// eleven years), on a real SQLite file: read the bookings and blackouts around a slot by the
/// (ResourceId, Start, End) index (<see cref="BookingQueries.Around"/>) and decide. The baseline reads the resource by its key on the same file.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
public class BookingCapacityBenchmarks
{
    private static readonly DateTimeOffset Origin = new(2027, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"booking-capacity-{Guid.NewGuid():N}.db");
    private readonly Booker _booker = new(Guid.NewGuid(), "Benchmark", Guid.NewGuid(), "school", new HashSet<string>());
    private Guid _resourceId;
    private DbContextOptions<KernelContext> _options = null!;

    [GlobalSetup]
    public void Setup()
    {
        _options = new DbContextOptionsBuilder<KernelContext>().UseSqlite($"Data Source={_path}").Options;
        using var db = new KernelContext(_options);
        db.Database.EnsureCreated();
        var pool = Resource.Create(Guid.NewGuid(), Guid.NewGuid(), ResourceKind.ComputePool, "A100 pool", 4,
            new BookingRules { MaximumAdvance = TimeSpan.FromDays(5000), Buffer = TimeSpan.FromMinutes(10) });
        _resourceId = pool.Id;
        db.Add(pool);

        // One booking through the kernel (so the resource knows its longest booking), the rest inserted directly.
        db.Add(pool.Book(Guid.NewGuid(), new BookingRequest(_booker, Origin.AddHours(-5), Origin.AddHours(-2), 1), new Calendar([], []), Origin.AddHours(-6)));
        db.SaveChanges();

        // 100,000 bookings of one unit for three hours, one starting every hour: three overlap at any instant,
        // four at each changeover once the buffer counts, so the checked slot is refused as full.
        using var connection = new SqliteConnection($"Data Source={_path}");
        connection.Open();
        using var transaction = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO Bookings (Id, ResourceId, OwnerOrganisationId, UserId, UserName, OrganisationId, Units, Start, "End", Status, CreatedAt, Version)
            VALUES ($id, $resource, $owner, $user, 'someone', $org, 1, $start, $end, 'Confirmed', $start, 1)
            """;
        var parameters = new[] { "$id", "$resource", "$owner", "$user", "$org", "$start", "$end" }.Select(n => insert.Parameters.Add(new SqliteParameter(n, null))).ToArray();
        var converter = new Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter();
        for (var i = 0; i < 100_000; i++)
        {
            var start = Origin.AddHours(i / 3 * 3 + i % 3);
            parameters[0].Value = Guid.NewGuid().ToString().ToUpperInvariant();
            parameters[1].Value = _resourceId.ToString().ToUpperInvariant();
            parameters[2].Value = Guid.Empty.ToString();
            parameters[3].Value = Guid.NewGuid().ToString().ToUpperInvariant();
            parameters[4].Value = Guid.NewGuid().ToString().ToUpperInvariant();
            parameters[5].Value = converter.ConvertToProvider(start);
            parameters[6].Value = converter.ConvertToProvider(start.AddHours(3));
            insert.ExecuteNonQuery();
        }

        transaction.Commit();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_path);
    }

    [Benchmark(Baseline = true, Description = "read the resource by its key")]
    public async Task<Resource> ReadResource()
    {
        await using var db = new KernelContext(_options);
        return await db.Set<Resource>().AsNoTracking().SingleAsync(r => r.Id == _resourceId);
    }

    [Benchmark(Description = "capacity check: read the slot's calendar and decide")]
    public async Task<int> CapacityCheck()
    {
        await using var db = new KernelContext(_options);
        var resource = await db.Set<Resource>().AsNoTracking().SingleAsync(r => r.Id == _resourceId);
        var (start, end) = (Origin.AddHours(50_000).AddMinutes(30), Origin.AddHours(50_002));
        var bookings = await db.Set<Booking>().AsNoTracking().Around(resource, start, end).ToListAsync();
        var blackouts = await db.Set<Blackout>().AsNoTracking().Around(resource, start, end).ToListAsync();
        try
        {
            return resource.Book(Guid.NewGuid(), new BookingRequest(_booker, start, end, 1), new Calendar(bookings, blackouts, new Slot(start, end)), Origin).Units;
        }
        catch (BookingRefusedException)
        {
            return 0;
        }
    }

    private sealed class KernelContext(DbContextOptions<KernelContext> options) : ServiceDbContext(options)
    {
        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            base.OnModelCreating(modelBuilder);
            modelBuilder.AddBookingKernel();
        }
    }
}
