using System.Diagnostics;
using System.Globalization;
using CollabTraining.Contracts.Hospitals;
using CollabTraining.Demo;
using CollabTraining.Hospitals.Data;
using CollabTraining.Messaging.Outbox;
using CollabTraining.Tests.EndToEnd;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Benchmarks;

/// <summary>
/// A steady rate of events through the outbox for a while: every 10 ms the producer commits its share of
/// <c>PlacementOfferPublished</c> rows to the Hospitals outbox (as the API would), and an observer counts the
/// School catalog's rows every 5 ms. Lag is measured first-in-first-out: the k-th event to reach the
/// catalog against the k-th event committed (delivery across offers is not ordered, so this is the queueing
/// delay, not any single event's path), with the observer's 5 ms granularity. Writing from outside the service,
/// the producer cannot signal the dispatcher as an API request does, so the services poll every 10 ms here. The outbox backlog is sampled
/// every second. The baseline is the same disk's durable SQLite commit rate (WAL, synchronous=FULL, one row
/// per commit), measured in the same run.
/// </summary>
public static class EventRateBenchmark
{
    public static async Task<int> RunAsync(int rate, int seconds)
    {
        // The producer writes the outbox from this process, so no in-process commit signal wakes the dispatcher:
        // it finds the rows by polling, every 10 ms here (the API path wakes it on commit instead).
        var platform = EventsBenchmark.NewPlatform();
        await platform.InitializeAsync();
        try
        {
            var commitsPerSecond = DurableCommits(Path.Combine(platform.DataDirectory, "baseline.db"), TimeSpan.FromSeconds(2));

            // Warm-up, untimed: a burst, then the same steady rate for a few seconds, so the services' code
            // has been compiled (tiered JIT with dynamic PGO) for the paths the measured run takes.
            await EventsBenchmark.PlatformPipelineAsync(platform, 10_000);
            await SteadyRateAsync(platform, rate, Math.Min(seconds, 5));
            var (committed, arrived, backlog) = await SteadyRateAsync(platform, rate, seconds);

            var lags = committed.Zip(arrived, (c, a) => a - c).Order().ToList();
            double Percentile(double p) => lags.Count == 0 ? double.NaN : lags[Math.Min(lags.Count - 1, (int)Math.Ceiling(p * lags.Count) - 1)];
            Console.WriteLine($"events --rate {rate} --seconds {seconds} (through the outbox, as the API writes it; after a warm-up)");
            Console.WriteLine($"  baseline: durable SQLite commits on this disk, one row each: {commitsPerSecond:N0} commits/s");
            Console.WriteLine($"  offered {committed.Count:N0} events ({committed.Count / (double)seconds:N0}/s); {arrived.Count:N0} reached the catalog");
            Console.WriteLine($"  lag commit -> catalog (FIFO, 5 ms granularity): p50 {Percentile(0.50):N0} ms, p90 {Percentile(0.90):N0} ms, p99 {Percentile(0.99):N0} ms, max {(lags.Count > 0 ? lags[^1] : double.NaN):N0} ms");
            var bySecond = committed.Zip(arrived, (c, a) => (Second: (int)(c / 1000), Lag: a - c)).GroupBy(x => x.Second).OrderBy(g => g.Key);
            Console.WriteLine($"  worst lag by second (ms): {string.Join(" ", bySecond.Select(g => g.Max(x => x.Lag).ToString("0", CultureInfo.InvariantCulture)))}");
            Console.WriteLine($"  outbox backlog by second: {string.Join(" ", backlog)}");
            return 0;
        }
        finally
        {
            await platform.DisposeAsync();
        }
    }

    /// <summary>Offers <paramref name="rate"/> events a second for <paramref name="seconds"/>; returns when each was committed and when each arrived (ms), and the backlog each second.</summary>
    private static async Task<(List<double> Committed, List<double> Arrived, List<long> Backlog)> SteadyRateAsync(Platform platform, int rate, int seconds)
    {
        long before;
        await using (var catalog = new SqliteConnection($"Data Source={Path.Combine(platform.DataDirectory, "school.db")}"))
        {
            await catalog.OpenAsync();
            await using var highest = catalog.CreateCommand();
            highest.CommandText = "SELECT IFNULL(MAX(rowid), 0) FROM CatalogPlacements";
            before = Convert.ToInt64(await highest.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }

        var hospitals = EventsBenchmark.Context<HospitalsSqliteDbContext>(Path.Combine(platform.DataDirectory, "hospitals.db"));
        var tag = $"rate-{Guid.NewGuid():N}"[..13];
        var committed = new List<double>();
        var arrived = new List<double>();
        var backlog = new List<(int Second, long Rows)>();
        var watch = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();

        var observer = Task.Run(async () =>
        {
            // Only this run's rows arrive above the highest rowid after the warm-up (the catalog never deletes):
            // the highest rowid counts them in O(log n), so polling every 5 ms does not load the machine it measures.
            await using var connection = new SqliteConnection($"Data Source={Path.Combine(platform.DataDirectory, "school.db")};Default Timeout=60");
            await connection.OpenAsync();
            await using var query = connection.CreateCommand();
            query.CommandText = "SELECT IFNULL(MAX(rowid), 0) FROM CatalogPlacements";
            query.CommandText = $"SELECT IFNULL(MAX(rowid), 0) - {before} FROM CatalogPlacements";
            var seen = 0;
            while (!stop.IsCancellationRequested || seen < committed.Count)
            {
                var count = Convert.ToInt32(await query.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
                var now = watch.Elapsed.TotalMilliseconds;
                for (; seen < count; seen++)
                {
                    arrived.Add(now);
                }

                if (watch.Elapsed > TimeSpan.FromSeconds(seconds + 120))
                {
                    break;
                }

                await Task.Delay(5);
            }
        });
        var sampler = Task.Run(async () =>
        {
            await using var db = hospitals();
            for (var second = 0; !stop.IsCancellationRequested; second++)
            {
                backlog.Add((second, await db.OutboxMessages.LongCountAsync(m => m.ProcessedAt == null)));
                await Task.Delay(1000);
            }
        });

        var hospital = DemoDirectory.Hospitals[0];
        var perTick = rate / 100.0;
        var owed = 0.0;
        var index = 0;
        await using (var db = hospitals())
        {
            var outbox = new Outbox(db, TimeProvider.System);
            var next = watch.Elapsed;
            while (watch.Elapsed < TimeSpan.FromSeconds(seconds))
            {
                owed += perTick;
                var n = (int)owed;
                owed -= n;
                for (var i = 0; i < n; i++)
                {
                    var offer = new PlacementOfferSnapshot(Guid.CreateVersion7(), hospital.Id, hospital.Name, "Cardiology", "cardiology", $"{tag} {index++}",
                        new DateOnly(2027, 1, 4), new DateOnly(2027, 1, 31), 4, new PlacementRequirements(4, ["infection-control"], []));
                    outbox.Add(new PlacementOfferPublished(offer, 1, DateTimeOffset.UtcNow));
                }

                if (n > 0)
                {
                    await db.SaveChangesAsync();
                    db.ChangeTracker.Clear();
                    var at = watch.Elapsed.TotalMilliseconds;
                    lock (committed)
                    {
                        committed.AddRange(Enumerable.Repeat(at, n));
                    }
                }

                next += TimeSpan.FromMilliseconds(10);
                var wait = next - watch.Elapsed;
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }
            }
        }

        stop.Cancel();
        await observer;
        await sampler;

        return (committed, arrived, backlog.Select(b => b.Rows).ToList());
    }

    /// <summary>How many single-row durable commits per second this disk takes: WAL, synchronous=FULL, as the services run.</summary>
    internal static double DurableCommits(string path, TimeSpan duration)
    {
        using var connection = new SqliteConnection($"Data Source={path}");
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT);";
            setup.ExecuteNonQuery();
        }

        var watch = Stopwatch.StartNew();
        var commits = 0;
        while (watch.Elapsed < duration)
        {
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO t (v) VALUES ('x')";
            insert.ExecuteNonQuery();
            transaction.Commit();
            commits++;
        }

        return commits / watch.Elapsed.TotalSeconds;
    }
}
