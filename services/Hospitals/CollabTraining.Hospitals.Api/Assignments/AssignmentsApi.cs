using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using CollabTraining.Contracts.Hospitals;
using CollabTraining.Hospitals.Data;
using CollabTraining.ServiceDefaults.Http;
using CollabTraining.ServiceDefaults.Messaging.Outbox;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Hospitals.Assignments;

public sealed record HospitalAssignmentResponse(
    Guid Id, Guid RoundId, Guid OfferId, Guid StudentId, string StudentName, int StudyYear, string Programme, int Rank,
    string Status, string? DeclineReason, Guid? MentorId, string? MentorName, long Version);

public sealed record DeclineRequest([property: Required, StringLength(1000, MinimumLength = 3)] string? Reason);

public sealed record AssignMentorRequest([property: Required] Guid? MentorId);

public static class AssignmentsApi
{
    public static void MapAssignmentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(HospitalsModule.RoutePrefix + "/assignments").WithTags("Assignments").RequireAuthorization(Policies.HospitalStaff);
        group.MapGet("/", ListAssignments).WithName("ListHospitalAssignments")
            .WithSummary("Students assigned to your hospital's offers (a mentor sees only their own students)");
        group.MapPost("/{id:guid}/confirm", Confirm).WithName("ConfirmAssignment").WithSummary("Confirm you will host the student");
        group.MapPost("/{id:guid}/decline", Decline).WithName("DeclineAssignment").WithSummary("Decline the student, with a reason");
        group.MapPut("/{id:guid}/mentor", AssignMentor).WithName("AssignMentor").WithSummary("Assign a clinical mentor of your hospital to a confirmed student");
    }

    public static async Task<Ok<List<HospitalAssignmentResponse>>> ListAssignments(ClaimsPrincipal principal, HospitalsDbContext db, CancellationToken ct, Guid? offerId = null)
    {
        var user = CurrentUser.From(principal)!;
        var assignments = db.Assignments.AsNoTracking().Where(a => a.HospitalId == user.OrganisationId);
        if (user.IsInRole(Roles.Mentor) && !user.IsInRole(Roles.Coordinator))
        {
            assignments = assignments.Where(a => a.MentorId == user.UserId);
        }

        if (offerId is { } offer)
        {
            assignments = assignments.Where(a => a.OfferId == offer);
        }

        return TypedResults.Ok((await assignments.ToListAsync(ct)).OrderBy(a => a.ReceivedAt).ThenBy(a => a.StudentName).Select(ToResponse).ToList());
    }

    public static async Task<Results<Ok<HospitalAssignmentResponse>, ProblemHttpResult>> Confirm(
        Guid id, ClaimsPrincipal principal, HospitalsDbContext db, Outbox outbox, TimeProvider time, CancellationToken ct)
    {
        var (assignment, problem) = await FindOwnAsync(id, principal, db, ct);
        if (problem is not null)
        {
            return problem;
        }

        assignment!.Confirm();
        outbox.Add(new PlacementAssignmentConfirmed(assignment.Id, assignment.OfferId, assignment.StudentId, assignment.Version, time.GetUtcNow()));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToResponse(assignment));
    }

    public static async Task<Results<Ok<HospitalAssignmentResponse>, ProblemHttpResult>> Decline(
        Guid id, DeclineRequest request, ClaimsPrincipal principal, HospitalsDbContext db, Outbox outbox, TimeProvider time, CancellationToken ct)
    {
        var (assignment, problem) = await FindOwnAsync(id, principal, db, ct);
        if (problem is not null)
        {
            return problem;
        }

        assignment!.Decline(request.Reason!.Trim());
        outbox.Add(new PlacementAssignmentDeclined(assignment.Id, assignment.OfferId, assignment.StudentId, assignment.DeclineReason!, assignment.Version, time.GetUtcNow()));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToResponse(assignment));
    }

    public static async Task<Results<Ok<HospitalAssignmentResponse>, ValidationProblem, ProblemHttpResult>> AssignMentor(
        Guid id, AssignMentorRequest request, ClaimsPrincipal principal, HospitalsDbContext db, Outbox outbox, TimeProvider time, CancellationToken ct)
    {
        var (assignment, problem) = await FindOwnAsync(id, principal, db, ct);
        if (problem is not null)
        {
            return problem;
        }

        if (!CurrentUser.From(principal)!.IsInRole(Roles.Coordinator))
        {
            return Problems.Forbidden("Only the hospital's coordinator assigns mentors.");
        }

        var mentor = await db.ClinicalMentors.SingleOrDefaultAsync(m => m.Id == request.MentorId && m.HospitalId == assignment!.HospitalId, ct);
        if (mentor is null)
        {
            return Problems.Invalid(nameof(request.MentorId), $"{request.MentorId} is not a clinical mentor of your hospital.");
        }

        assignment!.AssignMentor(mentor);
        outbox.Add(new ClinicalMentorAssigned(assignment.Id, assignment.StudentId, mentor.Id, mentor.Name, assignment.Version, time.GetUtcNow()));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToResponse(assignment));
    }

    private static async Task<(HospitalAssignment? Assignment, ProblemHttpResult? Problem)> FindOwnAsync(Guid id, ClaimsPrincipal principal, HospitalsDbContext db, CancellationToken ct)
    {
        var assignment = await db.Assignments.SingleOrDefaultAsync(a => a.Id == id, ct);
        if (assignment is null)
        {
            return (null, Problems.NotFound("assignment", id));
        }

        var user = CurrentUser.From(principal)!;
        if (!user.BelongsTo(assignment.HospitalId))
        {
            return (null, Problems.Forbidden("The assignment is to another hospital's offer."));
        }

        // Mentors see and evaluate their own students; answering the school is the hospital coordinators' call.
        return user.IsInRole(Roles.Mentor) && !user.IsInRole(Roles.Coordinator)
            ? (null, Problems.Forbidden("Only the hospital's coordinators confirm, decline or assign mentors."))
            : (assignment, null);
    }

    private static HospitalAssignmentResponse ToResponse(HospitalAssignment a) =>
        new(a.Id, a.RoundId, a.OfferId, a.StudentId, a.StudentName, a.StudyYear, a.Programme, a.Rank, a.Status.ToString(), a.DeclineReason, a.MentorId, a.MentorName, a.Version);
}
