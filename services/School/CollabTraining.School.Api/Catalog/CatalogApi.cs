using CollabTraining.Contracts.Hospitals;
using CollabTraining.School.Data;
using CollabTraining.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Catalog;

/// <summary>The school's copy of a hospital's offer; <c>id</c> is the offer's id at the hospital too.</summary>
public sealed record CatalogPlacementResponse(
    Guid Id,
    Guid HospitalId,
    string HospitalName,
    string Department,
    string Specialty,
    string Title,
    DateOnly StartsOn,
    DateOnly EndsOn,
    int Seats,
    PlacementRequirements Requirements,
    bool Withdrawn,
    bool Closed,
    long Version,
    DateTimeOffset UpdatedAt);

public static class CatalogApi
{
    public static void MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(SchoolModule.RoutePrefix + "/catalog").WithTags("Catalog");
        group.MapGet("/placements", SearchPlacements).WithName("SearchCatalogPlacements")
            .WithSummary("Placement offers of every partner hospital, filtered and paged");
        group.MapGet("/placements/{offerId:guid}", GetPlacement).WithName("GetCatalogPlacement")
            .WithSummary("One placement offer as the school's catalog holds it");
    }

    /// <param name="specialty">Exact specialty code, e.g. cardiology.</param>
    /// <param name="hospitalId">Only this hospital's offers.</param>
    /// <param name="from">With <paramref name="to"/>: only offers whose period overlaps [from, to].</param>
    /// <param name="to">Last day of the period of interest.</param>
    /// <param name="q">Free text matched against title, department, specialty and hospital.</param>
    /// <param name="includeWithdrawn">Also list closed and withdrawn offers.</param>
    public static async Task<Results<Ok<Page<CatalogPlacementResponse>>, ValidationProblem>> SearchPlacements(
        SchoolDbContext db,
        CancellationToken ct,
        string? specialty = null,
        Guid? hospitalId = null,
        DateOnly? from = null,
        DateOnly? to = null,
        string? q = null,
        bool includeWithdrawn = false,
        int page = 1,
        int pageSize = 20)
    {
        var errors = new Dictionary<string, string[]>();
        if (page is < 1 or > Paging.MaxPage)
        {
            errors[nameof(page)] = [$"The page number is between 1 and {Paging.MaxPage}."];
        }

        if (pageSize is < 1 or > 100)
        {
            errors[nameof(pageSize)] = ["The page size must be between 1 and 100."];
        }

        if (from is { } f && to is { } t && t < f)
        {
            errors[nameof(to)] = ["The end of the period cannot be before its start."];
        }

        if (q is { Length: > 200 })
        {
            errors[nameof(q)] = ["The search text is limited to 200 characters."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var placements = db.CatalogPlacements.AsNoTracking().Where(p => p.Title != string.Empty);
        if (!includeWithdrawn)
        {
            placements = placements.Where(p => !p.Withdrawn && !p.Closed);
        }

        if (!string.IsNullOrWhiteSpace(specialty))
        {
            placements = placements.Where(p => p.Specialty == specialty.Trim());
        }

        if (hospitalId is { } hospital)
        {
            placements = placements.Where(p => p.HospitalId == hospital);
        }

        if (from is { } start)
        {
            placements = placements.Where(p => p.EndsOn >= start);
        }

        if (to is { } end)
        {
            placements = placements.Where(p => p.StartsOn <= end);
        }

        if (!string.IsNullOrWhiteSpace(q))
        {
            var pattern = LikePatterns.Containing(q);
            placements = placements.Where(p =>
                EF.Functions.Like(p.Title, pattern, "\\")
                || EF.Functions.Like(p.Department, pattern, "\\")
                || EF.Functions.Like(p.Specialty, pattern, "\\")
                || EF.Functions.Like(p.HospitalName, pattern, "\\"));
        }

        var total = await placements.CountAsync(ct);
        var items = await placements
            .OrderBy(p => p.StartsOn).ThenBy(p => p.Title).ThenBy(p => p.OfferId)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(Projection)
            .ToListAsync(ct);
        return TypedResults.Ok(new Page<CatalogPlacementResponse>(items, page, pageSize, total));
    }

    public static async Task<Results<Ok<CatalogPlacementResponse>, ProblemHttpResult>> GetPlacement(Guid offerId, SchoolDbContext db, CancellationToken ct)
    {
        var placement = await db.CatalogPlacements.AsNoTracking().Where(p => p.OfferId == offerId && p.Title != string.Empty)
            .Select(Projection).SingleOrDefaultAsync(ct);
        return placement is null ? Problems.NotFound("placement offer", offerId) : TypedResults.Ok(placement);
    }

    private static readonly System.Linq.Expressions.Expression<Func<CatalogPlacement, CatalogPlacementResponse>> Projection = p =>
        new CatalogPlacementResponse(
            p.OfferId, p.HospitalId, p.HospitalName, p.Department, p.Specialty, p.Title, p.StartsOn, p.EndsOn, p.Seats,
            new PlacementRequirements(p.MinimumStudyYear, p.RequiredQualifications, p.AllowedProgrammes),
            p.Withdrawn, p.Closed, p.Version, p.UpdatedAt);
}
