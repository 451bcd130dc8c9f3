using System.ComponentModel.DataAnnotations;
using CollabTraining.Contracts.School;
using CollabTraining.School.Catalog;
using CollabTraining.School.Data;
using CollabTraining.School.Rounds;
using CollabTraining.School.Runs;
using CollabTraining.Domain;
using CollabTraining.Messaging.Outbox;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Assignments;

/// <summary>A reason is kept with the assignment, sometimes behind a short prefix saying who acted: at most 900 characters.</summary>
public sealed record AssignmentDeclineRequest([property: Required, StringLength(900, MinimumLength = 3)] string? Reason);

public sealed record AssignmentMoveRequest(
    [property: Required] Guid? OfferId,
    [property: Required, StringLength(900, MinimumLength = 3)] string? Reason);

public sealed record AssignmentResponse(
    Guid Id, Guid RoundId, Guid? RunId, Guid OfferId, string OfferTitle, Guid HospitalId, string HospitalName, Guid StudentId, string StudentName,
    int Rank, PlacementAssignmentStatus Status, string? DeclineReason, Guid? MentorId, string? MentorName, DateTimeOffset AssignedAt, long Version);

public static class RoundAssignmentsApi
{
    public static void MapRoundAssignmentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(SchoolModule.RoutePrefix + "/rounds/{roundId:guid}").WithTags("Placement assignments");
        group.MapGet("/assignments", ListAssignments).WithName("ListRoundAssignments")
            .WithSummary("Every assignment of the round and its state, with student, offer and hospital names").RequireAuthorization(Policies.SchoolStaff);
        group.MapPost("/assignments/{assignmentId:guid}/decline", DeclineForStudent).WithName("DeclineAssignmentForStudent")
            .WithSummary("Decline an assignment on a student's behalf, with a reason (at any time; the deadline binds only students)")
            .RequireAuthorization(Policies.SchoolCoordinator);
        group.MapPost("/assignments/{assignmentId:guid}/move", MoveStudent).WithName("MoveAssignment")
            .WithSummary("Move a student to another offer of the round that has a free seat and that they are eligible for, with a reason")
            .RequireAuthorization(Policies.SchoolCoordinator);
        group.MapGet("/assignment/me", GetMyAssignment).WithName("GetMyAssignment")
            .WithSummary("Your current assignment in the round").RequireAuthorization(Policies.Student);
        group.MapPost("/assignment/me/decline", DeclineMyAssignment).WithName("DeclineMyAssignment")
            .WithSummary("Give up your assignment before the round's deadline").RequireAuthorization(Policies.Student);
    }

    public static async Task<Ok<List<AssignmentResponse>>> ListAssignments(Guid roundId, SchoolDbContext db, CancellationToken ct)
    {
        await RoundsApi.FindAsync(db, roundId, ct, tracked: false);
        var assignments = await db.PlacementAssignments.AsNoTracking().Where(a => a.RoundId == roundId).ToListAsync(ct);
        return TypedResults.Ok(await ToResponsesAsync(db, assignments.OrderBy(a => a.AssignedAt).ThenBy(a => a.StudentId), ct));
    }

    public static async Task<Results<Ok<AssignmentResponse>, ProblemHttpResult>> GetMyAssignment(Guid roundId, CurrentUser user, SchoolDbContext db, CancellationToken ct)
    {
        var assignment = (await db.PlacementAssignments.AsNoTracking().Where(a => a.RoundId == roundId && a.StudentId == user.UserId).ToListAsync(ct))
            .OrderByDescending(a => a.HoldsSeat).ThenByDescending(a => a.AssignedAt).FirstOrDefault();
        return assignment is null
            ? TypedResults.Problem(title: "No assignment.", detail: "You have no assignment in this round.", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok((await ToResponsesAsync(db, [assignment], ct))[0]);
    }

    public static async Task<Ok<AssignmentResponse>> DeclineMyAssignment(
        Guid roundId, AssignmentDeclineRequest request, CurrentUser user, SchoolDbContext db, Outbox outbox, TimeProvider time, CancellationToken ct)
    {
        var round = await RoundsApi.FindAsync(db, roundId, ct, tracked: false);
        var mine = await db.PlacementAssignments.Where(a => a.RoundId == roundId && a.StudentId == user.UserId).ToListAsync(ct);
        var assignment = mine.FirstOrDefault(a => a.HoldsSeat)
            ?? throw (mine.Count == 0
                ? new DomainRuleException(RuleMeaning.NotFound, "You hold no assignment in this round.")
                : DomainRuleException.Conflict($"Your assignment in this round is {mine.OrderByDescending(a => a.AssignedAt).First().Status} already; there is nothing left to decline."));
        var now = time.GetUtcNow();
        round.EnsureStudentMayDecline(now);
        outbox.Add(assignment.DeclineForStudent(request.Reason!, user.UserId, now));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await ToResponsesAsync(db, [assignment], ct))[0]);
    }

    public static async Task<Ok<AssignmentResponse>> DeclineForStudent(
        Guid roundId, Guid assignmentId, AssignmentDeclineRequest request, CurrentUser user, SchoolDbContext db, Outbox outbox, TimeProvider time, CancellationToken ct)
    {
        var assignment = await FindAsync(db, roundId, assignmentId, ct);
        outbox.Add(assignment.DeclineForStudent($"Declined by the school coordinator for the student: {request.Reason}", user.UserId, time.GetUtcNow()));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await ToResponsesAsync(db, [assignment], ct))[0]);
    }

    public static async Task<Ok<AssignmentResponse>> MoveStudent(
        Guid roundId, Guid assignmentId, AssignmentMoveRequest request, CurrentUser user, SchoolDbContext db, Outbox outbox, TimeProvider time, CancellationToken ct)
    {
        var round = await RoundsApi.FindAsync(db, roundId, ct);
        var current = await FindAsync(db, roundId, assignmentId, ct);
        var offerId = request.OfferId!.Value;
        var seats = await SeatBook.LoadAsync(db, round.OfferIds.Contains(offerId) ? [offerId] : [], ct);
        var student = await db.Students.AsNoTracking().SingleAsync(s => s.Id == current.StudentId, ct);
        var qualifications = await db.StudentQualifications.AsNoTracking().Where(q => q.StudentId == student.Id && q.RevokedAt == null).ToListAsync(ct);
        var held = (await HeldPlacements.LoadAsync(db, [student.Id], ct, exceptAssignment: current.Id))[student.Id];
        var ranking = (await db.RoundPreferences.AsNoTracking().SingleOrDefaultAsync(p => p.RoundId == roundId && p.StudentId == student.Id, ct))?.OfferIds ?? [];

        var (released, moved, assigned) = StudentMove.Move(round, current, offerId, seats.Placements.GetValueOrDefault(offerId), seats.Free(offerId),
            student, qualifications, held, ranking, request.Reason!, user.UserId, time.GetUtcNow());
        outbox.Add(released);
        db.PlacementAssignments.Add(moved);
        outbox.Add(assigned);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await ToResponsesAsync(db, [moved], ct))[0]);
    }

    private static async Task<PlacementAssignment> FindAsync(SchoolDbContext db, Guid roundId, Guid assignmentId, CancellationToken ct) =>
        await db.PlacementAssignments.SingleOrDefaultAsync(a => a.Id == assignmentId && a.RoundId == roundId, ct)
            ?? throw DomainRuleException.NotFound("assignment", assignmentId);

    private static async Task<List<AssignmentResponse>> ToResponsesAsync(SchoolDbContext db, IEnumerable<PlacementAssignment> assignments, CancellationToken ct)
    {
        var list = assignments.ToList();
        var (students, offers) = await RoundInstance.NamesAsync(db, list.Select(a => a.StudentId), list.Select(a => a.OfferId), ct);
        return list.Select(a =>
        {
            offers.TryGetValue(a.OfferId, out var p);
            return new AssignmentResponse(a.Id, a.RoundId, a.RunId, a.OfferId, p?.Title ?? string.Empty, a.HospitalId, p?.HospitalName ?? string.Empty,
                a.StudentId, students.TryGetValue(a.StudentId, out var s) ? s.Name : string.Empty,
                a.Rank, a.Status, a.DeclineReason, a.MentorId, a.MentorName, a.AssignedAt, a.Version);
        }).ToList();
    }
}
