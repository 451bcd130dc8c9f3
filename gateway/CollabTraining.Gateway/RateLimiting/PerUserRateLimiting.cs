using System.Globalization;
using System.Threading.RateLimiting;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.AspNetCore.RateLimiting;

namespace CollabTraining.Gateway.RateLimiting;

/// <summary>Settings under <c>Gateway:RateLimit</c>: how many requests one user may make per window.</summary>
public sealed class RateLimitOptions
{
    public int PermitLimit { get; set; } = 200;

    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many sign-ins (<c>POST /auth/token</c>) one client address may make per <see cref="SignInWindow"/>.</summary>
    public int SignInPermitLimit { get; set; } = 30;

    public TimeSpan SignInWindow { get; set; } = TimeSpan.FromMinutes(1);
}

public static class PerUserRateLimiting
{
    public const string PolicyName = "per-user";

    /// <summary>Sign-ins per client address: the development issuer must not be a free token mint.</summary>
    public const string SignInPolicyName = "sign-in";

    /// <summary>
    /// A fixed window per signed-in user (per client address before sign-in). A refused request gets a 429
    /// problem with Retry-After, so a client knows when to come back.
    /// </summary>
    public static WebApplicationBuilder AddPerUserRateLimiting(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Gateway:RateLimit").Get<RateLimitOptions>() ?? new RateLimitOptions();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(PolicyName, http =>
            {
                var user = http.User.FindFirst(PlatformClaims.UserId)?.Value;
                var key = user is not null ? "user:" + user : "ip:" + http.Connection.RemoteIpAddress;
                return RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.PermitLimit,
                    Window = options.Window,
                    QueueLimit = 0,
                });
            });
            limiter.AddPolicy(SignInPolicyName, http => RateLimitPartition.GetFixedWindowLimiter(
                "sign-in:" + http.Connection.RemoteIpAddress,
                _ => new FixedWindowRateLimiterOptions { PermitLimit = options.SignInPermitLimit, Window = options.SignInWindow, QueueLimit = 0 }));
            limiter.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : options.Window;
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                var http = context.HttpContext;
                http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = http,
                    ProblemDetails =
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests.",
                        Detail = $"Too many requests from you in a short time; try again in {seconds} s.",
                    },
                });
            };
        });
        return builder;
    }
}
