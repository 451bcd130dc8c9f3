using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CollabTraining.Contracts.Sharing;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace CollabTraining.School.Catalog;

/// <summary>One resource's free units over a window, as its owner answers (<c>GET /api/{service}/resources/availability</c>).</summary>
public sealed record OwnerAvailability(Guid ResourceId, int Capacity, int FreeUnits);

/// <summary>What one owner said: the resources it reported on, or why its answer is unknown.</summary>
public sealed record OwnerAnswer(IReadOnlyDictionary<Guid, OwnerAvailability> Resources, string? Failure)
{
    public static OwnerAnswer Failed(string reason) => new(new Dictionary<Guid, OwnerAvailability>(), reason);
}

/// <summary>
/// Asks the owning services (enterprises, research) how much of their resources is free over a window. The
/// catalog keeps copies of the resources but never of their calendars, which change with every booking; so a
/// search over a window asks the owners live, with the caller's token, and an owner that is slow, down or
/// answering nonsense costs its own resources an "unknown" mark and never the page (see <see cref="OwnerHttp"/>).
/// </summary>
public sealed partial class OwnerAvailabilityClient(IHttpClientFactory clients, IConfiguration configuration, ILogger<OwnerAvailabilityClient> logger)
{
    /// <summary>The named HTTP client; tests replace its primary handler.</summary>
    public const string HttpClientName = "school-owners";

    /// <summary>Owners' base addresses are read from <c>Owners:{service}</c> (absolute http(s) URIs).</summary>
    public const string Section = "Owners";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<OwnerAnswer> AskAsync(
        string service, IReadOnlyCollection<Guid> resourceIds, DateTimeOffset from, DateTimeOffset to, string? authorization, CancellationToken cancellationToken)
    {
        if (service is not (ResourceOwners.Enterprises or ResourceOwners.Research))
        {
            return OwnerAnswer.Failed($"The school does not know the owning service '{service}'.");
        }

        if (!Uri.TryCreate(configuration[$"{Section}:{service}"], UriKind.Absolute, out var baseAddress)
            || (baseAddress.Scheme != Uri.UriSchemeHttp && baseAddress.Scheme != Uri.UriSchemeHttps))
        {
            return OwnerAnswer.Failed("The school has no address for this owner, so it cannot ask it.");
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, AvailabilityUri(baseAddress, service, resourceIds, from, to));
        if (!string.IsNullOrWhiteSpace(authorization))
        {
            _ = request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        try
        {
            // The body is read inside SendAsync (ResponseContentRead), so the pipeline's timeouts cover it too.
            using var response = await clients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return Failed(service, $"The owner could not answer (HTTP {(int)response.StatusCode}).");
            }

            var answers = await response.Content.ReadFromJsonAsync<List<OwnerAvailability>>(Json, cancellationToken);
            if (answers is null || answers.Any(a => a is null))
            {
                return Failed(service, "The owner's answer could not be read.");
            }

            return new OwnerAnswer(answers.GroupBy(a => a.ResourceId).ToDictionary(g => g.Key, g => g.First()), null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutRejectedException ex)
        {
            return Failed(service, "The owner did not answer in time.", ex);
        }
        catch (BrokenCircuitException ex)
        {
            return Failed(service, "The owner has been failing; the school pauses asking it for a few seconds.", ex);
        }
        catch (JsonException ex)
        {
            return Failed(service, "The owner's answer could not be read.", ex);
        }
        catch (Exception ex)
        {
            return Failed(service, "The owner could not be reached.", ex);
        }
    }

    private static Uri AvailabilityUri(Uri baseAddress, string service, IReadOnlyCollection<Guid> resourceIds, DateTimeOffset from, DateTimeOffset to)
    {
        // A base address with a path (a gateway prefix) keeps it: resolve against it as a directory.
        var root = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
        var query = new StringBuilder()
            .Append("from=").Append(Uri.EscapeDataString(from.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)))
            .Append("&to=").Append(Uri.EscapeDataString(to.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)));
        foreach (var id in resourceIds)
        {
            query.Append("&ids=").Append(id.ToString("D", CultureInfo.InvariantCulture));
        }

        return new Uri(root, $"api/{Uri.EscapeDataString(service)}/resources/availability?{query}");
    }

    private OwnerAnswer Failed(string service, string reason, Exception? exception = null)
    {
        LogOwnerFailed(logger, service, reason, exception);
        return OwnerAnswer.Failed(reason);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Availability from {Service} is unknown: {Reason}")]
    private static partial void LogOwnerFailed(ILogger logger, string service, string reason, Exception? exception);
}
