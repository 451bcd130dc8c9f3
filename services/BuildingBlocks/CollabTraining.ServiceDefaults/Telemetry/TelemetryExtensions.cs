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
                })
                .AddHttpClientInstrumentation())
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
