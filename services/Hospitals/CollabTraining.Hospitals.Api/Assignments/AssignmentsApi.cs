using System.ComponentModel.DataAnnotations;
using CollabTraining.Contracts.School;
using CollabTraining.Hospitals.Data;
using CollabTraining.Domain;
using CollabTraining.Messaging.Outbox;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Hospitals.Assignments;

public sealed record HospitalAssignmentResponse(
    Guid Id, Guid RoundId, Guid OfferId, string OfferTitle, Guid StudentId, string StudentName, int StudyYear, string Programme,
    PlacementAssignmentStatus Status, string? DeclineReason, Guid? MentorId, string? MentorName, long Version);

public sealed record DeclineRequest([property: Required, StringLength(1000, MinimumLength = 3)] string? Reason);

public sealed record AssignMentorRequest([property: Required] Guid? MentorId);

public static class AssignmentsApi
{
    public static void MapAssignmentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(HospitalsModule.RoutePrefix + "/assignments").WithTags("Assignments");
        group.MapGet("/", ListAssignments).WithName("ListHospitalAssignments")
            .WithSummary("Students assigned to your hospital's offers (a mentor sees only their own students); `offerId` narrows to one offer")
            .RequireAuthorization(Policies.HospitalStaff);
        group.MapPost("/{id:guid}/confirm", Confirm).WithName("ConfirmAssignment")
            .WithSummary("Confirm you will host the student (while a seat is free)").RequireAuthorization(Policies.HospitalCoordinator);
        group.MapPost("/{id:guid}/decline", Decline).WithName("DeclineAssignment")
            .WithSummary("Decline the student, with a reason; the school re-matches them").RequireAuthorization(Policies.HospitalCoordinator);
        group.MapPut("/{id:guid}/mentor", AssignMentor).WithName("AssignMentor")
            .WithSummary("Assign one of your hospital's clinical mentors to a confirmed student").RequireAuthorization(Policies.HospitalCoordinator);
    }

    public static async Task<Ok<List<HospitalAssignmentResponse>>> ListAssignments(CurrentUser user, HospitalsDbContext db, CancellationToken ct, Guid? offerId = null)
    {
        var assignments = db.Assignments.AsNoTracking().VisibleTo(user);
        if (offerId is { } offer)
        {
            assignments = assignments.Where(a => a.OfferId == offer);
        }

        var list = await assignments.ToListAsync(ct);
        return TypedResults.Ok(await ToResponsesAsync(db, list.OrderBy(a => a.ReceivedAt).ThenBy(a => a.StudentName), ct));
    }

    public static async Task<Ok<HospitalAssignmentResponse>> Confirm(Guid id, CurrentUser user, HospitalsDbContext db, Outbox outbox, TimeProvider time, CancellationToken ct)
    {
        var assignment = await FindOwnAsync(id, user, db, ct);
        var offer = await OfferOfAsync(db, assignment, ct);
        var confirmed = await db.Assignments.CountAsync(a => a.OfferId == offer.Id && a.Status == PlacementAssignmentStatus.Confirmed, ct);
        outbox.Add(assignment.Confirm(offer, confirmed, time.GetUtcNow()));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await ToResponsesAsync(db, [assignment], ct))[0]);
    }

    public static async Task<Ok<HospitalAssignmentResponse>> Decline(Guid id, DeclineRequest request, CurrentUser user, HospitalsDbContext db, Outbox outbox, TimeProvider time, CancellationToken ct)
    {
        var assignment = await FindOwnAsync(id, user, db, ct);
        outbox.Add(assignment.Decline(request.Reason!, time.GetUtcNow()));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await ToResponsesAsync(db, [assignment], ct))[0]);
    }

    public static async Task<Ok<HospitalAssignmentResponse>> AssignMentor(
        Guid id, AssignMentorRequest request, CurrentUser user, HospitalsDbContext db, Outbox outbox, TimeProvider time, CancellationToken ct)
    {
        var assignment = await FindOwnAsync(id, user, db, ct);
        var mentor = await db.ClinicalMentors.SingleOrDefaultAsync(m => m.Id == request.MentorId && m.HospitalId == assignment.HospitalId, ct)
            ?? throw DomainRuleException.Invalid("mentorId", $"{request.MentorId} is not a clinical mentor of your hospital.");
        outbox.Add(assignment.AssignMentor(mentor, time.GetUtcNow()));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await ToResponsesAsync(db, [assignment], ct))[0]);
    }

    public static async Task<HospitalAssignment> FindOwnAsync(Guid id, CurrentUser user, HospitalsDbContext db, CancellationToken ct)
    {
        var assignment = await db.Assignments.SingleOrDefaultAsync(a => a.Id == id, ct) ?? throw DomainRuleException.NotFound("assignment", id);
        user.EnsureMemberOf(assignment.HospitalId, "The assignment is to another hospital's offer.");
        return assignment;
    }

    /// <summary>The offer an assignment is on; one the hospital does not know (inconsistent data) is a conflict, not a crash.</summary>
    public static async Task<Placements.PlacementOffer> OfferOfAsync(HospitalsDbContext db, HospitalAssignment assignment, CancellationToken ct) =>
        await db.PlacementOffers.SingleOrDefaultAsync(o => o.Id == assignment.OfferId, ct)
            ?? throw DomainRuleException.Conflict($"The placement {assignment.OfferId} of this assignment is unknown here.");

    public static async Task<List<HospitalAssignmentResponse>> ToResponsesAsync(HospitalsDbContext db, IEnumerable<HospitalAssignment> assignments, CancellationToken ct)
    {
        var list = assignments.ToList();
        var offerIds = list.Select(a => a.OfferId).Distinct().ToList();
        var titles = await db.PlacementOffers.AsNoTracking().Where(o => offerIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Title, ct);
        return list.Select(a => new HospitalAssignmentResponse(a.Id, a.RoundId, a.OfferId, titles.GetValueOrDefault(a.OfferId, string.Empty), a.StudentId, a.StudentName,
            a.StudyYear, a.Programme, a.Status, a.DeclineReason, a.MentorId, a.MentorName, a.Version)).ToList();
    }
}
