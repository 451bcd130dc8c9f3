using System.ComponentModel;
using System.Text.Json.Serialization;
using CollabTraining.Contracts.School;
using CollabTraining.School.Assignments;
using CollabTraining.School.Catalog;
using CollabTraining.School.Data;
using CollabTraining.School.Matching;
using CollabTraining.School.Rounds;
using CollabTraining.Domain;
using CollabTraining.Messaging.Outbox;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Runs;

public sealed record RunMatchRequest(
    [property: JsonNumberHandling(JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.WriteAsString),
        Description("The lottery seed, as a string (it may exceed 2^53). Optional: a random one is drawn and recorded.")] long? Seed);

public sealed record PublishRunRequest(
    [property: Description("Until when students may give up their assignment; in the future. Optional: 7 days after publication.")] DateTimeOffset? StudentDeclineDeadline);

public sealed record RankCount(int Rank, int Students);

/// <summary>How many students got their first choice, their second, …, each count labelled with its rank; and how many got nothing.</summary>
public sealed record RankDistributionView(IReadOnlyList<RankCount> ByRank, int Unmatched)
{
    public static RankDistributionView From(RankDistribution d) => new(d.ByRank.Select((n, i) => new RankCount(i + 1, n)).ToList(), d.Unmatched);
}

public sealed record MatchRunSummary(
    Guid Id, Guid RoundId, MatchRunKind Kind,
    [property: JsonNumberHandling(JsonNumberHandling.WriteAsString)] long Seed,
    string AlgorithmVersion, string InputDigest, DateTimeOffset RanAt, bool Stable, int Matched, int Unmatched, RankDistributionView RankDistribution, bool Published);

public sealed record RunOfferView(Guid OfferId, string Title, Guid HospitalId, string HospitalName);

public sealed record RunAssignmentView(Guid StudentId, string StudentName, Guid OfferId, string OfferTitle, string HospitalName, int Rank);

public sealed record StudentView(Guid StudentId, string Name);

public sealed record RunRankedAboveView(
    Guid OfferId, string OfferTitle, string HospitalName, int Rank, RejectionReason Reason, string Detail, Priority? LowestAdmittedPriority, Priority? StudentPriority);

public sealed record RunExplanationView(
    Guid StudentId, string StudentName, Guid? AssignedOfferId, string? AssignedOfferTitle, int? AssignedRank, IReadOnlyList<RunRankedAboveView> RankedAbove);

public sealed record MatchRunResponse(
    MatchRunSummary Summary, IReadOnlyList<RunAssignmentView> Assignments, IReadOnlyList<StudentView> Unmatched, IReadOnlyList<RunOfferView> Offers,
    IReadOnlyList<RunExplanationView> Explanations, StabilityCertificate Certificate);

public sealed record RunMove(Guid StudentId, string StudentName, Guid? FirstOfferId, string? FirstOfferTitle, int? FirstRank, Guid? SecondOfferId, string? SecondOfferTitle, int? SecondRank);

public sealed record RunComparison(MatchRunSummary First, MatchRunSummary Second, int Unchanged, IReadOnlyList<RunMove> Moves);

public sealed record PublishedResponse(Guid RoundId, Guid RunId, int Published, DateTimeOffset StudentDeclineDeadline);

public sealed record RematchResponse(MatchRunSummary Run, int NewAssignments, IReadOnlyList<StudentView> Unmatched);

public sealed record ExplanationView(Guid OfferId, string OfferTitle, string HospitalName, int Rank, RejectionReason Reason, string Detail);

/// <param name="Note">Set when the school coordinator changed the result after the run: moved you (<c>offerId</c> is then
/// the placement you were moved to) or declined your placement for you (<c>offerId</c> is then null).</param>
public sealed record MyResultResponse(
    Guid RoundId, Guid RunId, MatchRunKind RunKind, Guid? OfferId, string? OfferTitle, string? HospitalName, int? Rank, IReadOnlyList<ExplanationView> RankedAbove, string? Note);

public static class MatchRunsApi
{
    public static void MapMatchRunsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(SchoolModule.RoutePrefix + "/rounds/{roundId:guid}").WithTags("Match runs");
        group.MapPost("/match", RunMatch).WithName("RunMatch").WithSummary("Run the match on the submitted rankings and store the run")
            .WithDescription("While the preference window is open the run is Provisional (a preview: students see nothing, nothing changes for them). After it closes the run is Initial and can be published.")
            .RequireAuthorization(Policies.SchoolCoordinator);
        group.MapGet("/runs", ListRuns).WithName("ListMatchRuns").WithSummary("Every run of the round, newest first").RequireAuthorization(Policies.SchoolStaff);
        group.MapGet("/runs/compare", CompareRuns).WithName("CompareMatchRuns")
            .WithSummary("Who would move between two runs, and their rank distributions side by side").RequireAuthorization(Policies.SchoolStaff);
        group.MapGet("/runs/{runId:guid}", GetRun).WithName("GetMatchRun")
            .WithSummary("A stored run with every assignment, explanation and the stability certificate, names beside ids").RequireAuthorization(Policies.SchoolStaff);
        group.MapPost("/runs/{runId:guid}/publish", PublishRun).WithName("PublishMatchRun")
            .WithSummary("Send an initial run's assignments to the hospitals for confirmation")
            .WithDescription("Only an Initial run (made after the window closed) on inputs that have not changed since; the student decline deadline must lie ahead.")
            .RequireAuthorization(Policies.SchoolCoordinator);
        group.MapPost("/rematch", Rematch).WithName("Rematch")
            .WithSummary("Re-match declined and unplaced students into seats still free; confirmed and pending placements stay")
            .RequireAuthorization(Policies.SchoolCoordinator);
        group.MapGet("/result/me", GetMyResult).WithName("GetMyMatchResult")
            .WithSummary("Your result once published, from the run that decided it, with why you did not get the offers you ranked higher")
            .RequireAuthorization(Policies.Student);
    }

    public static async Task<Created<MatchRunSummary>> RunMatch(Guid roundId, RunMatchRequest? request, CurrentUser user, SchoolDbContext db, TimeProvider time, CancellationToken ct)
    {
        var round = await RoundsApi.FindAsync(db, roundId, ct, tracked: false);
        var now = time.GetUtcNow();
        var kind = round.KindOfRunAt(now);
        var seed = request?.Seed ?? BitConverter.ToInt64(Guid.NewGuid().ToByteArray());
        var result = MatchEngine.Run(await RoundInstance.BuildAsync(db, round, seed, rematch: false, Today(now), ct));
        var run = MatchRun.Record(roundId, kind, result, user.UserId, now);
        db.MatchRuns.Add(run);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"{SchoolModule.RoutePrefix}/rounds/{roundId}/runs/{run.Id}", Summary(run, result, round));
    }

    public static async Task<Ok<List<MatchRunSummary>>> ListRuns(Guid roundId, SchoolDbContext db, CancellationToken ct)
    {
        var round = await RoundsApi.FindAsync(db, roundId, ct, tracked: false);
        var runs = await db.MatchRuns.AsNoTracking().Where(r => r.RoundId == roundId).ToListAsync(ct);
        return TypedResults.Ok(runs.OrderByDescending(r => r.RanAt).Select(r => Summary(r, r.ReadResult(), round)).ToList());
    }

    public static async Task<Ok<MatchRunResponse>> GetRun(Guid roundId, Guid runId, SchoolDbContext db, CancellationToken ct)
    {
        var round = await RoundsApi.FindAsync(db, roundId, ct, tracked: false);
        var run = await FindRunAsync(db, roundId, runId, ct);
        var result = run.ReadResult();
        var (students, offers) = await RoundInstance.NamesAsync(db, result.Explanations.Select(e => e.StudentId), round.OfferIds, ct);
        string Name(Guid s) => students.TryGetValue(s, out var x) ? x.Name : string.Empty;
        return TypedResults.Ok(new MatchRunResponse(
            Summary(run, result, round),
            result.Assignments.Select(a => new RunAssignmentView(a.StudentId, Name(a.StudentId), a.OfferId, Title(offers, a.OfferId), Hospital(offers, a.OfferId), a.Rank)).ToList(),
            result.Unmatched.Select(s => new StudentView(s, Name(s))).ToList(),
            round.OfferIds.Select(o => new RunOfferView(o, Title(offers, o), offers.TryGetValue(o, out var p) ? p.HospitalId : Guid.Empty, Hospital(offers, o))).ToList(),
            result.Explanations.Select(e => new RunExplanationView(e.StudentId, Name(e.StudentId), e.AssignedOfferId,
                e.AssignedOfferId is { } assigned ? Title(offers, assigned) : null, e.AssignedRank,
                e.RankedAbove.Select(r => new RunRankedAboveView(r.OfferId, Title(offers, r.OfferId), Hospital(offers, r.OfferId), r.Rank, r.Reason, r.Detail,
                    r.LowestAdmittedPriority, r.StudentPriority)).ToList())).ToList(),
            result.Certificate));
    }

    public static async Task<Ok<RunComparison>> CompareRuns(Guid roundId, Guid first, Guid second, SchoolDbContext db, CancellationToken ct)
    {
        var round = await RoundsApi.FindAsync(db, roundId, ct, tracked: false);
        var a = await FindRunAsync(db, roundId, first, ct, "first");
        var b = await FindRunAsync(db, roundId, second, ct, "second");
        if (a.Kind == MatchRunKind.Rematch || b.Kind == MatchRunKind.Rematch)
        {
            throw DomainRuleException.Invalid(a.Kind == MatchRunKind.Rematch ? "first" : "second",
                "A re-match places only the displaced students, so it cannot be compared student by student with a run of the whole round; compare provisional and initial runs.");
        }

        var (ra, rb) = (a.ReadResult(), b.ReadResult());
        var inA = ra.Explanations.ToDictionary(e => e.StudentId);
        var inB = rb.Explanations.ToDictionary(e => e.StudentId);
        var everyone = inA.Keys.Union(inB.Keys).ToList();
        var (students, offers) = await RoundInstance.NamesAsync(db, everyone, round.OfferIds, ct);
        var moves = everyone
            .Select(s => (Student: s, A: inA.GetValueOrDefault(s), B: inB.GetValueOrDefault(s)))
            .Where(x => x.A?.AssignedOfferId != x.B?.AssignedOfferId)
            .Select(x => new RunMove(x.Student, students.TryGetValue(x.Student, out var st) ? st.Name : string.Empty,
                x.A?.AssignedOfferId, x.A?.AssignedOfferId is { } oa ? Title(offers, oa) : null, x.A?.AssignedRank,
                x.B?.AssignedOfferId, x.B?.AssignedOfferId is { } ob ? Title(offers, ob) : null, x.B?.AssignedRank))
            .OrderBy(m => m.StudentName).ToList();
        return TypedResults.Ok(new RunComparison(Summary(a, ra, round), Summary(b, rb, round), everyone.Count - moves.Count, moves));
    }

    public static async Task<Ok<PublishedResponse>> PublishRun(
        Guid roundId, Guid runId, PublishRunRequest? request, SchoolDbContext db, Outbox outbox, TimeProvider time, CancellationToken ct)
    {
        var round = await RoundsApi.FindAsync(db, roundId, ct);
        var run = await FindRunAsync(db, roundId, runId, ct);
        var now = time.GetUtcNow();
        var current = MatchEngine.Digest(await RoundInstance.BuildAsync(db, round, run.Seed, rematch: false, Today(now), ct));
        round.Publish(run, current, request?.StudentDeclineDeadline ?? now.AddDays(7), now);

        var published = await AssignAsync(db, outbox, round, run.Id, run.ReadResult().Assignments, now, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new PublishedResponse(roundId, runId, published, round.StudentDeclineDeadline!.Value));
    }

    public static async Task<Ok<RematchResponse>> Rematch(
        Guid roundId, RunMatchRequest? request, CurrentUser user, SchoolDbContext db, Outbox outbox, TimeProvider time, CancellationToken ct)
    {
        var round = await RoundsApi.FindAsync(db, roundId, ct);
        var now = time.GetUtcNow();
        round.ChangeAssignments(now);
        var seed = request?.Seed ?? BitConverter.ToInt64(Guid.NewGuid().ToByteArray());
        var result = MatchEngine.Run(await RoundInstance.BuildAsync(db, round, seed, rematch: true, Today(now), ct));
        var run = MatchRun.Record(roundId, MatchRunKind.Rematch, result, user.UserId, now);
        db.MatchRuns.Add(run);
        var published = await AssignAsync(db, outbox, round, run.Id, result.Assignments, now, ct);
        await db.SaveChangesAsync(ct);
        var (students, _) = await RoundInstance.NamesAsync(db, result.Unmatched, [], ct);
        return TypedResults.Ok(new RematchResponse(Summary(run, result, round), published,
            result.Unmatched.Select(s => new StudentView(s, students.TryGetValue(s, out var x) ? x.Name : string.Empty)).ToList()));
    }

    /// <summary>
    /// The student's result from the run that decided it: the run that placed them where they are, or, when
    /// they stayed unplaced through later re-matches, the first run that left them unplaced. Each run's
    /// explanations are shown as that run made them.
    /// </summary>
    public static async Task<Results<Ok<MyResultResponse>, ProblemHttpResult>> GetMyResult(Guid roundId, CurrentUser user, SchoolDbContext db, TimeProvider time, CancellationToken ct)
    {
        var round = await RoundsApi.FindAsync(db, roundId, ct, tracked: false);
        if (round.StatusAt(time.GetUtcNow()) != RoundStatus.Published)
        {
            // Runs before publication are the coordinator's drafts; students see the result that counts.
            return TypedResults.Problem(title: "No result yet.", detail: "The round's result has not been published yet.", statusCode: StatusCodes.Status404NotFound);
        }

        var runs = await db.MatchRuns.AsNoTracking()
            .Where(r => r.RoundId == roundId && (r.Id == round.PublishedRunId || r.Kind == MatchRunKind.Rematch))
            .ToListAsync(ct);
        var mine = runs.OrderBy(r => r.RanAt)
            .Select(r => (Run: r, Explanation: r.ReadResult().Explanations.FirstOrDefault(e => e.StudentId == user.UserId)))
            .Where(x => x.Explanation is not null).ToList();
        if (mine.Count == 0)
        {
            return TypedResults.Problem(title: "You were not in this match.", detail: "You had not ranked any offer in this round when it was matched.", statusCode: StatusCodes.Status404NotFound);
        }

        var decided = mine.Count - 1;
        while (decided > 0 && mine[decided].Explanation!.AssignedOfferId is null && mine[decided - 1].Explanation!.AssignedOfferId is null)
        {
            decided--;
        }

        var (run, explanation) = mine[decided];
        var (_, offers) = await RoundInstance.NamesAsync(db, [], round.OfferIds, ct);
        var assigned = explanation!.AssignedOfferId;
        var rank = explanation.AssignedRank;

        // The coordinator may have changed the result after the run: the student sees where they stand now, and why.
        var latest = (await db.PlacementAssignments.AsNoTracking().Where(a => a.RoundId == roundId && a.StudentId == user.UserId).ToListAsync(ct))
            .OrderByDescending(a => a.AssignedAt).FirstOrDefault();
        string? note = null;
        if (latest is { RunId: null, HoldsSeat: true })
        {
            (assigned, rank) = (latest.OfferId, latest.Rank == 0 ? null : latest.Rank);
            var previous = (await db.PlacementAssignments.AsNoTracking().Where(a => a.RoundId == roundId && a.StudentId == user.UserId && a.Status == PlacementAssignmentStatus.ReleasedBySchool).ToListAsync(ct))
                .OrderByDescending(a => a.AssignedAt).FirstOrDefault();
            note = $"The school coordinator moved you to '{Title(offers, latest.OfferId)}'. {previous?.DeclineReason}".TrimEnd();
        }
        else if (latest is { HoldsSeat: false })
        {
            // The placement they held last has been given up since: say so, and by whom.
            note = latest.Status switch
            {
                PlacementAssignmentStatus.DeclinedByHospital => $"The hospital declined this placement: {latest.DeclineReason}. A re-match may place you elsewhere.",
                PlacementAssignmentStatus.DeclinedByStudent when latest.DeclinedBy == user.UserId => $"You gave this placement up: {latest.DeclineReason}",
                _ => latest.DeclineReason,
            };
            assigned = null;
            rank = null;
        }

        return TypedResults.Ok(new MyResultResponse(roundId, run.Id, run.Kind, assigned,
            assigned is { } a ? Title(offers, a) : null, assigned is { } h ? Hospital(offers, h) : null, rank,
            explanation.RankedAbove.Select(e => new ExplanationView(e.OfferId, Title(offers, e.OfferId), Hospital(offers, e.OfferId), e.Rank, e.Reason, e.Detail)).ToList(), note));
    }

    /// <summary>Turns a run's assignments into pending assignments and asks each hospital to confirm.</summary>
    private static async Task<int> AssignAsync(SchoolDbContext db, Outbox outbox, PlacementRound round, Guid runId, IReadOnlyList<MatchAssignment> assignments, DateTimeOffset now, CancellationToken ct)
    {
        var (students, offers) = await RoundInstance.NamesAsync(db, assignments.Select(a => a.StudentId), round.OfferIds, ct);
        foreach (var match in assignments)
        {
            var (assignment, assigned) = PlacementAssignment.Make(round.Id, runId, match.OfferId, offers[match.OfferId].HospitalId, students[match.StudentId], match.Rank, now);
            db.PlacementAssignments.Add(assignment);
            outbox.Add(assigned);
        }

        return assignments.Count;
    }

    private static async Task<MatchRun> FindRunAsync(SchoolDbContext db, Guid roundId, Guid runId, CancellationToken ct, string field = "match run") =>
        await db.MatchRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId && r.RoundId == roundId, ct)
            ?? throw new DomainRuleException(RuleMeaning.NotFound, $"The round has no match run {runId}.", field);

    private static DateOnly Today(DateTimeOffset now) => DateOnly.FromDateTime(now.UtcDateTime);

    private static string Title(Dictionary<Guid, CatalogPlacement> offers, Guid offerId) => offers.TryGetValue(offerId, out var p) ? p.Title : string.Empty;

    private static string Hospital(Dictionary<Guid, CatalogPlacement> offers, Guid offerId) => offers.TryGetValue(offerId, out var p) ? p.HospitalName : string.Empty;

    private static MatchRunSummary Summary(MatchRun run, MatchResult result, PlacementRound round) =>
        new(run.Id, run.RoundId, run.Kind, run.Seed, run.AlgorithmVersion, run.InputDigest, run.RanAt, run.Stable, run.Matched, run.Unmatched,
            RankDistributionView.From(result.RankDistribution), run.Id == round.PublishedRunId || run.Kind == MatchRunKind.Rematch);
}
