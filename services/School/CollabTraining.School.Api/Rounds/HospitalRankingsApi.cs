using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using CollabTraining.School.Data;
using CollabTraining.ServiceDefaults.Http;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Rounds;

public sealed record Applicant(Guid StudentId, string Name, string Programme, int StudyYear, int Rank);

public sealed record HospitalRankingRequest([property: Required, MaxLength(5000)] List<Guid>? StudentIds);

public sealed record HospitalRankingResponse(Guid RoundId, Guid OfferId, IReadOnlyList<Guid> StudentIds, DateTimeOffset SubmittedAt);

/// <summary>
/// A hospital's side of a round: who ranked its offer, and its own order of them. Only staff of the
/// hospital that owns the offer see the applicants or rank them, and only while the round is open.
/// </summary>
public static class HospitalRankingsApi
{
    public static void MapHospitalRankingsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(SchoolModule.RoutePrefix + "/rounds/{roundId:guid}/offers/{offerId:guid}").WithTags("Placement rounds")
            .RequireAuthorization(Policies.HospitalStaff);
        group.MapGet("/applicants", ListApplicants).WithName("ListApplicants").WithSummary("Students who ranked your offer in this round");
        group.MapPut("/ranking", SubmitRanking).WithName("SubmitHospitalRanking")
            .WithSummary("Your hospital's order of the applicants, best first; students left out are not acceptable");
    }

    public static async Task<Results<Ok<List<Applicant>>, ProblemHttpResult>> ListApplicants(Guid roundId, Guid offerId, ClaimsPrincipal principal, SchoolDbContext db, CancellationToken ct)
    {
        if (await CheckOwnershipAsync(roundId, offerId, principal, db, ct) is { } problem)
        {
            return problem;
        }

        var preferences = await db.RoundPreferences.AsNoTracking().Where(p => p.RoundId == roundId).ToListAsync(ct);
        var ranked = preferences.Where(p => p.OfferIds.Contains(offerId)).ToDictionary(p => p.StudentId, p => p.OfferIds.IndexOf(offerId) + 1);
        var ids = ranked.Keys.ToList();
        var students = await db.Students.AsNoTracking().Where(s => ids.Contains(s.Id)).ToListAsync(ct);
        return TypedResults.Ok(students.Select(s => new Applicant(s.Id, s.Name, s.Programme, s.StudyYear, ranked[s.Id])).OrderBy(a => a.Name).ToList());
    }

    public static async Task<Results<Ok<HospitalRankingResponse>, ValidationProblem, ProblemHttpResult>> SubmitRanking(
        Guid roundId, Guid offerId, HospitalRankingRequest request, ClaimsPrincipal principal, SchoolDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (await CheckOwnershipAsync(roundId, offerId, principal, db, ct) is { } problem)
        {
            return problem;
        }

        var round = await db.PlacementRounds.AsNoTracking().SingleAsync(r => r.Id == roundId, ct);
        if (round.Status != RoundStatus.Open)
        {
            return Problems.Conflict("The round has been matched; rankings can no longer change.");
        }

        var ranking = request.StudentIds!;
        if (ranking.Distinct().Count() != ranking.Count)
        {
            return Problems.Invalid(nameof(request.StudentIds), "A student is ranked twice.");
        }

        var applicants = (await db.RoundPreferences.AsNoTracking().Where(p => p.RoundId == roundId).ToListAsync(ct))
            .Where(p => p.OfferIds.Contains(offerId)).Select(p => p.StudentId).ToHashSet();
        var strangers = ranking.Where(s => !applicants.Contains(s)).ToList();
        if (strangers.Count > 0)
        {
            return Problems.Invalid(nameof(request.StudentIds), $"These students did not rank your offer: {string.Join(", ", strangers)}.");
        }

        var now = time.GetUtcNow();
        var stored = await db.HospitalRankings.SingleOrDefaultAsync(r => r.RoundId == roundId && r.OfferId == offerId, ct);
        if (stored is null)
        {
            stored = new HospitalRanking { RoundId = roundId, OfferId = offerId };
            db.HospitalRankings.Add(stored);
        }

        stored.StudentIds = [.. ranking];
        stored.SubmittedBy = CurrentUser.From(principal)!.UserId;
        stored.SubmittedAt = now;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new HospitalRankingResponse(roundId, offerId, stored.StudentIds, now));
    }

    private static async Task<ProblemHttpResult?> CheckOwnershipAsync(Guid roundId, Guid offerId, ClaimsPrincipal principal, SchoolDbContext db, CancellationToken ct)
    {
        var round = await db.PlacementRounds.AsNoTracking().SingleOrDefaultAsync(r => r.Id == roundId, ct);
        if (round is null || !round.OfferIds.Contains(offerId))
        {
            return round is null ? Problems.NotFound("placement round", roundId) : Problems.NotFound("offer in this round", offerId);
        }

        var hospital = await db.CatalogPlacements.AsNoTracking().Where(p => p.OfferId == offerId).Select(p => p.HospitalId).SingleAsync(ct);
        return CurrentUser.From(principal)!.BelongsTo(hospital)
            ? null
            : Problems.Forbidden("The offer belongs to another hospital.");
    }
}
