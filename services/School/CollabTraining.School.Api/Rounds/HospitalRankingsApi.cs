using System.ComponentModel.DataAnnotations;
using CollabTraining.School.Data;
using CollabTraining.Domain;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Rounds;

/// <summary>
/// A student who ranked a hospital's offer. Where they ranked it is confidential to the school, as in every
/// clearinghouse. <paramref name="InYourRanking"/> is false for an applicant the hospital's submitted ranking
/// leaves out (someone who applied after it was submitted, say): left out means not acceptable, so
/// re-submit before the window closes to include them.
/// </summary>
public sealed record Applicant(Guid StudentId, string Name, string Programme, int StudyYear, bool? InYourRanking);

public sealed record HospitalRankingRequest([property: Required, MaxLength(5000)] List<Guid>? StudentIds);

public sealed record RankedApplicant(Guid StudentId, string Name);

public sealed record HospitalRankingResponse(Guid RoundId, Guid OfferId, IReadOnlyList<Guid> StudentIds, IReadOnlyList<RankedApplicant> Students, DateTimeOffset SubmittedAt);

/// <summary>
/// A hospital's side of a round: who applied to its offer, and its own order of them. Only the coordinators
/// of the hospital that owns the offer see the applicants or rank them, and only while the window is open.
/// </summary>
public static class HospitalRankingsApi
{
    public static void MapHospitalRankingsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(SchoolModule.RoutePrefix + "/rounds/{roundId:guid}/offers/{offerId:guid}").WithTags("Placement rounds")
            .RequireAuthorization(Policies.HospitalCoordinator);
        group.MapGet("/applicants", ListApplicants).WithName("ListApplicants")
            .WithSummary("Students who ranked your offer in this round (not where they ranked it: that stays confidential)")
            .WithDescription("`inYourRanking` says whether your submitted ranking includes each applicant (null before you submit one); one it leaves out cannot be placed with you.");
        group.MapPut("/ranking", SubmitRanking).WithName("SubmitHospitalRanking")
            .WithSummary("Your hospital's order of the applicants, best first; students left out are not acceptable")
            .WithDescription("Only while the round's preference window is open; replaces your previous ranking.");
        group.MapGet("/ranking", GetRanking).WithName("GetHospitalRanking").WithSummary("The ranking your hospital submitted for this offer");
    }

    public static async Task<Ok<List<Applicant>>> ListApplicants(Guid roundId, Guid offerId, CurrentUser user, SchoolDbContext db, CancellationToken ct)
    {
        await EnsureOwnOfferAsync(roundId, offerId, user, db, ct);
        var ids = await ApplicantsAsync(db, roundId, offerId, ct);
        var students = await db.Students.AsNoTracking().Where(s => ids.Contains(s.Id)).ToListAsync(ct);
        var ranked = (await db.HospitalRankings.AsNoTracking().SingleOrDefaultAsync(r => r.RoundId == roundId && r.OfferId == offerId, ct))?.StudentIds.ToHashSet();
        return TypedResults.Ok(students.Select(s => new Applicant(s.Id, s.Name, s.Programme, s.StudyYear, ranked?.Contains(s.Id))).OrderBy(a => a.Name).ToList());
    }

    public static async Task<Results<Ok<HospitalRankingResponse>, ValidationProblem>> SubmitRanking(
        Guid roundId, Guid offerId, HospitalRankingRequest request, CurrentUser user, SchoolDbContext db, TimeProvider time, CancellationToken ct)
    {
        var round = await EnsureOwnOfferAsync(roundId, offerId, user, db, ct);
        var applicants = (await ApplicantsAsync(db, roundId, offerId, ct)).ToHashSet();
        var stored = await db.HospitalRankings.SingleOrDefaultAsync(r => r.RoundId == roundId && r.OfferId == offerId, ct);
        if (stored is null)
        {
            stored = HospitalRanking.Start(roundId, offerId);
            db.HospitalRankings.Add(stored);
        }

        stored.Replace(round, request.StudentIds!, applicants, user.UserId, time.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await ToResponseAsync(db, stored, ct));
    }

    public static async Task<Results<Ok<HospitalRankingResponse>, ProblemHttpResult>> GetRanking(Guid roundId, Guid offerId, CurrentUser user, SchoolDbContext db, CancellationToken ct)
    {
        await EnsureOwnOfferAsync(roundId, offerId, user, db, ct);
        var stored = await db.HospitalRankings.AsNoTracking().SingleOrDefaultAsync(r => r.RoundId == roundId && r.OfferId == offerId, ct);
        return stored is null
            ? TypedResults.Problem(title: "No ranking yet.", detail: "Your hospital has not ranked the applicants to this offer; the school's policy decides.", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(await ToResponseAsync(db, stored, ct));
    }

    private static async Task<List<Guid>> ApplicantsAsync(SchoolDbContext db, Guid roundId, Guid offerId, CancellationToken ct) =>
        (await db.RoundPreferences.AsNoTracking().Where(p => p.RoundId == roundId).ToListAsync(ct))
            .Where(p => p.OfferIds.Contains(offerId)).Select(p => p.StudentId).ToList();

    private static async Task<HospitalRankingResponse> ToResponseAsync(SchoolDbContext db, HospitalRanking ranking, CancellationToken ct)
    {
        var names = await db.Students.AsNoTracking().Where(s => ranking.StudentIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        return new HospitalRankingResponse(ranking.RoundId, ranking.OfferId, ranking.StudentIds,
            ranking.StudentIds.Select(s => new RankedApplicant(s, names.GetValueOrDefault(s, string.Empty))).ToList(), ranking.SubmittedAt);
    }

    private static async Task<PlacementRound> EnsureOwnOfferAsync(Guid roundId, Guid offerId, CurrentUser user, SchoolDbContext db, CancellationToken ct)
    {
        var round = await RoundsApi.FindAsync(db, roundId, ct, tracked: false);
        if (!round.OfferIds.Contains(offerId))
        {
            throw DomainRuleException.NotFound("offer in this round", offerId);
        }

        var hospital = await db.CatalogPlacements.AsNoTracking().Where(p => p.OfferId == offerId).Select(p => p.HospitalId).SingleAsync(ct);
        user.EnsureMemberOf(hospital, "The offer belongs to another hospital.");
        return round;
    }
}
