using CollabTraining.Domain;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Yarp.ReverseProxy.Model;

namespace CollabTraining.Gateway.Requests;

/// <summary>Settings under <c>Gateway:Limits</c>: what one request may carry before the gateway refuses it.</summary>
public sealed class RequestLimitOptions
{
    /// <summary>The request target (path and query), in characters; longer is a 414.</summary>
    public int MaxRequestTarget { get; set; } = 8 * 1024;

    /// <summary>All header names and values together, in characters; more is a 431.</summary>
    public int MaxHeadersTotal { get; set; } = 32 * 1024;

    /// <summary>How many headers; more is a 431.</summary>
    public int MaxHeaderCount { get; set; } = 100;
}

/// <summary>
/// The gateway's own refusals of oversized or malformed requests, as problem details like every other error.
/// Kestrel would refuse them itself, before any middleware and with an empty body, so its hard limits are
/// set well above these and this middleware applies the real ones: a 414 for a long target, a 431 for too
/// many or too large headers, a 400 for a control character in the path, a 413 for a body that declares more than its
/// route takes (rather than leaving it to Kestrel in the middle of proxying). (An encoded NUL, <c>%00</c>, is the one
/// exception: Kestrel refuses it while parsing the request line, with an empty 400, before any application
/// code can run; there is no hook to give that refusal a body.)
/// </summary>
public static class RequestLimits
{
    /// <summary>How far above the gateway's limits Kestrel's own hard limits sit.</summary>
    private const int KestrelHeadroom = 8;

    public static WebApplicationBuilder AddRequestLimits(this WebApplicationBuilder builder)
    {
        var limits = builder.Configuration.GetSection("Gateway:Limits").Get<RequestLimitOptions>() ?? new RequestLimitOptions();
        builder.Services.AddSingleton(limits);
        builder.Services.Configure<KestrelServerOptions>(k =>
        {
            k.Limits.MaxRequestLineSize = Math.Max(k.Limits.MaxRequestLineSize, limits.MaxRequestTarget * KestrelHeadroom);
            k.Limits.MaxRequestHeadersTotalSize = Math.Max(k.Limits.MaxRequestHeadersTotalSize, limits.MaxHeadersTotal * KestrelHeadroom);
            k.Limits.MaxRequestHeaderCount = Math.Max(k.Limits.MaxRequestHeaderCount, limits.MaxHeaderCount * KestrelHeadroom);
        });
        return builder;
    }

    /// <summary>The largest refused body the gateway still reads to the end so the client hears the 413 (64 MiB).</summary>
    private const long MaxDrainedBody = 64L * 1024 * 1024;

    public static IApplicationBuilder UseRequestLimits(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var limits = context.RequestServices.GetRequiredService<RequestLimitOptions>();
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path + context.Request.QueryString;
        var refusal = target.Length > limits.MaxRequestTarget
            ? (StatusCodes.Status414UriTooLong, "The address is too long.", $"The path and query may be at most {limits.MaxRequestTarget} characters; this one has {target.Length}.")
            : context.Request.Headers.Count > limits.MaxHeaderCount
                ? (StatusCodes.Status431RequestHeaderFieldsTooLarge, "Too many headers.", $"A request may carry at most {limits.MaxHeaderCount} headers.")
                : HeadersSize(context.Request.Headers) > limits.MaxHeadersTotal
                    ? (StatusCodes.Status431RequestHeaderFieldsTooLarge, "The headers are too large.", $"All headers together may be at most {limits.MaxHeadersTotal} characters.")
                    : HasControlCharacter(context.Request.Path.Value)
                        ? (StatusCodes.Status400BadRequest, "The request is malformed.", "The path holds a control or invisible formatting character, which no address here contains.")
                        : BodyLimit(context) is { } limit && context.Request.ContentLength > limit
                            ? (StatusCodes.Status413PayloadTooLarge, "The request body is too large.", $"This address takes a body of at most {limit} bytes; this one declares {context.Request.ContentLength}.")
                            : ((int Status, string Title, string Detail)?)null;
        if (refusal is not { } r)
        {
            await next(context);
            return;
        }

        // A body refused unread is still on its way: let Kestrel drain a modest one after the answer (instead of
        // cutting the connection at its own limit mid-upload, which the client sees as a broken pipe, not a 413).
        if (r.Status == StatusCodes.Status413PayloadTooLarge && context.Request.ContentLength <= MaxDrainedBody
            && context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodyLimit)
        {
            bodyLimit.MaxRequestBodySize = context.Request.ContentLength;
        }

        context.Response.StatusCode = r.Status;
        await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = r.Status, Title = r.Title, Detail = r.Detail },
        });
    });

    /// <summary>
    /// The body limit for the request's route: its <c>MaxRequestBodySize</c> (YARP sets it on the request only once the
    /// proxy runs, which lets a route such as the showcase upload go above Kestrel's global 1 MiB), else Kestrel's. A
    /// body that declares more is refused here as a problem; one that only turns out larger while streaming is cut off
    /// by Kestrel at the same limit.
    /// </summary>
    private static long? BodyLimit(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>()?.Config.MaxRequestBodySize is { } routeLimit
            ? routeLimit < 0 ? null : routeLimit
            : context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;

    private static long HeadersSize(IHeaderDictionary headers) =>
        headers.Sum(h => (long)h.Key.Length + h.Value.Sum(v => v?.Length ?? 0));

    /// <summary>No address holds a control character, not even the line breaks free text may hold.</summary>
    private static bool HasControlCharacter(string? path) => path is not null && path.Any(c => char.IsControl(c) || PlainText.IsForbidden(c));
}
