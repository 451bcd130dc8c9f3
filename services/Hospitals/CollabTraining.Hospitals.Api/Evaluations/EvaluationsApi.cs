using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using CollabTraining.Contracts.Hospitals;
using CollabTraining.Hospitals.Assignments;
using CollabTraining.Hospitals.Data;
using CollabTraining.Domain;
using CollabTraining.Messaging.Outbox;
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
    [property: Required, Range(1, 5)] int? Professionalism)
{
    public CompetencyScores ToScores() => new(HistoryTaking!.Value, PhysicalExamination!.Value, ClinicalReasoning!.Value, ProceduralSkills!.Value, Communication!.Value, Professionalism!.Value);
}

public sealed record EvaluationRequest(
    [property: Required, Description("Mid (after the placement starts) or Final (in its last week).")] EvaluationKind? Kind,
    [property: Required] ScoresRequest? Scores,
    [property: Required, Range(1, 5)] int? Entrustment,
    [property: Required, StringLength(4000, MinimumLength = 10)] string? Narrative);

public sealed record EvaluationResponse(
    Guid Id, Guid AssignmentId, Guid StudentId, string StudentName, Guid MentorId, EvaluationKind Kind, CompetencyScores Scores, int Entrustment, string Narrative, DateTimeOffset RecordedAt);

public sealed record HoursRequest(
    [property: Required, Description("A day of the placement that has happened.")] DateOnly? Date,
    [property: Required, Range(0.5, 24), Description("At most the daily cap (Hours:MaxPerDay, 24 unless configured lower) across your entries that day.")] decimal? Hours,
    [property: Required, StringLength(500, MinimumLength = 3)] string? Activity);

public sealed record HoursReviewRequest([property: StringLength(1000), Description("Optional when approving; required when rejecting.")] string? Note);

public sealed record HoursResponse(Guid Id, Guid AssignmentId, Guid StudentId, DateOnly Date, decimal Hours, string Activity, HoursStatus Status, string? ReviewNote, DateTimeOffset LoggedAt);

/// <summary>Settings under <c>Hours</c>.</summary>
public sealed class HoursOptions
{
    /// <summary>The most hours a student may log for one day, across entries; 24 at most.</summary>
    public decimal MaxPerDay { get; set; } = 24;
}

public static class EvaluationsApi
{
    public static void MapEvaluationsApi(this IEndpointRouteBuilder app)
    {
        var staff = app.MapGroup(HospitalsModule.RoutePrefix).WithTags("Evaluations and hours").RequireAuthorization(Policies.HospitalStaff);
        staff.MapPost("/assignments/{id:guid}/evaluations", RecordEvaluation).WithName("RecordEvaluation")
            .WithSummary("The student's mentor records the mid-placement or final evaluation (six competencies, entrustment, narrative)");
        staff.MapGet("/assignments/{id:guid}/evaluations", ListEvaluations).WithName("ListEvaluations")
            .WithSummary("Evaluations of a placement (the hospital's coordinators, or the student's mentor)");
        staff.MapGet("/evaluations/mine", ListMyEvaluations).WithName("ListMyEvaluations").WithSummary("Every evaluation you recorded as a mentor");
        staff.MapPost("/hours/{logId:guid}/approve", ApproveHours).WithName("ApproveHours").WithSummary("The mentor approves logged hours");
        staff.MapPost("/hours/{logId:guid}/reject", RejectHours).WithName("RejectHours").WithSummary("The mentor rejects logged hours, with a note saying why");
        staff.MapGet("/assignments/{id:guid}/hours", ListHours).WithName("ListHours").WithSummary("Hours logged on a placement (coordinators, or the student's mentor)");

        var students = app.MapGroup(HospitalsModule.RoutePrefix).WithTags("Evaluations and hours").RequireAuthorization(Policies.Student);
        students.MapPost("/assignments/{id:guid}/hours/me", LogHours).WithName("LogHours").WithSummary("A placed student logs hours worked on a day of the placement");
        students.MapGet("/hours/me", ListMyHours).WithName("ListMyHours").WithSummary("Every hours entry you logged, with its review state and note");
    }

    public static async Task<Created<EvaluationResponse>> RecordEvaluation(
        Guid id, EvaluationRequest request, CurrentUser user, HospitalsDbContext db, Outbox outbox, TimeProvider time, CancellationToken ct)
    {
        var assignment = await db.Assignments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct) ?? throw DomainRuleException.NotFound("assignment", id);
        assignment.EnsureMentoredBy(user, "Only the student's assigned mentor evaluates them.");
        var offer = await AssignmentsApi.OfferOfAsync(db, assignment, ct);
        var kinds = await db.Evaluations.Where(e => e.AssignmentId == id).Select(e => e.Kind).ToListAsync(ct);
        var (evaluation, recorded) = Evaluation.Record(assignment, offer, kinds, user.UserId, request.Kind!.Value, request.Scores!.ToScores(), request.Entrustment!.Value, request.Narrative!, time.GetUtcNow());
        db.Evaluations.Add(evaluation);
        outbox.Add(recorded);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"{HospitalsModule.RoutePrefix}/assignments/{id}/evaluations", ToResponse(evaluation, assignment.StudentName));
    }

    public static async Task<Ok<List<EvaluationResponse>>> ListEvaluations(Guid id, CurrentUser user, HospitalsDbContext db, CancellationToken ct)
    {
        var assignment = await ReadableAsync(id, user, db, ct);
        var evaluations = await db.Evaluations.AsNoTracking().Where(e => e.AssignmentId == id).ToListAsync(ct);
        return TypedResults.Ok(evaluations.OrderBy(e => e.RecordedAt).Select(e => ToResponse(e, assignment.StudentName)).ToList());
    }

    public static async Task<Ok<List<EvaluationResponse>>> ListMyEvaluations(CurrentUser user, HospitalsDbContext db, CancellationToken ct)
    {
        var evaluations = await db.Evaluations.AsNoTracking().Where(e => e.MentorId == user.UserId).ToListAsync(ct);
        var ids = evaluations.Select(e => e.AssignmentId).Distinct().ToList();
        var names = await db.Assignments.AsNoTracking().Where(a => ids.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.StudentName, ct);
        return TypedResults.Ok(evaluations.OrderByDescending(e => e.RecordedAt).Select(e => ToResponse(e, names.GetValueOrDefault(e.AssignmentId, string.Empty))).ToList());
    }

    public static async Task<Created<HoursResponse>> LogHours(
        Guid id, HoursRequest request, CurrentUser user, HospitalsDbContext db, TimeProvider time, IConfiguration configuration, CancellationToken ct)
    {
        var assignment = await db.Assignments.SingleOrDefaultAsync(a => a.Id == id, ct) ?? throw DomainRuleException.NotFound("assignment", id);
        user.EnsureIs(assignment.StudentId, "You can log hours only on your own placement.");
        var offer = await AssignmentsApi.OfferOfAsync(db, assignment, ct);
        var date = request.Date!.Value;
        var sameDay = await db.HoursLogs.AsNoTracking().Where(h => h.StudentId == user.UserId && h.Date == date).ToListAsync(ct);
        var cap = Math.Min(24m, configuration.GetSection("Hours").Get<HoursOptions>()?.MaxPerDay ?? 24m);
        var log = HoursLog.Log(assignment, offer, date, request.Hours!.Value, request.Activity!, sameDay, cap, time.GetUtcNow());
        db.HoursLogs.Add(log);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"{HospitalsModule.RoutePrefix}/hours/me", ToResponse(log));
    }

    public static async Task<Ok<List<HoursResponse>>> ListMyHours(CurrentUser user, HospitalsDbContext db, CancellationToken ct) =>
        TypedResults.Ok((await db.HoursLogs.AsNoTracking().Where(h => h.StudentId == user.UserId).ToListAsync(ct))
            .OrderBy(h => h.Date).ThenBy(h => h.LoggedAt).Select(ToResponse).ToList());

    public static async Task<Ok<List<HoursResponse>>> ListHours(Guid id, CurrentUser user, HospitalsDbContext db, CancellationToken ct)
    {
        await ReadableAsync(id, user, db, ct);
        return TypedResults.Ok((await db.HoursLogs.AsNoTracking().Where(h => h.AssignmentId == id).ToListAsync(ct))
            .OrderBy(h => h.Date).ThenBy(h => h.LoggedAt).Select(ToResponse).ToList());
    }

    public static Task<Ok<HoursResponse>> ApproveHours(Guid logId, HoursReviewRequest? request, CurrentUser user, HospitalsDbContext db, Outbox outbox, TimeProvider time, CancellationToken ct) =>
        ReviewAsync(logId, user, db, outbox, (log, assignment) => log.Approve(assignment, request?.Note, time.GetUtcNow()), ct);

    public static Task<Ok<HoursResponse>> RejectHours(Guid logId, HoursReviewRequest? request, CurrentUser user, HospitalsDbContext db, Outbox outbox, TimeProvider time, CancellationToken ct) =>
        ReviewAsync(logId, user, db, outbox, (log, assignment) => log.Reject(assignment, request?.Note, time.GetUtcNow()), ct);

    private static async Task<Ok<HoursResponse>> ReviewAsync(
        Guid logId, CurrentUser user, HospitalsDbContext db, Outbox outbox, Func<HoursLog, HospitalAssignment, HoursReviewed> review, CancellationToken ct)
    {
        var log = await db.HoursLogs.SingleOrDefaultAsync(h => h.Id == logId, ct) ?? throw DomainRuleException.NotFound("hours entry", logId);
        var assignment = await db.Assignments.AsNoTracking().SingleAsync(a => a.Id == log.AssignmentId, ct);
        assignment.EnsureMentoredBy(user, "Only the student's mentor reviews their hours.");
        outbox.Add(review(log, assignment));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToResponse(log));
    }

    /// <summary>A placement's evaluations and hours are read by the hospital's coordinators and by the student's own mentor.</summary>
    private static async Task<HospitalAssignment> ReadableAsync(Guid id, CurrentUser user, HospitalsDbContext db, CancellationToken ct)
    {
        var assignment = await db.Assignments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct) ?? throw DomainRuleException.NotFound("assignment", id);
        assignment.EnsureVisibleTo(user);
        return assignment;
    }

    private static EvaluationResponse ToResponse(Evaluation e, string studentName) =>
        new(e.Id, e.AssignmentId, e.StudentId, studentName, e.MentorId, e.Kind, e.Scores, e.Entrustment, e.Narrative, e.RecordedAt);

    private static HoursResponse ToResponse(HoursLog h) =>
        new(h.Id, h.AssignmentId, h.StudentId, h.Date, h.Hours, h.Activity, h.Status, h.ReviewNote, h.LoggedAt);
}
