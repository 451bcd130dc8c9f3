using System.ComponentModel.DataAnnotations;
using CollabTraining.Contracts.School;
using CollabTraining.School.Catalog;
using CollabTraining.School.Data;
using CollabTraining.School.Rounds;
using CollabTraining.School.Runs;
using CollabTraining.ServiceDefaults.Domain;
using CollabTraining.Messaging.Outbox;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Assignments;

public sealed record AssignmentDeclineRequest([property: Required, StringLength(1000, MinimumLength = 3)] string? Reason);

public sealed record AssignmentMoveRequest(
    [property: Required] Guid? OfferId,
    [property: Required, StringLength(1000, MinimumLength = 3)] string? Reason);

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
        var assignment = (await db.PlacementAssignments.Where(a => a.RoundId == roundId && a.StudentId == user.UserId).ToListAsync(ct)).FirstOrDefault(a => a.HoldsSeat)
            ?? throw new DomainRuleException(RuleMeaning.NotFound, "You hold no assignment in this round.");
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

    /// <summary>
    /// Releases the student's seat and places them on another offer of the round: one with a free seat
    /// (counted across rounds) that they are eligible for, ignoring the placement they are leaving.
    /// </summary>
    public static async Task<Ok<AssignmentResponse>> MoveStudent(
        Guid roundId, Guid assignmentId, AssignmentMoveRequest request, CurrentUser user, SchoolDbContext db, Outbox outbox, TimeProvider time, CancellationToken ct)
    {
        var round = await RoundsApi.FindAsync(db, roundId, ct, tracked: false);
        var now = time.GetUtcNow();
        round.EnsurePublished(now);
        var current = await FindAsync(db, roundId, assignmentId, ct);
        var offerId = request.OfferId!.Value;
        if (!round.OfferIds.Contains(offerId))
        {
            throw DomainRuleException.Invalid("offerId", "The offer is not part of this round.");
        }

        if (offerId == current.OfferId)
        {
            throw DomainRuleException.Invalid("offerId", "The student already holds this offer.");
        }

        var seats = await SeatBook.LoadAsync(db, [offerId], ct);
        var target = seats.Placements[offerId];
        var student = await db.Students.AsNoTracking().SingleAsync(s => s.Id == current.StudentId, ct);
        var qualifications = await db.StudentQualifications.AsNoTracking().Where(q => q.StudentId == student.Id).ToListAsync(ct);
        var held = (await HeldPlacements.LoadAsync(db, [student.Id], ct, exceptAssignment: current.Id))[student.Id];
        if (PlacementEligibility.UnmetRequirement(student, qualifications, target, held) is { } unmet)
        {
            throw DomainRuleException.Conflict($"{student.Name} cannot take '{target.Title}': {unmet}.");
        }

        if (seats.Free(offerId) == 0)
        {
            throw DomainRuleException.Conflict($"'{target.Title}' has no free seat.");
        }

        var preference = await db.RoundPreferences.AsNoTracking().SingleOrDefaultAsync(p => p.RoundId == roundId && p.StudentId == student.Id, ct);
        var rank = preference?.OfferIds.IndexOf(offerId) + 1 ?? 0;
        outbox.Add(current.Release($"Moved by the school coordinator: {request.Reason}", user.UserId, now));
        var (moved, assigned) = PlacementAssignment.Make(roundId, null, offerId, target.HospitalId, student, rank, now);
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
