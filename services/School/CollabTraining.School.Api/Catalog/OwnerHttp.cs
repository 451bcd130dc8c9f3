using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace CollabTraining.School.Catalog;

/// <summary>
/// Settings under <c>Owners:Resilience</c>: how long the school waits for an owner's availability answer. A
/// search waits for its slowest owner, so every bound is short: a catalog page that says "unknown" at once is
/// worth more than one that is right after half a minute.
/// </summary>
public sealed class OwnerResilienceOptions
{
    public const string Section = OwnerAvailabilityClient.Section + ":Resilience";

    /// <summary>One attempt's limit.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The limit over all attempts and the waits between them.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries after a transient failure (a 5xx, 408, 429, a network error or an attempt timing out); 0 for none.</summary>
    public int Retries { get; set; } = 2;

    /// <summary>The first wait before a retry; it doubles (with jitter) each time.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    public int BreakerMinimumThroughput { get; set; } = 5;

    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>How long the school stops asking an owner that kept failing (each owner has its own breaker).</summary>
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}

public static class OwnerHttp
{
    /// <summary>
    /// The HTTP client the catalog asks owners with. The platform's default resilience handler is replaced by
    /// one sized for an interactive search: total timeout, retry, a circuit breaker per owner (by authority, so
    /// one owner's outage never stops the school asking the other) and a per-attempt timeout.
    /// </summary>
    public static IServiceCollection AddOwnerAvailability(this IServiceCollection services)
    {
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers / SelectPipelineBy may be marked experimental in some versions.
        services.AddHttpClient(OwnerAvailabilityClient.HttpClientName, http => http.MaxResponseContentBufferSize = 1024 * 1024)
            .RemoveAllResilienceHandlers()
            .AddResilienceHandler("owners", (pipeline, context) =>
            {
                var options = context.ServiceProvider.GetRequiredService<IConfiguration>().GetSection(OwnerResilienceOptions.Section).Get<OwnerResilienceOptions>()
                    ?? new OwnerResilienceOptions();
                pipeline.AddTimeout(options.TotalTimeout);
                if (options.Retries > 0)
                {
                    pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        MaxRetryAttempts = options.Retries,
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true,
                        Delay = options.RetryDelay,
                    });
                }

                pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    SamplingDuration = options.BreakerSamplingDuration,
                    MinimumThroughput = options.BreakerMinimumThroughput,
                    FailureRatio = options.BreakerFailureRatio,
                    BreakDuration = options.BreakDuration,
                });
                pipeline.AddTimeout(options.AttemptTimeout);
            })
            .SelectPipelineBy(_ => request => request.RequestUri?.Authority ?? string.Empty);
#pragma warning restore EXTEXP0001
        services.AddScoped<OwnerAvailabilityClient>();
        return services;
    }
}
