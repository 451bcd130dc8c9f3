using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.Extensions.Http.Resilience;

namespace CollabTraining.Portal.Api;

public static class GatewayClientSetup
{
    /// <summary>The typed <see cref="GatewayClient"/> with the user's token, retrying only requests that are safe to repeat.</summary>
    public static WebApplicationBuilder AddGatewayClient(this WebApplicationBuilder builder, PortalOptions options)
    {
        builder.Services.AddHttpContextAccessor();
        builder.Services.AddSingleton<CircuitServicesAccessor>();
        builder.Services.AddScoped<CircuitHandler, CircuitServicesHandler>();
        builder.Services.AddTransient<BearerTokenHandler>();
#pragma warning disable EXTEXP0001 // the shared defaults' handler retries every method; a POST must not be sent twice
        builder.Services.AddHttpClient<GatewayClient>(c => c.BaseAddress = options.Gateway)
            .AddHttpMessageHandler<BearerTokenHandler>()
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(o =>
            {
                o.Retry.DisableForUnsafeHttpMethods();
                // An import of a large register or a match at scale runs for longer than the defaults' 10 s attempt:
                // the gateway's own route timeouts decide, and the page shows its progress meanwhile.
                o.AttemptTimeout.Timeout = TimeSpan.FromMinutes(3);
                o.TotalRequestTimeout.Timeout = TimeSpan.FromMinutes(5);
                o.CircuitBreaker.SamplingDuration = TimeSpan.FromMinutes(6);
            });
#pragma warning restore EXTEXP0001
        return builder;
    }
}
