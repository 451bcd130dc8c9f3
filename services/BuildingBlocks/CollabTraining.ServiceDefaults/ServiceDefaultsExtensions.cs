using System.Text.Json;
using CollabTraining.ServiceDefaults.Http;
using CollabTraining.ServiceDefaults.Problems;
using CollabTraining.ServiceDefaults.Security;
using CollabTraining.ServiceDefaults.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace CollabTraining.ServiceDefaults;

public static class ServiceDefaultsExtensions
{
    /// <summary>What every service and the gateway share: telemetry, health, problem details, authentication, OpenAPI, resilient HTTP clients.</summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, string serviceName)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.AddPlatformTelemetry(serviceName);
        builder.AddPlatformProblemDetails();
        builder.AddPlatformAuthentication();
        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), tags: ["live"]);
        builder.Services.AddOpenApi(o => o.AddOperationTransformer(OperationDescriptions.Describe));
        builder.Services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 1024 * 1024);
        return builder;
    }

    /// <summary>
    /// The shared middleware and endpoints: errors, authentication, <c>/openapi/v1.json</c>, and three health
    /// endpoints: <c>/health/live</c> (the process answers), <c>/health/ready</c> (database and broker: what
    /// operators and orchestrators watch) and <c>/health/serving</c> (database only: what the gateway routes
    /// on, because a broker outage must not take the API offline while the outbox keeps accepting writes).
    /// </summary>
    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UsePlainTextQueries();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapPlatformHealth();
        app.MapOpenApi().AllowAnonymous();
        return app;
    }

    /// <summary>The three health endpoints every process behind the gateway answers (see <see cref="MapServiceDefaults"/>).</summary>
    public static WebApplication MapPlatformHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = c => c.Tags.Contains("live"), ResponseWriter = WriteHealth })
            .AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteHealth })
            .AllowAnonymous();
        app.MapHealthChecks("/health/serving", new HealthCheckOptions { Predicate = c => c.Tags.Contains("serving"), ResponseWriter = WriteHealth })
            .AllowAnonymous();
        return app;
    }

    private static Task WriteHealth(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description ?? e.Value.Exception?.Message }),
        }, cancellationToken: context.RequestAborted);
    }
}
