using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CollabTraining.Demo;
using CollabTraining.Tests.EndToEnd;
using CollabTraining.Tests.Support;

namespace CollabTraining.Benchmarks;

/// <summary>
/// Booking decisions per second through the gateway: <c>clients</c> concurrent clients, each booking a random
/// hour on one of 100 GPU pools (a decision is a 201 or a 409), beside a plain resource read through the
/// gateway by the same clients, and beside one durable SQLite commit per operation on the same disk, all in
/// the same run. Prints throughput, p50/p99 and the ratios.
/// </summary>
public static class BookingDecisionBenchmark
{
    public static async Task<int> RunAsync(int seconds, int clients)
    {
        var platform = new Platform { PermitLimit = 10_000_000, EnterprisesInstances = 1, ServiceSettings = EventsBenchmark.BenchSettings() };
        await platform.InitializeAsync();
        try
        {
            var staff = Client(platform, "staff@helix-compute.demo");
            var pools = new List<Guid>();
            for (var i = 0; i < 100; i++)
            {
                var created = await staff.PostAsJsonAsync("/api/enterprises/resources", new
                {
                    kind = "ComputePool", name = $"Bench pool {i:000}", capacity = 8, model = "A100",
                    rules = new { maximumMinutes = 24 * 60, advanceDays = 730 },
                });
                created.EnsureSuccessStatusCode();
                pools.Add((await created.ReadNodeAsync())["id"]!.GetValue<Guid>());
            }

            var users = Enumerable.Range(1, clients).Select(i => Client(platform, DemoDirectory.Student(i).UserName)).ToList();
            var start = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(2);
            async Task<HttpStatusCode> Decide(HttpClient client, Random random)
            {
                var at = start.AddHours(random.Next(24 * 600));
                var response = await client.PostAsJsonAsync($"/api/enterprises/resources/{pools[random.Next(pools.Count)]}/bookings",
                    new { start = at, end = at.AddHours(1 + random.Next(3)), units = 1 + random.Next(4) });
                return response.StatusCode;
            }

            async Task<HttpStatusCode> Read(HttpClient client, Random random) =>
                (await client.GetAsync($"/api/enterprises/resources/{pools[random.Next(pools.Count)]}")).StatusCode;

            // Warm-up as long as the timed run, as the event benchmarks do: tiered JIT with dynamic PGO keeps
            // recompiling hot code for the first tens of seconds (the per-second timeline shows it climbing).
            await MeasureAsync(users, Decide, TimeSpan.FromSeconds(seconds));
            await MeasureAsync(users, Read, TimeSpan.FromSeconds(5));
            var commits = EventRateBenchmark.DurableCommits(Path.Combine(platform.DataDirectory, "baseline.db"), TimeSpan.FromSeconds(3));
            var reads = await MeasureAsync(users, Read, TimeSpan.FromSeconds(seconds));
            Console.WriteLine("  (timing decisions)");
            var admin = Client(platform, "admin@northbridge.demo");
            async Task<(long Backlog, double Age)> Outbox()
            {
                var status = await (await admin.GetAsync("/api/enterprises/admin/outbox")).ReadNodeAsync();
                return (status["backlog"]!.GetValue<long>(), status["oldestPendingAgeSeconds"]!.GetValue<double>());
            }

            using var sampling = new CancellationTokenSource();
            var samples = new List<(long Backlog, double Age)>();
            var sampler = Task.Run(async () =>
            {
                while (!sampling.IsCancellationRequested)
                {
                    samples.Add(await Outbox());
                    await Task.Delay(1000, CancellationToken.None);
                }
            });
            var decisions = await MeasureAsync(users, Decide, TimeSpan.FromSeconds(seconds));
            await sampling.CancelAsync();
            await sampler;
            var drain = Stopwatch.StartNew();
            while ((await Outbox()).Backlog > 0 && drain.Elapsed < TimeSpan.FromSeconds(120))
            {
                await Task.Delay(250);
            }

            Console.WriteLine($"booking decisions benchmark: {clients} clients over {pools.Count} pools of 8 GPUs, random 1-3 h slots over 600 days, {seconds} s each, through the gateway");
            Console.WriteLine($"  durable SQLite commits, one per operation:  {commits,8:N0} /s");
            Console.WriteLine($"  resource read through the gateway:          {reads.PerSecond,8:N0} /s   p50 {reads.P50:0.0} ms   p99 {reads.P99:0.0} ms");
            Console.WriteLine($"  booking decisions through the gateway:      {decisions.PerSecond,8:N0} /s   p50 {decisions.P50:0.0} ms   p99 {decisions.P99:0.0} ms   ({decisions.Summary})");
            Console.WriteLine($"    decisions p90 {decisions.P90:0.0} ms, max {decisions.Max:0} ms; per second: {decisions.PerSecondTimeline}");
            Console.WriteLine($"  their events (BookingChanged, to the school): outbox backlog at most {samples.Max(x => x.Backlog):N0}, oldest pending at most {samples.Max(x => x.Age):0.0} s; drained {drain.Elapsed.TotalSeconds:0.0} s after the last decision");
            Console.WriteLine($"  ratio decisions / commit baseline: {decisions.PerSecond / commits:0.00}   decisions / reads: {decisions.PerSecond / reads.PerSecond:0.00}");
            return decisions.Failures == 0 ? 0 : 1;
        }
        finally
        {
            await platform.DisposeAsync();
        }
    }

    private sealed record Result(double PerSecond, double P50, double P99, int Failures, string Summary, double P90 = 0, double Max = 0, string PerSecondTimeline = "");

    private static async Task<Result> MeasureAsync(List<HttpClient> clients, Func<HttpClient, Random, Task<HttpStatusCode>> operation, TimeSpan duration)
    {
        var latencies = new List<double>[clients.Count];
        var finishedAt = new List<double>[clients.Count];
        var statuses = new Dictionary<HttpStatusCode, int>[clients.Count];
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select(async (client, index) =>
        {
            var random = new Random(index);
            latencies[index] = [];
            finishedAt[index] = [];
            statuses[index] = [];
            while (watch.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                var status = await operation(client, random);
                latencies[index].Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                finishedAt[index].Add(watch.Elapsed.TotalSeconds);
                statuses[index][status] = statuses[index].GetValueOrDefault(status) + 1;
            }
        }));
        var elapsed = watch.Elapsed.TotalSeconds;
        var all = latencies.SelectMany(l => l).Order().ToList();
        var byStatus = statuses.SelectMany(s => s).GroupBy(s => (int)s.Key).ToDictionary(g => g.Key, g => g.Sum(s => s.Value));
        var failures = byStatus.Where(s => s.Key >= 500 || s.Key is not (200 or 201 or 409)).Sum(s => s.Value);
        var timeline = string.Join(" ", finishedAt.SelectMany(f => f).GroupBy(t => (int)t).OrderBy(g => g.Key).Select(g => g.Count()));
        return new Result(all.Count / elapsed, Percentile(all, 0.50), Percentile(all, 0.99), failures,
            string.Join(", ", byStatus.OrderBy(s => s.Key).Select(s => $"{s.Value} × {s.Key}")), Percentile(all, 0.90), all.Count == 0 ? 0 : all[^1], timeline);
    }

    private static double Percentile(List<double> sorted, double p) => sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)(p * sorted.Count))];

    private static HttpClient Client(Platform platform, string userName)
    {
        var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 4 }) { BaseAddress = platform.Gateway };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestAuth.TokenFor(userName));
        return client;
    }
}
