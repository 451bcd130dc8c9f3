using System.Diagnostics;
using System.Globalization;
using System.Text;
using CollabTraining.Contracts.Hospitals;
using CollabTraining.Demo;
using CollabTraining.Hospitals.Data;
using CollabTraining.School.Data;
using CollabTraining.Messaging.Data;
using CollabTraining.Messaging.Outbox;
using CollabTraining.ServiceDefaults.Security;
using CollabTraining.Tests.EndToEnd;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using RabbitMQ.Client;

namespace CollabTraining.Benchmarks;

/// <summary>
/// N placement-offer events through the whole pipeline (outbox row → dispatcher → RabbitMQ → School inbox →
/// catalog row), timed until the catalog holds all N, beside raw RabbitMQ.Client persistent, confirmed
/// publish and acknowledged consume of N messages of the same size on the same broker, in the same run.
/// </summary>
public static class EventsBenchmark
{
    public static async Task<int> RunAsync(int count)
    {
        var platform = NewPlatform();
        await platform.InitializeAsync();
        try
        {
            // Warm-up: both paths once, untimed and as long as the timed run, so the services' code has been
            // compiled (tiered JIT with dynamic PGO keeps recompiling hot code for the first seconds of load).
            var warmUp = count;
            await RawRabbitMqAsync(platform.Broker.ConnectionString, warmUp);
            await PlatformPipelineAsync(platform, warmUp);
            var raw = await RawRabbitMqAsync(platform.Broker.ConnectionString, count);
            Console.WriteLine("  (warmed up; timing the platform)");
            var pipeline = await PlatformPipelineAsync(platform, count);
            Console.WriteLine($"events N={count}");
            Console.WriteLine($"  raw RabbitMQ.Client (persistent, confirmed publish + acked consume): {count / raw.TotalSeconds,10:N0} events/s ({raw.TotalMilliseconds:N0} ms)");
            Console.WriteLine($"  platform (outbox -> broker -> inbox -> catalog):                     {count / pipeline.TotalSeconds,10:N0} events/s ({pipeline.TotalMilliseconds:N0} ms)");
            Console.WriteLine($"  ratio platform / raw: {raw.TotalSeconds / pipeline.TotalSeconds:0.000}");
            return 0;
        }
        finally
        {
            await platform.DisposeAsync();
        }
    }

    /// <summary>
    /// The platform the end-to-end tests start. The benchmark writes outbox rows from its own process, so no
    /// in-process commit signal wakes the Hospitals dispatcher: it polls every 10 ms here instead (the API path
    /// wakes it on commit; the other services keep the 1 s fallback poll). BENCH_SETTINGS=Key=value,... passes
    /// extra settings to the services (<c>hospitals:Key=value</c> to one of them), e.g. to compare a knob.
    /// </summary>
    internal static Platform NewPlatform() => new() { ServiceSettings = [("hospitals:Outbox__PollInterval", "00:00:00.010"), .. BenchSettings()] };

    /// <summary><c>BENCH_SETTINGS=Key=value,service:Key=value</c>: settings to compare in the same run, or profiling switches.</summary>
    internal static List<(string Name, string Value)> BenchSettings() => (Environment.GetEnvironmentVariable("BENCH_SETTINGS") ?? "")
        .Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => (s.Split('=')[0], s.Split('=', 2)[1])).ToList();

    /// <summary>
    /// Commits N events to the Hospitals outbox in one transaction (untimed: the baseline's messages are in
    /// memory too), then times from that commit until the School catalog holds all N. Also used to give the
    /// gateway benchmark a realistic catalog to page through.
    /// </summary>
    internal static async Task<TimeSpan> PlatformPipelineAsync(Platform platform, int count)
    {
        var hospital = DemoDirectory.Hospitals[0];
        var tag = $"bench-{Guid.NewGuid():N}"[..14];
        var hospitals = Context<HospitalsSqliteDbContext>(Path.Combine(platform.DataDirectory, "hospitals.db"));
        await using var catalog = new SqliteConnection($"Data Source={Path.Combine(platform.DataDirectory, "school.db")};Default Timeout=60");
        await catalog.OpenAsync();
        await using var arrived = catalog.CreateCommand();

        // Only this run's rows arrive above the highest rowid seen now (the catalog never deletes), so counting
        // them is a range scan of the new rows, not a scan of the whole table every 50 ms.
        arrived.CommandText = "SELECT IFNULL(MAX(rowid), 0) FROM CatalogPlacements";
        var before = Convert.ToInt64(await arrived.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        arrived.CommandText = $"SELECT COUNT(*) FROM CatalogPlacements WHERE rowid > {before} AND Title LIKE '{tag}%'";

        await using (var db = hospitals())
        {
            var outbox = new Outbox(db, TimeProvider.System);
            for (var i = 0; i < count; i++)
            {
                var offer = new PlacementOfferSnapshot(Guid.CreateVersion7(), hospital.Id, hospital.Name, "Cardiology", "cardiology", $"{tag} {i}",
                    new DateOnly(2027, 1, 4), new DateOnly(2027, 1, 31), 4, new PlacementRequirements(4, ["infection-control"], []));
                outbox.Add(new PlacementOfferPublished(offer, 1, DateTimeOffset.UtcNow));
            }

            await db.SaveChangesAsync();
        }

        var watch = Stopwatch.StartNew();
        TimeSpan? dispatched = null;
        await using (var outboxDb = hospitals())
        {
            while (Convert.ToInt64(await arrived.ExecuteScalarAsync(), CultureInfo.InvariantCulture) < count)
            {
                if (watch.Elapsed > TimeSpan.FromMinutes(10))
                {
                    throw new TimeoutException("The catalog did not receive every event in 10 minutes.\n" + platform.Logs());
                }

                if (dispatched is null && !await outboxDb.OutboxMessages.AnyAsync(m => m.ProcessedAt == null))
                {
                    dispatched = watch.Elapsed;
                }

                await Task.Delay(50);
            }
        }

        var total = watch.Elapsed;
        Console.WriteLine($"  (from the outbox commit: fully dispatched after {(dispatched ?? total).TotalMilliseconds:N0} ms, catalog complete after {total.TotalMilliseconds:N0} ms)");
        return total;
    }

    private static async Task<TimeSpan> RawRabbitMqAsync(string connectionString, int count)
    {
        var factory = new ConnectionFactory { Uri = new Uri(connectionString) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var publisher = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await using var consumerChannel = await connection.CreateChannelAsync();
        var queue = $"bench-raw-{Guid.NewGuid():N}";
        await publisher.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: true);
        await consumerChannel.BasicQosAsync(0, 200, false);

        // About the size of a PlacementOfferPublished envelope as MassTransit sends it.
        var body = Encoding.UTF8.GetBytes(new string('x', 1200));
        var received = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new RabbitMQ.Client.Events.AsyncEventingBasicConsumer(consumerChannel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            await consumerChannel.BasicAckAsync(delivery.DeliveryTag, false);
            if (Interlocked.Increment(ref received) == count)
            {
                done.TrySetResult();
            }
        };
        await consumerChannel.BasicConsumeAsync(queue, autoAck: false, consumer);

        var properties = new BasicProperties { Persistent = true, ContentType = "application/vnd.masstransit+json" };
        var watch = Stopwatch.StartNew();
        const int window = 256;
        var inFlight = new List<Task>(window);
        for (var i = 0; i < count; i++)
        {
            inFlight.Add(publisher.BasicPublishAsync(string.Empty, queue, mandatory: false, properties, body).AsTask());
            if (inFlight.Count == window)
            {
                await Task.WhenAll(inFlight);
                inFlight.Clear();
            }
        }

        await Task.WhenAll(inFlight);
        await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
        return watch.Elapsed;
    }

    /// <summary>A service's context on its SQLite file, with the same connection settings the services use (durable commits, SQLite's busy handler).</summary>
    internal static Func<T> Context<T>(string path)
        where T : DbContext =>
        () => (T)Activator.CreateInstance(typeof(T), new DbContextOptionsBuilder<T>()
            .UseSqlite($"Data Source={path};Default Timeout=60")
            .AddInterceptors(new SqliteConnectionSettings())
            .Options)!;
}
