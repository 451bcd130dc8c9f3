using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using CollabTraining.School.Data;
using CollabTraining.School.Matching;
using CollabTraining.ServiceDefaults.Http;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Rounds;

public sealed record CreateRoundRequest(
    [property: Required, StringLength(200, MinimumLength = 3)] string? Name,
    [property: Required, MinLength(1), MaxLength(2000)] List<Guid>? OfferIds,
    [property: Required] DateTimeOffset? PreferencesCloseAt,
    [property: Range(1, MatchingApi.MaxRanks)] int MaxRanks = 10);

public sealed record RoundResponse(Guid Id, string Name, IReadOnlyList<Guid> OfferIds, DateTimeOffset PreferencesCloseAt, int MaxRanks, string Status, long Version);

public sealed record PreferencesRequest([property: Required] List<Guid>? OfferIds);

public sealed record PreferencesResponse(Guid RoundId, Guid StudentId, IReadOnlyList<Guid> OfferIds, DateTimeOffset SubmittedAt);

public sealed record RunMatchRequest(long? Seed);

public sealed record MatchRunSummary(Guid RunId, Guid RoundId, long Seed, string AlgorithmVersion, string InputDigest, DateTimeOffset RanAt, bool Stable, int Matched, int Unmatched, RankDistribution RankDistribution);

public sealed record MyResultResponse(Guid RoundId, Guid RunId, Guid? OfferId, int? Rank, IReadOnlyList<RankedAboveExplanation> RankedAbove);

public static class RoundsApi
{
    public static void MapRoundsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(SchoolModule.RoutePrefix + "/rounds").WithTags("Placement rounds");
        group.MapPost("/", CreateRound).WithName("CreateRound").WithSummary("Open a placement round over catalog offers")
            .RequireAuthorization(Policies.SchoolCoordinator);
        group.MapGet("/", ListRounds).WithName("ListRounds").WithSummary("Placement rounds, newest first (status: Open, Matched, Published)");
        group.MapGet("/{roundId:guid}", GetRound).WithName("GetRound").WithSummary("A placement round");
        group.MapPut("/{roundId:guid}/preferences/me", SubmitPreferences).WithName("SubmitPreferences")
            .WithSummary("Rank offers of the round, best first (replaces your previous ranking)").RequireAuthorization(Policies.Student);
        group.MapGet("/{roundId:guid}/preferences/me", GetMyPreferences).WithName("GetMyPreferences")
            .WithSummary("Your ranking in the round").RequireAuthorization(Policies.Student);
        group.MapPost("/{roundId:guid}/match", RunMatch).WithName("RunMatch")
            .WithSummary("Run the match on the submitted rankings and store the run").RequireAuthorization(Policies.SchoolCoordinator);
        group.MapGet("/{roundId:guid}/runs/{runId:guid}", GetRun).WithName("GetMatchRun")
            .WithSummary("A stored run with every assignment, explanation and the stability certificate").RequireAuthorization(Policies.SchoolCoordinator);
        group.MapGet("/{roundId:guid}/result/me", GetMyResult).WithName("GetMyMatchResult")
            .WithSummary("Your result in the latest run, with why you did not get the offers you ranked higher").RequireAuthorization(Policies.Student);
    }

    public static async Task<Results<Created<RoundResponse>, ValidationProblem>> CreateRound(
        CreateRoundRequest request, SchoolDbContext db, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (request.PreferencesCloseAt <= now)
        {
            return Problems.Invalid(nameof(request.PreferencesCloseAt), "The preference window must close in the future.");
        }

        var offerIds = request.OfferIds!.Distinct().ToList();
        var known = await db.CatalogPlacements.Where(p => offerIds.Contains(p.OfferId) && !p.Withdrawn && !p.Closed && p.Title != string.Empty)
            .Select(p => p.OfferId).ToListAsync(ct);
        var unknown = offerIds.Except(known).ToList();
        if (unknown.Count > 0)
        {
            return Problems.Invalid(nameof(request.OfferIds), $"Not open offers in the catalog: {string.Join(", ", unknown)}.");
        }

        var round = new PlacementRound
        {
            Id = Guid.CreateVersion7(now),
            Name = request.Name!.Trim(),
            OfferIds = offerIds,
            PreferencesCloseAt = request.PreferencesCloseAt!.Value,
            MaxRanks = request.MaxRanks,
            Status = RoundStatus.Open,
            CreatedAt = now,
            Version = 1,
        };
        db.PlacementRounds.Add(round);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"{SchoolModule.RoutePrefix}/rounds/{round.Id}", ToResponse(round));
    }

    public static async Task<Results<Ok<List<RoundResponse>>, ValidationProblem>> ListRounds(SchoolDbContext db, CancellationToken ct, string? status = null)
    {
        RoundStatus? wanted = null;
        if (status is not null)
        {
            if (!Enum.TryParse<RoundStatus>(status, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
            {
                return Problems.Invalid(nameof(status), "The status is Open, Matched or Published.");
            }

            wanted = parsed;
        }

        var rounds = await db.PlacementRounds.AsNoTracking().Where(r => wanted == null || r.Status == wanted).ToListAsync(ct);
        return TypedResults.Ok(rounds.OrderByDescending(r => r.CreatedAt).Select(ToResponse).ToList());
    }

    public static async Task<Results<Ok<RoundResponse>, ProblemHttpResult>> GetRound(Guid roundId, SchoolDbContext db, CancellationToken ct) =>
        await db.PlacementRounds.AsNoTracking().SingleOrDefaultAsync(r => r.Id == roundId, ct) is { } round
            ? TypedResults.Ok(ToResponse(round))
            : Problems.NotFound("placement round", roundId);

    public static async Task<Results<Ok<PreferencesResponse>, ValidationProblem, ProblemHttpResult>> SubmitPreferences(
        Guid roundId, PreferencesRequest request, ClaimsPrincipal principal, SchoolDbContext db, TimeProvider time, CancellationToken ct)
    {
        var round = await db.PlacementRounds.AsNoTracking().SingleOrDefaultAsync(r => r.Id == roundId, ct);
        if (round is null)
        {
            return Problems.NotFound("placement round", roundId);
        }

        var now = time.GetUtcNow();
        round.EnsureOpenForPreferences(now);
        var user = CurrentUser.From(principal)!;
        var student = await db.Students.AsNoTracking().SingleOrDefaultAsync(s => s.Id == user.UserId, ct);
        if (student is null)
        {
            return Problems.Forbidden("You are not enrolled as a student of the school.");
        }

        var ranking = request.OfferIds!;
        if (ranking.Count > round.MaxRanks)
        {
            return Problems.Invalid(nameof(request.OfferIds), $"At most {round.MaxRanks} offers may be ranked in this round; you sent {ranking.Count}.");
        }

        var errors = new Dictionary<string, string[]>();
        var seen = new HashSet<Guid>();
        var placements = await db.CatalogPlacements.AsNoTracking().Where(p => ranking.Contains(p.OfferId)).ToDictionaryAsync(p => p.OfferId, ct);
        var qualifications = await db.StudentQualifications.AsNoTracking().Where(q => q.StudentId == student.Id).ToListAsync(ct);
        for (var i = 0; i < ranking.Count; i++)
        {
            var offerId = ranking[i];
            var field = $"offerIds[{i}]";
            if (!seen.Add(offerId))
            {
                errors[field] = ["This offer is ranked twice."];
            }
            else if (!round.OfferIds.Contains(offerId) || !placements.TryGetValue(offerId, out var placement))
            {
                errors[field] = [$"Offer {offerId} is not part of this round."];
            }
            else if (PlacementEligibility.UnmetRequirement(student, qualifications, placement) is { } unmet)
            {
                errors[field] = [$"You are not eligible for '{placement.Title}' at {placement.HospitalName}: {unmet}."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The ranking cannot be accepted.");
        }

        var preference = await db.RoundPreferences.SingleOrDefaultAsync(p => p.RoundId == roundId && p.StudentId == student.Id, ct);
        if (preference is null)
        {
            preference = new RoundPreference { RoundId = roundId, StudentId = student.Id };
            db.RoundPreferences.Add(preference);
        }

        preference.OfferIds = [.. ranking];
        preference.SubmittedAt = now;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new PreferencesResponse(roundId, student.Id, preference.OfferIds, now));
    }

    public static async Task<Results<Ok<PreferencesResponse>, ProblemHttpResult>> GetMyPreferences(Guid roundId, ClaimsPrincipal principal, SchoolDbContext db, CancellationToken ct)
    {
        var user = CurrentUser.From(principal)!;
        var preference = await db.RoundPreferences.AsNoTracking().SingleOrDefaultAsync(p => p.RoundId == roundId && p.StudentId == user.UserId, ct);
        return preference is null
            ? TypedResults.Problem(title: "No ranking yet.", detail: "You have not ranked any offer in this round.", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(new PreferencesResponse(roundId, preference.StudentId, preference.OfferIds, preference.SubmittedAt));
    }

    public static async Task<Results<Created<MatchRunSummary>, ProblemHttpResult>> RunMatch(
        Guid roundId, RunMatchRequest? request, ClaimsPrincipal principal, SchoolDbContext db, TimeProvider time, CancellationToken ct)
    {
        var round = await db.PlacementRounds.SingleOrDefaultAsync(r => r.Id == roundId, ct);
        if (round is null)
        {
            return Problems.NotFound("placement round", roundId);
        }

        if (round.Status == RoundStatus.Published)
        {
            return Problems.Conflict("The round's assignments were published; declines are handled by re-matching, not by a new match.");
        }

        var now = time.GetUtcNow();
        var seed = request?.Seed ?? BitConverter.ToInt64(Guid.NewGuid().ToByteArray());
        var instance = await RoundInstance.BuildAsync(db, round, seed, ct);
        var result = MatchEngine.Run(instance);
        var run = MatchRun.Record(roundId, "Initial", result, CurrentUser.From(principal)!.UserId, now);
        db.MatchRuns.Add(run);
        round.Status = RoundStatus.Matched;
        round.Version++;
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"{SchoolModule.RoutePrefix}/rounds/{roundId}/runs/{run.Id}", Summary(run, result));
    }

    public static async Task<Results<Ok<MatchResult>, ProblemHttpResult>> GetRun(Guid roundId, Guid runId, SchoolDbContext db, CancellationToken ct)
    {
        var run = await db.MatchRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId && r.RoundId == roundId, ct);
        return run is null ? Problems.NotFound("match run", runId) : TypedResults.Ok(Deserialize(run));
    }

    public static async Task<Results<Ok<MyResultResponse>, ProblemHttpResult>> GetMyResult(Guid roundId, ClaimsPrincipal principal, SchoolDbContext db, CancellationToken ct)
    {
        var user = CurrentUser.From(principal)!;
        var round = await db.PlacementRounds.AsNoTracking().SingleOrDefaultAsync(r => r.Id == roundId, ct);
        if (round is not { Status: RoundStatus.Published })
        {
            // Runs before publication are the coordinator's drafts; students see the result that counts.
            return TypedResults.Problem(title: "No result yet.", detail: "The round's result has not been published yet.", statusCode: StatusCodes.Status404NotFound);
        }

        // The latest published run the student took part in: a re-match includes only displaced students.
        var runs = await db.MatchRuns.AsNoTracking()
            .Where(r => r.RoundId == roundId && (r.Id == round.PublishedRunId || r.Kind == "Rematch"))
            .ToListAsync(ct);
        foreach (var run in runs.OrderByDescending(r => r.RanAt))
        {
            if (Deserialize(run).Explanations.FirstOrDefault(e => e.StudentId == user.UserId) is { } mine)
            {
                return TypedResults.Ok(new MyResultResponse(roundId, run.Id, mine.AssignedOfferId, mine.AssignedRank, mine.RankedAbove));
            }
        }

        return TypedResults.Problem(title: "You were not in this match.", detail: "You had not ranked any offer in this round when it was matched.", statusCode: StatusCodes.Status404NotFound);
    }

    private static MatchResult Deserialize(MatchRun run) => run.ReadResult();

    private static MatchRunSummary Summary(MatchRun run, MatchResult result) =>
        new(run.Id, run.RoundId, run.Seed, run.AlgorithmVersion, run.InputDigest, run.RanAt, run.Stable, run.Matched, run.Unmatched, result.RankDistribution);

    private static RoundResponse ToResponse(PlacementRound r) =>
        new(r.Id, r.Name, r.OfferIds, r.PreferencesCloseAt, r.MaxRanks, r.Status.ToString(), r.Version);
}

/// <summary>
/// What a re-match keeps and who it moves: placements that hold a seat (pending or confirmed) stay fixed and
/// take their seats out of the offers; students the hospital declined come back without that offer;
/// students who declined themselves are out of the round.
/// </summary>
public sealed record Rematching(HashSet<Guid> Fixed, HashSet<Guid> Withdrawn, Dictionary<Guid, int> SeatsHeld, ILookup<Guid, (Guid OfferId, string Reason)> RefusedBy)
{
    public static Rematching From(IReadOnlyList<PlacementAssignment> assignments) => new(
        assignments.Where(a => a.HoldsSeat).Select(a => a.StudentId).ToHashSet(),
        assignments.Where(a => a.Status == AssignmentStatus.DeclinedByStudent).Select(a => a.StudentId).ToHashSet(),
        assignments.Where(a => a.HoldsSeat).GroupBy(a => a.OfferId).ToDictionary(g => g.Key, g => g.Count()),
        assignments.Where(a => a.Status == AssignmentStatus.DeclinedByHospital).ToLookup(a => a.StudentId, a => (a.OfferId, a.DeclineReason ?? "no reason given")));
}

/// <summary>Turns a round's stored rankings into a match instance, re-checking eligibility as of now.</summary>
public static class RoundInstance
{
    public static async Task<MatchInstance> BuildAsync(SchoolDbContext db, PlacementRound round, long seed, CancellationToken ct, Rematching? rematching = null)
    {
        var preferences = (await db.RoundPreferences.AsNoTracking().Where(p => p.RoundId == round.Id).OrderBy(p => p.StudentId).ToListAsync(ct))
            .Where(p => rematching is null || (!rematching.Fixed.Contains(p.StudentId) && !rematching.Withdrawn.Contains(p.StudentId)))
            .ToList();
        var studentIds = preferences.Select(p => p.StudentId).ToList();
        var students = await db.Students.AsNoTracking().Where(s => studentIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var qualifications = (await db.StudentQualifications.AsNoTracking().Where(q => studentIds.Contains(q.StudentId)).ToListAsync(ct))
            .ToLookup(q => q.StudentId);
        var placements = await db.CatalogPlacements.AsNoTracking().Where(p => round.OfferIds.Contains(p.OfferId)).ToDictionaryAsync(p => p.OfferId, ct);

        string? Unmet(Guid studentId, Guid offerId) =>
            rematching?.RefusedBy[studentId].Where(r => r.OfferId == offerId).Select(r => $"the hospital declined this assignment ({r.Reason})").FirstOrDefault()
            ?? PlacementEligibility.UnmetRequirement(students[studentId], qualifications[studentId], placements[offerId]);

        var matchStudents = preferences.Select(p => new MatchStudent(
            p.StudentId,
            students[p.StudentId].StudyYear,
            p.OfferIds.Select(o => new RankedOffer(o, Unmet(p.StudentId, o))).ToList())).ToList();
        var rankings = await db.HospitalRankings.AsNoTracking().Where(r => r.RoundId == round.Id).ToDictionaryAsync(r => r.OfferId, r => r.StudentIds, ct);
        var offers = round.OfferIds.Select(o => new MatchOffer(
            o,
            !placements[o].TakesStudents ? 0 : Math.Max(0, placements[o].Seats - (rematching?.SeatsHeld.GetValueOrDefault(o) ?? 0)),
            rankings.GetValueOrDefault(o))).ToList();
        return new MatchInstance(matchStudents, offers, seed);
    }
}
