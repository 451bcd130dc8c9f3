using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using CollabTraining.Contracts.School;
using CollabTraining.School.Data;
using CollabTraining.School.Matching;
using CollabTraining.ServiceDefaults.Http;
using CollabTraining.ServiceDefaults.Messaging.Outbox;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Rounds;

public sealed record PublishRunRequest(DateTimeOffset? StudentDeclineDeadline);

public sealed record PublishedResponse(Guid RoundId, Guid RunId, int Published);

public sealed record RematchResponse(Guid RoundId, Guid RunId, long Seed, string InputDigest, bool Stable, int NewAssignments, IReadOnlyList<Guid> Unmatched);

public sealed record StudentDeclineRequest([property: Required, StringLength(1000, MinimumLength = 3)] string? Reason);

public sealed record AssignmentResponse(Guid Id, Guid RoundId, Guid OfferId, Guid HospitalId, Guid StudentId, int Rank, string Status, string? DeclineReason, Guid? MentorId, string? MentorName, long Version);

public static class AssignmentsApi
{
    public static void MapAssignmentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(SchoolModule.RoutePrefix + "/rounds/{roundId:guid}").WithTags("Placement rounds");
        group.MapPost("/runs/{runId:guid}/publish", PublishRun).WithName("PublishMatchRun")
            .WithSummary("Send a run's assignments to the hospitals for confirmation").RequireAuthorization(Policies.SchoolCoordinator);
        group.MapPost("/rematch", Rematch).WithName("Rematch")
            .WithSummary("Re-match declined students and freed seats; confirmed and pending placements stay").RequireAuthorization(Policies.SchoolCoordinator);
        group.MapGet("/assignments", ListAssignments).WithName("ListRoundAssignments")
            .WithSummary("Every assignment of the round and its state").RequireAuthorization(Policies.SchoolStaff);
        group.MapGet("/assignment/me", GetMyAssignment).WithName("GetMyAssignment")
            .WithSummary("Your current assignment in the round").RequireAuthorization(Policies.Student);
        group.MapPost("/assignment/me/decline", DeclineMyAssignment).WithName("DeclineMyAssignment")
            .WithSummary("Give up your assignment before the round's deadline").RequireAuthorization(Policies.Student);
    }

    public static async Task<Results<Ok<PublishedResponse>, ProblemHttpResult>> PublishRun(
        Guid roundId, Guid runId, PublishRunRequest? request, SchoolDbContext db, Outbox outbox, TimeProvider time, CancellationToken ct)
    {
        var round = await db.PlacementRounds.SingleOrDefaultAsync(r => r.Id == roundId, ct);
        var run = await db.MatchRuns.AsNoTracking().SingleOrDefaultAsync(r => r.Id == runId && r.RoundId == roundId, ct);
        if (round is null || run is null)
        {
            return round is null ? Problems.NotFound("placement round", roundId) : Problems.NotFound("match run", runId);
        }

        if (round.Status != RoundStatus.Matched || run.Kind != "Initial")
        {
            return Problems.Conflict(round.Status == RoundStatus.Published
                ? "The round's assignments were already published; declines are handled by re-matching."
                : "Only an initial run of a matched round can be published.");
        }

        var now = time.GetUtcNow();
        var result = run.ReadResult();
        var published = await AssignAsync(db, outbox, round, run.Id, result.Assignments, now, ct);
        round.Status = RoundStatus.Published;
        round.PublishedRunId = run.Id;
        round.StudentDeclineDeadline = request?.StudentDeclineDeadline ?? now.AddDays(7);
        round.Version++;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new PublishedResponse(roundId, runId, published));
    }

    public static async Task<Results<Ok<RematchResponse>, ProblemHttpResult>> Rematch(
        Guid roundId, RunMatchRequest? request, ClaimsPrincipal principal, SchoolDbContext db, Outbox outbox, TimeProvider time, CancellationToken ct)
    {
        var round = await db.PlacementRounds.SingleOrDefaultAsync(r => r.Id == roundId, ct);
        if (round is null)
        {
            return Problems.NotFound("placement round", roundId);
        }

        if (round.Status != RoundStatus.Published)
        {
            return Problems.Conflict("Only a round whose assignments were published can be re-matched.");
        }

        var now = time.GetUtcNow();
        var assignments = await db.PlacementAssignments.AsNoTracking().Where(a => a.RoundId == roundId).ToListAsync(ct);
        var seed = request?.Seed ?? BitConverter.ToInt64(Guid.NewGuid().ToByteArray());
        var instance = await RoundInstance.BuildAsync(db, round, seed, ct, Rematching.From(assignments));
        var result = MatchEngine.Run(instance);
        var run = MatchRun.Record(roundId, "Rematch", result, CurrentUser.From(principal)!.UserId, now);
        db.MatchRuns.Add(run);
        var published = await AssignAsync(db, outbox, round, run.Id, result.Assignments, now, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new RematchResponse(roundId, run.Id, seed, result.InputDigest, result.Certificate.IsStable, published, result.Unmatched));
    }

    public static async Task<Ok<List<AssignmentResponse>>> ListAssignments(Guid roundId, SchoolDbContext db, CancellationToken ct) =>
        TypedResults.Ok((await db.PlacementAssignments.AsNoTracking().Where(a => a.RoundId == roundId).ToListAsync(ct))
            .OrderBy(a => a.AssignedAt).ThenBy(a => a.StudentId).Select(ToResponse).ToList());

    public static async Task<Results<Ok<AssignmentResponse>, ProblemHttpResult>> GetMyAssignment(Guid roundId, ClaimsPrincipal principal, SchoolDbContext db, CancellationToken ct)
    {
        var user = CurrentUser.From(principal)!;
        var assignment = (await db.PlacementAssignments.AsNoTracking().Where(a => a.RoundId == roundId && a.StudentId == user.UserId).ToListAsync(ct))
            .OrderByDescending(a => a.HoldsSeat).ThenByDescending(a => a.AssignedAt).FirstOrDefault();
        return assignment is null
            ? TypedResults.Problem(title: "No assignment.", detail: "You have no assignment in this round.", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(ToResponse(assignment));
    }

    public static async Task<Results<Ok<AssignmentResponse>, ProblemHttpResult>> DeclineMyAssignment(
        Guid roundId, StudentDeclineRequest request, ClaimsPrincipal principal, SchoolDbContext db, Outbox outbox, TimeProvider time, CancellationToken ct)
    {
        var user = CurrentUser.From(principal)!;
        var round = await db.PlacementRounds.AsNoTracking().SingleOrDefaultAsync(r => r.Id == roundId, ct);
        var assignment = (await db.PlacementAssignments.Where(a => a.RoundId == roundId && a.StudentId == user.UserId).ToListAsync(ct)).FirstOrDefault(a => a.HoldsSeat);
        if (round is null || assignment is null)
        {
            return TypedResults.Problem(title: "No assignment.", detail: "You hold no assignment in this round.", statusCode: StatusCodes.Status404NotFound);
        }

        var now = time.GetUtcNow();
        if (round.StudentDeclineDeadline is { } deadline && now > deadline)
        {
            return Problems.Conflict($"The deadline to decline was {deadline:u}; ask the school coordinator.");
        }

        assignment.Status = AssignmentStatus.DeclinedByStudent;
        assignment.DeclineReason = request.Reason!.Trim();
        assignment.Version++;
        outbox.Add(new PlacementDeclinedByStudent(assignment.Id, assignment.HospitalId, assignment.DeclineReason, assignment.Version, now));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToResponse(assignment));
    }

    /// <summary>Turns a run's assignments into pending assignments and asks each hospital to confirm.</summary>
    private static async Task<int> AssignAsync(SchoolDbContext db, Outbox outbox, PlacementRound round, Guid runId, IReadOnlyList<MatchAssignment> assignments, DateTimeOffset now, CancellationToken ct)
    {
        var studentIds = assignments.Select(a => a.StudentId).ToList();
        var students = await db.Students.AsNoTracking().Where(s => studentIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var hospitals = await db.CatalogPlacements.AsNoTracking().Where(p => round.OfferIds.Contains(p.OfferId)).ToDictionaryAsync(p => p.OfferId, p => p.HospitalId, ct);
        foreach (var match in assignments)
        {
            var assignment = new PlacementAssignment
            {
                Id = Guid.CreateVersion7(now),
                RoundId = round.Id,
                RunId = runId,
                OfferId = match.OfferId,
                HospitalId = hospitals[match.OfferId],
                StudentId = match.StudentId,
                Rank = match.Rank,
                Status = AssignmentStatus.Pending,
                Version = 1,
                AssignedAt = now,
            };
            db.PlacementAssignments.Add(assignment);
            var student = students[match.StudentId];
            outbox.Add(new PlacementAssigned(assignment.Id, round.Id, match.OfferId, assignment.HospitalId, student.Id, student.Name, student.StudyYear, student.Programme, match.Rank, 1, now));
        }

        return assignments.Count;
    }

    private static AssignmentResponse ToResponse(PlacementAssignment a) =>
        new(a.Id, a.RoundId, a.OfferId, a.HospitalId, a.StudentId, a.Rank, a.Status.ToString(), a.DeclineReason, a.MentorId, a.MentorName, a.Version);
}
