using CollabTraining.Portal.Api;

namespace CollabTraining.Portal.School;

/// <summary>
/// The School's CSV exports downloaded through the portal: the browser holds no token, so the portal asks the gateway
/// with the signed-in user's (the <see cref="BearerTokenHandler"/> reads it from the request's user) and streams the file
/// back as the API wrote it, name included; a refusal comes back as the API's problem with its status.
/// </summary>
public static class SchoolExports
{
    public const string Path = "/school/exports";

    /// <summary>Each export, the API's path, and the query parameters passed on to it (anything else is dropped).</summary>
    private static readonly Dictionary<string, (string ApiPath, string[] Parameters)> Reports = new(StringComparer.Ordinal)
    {
        ["ledger"] = ("api/school/ledger", ["from", "to", "organisationId"]),
        ["utilisation"] = ("api/school/ledger/resources", ["from", "to", "organisationId"]),
        ["cohort"] = ("api/school/reports/cohort", ["roundId", "threshold"]),
    };

    /// <summary>The portal address that downloads an export (<c>ledger</c>, <c>cohort</c>) with these parameters.</summary>
    public static string Link(string report, params (string Name, object? Value)[] parameters) => ApiQuery.Of($"{Path.TrimStart('/')}/{report}.csv", parameters);

    public static IEndpointConventionBuilder MapSchoolExports(this IEndpointRouteBuilder app) =>
        app.MapGet(Path + "/{report}.csv", DownloadAsync).RequireAuthorization().ExcludeFromDescription();

    private static async Task DownloadAsync(string report, HttpContext http, IHttpClientFactory clients, CancellationToken ct)
    {
        if (!Reports.TryGetValue(report, out var export))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var query = export.Parameters.Select(p => (p, (object?)http.Request.Query[p].FirstOrDefault())).Append(("format", "csv")).ToArray();
        using var client = clients.CreateClient(nameof(GatewayClient));
        HttpResponseMessage response;
        try
        {
            response = await client.GetAsync(ApiQuery.Of(export.ApiPath, query), HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or Polly.ExecutionRejectedException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
        {
            await TypedResults.Problem(title: "The export is not available right now.", detail: "The gateway did not answer; try again in a moment.",
                statusCode: StatusCodes.Status503ServiceUnavailable).ExecuteAsync(http);
            return;
        }

        using var _ = response;
        if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
        {
            // The session outlived the token: sign in again and come back to the same download.
            var back = http.Request.Path + http.Request.QueryString;
            http.Response.Redirect($"/signin?expired=true&returnUrl={Uri.EscapeDataString(back)}");
            return;
        }

        // A ledger or a cohort report is one party's private data: no cache keeps a copy.
        http.Response.Headers.CacheControl = "no-store";
        http.Response.StatusCode = (int)response.StatusCode;
        http.Response.ContentType = response.Content.Headers.ContentType?.ToString() ?? "text/csv";
        if (response.Content.Headers.ContentDisposition is { } disposition)
        {
            http.Response.Headers.ContentDisposition = disposition.ToString();
        }

        await using var body = await response.Content.ReadAsStreamAsync(ct);
        await body.CopyToAsync(http.Response.Body, ct);
    }
}
