using CollabTraining.Gateway.Auth;
using CollabTraining.Gateway.Health;
using CollabTraining.Gateway.RateLimiting;
using CollabTraining.Gateway.Requests;
using CollabTraining.Gateway.Routing;
using Scalar.AspNetCore;

namespace CollabTraining.Gateway;

/// <summary>Marks the gateway for test hosts.</summary>
public sealed class GatewayMarker;

public static class GatewayModule
{
    public const string ServiceName = "gateway";

    /// <summary>The services behind the gateway; each is a YARP cluster and an OpenAPI document of the same name.</summary>
    public static readonly string[] Services = ["hospitals", "enterprises", "research", "school"];

    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidation();
        builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
        builder.AddRequestLimits();
        builder.AddPerUserRateLimiting();
        builder.Services.AddRequestTimeouts(o =>
        {
            o.AddPolicy("api", builder.Configuration.GetValue("Gateway:RequestTimeout", TimeSpan.FromSeconds(30)));
        });
        // A health probe must answer within its own short timeout; the default retries would only hide an outage.
#pragma warning disable EXTEXP0001
        builder.Services.AddHttpClient(DownstreamHealth.HttpClientName).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.Services.AddSingleton<DownstreamHealth>();
        builder.AddDevelopmentTokens();
        return builder;
    }

    public static WebApplication MapGateway(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestLimits();
        app.UseAuthentication();
        // Before authorisation: a flood of requests without a (valid) token is limited per address too.
        app.UseRateLimiter();
        app.UseAuthorization();
        app.UseRequestTimeouts();

        app.MapDownstreamHealth();
        app.MapDevelopmentTokens();
        app.MapScalarApiReference("/docs", o => o
            .WithTitle("CollabTraining API")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json")
            .AddDocuments(Services))
            .AllowAnonymous();
        app.MapReservedPaths();
        // The portal's route is a catch-all with the lowest priority (Order 1000, appsettings.json): anonymous here (the
        // portal signs its users in itself), without the API's timeout (a page keeps its circuit's websocket open).
        app.MapReverseProxy();
        return app;
    }
}
