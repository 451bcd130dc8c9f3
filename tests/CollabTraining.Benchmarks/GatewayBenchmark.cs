using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using CollabTraining.Tests.EndToEnd;

namespace CollabTraining.Benchmarks;

/// <summary>
/// wrk against the School catalog directly and through the gateway, in the same run, with the same token,
/// threads, connections and duration; prints requests/s, p99 and the gateway/direct ratio.
/// </summary>
public static partial class GatewayBenchmark
{
    public static async Task<int> RunAsync(int seconds, int connections)
    {
        if (!File.Exists("/usr/bin/wrk"))
        {
            Console.Error.WriteLine("wrk is not installed: apt-get install -y wrk");
            return 1;
        }

        var platform = new Platform { PermitLimit = 10_000_000 };
        await platform.InitializeAsync();
        try
        {
            await EventsBenchmark.PlatformPipelineAsync(platform, 200);
            using var client = await platform.SignInAsync("student010@northbridge.demo");
            var token = client.DefaultRequestHeaders.Authorization!.Parameter!;
            const string path = "/api/school/catalog/placements?pageSize=20";

            // Warm both paths so JIT and connection pools do not count against either.
            var directUrl = new Uri(platform.ServiceAddress("school"), path).ToString();
            var gatewayUrl = new Uri(platform.Gateway, path).ToString();
            await RunWrkAsync(directUrl, token, 3, connections);
            await RunWrkAsync(gatewayUrl, token, 3, connections);

            // Alternate the two, twice each, so drift in the machine's load falls on both alike.
            var runs = new List<(WrkResult Direct, WrkResult Gateway)>();
            for (var i = 0; i < 2; i++)
            {
                runs.Add((await RunWrkAsync(directUrl, token, seconds, connections), await RunWrkAsync(gatewayUrl, token, seconds, connections)));
            }

            var direct = new WrkResult(runs.Average(r => r.Direct.RequestsPerSecond), string.Join(" / ", runs.Select(r => r.Direct.P99)));
            var gateway = new WrkResult(runs.Average(r => r.Gateway.RequestsPerSecond), string.Join(" / ", runs.Select(r => r.Gateway.P99)));
            Console.WriteLine($"gateway benchmark: GET {path} (20 of 200 offers), {connections} connections, 2 threads, 2 x {seconds} s each, alternating");
            Console.WriteLine($"  direct to School:  {direct.RequestsPerSecond,10:N0} req/s   p99 {direct.P99}");
            Console.WriteLine($"  through gateway:   {gateway.RequestsPerSecond,10:N0} req/s   p99 {gateway.P99}");
            Console.WriteLine($"  ratio gateway / direct (throughput): {gateway.RequestsPerSecond / direct.RequestsPerSecond:0.000}");
            return 0;
        }
        finally
        {
            await platform.DisposeAsync();
        }
    }

    private sealed record WrkResult(double RequestsPerSecond, string P99);

    private static async Task<WrkResult> RunWrkAsync(string url, string token, int seconds, int connections)
    {
        var start = new ProcessStartInfo("wrk", ["-t2", $"-c{connections}", $"-d{seconds}s", "--latency", "-H", $"Authorization: Bearer {token}", url])
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var wrk = Process.Start(start)!;
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        var rps = RequestsPerSecond().Match(output);
        var p99 = P99().Match(output);
        if (!rps.Success || output.Contains("Non-2xx", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("wrk did not measure successful requests:\n" + output);
        }

        return new WrkResult(double.Parse(rps.Groups[1].Value, CultureInfo.InvariantCulture), p99.Success ? p99.Groups[1].Value : "?");
    }

    [GeneratedRegex(@"Requests/sec:\s+([0-9.]+)")]
    private static partial Regex RequestsPerSecond();

    [GeneratedRegex(@"99%\s+([0-9.]+\w+)")]
    private static partial Regex P99();
}
