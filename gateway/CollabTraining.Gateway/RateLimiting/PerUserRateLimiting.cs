using System.Globalization;
using System.Net;
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

    /// <summary>
    /// Addresses of proxies that sign users in on their behalf (the web portal): a sign-in from one of them counts against
    /// the address it names last in <c>X-Forwarded-For</c> (the browser's), not against the proxy's. Anyone else's
    /// <c>X-Forwarded-For</c> is ignored, so a client cannot pick its own partition.
    /// </summary>
    public IList<string> TrustedProxies { get; } = [];
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
            var trusted = options.TrustedProxies.Select(IPAddress.Parse).Select(Normalise).ToHashSet();
            limiter.AddPolicy(SignInPolicyName, http => RateLimitPartition.GetFixedWindowLimiter(
                "sign-in:" + SignInClient(http, trusted),
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

    /// <summary>Whose sign-in this is: the connection's address, or the browser's when a trusted proxy forwards it.</summary>
    public static IPAddress? SignInClient(HttpContext http, IReadOnlySet<IPAddress> trustedProxies)
    {
        var remote = http.Connection.RemoteIpAddress is { } address ? Normalise(address) : null;
        if (remote is null || !trustedProxies.Contains(remote))
        {
            return remote;
        }

        var forwarded = http.Request.Headers["X-Forwarded-For"].ToString().Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return forwarded.Length > 0 && IPAddress.TryParse(forwarded[^1], out var browser) ? Normalise(browser) : remote;
    }

    private static IPAddress Normalise(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
