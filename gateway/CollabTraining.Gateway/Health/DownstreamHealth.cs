using System.Diagnostics;
using System.Text.Json;
using Yarp.ReverseProxy;

namespace CollabTraining.Gateway.Health;

/// <summary>One destination's readiness. Anonymous callers read it, so it names no address and no exception text.</summary>
public sealed record DestinationHealth(string Destination, string Status, long ElapsedMs, string? Detail);

public sealed record ServiceHealth(string Service, string Status, IReadOnlyList<DestinationHealth> Destinations);

public sealed record PlatformHealth(string Status, IReadOnlyList<ServiceHealth> Services);

/// <summary>Asks every destination of every cluster for its readiness, in parallel, and sums it up.</summary>
public sealed class DownstreamHealth(IProxyStateLookup proxy, IHttpClientFactory clients)
{
    public const string HttpClientName = "downstream-health";

    public async Task<PlatformHealth> CheckAsync(CancellationToken cancellationToken)
    {
        var probes = proxy.GetClusters()
            .Select(async cluster =>
            {
                var destinations = await Task.WhenAll(cluster.Destinations.Select(d =>
                    ProbeAsync(d.Key, d.Value.Model.Config.Address, cancellationToken)));
                var status = destinations.Length > 0 && destinations.Any(d => d.Status == "Healthy") ? "Healthy" : "Unhealthy";
                return new ServiceHealth(cluster.ClusterId, status, destinations);
            });
        var services = (await Task.WhenAll(probes)).OrderBy(s => s.Service, StringComparer.Ordinal).ToList();
        return new PlatformHealth(services.All(s => s.Status == "Healthy") ? "Healthy" : "Unhealthy", services);
    }

    private async Task<DestinationHealth> ProbeAsync(string name, string address, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            using var response = await clients.CreateClient(HttpClientName)
                .GetAsync(new Uri(new Uri(address), "/health/ready"), timeout.Token);
            var body = await response.Content.ReadAsStringAsync(timeout.Token);
            return new DestinationHealth(name, response.IsSuccessStatusCode ? "Healthy" : "Unhealthy", watch.ElapsedMilliseconds,
                response.IsSuccessStatusCode ? null : Summarise(body));
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return new DestinationHealth(name, "Unreachable", watch.ElapsedMilliseconds,
                ex is OperationCanceledException ? "no answer within 3 s" : "the service did not accept the connection");
        }
    }

    private static string Summarise(string body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            return string.Join("; ", json.RootElement.GetProperty("checks").EnumerateObject()
                .Where(c => c.Value.GetProperty("status").GetString() != "Healthy")
                .Select(c => $"{c.Name}: {c.Value.GetProperty("status").GetString()}"));
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return "the service's health report could not be read";
        }
    }
}

public static class DownstreamHealthEndpoints
{
    /// <summary><c>/health</c>: 200 when every service is ready, 503 naming the ones that are not.</summary>
    public static void MapDownstreamHealth(this WebApplication app)
    {
        app.MapGet("/health", async Task<IResult> (DownstreamHealth health, CancellationToken ct) =>
            {
                var report = await health.CheckAsync(ct);
                return report.Status == "Healthy"
                    ? TypedResults.Ok(report)
                    : TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable);
            })
            .AllowAnonymous()
            .DisableRateLimiting()
            .WithName("PlatformHealth")
            .ExcludeFromDescription();
        app.MapGet("/health/live", () => TypedResults.Ok(new { status = "Healthy" })).AllowAnonymous().ExcludeFromDescription();
    }
}
