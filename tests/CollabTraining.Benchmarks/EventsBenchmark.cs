using System.Diagnostics;
using System.Text;
using CollabTraining.Contracts.Hospitals;
using CollabTraining.Demo;
using CollabTraining.Hospitals.Data;
using CollabTraining.School.Data;
using CollabTraining.Messaging.Outbox;
using CollabTraining.ServiceDefaults.Security;
using CollabTraining.Tests.EndToEnd;
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
        var platform = new Platform();
        await platform.InitializeAsync();
        try
        {
            var raw = await RawRabbitMqAsync(platform.Broker.ConnectionString, count);
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

    /// <summary>Also used to give the gateway benchmark a realistic catalog to page through.</summary>
    internal static async Task<TimeSpan> PlatformPipelineAsync(Platform platform, int count)
    {
        var hospital = DemoDirectory.Hospitals[0];
        var tag = $"bench-{Guid.NewGuid():N}"[..14];
        var hospitals = Context<HospitalsSqliteDbContext>(Path.Combine(platform.DataDirectory, "hospitals.db"));
        var school = Context<SchoolSqliteDbContext>(Path.Combine(platform.DataDirectory, "school.db"));

        var watch = Stopwatch.StartNew();
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

        TimeSpan? dispatched = null;
        await using (var db = school())
        await using (var outboxDb = hospitals())
        {
            while (await db.CatalogPlacements.CountAsync(p => p.Title.StartsWith(tag)) < count)
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
        Console.WriteLine($"  (outbox fully dispatched after {(dispatched ?? total).TotalMilliseconds:N0} ms; catalog complete after {total.TotalMilliseconds:N0} ms)");
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

    private static Func<T> Context<T>(string path)
        where T : DbContext =>
        () => (T)Activator.CreateInstance(typeof(T), new DbContextOptionsBuilder<T>().UseSqlite($"Data Source={path};Default Timeout=60").Options)!;
}
