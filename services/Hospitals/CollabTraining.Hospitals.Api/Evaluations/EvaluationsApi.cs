using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using CollabTraining.Contracts.Hospitals;
using CollabTraining.Hospitals.Assignments;
using CollabTraining.Hospitals.Data;
using CollabTraining.ServiceDefaults.Http;
using CollabTraining.ServiceDefaults.Messaging.Outbox;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Hospitals.Evaluations;

public sealed record ScoresRequest(
    [property: Required, Range(1, 5)] int? HistoryTaking,
    [property: Required, Range(1, 5)] int? PhysicalExamination,
    [property: Required, Range(1, 5)] int? ClinicalReasoning,
    [property: Required, Range(1, 5)] int? ProceduralSkills,
    [property: Required, Range(1, 5)] int? Communication,
    [property: Required, Range(1, 5)] int? Professionalism);

public sealed record EvaluationRequest(
    [property: Required, AllowedValues("Mid", "Final", "mid", "final")] string? Kind,
    [property: Required] ScoresRequest? Scores,
    [property: Required, Range(1, 5)] int? Entrustment,
    [property: Required, StringLength(4000, MinimumLength = 10)] string? Narrative);

public sealed record EvaluationResponse(Guid Id, Guid AssignmentId, Guid StudentId, string Kind, CompetencyScores Scores, int Entrustment, string Narrative, DateTimeOffset RecordedAt);

public sealed record HoursRequest([property: Required] DateOnly? Date, [property: Required, Range(0.5, 24)] decimal? Hours, [property: Required, StringLength(500, MinimumLength = 3)] string? Activity);

public sealed record HoursReviewRequest([property: StringLength(1000)] string? Note);

public sealed record HoursResponse(Guid Id, Guid AssignmentId, Guid StudentId, DateOnly Date, decimal Hours, string Activity, string Status, string? ReviewNote);

public static class EvaluationsApi
{
    public static void MapEvaluationsApi(this IEndpointRouteBuilder app)
    {
        var mentors = app.MapGroup(HospitalsModule.RoutePrefix).WithTags("Evaluations and hours").RequireAuthorization(Policies.HospitalStaff);
        mentors.MapPost("/assignments/{id:guid}/evaluations", RecordEvaluation).WithName("RecordEvaluation")
            .WithSummary("The student's mentor records the mid-placement or final evaluation");
        mentors.MapPost("/hours/{logId:guid}/approve", (Guid logId, HoursReviewRequest? request, ClaimsPrincipal principal, HospitalsDbContext db, Outbox outbox, TimeProvider time, CancellationToken ct) =>
            ReviewHours(logId, true, request, principal, db, outbox, time, ct)).WithName("ApproveHours").WithSummary("The mentor approves logged hours");
        mentors.MapPost("/hours/{logId:guid}/reject", (Guid logId, HoursReviewRequest? request, ClaimsPrincipal principal, HospitalsDbContext db, Outbox outbox, TimeProvider time, CancellationToken ct) =>
            ReviewHours(logId, false, request, principal, db, outbox, time, ct)).WithName("RejectHours").WithSummary("The mentor rejects logged hours");
        mentors.MapGet("/assignments/{id:guid}/hours", ListHours).WithName("ListHours").WithSummary("Hours logged on a placement");

        var students = app.MapGroup(HospitalsModule.RoutePrefix).WithTags("Evaluations and hours").RequireAuthorization(Policies.Student);
        students.MapPost("/assignments/{id:guid}/hours/me", LogHours).WithName("LogHours").WithSummary("A placed student logs hours worked");
    }

    public static async Task<Results<Created<EvaluationResponse>, ValidationProblem, ProblemHttpResult>> RecordEvaluation(
        Guid id, EvaluationRequest request, ClaimsPrincipal principal, HospitalsDbContext db, Outbox outbox, TimeProvider time, CancellationToken ct)
    {
        var user = CurrentUser.From(principal)!;
        var assignment = await db.Assignments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct);
        if (assignment is null)
        {
            return Problems.NotFound("assignment", id);
        }

        if (assignment.MentorId != user.UserId)
        {
            return Problems.Forbidden("Only the student's assigned mentor evaluates them.");
        }

        if (assignment.Status != HospitalAssignmentStatus.Confirmed)
        {
            return Problems.Conflict($"Only a confirmed placement is evaluated; this one is {assignment.Status}.");
        }

        var kind = Enum.Parse<EvaluationKind>(request.Kind!, ignoreCase: true);
        if (await db.Evaluations.AnyAsync(e => e.AssignmentId == id && e.Kind == kind, ct))
        {
            return Problems.Conflict($"The {kind.ToString().ToLowerInvariant()} evaluation of this placement is already recorded.");
        }

        var s = request.Scores!;
        var now = time.GetUtcNow();
        var evaluation = new Evaluation
        {
            Id = Guid.CreateVersion7(now),
            AssignmentId = id,
            StudentId = assignment.StudentId,
            MentorId = user.UserId,
            Kind = kind,
            HistoryTaking = s.HistoryTaking!.Value,
            PhysicalExamination = s.PhysicalExamination!.Value,
            ClinicalReasoning = s.ClinicalReasoning!.Value,
            ProceduralSkills = s.ProceduralSkills!.Value,
            Communication = s.Communication!.Value,
            Professionalism = s.Professionalism!.Value,
            Entrustment = request.Entrustment!.Value,
            Narrative = request.Narrative!.Trim(),
            RecordedAt = now,
        };
        db.Evaluations.Add(evaluation);
        var scores = Scores(evaluation);
        outbox.Add(new EvaluationRecorded(evaluation.Id, id, assignment.StudentId, assignment.HospitalId, user.UserId, assignment.MentorName ?? user.Name,
            kind.ToString(), scores, evaluation.Entrustment, evaluation.Narrative, 1, now));
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"{HospitalsModule.RoutePrefix}/assignments/{id}/evaluations/{evaluation.Id}",
            new EvaluationResponse(evaluation.Id, id, evaluation.StudentId, kind.ToString(), scores, evaluation.Entrustment, evaluation.Narrative, now));
    }

    public static async Task<Results<Created<HoursResponse>, ProblemHttpResult>> LogHours(
        Guid id, HoursRequest request, ClaimsPrincipal principal, HospitalsDbContext db, TimeProvider time, CancellationToken ct)
    {
        var user = CurrentUser.From(principal)!;
        var assignment = await db.Assignments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct);
        if (assignment is null || assignment.StudentId != user.UserId)
        {
            return assignment is null ? Problems.NotFound("assignment", id) : Problems.Forbidden("You can log hours only on your own placement.");
        }

        if (assignment.Status != HospitalAssignmentStatus.Confirmed)
        {
            return Problems.Conflict("Hours are logged on a confirmed placement only.");
        }

        if (request.Date > DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime))
        {
            return TypedResults.Problem(title: "The request breaks a rule.", detail: "Hours cannot be logged for a day that has not happened yet.", statusCode: StatusCodes.Status400BadRequest);
        }

        var log = new HoursLog
        {
            Id = Guid.CreateVersion7(time.GetUtcNow()),
            AssignmentId = id,
            StudentId = user.UserId,
            Date = request.Date!.Value,
            Hours = request.Hours!.Value,
            Activity = request.Activity!.Trim(),
            Status = HoursStatus.Pending,
            Version = 1,
        };
        db.HoursLogs.Add(log);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"{HospitalsModule.RoutePrefix}/assignments/{id}/hours", ToResponse(log));
    }

    public static async Task<Results<Ok<List<HoursResponse>>, ProblemHttpResult>> ListHours(Guid id, ClaimsPrincipal principal, HospitalsDbContext db, CancellationToken ct)
    {
        var user = CurrentUser.From(principal)!;
        var assignment = await db.Assignments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct);
        if (assignment is null || !user.BelongsTo(assignment.HospitalId))
        {
            return assignment is null ? Problems.NotFound("assignment", id) : Problems.Forbidden("The assignment is to another hospital's offer.");
        }

        if (user.IsInRole(Roles.Mentor) && !user.IsInRole(Roles.Coordinator) && assignment.MentorId != user.UserId)
        {
            return Problems.Forbidden("A mentor sees only their own students' hours.");
        }

        return TypedResults.Ok((await db.HoursLogs.AsNoTracking().Where(h => h.AssignmentId == id).ToListAsync(ct)).OrderBy(h => h.Date).Select(ToResponse).ToList());
    }

    private static async Task<Results<Ok<HoursResponse>, ProblemHttpResult>> ReviewHours(
        Guid logId, bool approve, HoursReviewRequest? request, ClaimsPrincipal principal, HospitalsDbContext db, Outbox outbox, TimeProvider time, CancellationToken ct)
    {
        var user = CurrentUser.From(principal)!;
        var log = await db.HoursLogs.SingleOrDefaultAsync(h => h.Id == logId, ct);
        var assignment = log is null ? null : await db.Assignments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == log.AssignmentId, ct);
        if (log is null || assignment is null)
        {
            return Problems.NotFound("hours entry", logId);
        }

        if (assignment.MentorId != user.UserId)
        {
            return Problems.Forbidden("Only the student's mentor reviews their hours.");
        }

        if (log.Status != HoursStatus.Pending)
        {
            return Problems.Conflict($"These hours were already {log.Status.ToString().ToLowerInvariant()}.");
        }

        log.Status = approve ? HoursStatus.Approved : HoursStatus.Rejected;
        log.ReviewNote = request?.Note;
        log.Version++;
        outbox.Add(new HoursReviewed(log.Id, log.AssignmentId, log.StudentId, log.Date, log.Hours, approve, log.Version, time.GetUtcNow()));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToResponse(log));
    }

    private static CompetencyScores Scores(Evaluation e) =>
        new(e.HistoryTaking, e.PhysicalExamination, e.ClinicalReasoning, e.ProceduralSkills, e.Communication, e.Professionalism);

    private static HoursResponse ToResponse(HoursLog h) =>
        new(h.Id, h.AssignmentId, h.StudentId, h.Date, h.Hours, h.Activity, h.Status.ToString(), h.ReviewNote);
}
