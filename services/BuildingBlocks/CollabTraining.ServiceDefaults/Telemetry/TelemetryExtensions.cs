using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace CollabTraining.ServiceDefaults.Telemetry;

public static class TelemetryExtensions
{
    /// <summary>The activity source and meter name of the platform's own instrumentation.</summary>
    public const string SourceName = "CollabTraining";

    public static readonly ActivitySource ActivitySource = new(SourceName);

    /// <summary>
    /// Traces (ASP.NET Core, HttpClient, MassTransit, YARP, the outbox; EF Core where a service has a database),
    /// metrics and logs for one
    /// process; exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set, so a process without a collector
    /// pays nothing for export.
    /// </summary>
    public static IHostApplicationBuilder AddPlatformTelemetry(this IHostApplicationBuilder builder, string serviceName)
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing
                .AddSource(SourceName)
                .AddSource("MassTransit")
                .AddSource("Yarp.ReverseProxy")
                .AddAspNetCoreInstrumentation(o =>
                {
                    // Health probes every few seconds would drown the traces people look for.
                    o.Filter = ctx => !ctx.Request.Path.StartsWithSegments("/health");
                    o.EnrichWithHttpRequest = (activity, request) =>
                    {
                        if (Secrets.Redact(request.Path.Value) is { } path)
                        {
                            activity.SetTag("url.path", path);
                            activity.DisplayName = $"{request.Method} {path}";
                        }
                    };
                })
                .AddHttpClientInstrumentation(o => o.EnrichWithHttpRequestMessage = (activity, request) =>
                {
                    if (Secrets.Redact(request.RequestUri?.ToString()) is { } url)
                    {
                        activity.SetTag("url.full", url);
                    }
                }))
            .WithMetrics(metrics => metrics
                .AddMeter(SourceName)
                .AddMeter("MassTransit")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation());

        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.UseOtlpExporter();
        }

        return builder;
    }
}

/// <summary>
/// Calendar feed addresses carry their secret in the path (calendar clients cannot send a token): traces must not
/// keep it, or anyone who can read them could subscribe to someone's calendar.
/// </summary>
public static partial class Secrets
{
    /// <summary>The path or URL with each feed secret replaced by <c>{secret}</c>; null when it holds none.</summary>
    public static string? Redact(string? pathOrUrl) =>
        pathOrUrl is not null && FeedSecret().IsMatch(pathOrUrl) ? FeedSecret().Replace(pathOrUrl, "/feeds/{secret}") : null;

    [System.Text.RegularExpressions.GeneratedRegex("/feeds/[0-9a-fA-F]{64}")]
    private static partial System.Text.RegularExpressions.Regex FeedSecret();
}
