using CollabTraining.Contracts.School;
using CollabTraining.School.Data;
using CollabTraining.Domain;
using CollabTraining.Messaging.Outbox;
using CollabTraining.ServiceDefaults.Http;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Students;

public sealed record StudentResponse(Guid Id, string StudentNumber, string Name, string Programme, int StudyYear, string? Cohort);

public sealed record QualificationResponse(string Code, string Name, DateOnly ExpiresOn);

public sealed record GrantQualificationRequest([property: System.ComponentModel.DataAnnotations.Required] DateOnly? ExpiresOn);

public sealed record ReferenceCode(string Code, string Name);

public static class StudentsApi
{
    public static void MapStudentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(SchoolModule.RoutePrefix + "/students").WithTags("Students");
        group.MapGet("/", ListStudents).WithName("ListStudents").WithSummary("The school's students (school staff)")
            .RequireAuthorization(Policies.SchoolStaff);
        group.MapGet("/me", GetMe).WithName("GetMyStudentRecord").WithSummary("Yourself, as a student of the school")
            .RequireAuthorization(Policies.Student);
        group.MapGet("/{id:guid}", GetStudent).WithName("GetStudent")
            .WithSummary("One student: school staff see anyone, a student only themself");
        group.MapGet("/{id:guid}/qualifications", ListQualifications).WithName("ListQualifications")
            .WithSummary("A student's qualifications and their expiry (the student, or school staff)");
        group.MapPut("/{id:guid}/qualifications/{code}", GrantQualification).WithName("GrantQualification")
            .WithSummary("Grant or renew a qualification when a student completes its training module (school staff)")
            .WithDescription("`code` is one of the school's qualification codes (`GET /api/school/reference/qualifications`); `expiresOn` lies in the future.")
            .RequireAuthorization(Policies.SchoolStaff);
        group.MapDelete("/{id:guid}/qualifications/{code}", RevokeQualification).WithName("RevokeQualification")
            .WithSummary("Revoke a student's qualification (school staff); it counts nowhere until granted again")
            .WithDescription("Owners are told at once. Revoking one already revoked changes nothing.")
            .RequireAuthorization(Policies.SchoolStaff);
    }

    public static void MapReferenceCodesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(SchoolModule.RoutePrefix + "/reference").WithTags("Reference codes");
        group.MapGet("/qualifications", () => TypedResults.Ok(List(ReferenceCodes.Qualifications))).WithName("ListQualificationCodes")
            .WithSummary("The qualifications the school grants: the codes offers may require");
        group.MapGet("/programmes", () => TypedResults.Ok(List(ReferenceCodes.Programmes))).WithName("ListProgrammeCodes")
            .WithSummary("The programmes the school runs: the codes offers may admit");
    }

    /// <param name="q">Text the student's name or student number contains (case as stored), up to 200 characters.</param>
    public static async Task<Results<Ok<Page<StudentResponse>>, ValidationProblem>> ListStudents(
        SchoolDbContext db, CancellationToken ct, int? studyYear = null, string? programme = null, int page = 1, int pageSize = 50, string? cohort = null, string? q = null)
    {
        if (q is { Length: > 200 })
        {
            return Problems.Invalid(nameof(q), "The search text is limited to 200 characters.");
        }

        if (page is < 1 or > Paging.MaxPage)
        {
            return Problems.Invalid(nameof(page), $"The page number is between 1 and {Paging.MaxPage}.");
        }

        if (pageSize is < 1 or > 200)
        {
            return Problems.Invalid(nameof(pageSize), "A page holds 1 to 200 students.");
        }

        if (studyYear is < 1 or > 6)
        {
            return Problems.Invalid(nameof(studyYear), "The study year is between 1 and 6.");
        }

        var students = db.Students.AsNoTracking();
        if (studyYear is { } year)
        {
            students = students.Where(s => s.StudyYear == year);
        }

        if (!string.IsNullOrWhiteSpace(programme))
        {
            students = students.Where(s => s.Programme == programme);
        }

        if (!string.IsNullOrWhiteSpace(cohort))
        {
            students = students.Where(s => s.Cohort == cohort);
        }

        if (!string.IsNullOrWhiteSpace(q))
        {
            var pattern = LikePatterns.Containing(q);
            students = students.Where(s => EF.Functions.Like(s.Name, pattern, "\\") || EF.Functions.Like(s.StudentNumber, pattern, "\\"));
        }

        var total = await students.CountAsync(ct);
        var items = await students.OrderBy(s => s.StudentNumber).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(s => new StudentResponse(s.Id, s.StudentNumber, s.Name, s.Programme, s.StudyYear, s.Cohort)).ToListAsync(ct);
        return TypedResults.Ok(new Page<StudentResponse>(items, page, pageSize, total));
    }

    public static Task<Ok<StudentResponse>> GetMe(CurrentUser user, SchoolDbContext db, CancellationToken ct) => GetStudent(user.UserId, user, db, ct);

    public static async Task<Ok<List<QualificationResponse>>> ListQualifications(Guid id, CurrentUser user, SchoolDbContext db, CancellationToken ct)
    {
        user.EnsureSelfOrSchoolStaff(id, "Students see only their own qualifications.");

        // A revoked qualification is not held: the student sees it again once it is granted again.
        return TypedResults.Ok((await db.StudentQualifications.AsNoTracking().Where(q => q.StudentId == id && q.RevokedAt == null).ToListAsync(ct))
            .OrderBy(q => q.Code, StringComparer.Ordinal).Select(ToResponse).ToList());
    }

    /// <summary>
    /// Grants or renews, tells the owners (<see cref="QualificationChanged"/>, in the same save) and schedules
    /// the announcement of its expiry for the morning after its last day (<see cref="QualificationGrants"/>).
    /// </summary>
    public static async Task<Ok<QualificationResponse>> GrantQualification(
        Guid id, string code, GrantQualificationRequest request, SchoolDbContext db, QualificationGrants grants, TimeProvider time, CancellationToken ct)
    {
        code = code.Trim().ToLowerInvariant();
        if (!ReferenceCodes.Qualifications.ContainsKey(code))
        {
            throw DomainRuleException.Invalid("code", $"'{code}' is not one of the school's qualifications ({string.Join(", ", ReferenceCodes.Qualifications.Keys)}).");
        }

        var expiresOn = request.ExpiresOn!.Value;
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (expiresOn <= today)
        {
            throw DomainRuleException.Invalid("expiresOn", "A qualification is granted with an expiry in the future; this date has passed.");
        }

        if (expiresOn > today.AddYears(10))
        {
            throw DomainRuleException.Invalid("expiresOn", "A qualification is valid for at most ten years.");
        }

        if (!await db.Students.AnyAsync(s => s.Id == id, ct))
        {
            throw DomainRuleException.NotFound("student", id);
        }

        var held = await grants.GrantOrRenewAsync(id, code, expiresOn, now, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToResponse(held));
    }

    /// <summary>Revokes and tells the owners in the same save; a second revocation is a no-op.</summary>
    public static async Task<NoContent> RevokeQualification(Guid id, string code, SchoolDbContext db, Outbox outbox, TimeProvider time, CancellationToken ct)
    {
        code = code.Trim().ToLowerInvariant();
        if (!await db.Students.AnyAsync(s => s.Id == id, ct))
        {
            throw DomainRuleException.NotFound("student", id);
        }

        var held = await db.StudentQualifications.SingleOrDefaultAsync(q => q.StudentId == id && q.Code == code, ct)
            ?? throw new DomainRuleException(RuleMeaning.NotFound, $"Student {id} holds no '{code}' qualification.");
        if (held.Revoke(time.GetUtcNow()) is { } revoked)
        {
            outbox.Add(revoked);
            await db.SaveChangesAsync(ct);
        }

        return TypedResults.NoContent();
    }

    public static async Task<Ok<StudentResponse>> GetStudent(Guid id, CurrentUser user, SchoolDbContext db, CancellationToken ct)
    {
        user.EnsureSelfOrSchoolStaff(id, "Students see only their own record.");
        var student = await db.Students.AsNoTracking().Where(s => s.Id == id)
            .Select(s => new StudentResponse(s.Id, s.StudentNumber, s.Name, s.Programme, s.StudyYear, s.Cohort)).SingleOrDefaultAsync(ct);
        return student is null ? throw DomainRuleException.NotFound("student", id) : TypedResults.Ok(student);
    }

    internal static QualificationResponse ToResponse(StudentQualification q) =>
        new(q.Code, ReferenceCodes.Qualifications.GetValueOrDefault(q.Code, q.Code), q.ExpiresOn);

    private static List<ReferenceCode> List(IReadOnlyDictionary<string, string> codes) =>
        codes.Select(c => new ReferenceCode(c.Key, c.Value)).OrderBy(c => c.Code, StringComparer.Ordinal).ToList();
}
