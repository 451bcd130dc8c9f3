using System.Security.Claims;
using CollabTraining.School.Data;
using CollabTraining.ServiceDefaults.Http;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Students;

public sealed record StudentResponse(Guid Id, string StudentNumber, string Name, string Programme, int StudyYear);

public sealed record QualificationResponse(string Code, DateOnly ExpiresOn);

public sealed record GrantQualificationRequest([property: System.ComponentModel.DataAnnotations.Required] DateOnly? ExpiresOn);

public static class StudentsApi
{
    public static void MapStudentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(SchoolModule.RoutePrefix + "/students").WithTags("Students");
        group.MapGet("/", ListStudents).WithName("ListStudents").WithSummary("The school's students (school staff)")
            .RequireAuthorization(Policies.SchoolStaff);
        group.MapGet("/{id:guid}", GetStudent).WithName("GetStudent")
            .WithSummary("One student: school staff see anyone, a student only themself");
        group.MapGet("/{id:guid}/qualifications", ListQualifications).WithName("ListQualifications")
            .WithSummary("A student's qualifications and their expiry");
        group.MapPut("/{id:guid}/qualifications/{code}", GrantQualification).WithName("GrantQualification")
            .WithSummary("Grant or renew a qualification when a student completes its training module (school staff)")
            .RequireAuthorization(Policies.SchoolStaff);
    }

    public static async Task<Results<Ok<Page<StudentResponse>>, ValidationProblem>> ListStudents(
        SchoolDbContext db, CancellationToken ct, int? studyYear = null, string? programme = null, int page = 1, int pageSize = 50)
    {
        if (page is < 1 or > Paging.MaxPage || pageSize is < 1 or > 200)
        {
            return Problems.Invalid(nameof(pageSize), "The page starts at 1 and holds 1 to 200 students.");
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

        var total = await students.CountAsync(ct);
        var items = await students.OrderBy(s => s.StudentNumber).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(s => new StudentResponse(s.Id, s.StudentNumber, s.Name, s.Programme, s.StudyYear)).ToListAsync(ct);
        return TypedResults.Ok(new Page<StudentResponse>(items, page, pageSize, total));
    }

    public static async Task<Results<Ok<List<QualificationResponse>>, ProblemHttpResult>> ListQualifications(Guid id, ClaimsPrincipal principal, SchoolDbContext db, CancellationToken ct)
    {
        var user = CurrentUser.From(principal)!;
        if (!(user.OrganisationKind == OrganisationKinds.School && !user.IsInRole(Roles.Student)) && user.UserId != id)
        {
            return Problems.Forbidden("Students see only their own qualifications.");
        }

        return TypedResults.Ok((await db.StudentQualifications.AsNoTracking().Where(q => q.StudentId == id).ToListAsync(ct))
            .OrderBy(q => q.Code, StringComparer.Ordinal).Select(q => new QualificationResponse(q.Code, q.ExpiresOn)).ToList());
    }

    public static async Task<Results<Ok<QualificationResponse>, ValidationProblem, ProblemHttpResult>> GrantQualification(
        Guid id, string code, GrantQualificationRequest request, SchoolDbContext db, CancellationToken ct)
    {
        code = code.Trim().ToLowerInvariant();
        if (code.Length is < 2 or > 60 || !code.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            return Problems.Invalid(nameof(code), "A qualification code is 2 to 60 letters, digits or hyphens, e.g. mri-safety.");
        }

        if (!await db.Students.AnyAsync(s => s.Id == id, ct))
        {
            return Problems.NotFound("student", id);
        }

        var held = await db.StudentQualifications.SingleOrDefaultAsync(q => q.StudentId == id && q.Code == code, ct);
        if (held is null)
        {
            held = new StudentQualification { StudentId = id, Code = code };
            db.StudentQualifications.Add(held);
        }

        held.ExpiresOn = request.ExpiresOn!.Value;
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new QualificationResponse(held.Code, held.ExpiresOn));
    }

    public static async Task<Results<Ok<StudentResponse>, ProblemHttpResult>> GetStudent(Guid id, ClaimsPrincipal principal, SchoolDbContext db, CancellationToken ct)
    {
        var user = CurrentUser.From(principal)!;
        var isSchoolStaff = user.OrganisationKind == OrganisationKinds.School && !user.IsInRole(Roles.Student);
        if (!isSchoolStaff && user.UserId != id)
        {
            return Problems.Forbidden("Students see only their own record.");
        }

        var student = await db.Students.AsNoTracking().Where(s => s.Id == id)
            .Select(s => new StudentResponse(s.Id, s.StudentNumber, s.Name, s.Programme, s.StudyYear)).SingleOrDefaultAsync(ct);
        return student is null ? Problems.NotFound("student", id) : TypedResults.Ok(student);
    }
}
