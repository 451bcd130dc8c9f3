namespace CollabTraining.Gateway.Routing;

/// <summary>
/// The gateway's own address spaces. Everything else goes to the web portal (a catch-all route with the lowest priority),
/// so an unknown address under one of these would otherwise reach the portal and come back as a page: it is a 404
/// problem here instead, and the portal never answers for the API, sign-in, health or the API reference.
/// </summary>
public static class ReservedPaths
{
    public static readonly IReadOnlyList<string> Prefixes = ["api", "auth", "health", "docs", "openapi"];

    /// <summary>Below every route the gateway maps or proxies under these prefixes, above the portal's catch-all (1000).</summary>
    public const int Order = 500;

    public static void MapReservedPaths(this WebApplication app)
    {
        foreach (var prefix in Prefixes)
        {
            app.Map($"/{prefix}/{{**rest}}", (HttpContext http) => TypedResults.Problem(
                    title: "No such address.",
                    detail: $"Nothing answers at {http.Request.Method} {http.Request.Path}.",
                    statusCode: StatusCodes.Status404NotFound))
                .WithOrder(Order)
                .AllowAnonymous()
                .DisableRateLimiting()
                .ExcludeFromDescription();
        }
    }
}
