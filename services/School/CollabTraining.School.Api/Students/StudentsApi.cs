using System.Security.Claims;
using CollabTraining.School.Data;
using CollabTraining.ServiceDefaults.Http;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Students;

public sealed record StudentResponse(Guid Id, string StudentNumber, string Name, string Programme, int StudyYear);

public static class StudentsApi
{
    public static void MapStudentsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(SchoolModule.RoutePrefix + "/students").WithTags("Students");
        group.MapGet("/", ListStudents).WithName("ListStudents").WithSummary("The school's students (school staff)")
            .RequireAuthorization(Policies.SchoolStaff);
        group.MapGet("/{id:guid}", GetStudent).WithName("GetStudent")
            .WithSummary("One student: school staff see anyone, a student only themself");
    }

    public static async Task<Results<Ok<Page<StudentResponse>>, ValidationProblem>> ListStudents(
        SchoolDbContext db, CancellationToken ct, int? studyYear = null, string? programme = null, int page = 1, int pageSize = 50)
    {
        if (page < 1 || pageSize is < 1 or > 200)
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
