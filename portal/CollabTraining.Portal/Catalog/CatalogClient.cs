using CollabTraining.Portal.Api;

namespace CollabTraining.Portal.Catalog;

public sealed record PlacementRequirements(int MinimumStudyYear, IReadOnlyList<string> RequiredQualifications, IReadOnlyList<string> AllowedProgrammes);

/// <summary>A placement offer as the school's catalog lists it (<c>GET /api/school/catalog/placements</c>).</summary>
public sealed record CatalogPlacement(
    Guid Id, Guid HospitalId, string HospitalName, string Department, string Specialty, string Title,
    DateOnly StartsOn, DateOnly EndsOn, int Seats, PlacementRequirements Requirements, bool Withdrawn, bool Closed);

/// <summary>A shared resource or an engineering mentor (<c>GET /api/school/catalog/resources</c>); fields that do not apply to the kind are empty.</summary>
public sealed record CatalogEntry(
    string Kind, Guid Id, string Service, Guid OwnerId, string OwnerName, string Name, string? Description, string? Model, int? Capacity,
    IReadOnlyList<string> RequiredQualifications, bool ApprovalRequired, IReadOnlyList<string> Expertise, int? ProjectCapacity);

public sealed record Organisation(Guid Id, string Name);

/// <summary>What the user filters placements by.</summary>
public sealed record PlacementFilter(string? Search = null, string? Specialty = null, Guid? HospitalId = null, DateOnly? From = null, DateOnly? To = null, bool IncludeWithdrawn = false);

/// <summary>What the user filters resources or mentors by; <see cref="Kind"/> <c>resource</c> means every kind of resource, no mentors.</summary>
public sealed record ResourceFilter(string Kind, string? Search = null, Guid? OwnerId = null);

/// <summary>The shared catalog's API (served by the School through the gateway) and the partner lists its filters offer.</summary>
public sealed class CatalogClient(GatewayClient gateway)
{
    public const string AnyResource = "resource";
    public const string Mentor = "mentor";

    /// <summary>The kinds of resource, as the API names them.</summary>
    public static readonly IReadOnlyList<string> ResourceKinds = ["computePool", "device", "equipment"];

    public Task<ApiResult<ApiPage<CatalogPlacement>>> PlacementsAsync(PlacementFilter filter, int page, int pageSize, CancellationToken cancellationToken) =>
        gateway.GetAsync<ApiPage<CatalogPlacement>>(ApiQuery.Of("api/school/catalog/placements",
            ("q", filter.Search), ("specialty", filter.Specialty), ("hospitalId", filter.HospitalId), ("from", filter.From), ("to", filter.To),
            ("includeWithdrawn", filter.IncludeWithdrawn ? true : null), ("page", page), ("pageSize", pageSize)), cancellationToken);

    public Task<ApiResult<ApiPage<CatalogEntry>>> ResourcesAsync(ResourceFilter filter, int page, int pageSize, CancellationToken cancellationToken) =>
        gateway.GetAsync<ApiPage<CatalogEntry>>(ApiQuery.Of("api/school/catalog/resources",
            ("kind", filter.Kind), ("q", filter.Search), ("ownerId", filter.OwnerId), ("page", page), ("pageSize", pageSize)), cancellationToken);

    public Task<ApiResult<List<Organisation>>> HospitalsAsync(CancellationToken cancellationToken) =>
        gateway.GetAsync<List<Organisation>>("api/hospitals/hospitals", cancellationToken);

    /// <summary>Enterprises and institutes: the organisations that share resources and engineering mentors.</summary>
    public async Task<List<Organisation>> ResourceOwnersAsync(CancellationToken cancellationToken)
    {
        var lists = await Task.WhenAll(
            gateway.GetAsync<List<Organisation>>("api/enterprises/enterprises", cancellationToken),
            gateway.GetAsync<List<Organisation>>("api/research/institutes", cancellationToken));
        return [.. lists.Where(l => l.Succeeded).SelectMany(l => l.Value!).OrderBy(o => o.Name, StringComparer.CurrentCulture)];
    }
}
