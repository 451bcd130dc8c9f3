using CollabTraining.School.Data;
using CollabTraining.School.Notifications;
using CollabTraining.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Catalog;

/// <summary>
/// One entry of the shared-resource catalog: a resource (compute pool, device, equipment) or an engineering
/// mentor. Fields that do not apply to the kind are null or empty.
/// </summary>
public sealed record CatalogResourceResponse(
    string Kind,
    Guid Id,
    string Service,
    Guid OwnerId,
    string OwnerName,
    string Name,
    string? Description,
    string? Model,
    int? Capacity,
    IReadOnlyList<string> RequiredQualifications,
    bool ApprovalRequired,
    double? MaximumHours,
    string? TimeZone,
    IReadOnlyList<string> Expertise,
    int? ProjectCapacity,
    ResourceAvailability? Availability);

public static class ResourceCatalogApi
{
    public const string MentorKind = "mentor";

    /// <summary>Every kind of resource and no mentors (the portal's resources tab).</summary>
    public const string AnyResourceKind = "resource";

    /// <summary>The kinds a search may ask for: the owners' resource kinds, mentors, or any resource.</summary>
    public static readonly IReadOnlyList<string> Kinds = ["computePool", "device", "equipment", MentorKind, AnyResourceKind];

    /// <summary>The longest window availability is asked for: owners compute it booking by booking.</summary>
    public static readonly TimeSpan LongestWindow = TimeSpan.FromDays(31);

    public static void MapResourceCatalogApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(SchoolModule.RoutePrefix + "/catalog").WithTags("Catalog");
        group.MapGet("/resources", SearchResources).WithName("SearchCatalogResources")
            .WithSummary("Compute pools, devices, equipment and engineering mentors the partners share, filtered and paged")
            .WithDescription("With `from` and `to` (at most 31 days apart) each resource on the page carries its availability, asked of its owner "
                + "at once; an owner that does not answer in time marks its resources unavailable with the reason, the page still answers. "
                + "Resources come first, then mentors, each by name.");
    }

    /// <param name="kind">computePool, device, equipment, mentor, or resource (every kind of resource, no mentors).</param>
    /// <param name="q">Free text matched against name, description, model and owner (for mentors: name, organisation and expertise).</param>
    /// <param name="ownerId">Only this organisation's resources and mentors.</param>
    /// <param name="from">With <paramref name="to"/>: the window to report availability over.</param>
    /// <param name="to">End of the window (after <paramref name="from"/>).</param>
    /// <param name="units">Units wanted: each resource's availability says whether that many are free.</param>
    public static async Task<Results<Ok<Page<CatalogResourceResponse>>, ValidationProblem>> SearchResources(
        SchoolDbContext db,
        OwnerAvailabilityClient owners,
        HttpContext http,
        CancellationToken ct,
        string? kind = null,
        string? q = null,
        Guid? ownerId = null,
        DateTimeOffset? from = null,
        DateTimeOffset? to = null,
        int? units = null,
        int page = 1,
        int pageSize = 20)
    {
        var askedKind = kind?.Trim();
        var wantedKind = string.IsNullOrEmpty(askedKind) ? null : Kinds.FirstOrDefault(k => string.Equals(k, askedKind, StringComparison.OrdinalIgnoreCase));
        if (Invalid(kind, wantedKind, q, from, to, units, page, pageSize) is { Count: > 0 } errors)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var resources = db.CatalogResources.AsNoTracking().Where(r => !r.Retired);
        var mentors = db.CatalogMentors.AsNoTracking().Where(m => m.Active);
        if (wantedKind is not null && wantedKind != MentorKind && wantedKind != AnyResourceKind)
        {
            resources = resources.Where(r => r.Kind == wantedKind);
        }

        if (ownerId is { } owner)
        {
            resources = resources.Where(r => r.OwnerId == owner);
            mentors = mentors.Where(m => m.OrganisationId == owner);
        }

        if (!string.IsNullOrWhiteSpace(q))
        {
            var pattern = LikePatterns.Containing(q);
            resources = resources.Where(r =>
                EF.Functions.Like(r.Name, pattern, "\\")
                || EF.Functions.Like(r.Description, pattern, "\\")
                || (r.Model != null && EF.Functions.Like(r.Model, pattern, "\\"))
                || EF.Functions.Like(r.OwnerName, pattern, "\\"));
            mentors = mentors.Where(m =>
                EF.Functions.Like(m.Name, pattern, "\\")
                || EF.Functions.Like(m.OrganisationName, pattern, "\\")
                || m.Expertise.Any(e => EF.Functions.Like(e, pattern, "\\")));
        }

        // Resources first, then mentors: one page may end the one list and begin the other.
        var resourceTotal = wantedKind == MentorKind ? 0 : await resources.CountAsync(ct);
        var mentorTotal = wantedKind is null || wantedKind == MentorKind ? await mentors.CountAsync(ct) : 0;
        var skip = (page - 1) * pageSize;
        var resourcePage = skip < resourceTotal
            ? await resources.OrderBy(r => r.Name).ThenBy(r => r.ResourceId).Skip(skip).Take(pageSize).ToListAsync(ct)
            : [];
        var mentorTake = pageSize - resourcePage.Count;
        var mentorPage = mentorTotal > 0 && mentorTake > 0
            ? await mentors.OrderBy(m => m.Name).ThenBy(m => m.MentorId).Skip(Math.Max(0, skip - resourceTotal)).Take(mentorTake).ToListAsync(ct)
            : [];

        var availability = from is { } start && to is { } end && resourcePage.Count > 0
            ? await AskOwnersAsync(owners, resourcePage, start, end, units, http.Request.Headers.Authorization.ToString(), ct)
            : null;

        if (availability is not null && from is { } windowStart && to is { } windowEnd)
        {
            // An owner that cannot be asked may still have announced a blackout over the window: say so.
            (windowStart, windowEnd) = (windowStart.ToUniversalTime(), windowEnd.ToUniversalTime());
            var unknown = availability.Where(a => a.Value.FreeUnits is null).Select(a => a.Key).ToList();
            var blackouts = unknown.Count == 0 ? [] : await db.Set<KnownBlackout>().AsNoTracking()
                .Where(b => unknown.Contains(b.ResourceId) && b.Start < windowEnd && b.End > windowStart).ToListAsync(ct);
            foreach (var blackout in blackouts.OrderBy(b => b.Start).DistinctBy(b => b.ResourceId))
            {
                var said = availability[blackout.ResourceId];
                availability[blackout.ResourceId] = said with
                {
                    Reason = $"{said.Reason} The owner announced it unavailable from {blackout.Start:yyyy-MM-dd HH:mm} to {blackout.End:yyyy-MM-dd HH:mm} UTC: {blackout.Reason}.",
                };
            }
        }

        var items = resourcePage.Select(r => ToResponse(r, availability?.GetValueOrDefault(r.ResourceId)))
            .Concat(mentorPage.Select(m => ToResponse(m)))
            .ToList();
        return TypedResults.Ok(new Page<CatalogResourceResponse>(items, page, pageSize, resourceTotal + mentorTotal));
    }

    private static Dictionary<string, string[]> Invalid(
        string? kind, string? wantedKind, string? q, DateTimeOffset? from, DateTimeOffset? to, int? units, int page, int pageSize)
    {
        var errors = new Dictionary<string, string[]>();
        if (!string.IsNullOrWhiteSpace(kind) && wantedKind is null)
        {
            errors[nameof(kind)] = [$"The kind is one of {string.Join(", ", Kinds)}."];
        }

        if (q is { Length: > 200 })
        {
            errors[nameof(q)] = ["The search text is limited to 200 characters."];
        }

        if ((from is null) != (to is null))
        {
            errors[from is null ? nameof(from) : nameof(to)] = ["A window needs both its start (from) and its end (to)."];
        }
        else if (from is { } start && to is { } end)
        {
            if (start.Year < 2000 || end.Year >= 2200)
            {
                // The owners book between 2000 and 2200; asking them about another window only earns a refusal.
                errors[start.Year < 2000 ? nameof(from) : nameof(to)] = ["A window lies between 2000 and 2200."];
            }
            else if (end <= start)
            {
                errors[nameof(to)] = ["The window must end after it starts."];
            }
            else if (end - start > LongestWindow)
            {
                errors[nameof(to)] = [$"A window spans at most {LongestWindow.TotalDays:0} days."];
            }
        }

        if (units is < 1 or > 100_000)
        {
            errors[nameof(units)] = ["Units wanted are between 1 and 100000."];
        }

        if (page is < 1 or > Paging.MaxPage)
        {
            errors[nameof(page)] = [$"The page number is between 1 and {Paging.MaxPage}."];
        }

        if (pageSize is < 1 or > 100)
        {
            errors[nameof(pageSize)] = ["The page size must be between 1 and 100."];
        }

        return errors;
    }

    /// <summary>Asks every owner on the page at once; each owner's failure marks only its own resources.</summary>
    private static async Task<Dictionary<Guid, ResourceAvailability>> AskOwnersAsync(
        OwnerAvailabilityClient owners, List<CatalogResource> resources, DateTimeOffset from, DateTimeOffset to, int? units, string? authorization, CancellationToken ct)
    {
        var answers = await Task.WhenAll(resources.GroupBy(r => r.Service, StringComparer.Ordinal).Select(async byOwner =>
        {
            var theirs = byOwner.ToList();
            var said = await owners.AskAsync(byOwner.Key, theirs.ConvertAll(r => r.ResourceId), from, to, authorization, ct);
            return (Resources: theirs, Answer: said);
        }));

        var availability = new Dictionary<Guid, ResourceAvailability>();
        foreach (var (owned, answer) in answers)
        {
            foreach (var resource in owned)
            {
                availability[resource.ResourceId] = answer.Failure is { } reason ? ResourceAvailability.Unknown(reason)
                    : answer.Resources.TryGetValue(resource.ResourceId, out var reported) ? ResourceAvailability.From(reported, units)
                    : ResourceAvailability.Unknown("The owner did not report on this resource; it may have been retired.");
            }
        }

        return availability;
    }

    private static CatalogResourceResponse ToResponse(CatalogResource r, ResourceAvailability? availability) =>
        new(r.Kind, r.ResourceId, r.Service, r.OwnerId, r.OwnerName, r.Name, r.Description, r.Model, r.Capacity, r.RequiredQualifications,
            r.ApprovalRequired, r.MaximumHours, r.TimeZone, [], null, availability);

    private static CatalogResourceResponse ToResponse(CatalogMentor m) =>
        new(MentorKind, m.MentorId, m.Service, m.OrganisationId, m.OrganisationName, m.Name, null, null, null, [],
            false, null, null, m.Expertise, m.ProjectCapacity, null);
}
