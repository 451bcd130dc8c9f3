using CollabTraining.Domain;
using CollabTraining.School.Data;
using CollabTraining.ServiceDefaults.Security;
using CsvHelper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Students;

public sealed record StudentImportResult(int Created, int Updated);

/// <summary>
/// Imports the school's student register from a CSV file in one request and one transaction: every row is
/// checked first and a file with any error imports nothing (a 400 listing the first errors by row and column);
/// otherwise students with a known user id are updated and the others enrolled.
/// </summary>
public static class StudentImportApi
{
    /// <summary>A register of about 300,000 students; the gateway's route for this path allows the same.</summary>
    public const long MaxFileBytes = 32 * 1024 * 1024;

    private static readonly CsvReaderOptions CsvOptions = CsvReaderOptions.For<StudentRegisterRow>() with
    {
        Separator = ',',
        TrackLineNumbers = true,
        SkipEmptyLines = true,
        TrimWhitespace = true,
        IncludeValuesInExceptions = false,
    };

    public static void MapStudentImportApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(SchoolModule.RoutePrefix + "/students/import", Import).WithTags("Students").WithName("ImportStudents")
            .WithSummary("Import the student register from a CSV file: new students are enrolled, known ones (same user id) updated")
            .WithDescription("The body is the file (`text/csv`) or a `multipart/form-data` form with one file. The header row names the columns "
                + "`studentNumber,name,programme,studyYear,cohort,userId` (any order and case; `cohort` and `userId` may be left out or empty: "
                + "an empty user id enrols a new user). A file with any error imports nothing: the 400 lists the first 100 errors as "
                + "`{row, column, message}` (row 1 is the header) and `errorCount` says how many there were.")
            .Accepts<string>("text/csv", "multipart/form-data")
            .WithMetadata(new RequestSizeLimitAttribute(MaxFileBytes))
            .RequireAuthorization(Policies.SchoolCoordinator);
    }

    public static async Task<Results<Ok<StudentImportResult>, ProblemHttpResult>> Import(HttpRequest request, SchoolDbContext db, TimeProvider time, CancellationToken ct)
    {
        await using var file = await OpenFileAsync(request, ct);
        var holders = await db.Students.AsNoTracking().Select(s => new { s.StudentNumber, s.Id }).ToListAsync(ct);
        var register = new StudentRegister(holders.DistinctBy(h => h.StudentNumber, StringComparer.OrdinalIgnoreCase).ToDictionary(h => h.StudentNumber, h => h.Id, StringComparer.OrdinalIgnoreCase), time.GetUtcNow());
        await using (var csv = CsvReader.Create(file, CsvOptions, leaveOpen: true))
        {
            await csv.ReadHeaderAsync(ct);
            if (csv.Headers.Count == 0)
            {
                throw DomainRuleException.Invalid("file", "The file is empty: it needs a header row and at least one student.");
            }

            register.CheckHeader(csv.Headers);
            if (register.ErrorCount == 0)
            {
                await foreach (var row in csv.GetRecordsAsync<StudentRegisterRow>(ct))
                {
                    // A row with more fields than the header has columns would lose its extra values silently.
                    if (csv.FieldCount > csv.Headers.Count)
                    {
                        register.TooManyFields((int)csv.LineNumber, csv.FieldCount, csv.Headers.Count);
                        continue;
                    }

                    register.Add(row, (int)csv.LineNumber);
                }
            }
        }

        if (register.ErrorCount > 0)
        {
            return Refused(register);
        }

        if (register.Entries.Count == 0)
        {
            throw DomainRuleException.Invalid("file", "The file holds a header but no students.");
        }

        return TypedResults.Ok(await SaveAsync(db, register.Entries, ct));
    }

    /// <summary>
    /// One query for the students the file updates, one save for all: change detection runs once instead of on
    /// every add, which is what makes 50,000 rows take a second instead of minutes.
    /// </summary>
    private static async Task<StudentImportResult> SaveAsync(SchoolDbContext db, List<RegisterEntry> entries, CancellationToken ct)
    {
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var known = await db.Students.ToDictionaryAsync(s => s.Id, ct);
        var created = new List<Student>(entries.Count);
        var updated = 0;
        foreach (var e in entries)
        {
            if (known.TryGetValue(e.UserId, out var student))
            {
                student.Update(e.StudentNumber, e.Name, e.Programme, e.StudyYear, e.Cohort);
                updated++;
            }
            else
            {
                created.Add(Student.Enrol(e.UserId, e.StudentNumber, e.Name, e.Programme, e.StudyYear, e.Cohort));
            }
        }

        db.Students.AddRange(created);
        db.ChangeTracker.DetectChanges();
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another import or enrolment took one of these numbers or ids since the file was checked.
            throw DomainRuleException.Conflict("The register changed while the file was imported (a student number or user id was taken meanwhile); nothing was imported. Send the file again.");
        }

        return new StudentImportResult(created.Count, updated);
    }

    private static async Task<Stream> OpenFileAsync(HttpRequest request, CancellationToken ct)
    {
        var mediaType = request.ContentType is { } type && Microsoft.Net.Http.Headers.MediaTypeHeaderValue.TryParse(type, out var parsed)
            ? parsed.MediaType.Value?.ToLowerInvariant()
            : null;
        switch (mediaType)
        {
            case "text/csv" or "application/csv":
                return request.Body;
            case "multipart/form-data":
                var form = await request.ReadFormAsync(ct);
                return form.Files.Count == 1
                    ? form.Files[0].OpenReadStream()
                    : throw DomainRuleException.Invalid("file", $"The form carries exactly one file, the register; it has {form.Files.Count}.");
            default:
                throw new BadHttpRequestException($"The register is sent as text/csv or as multipart/form-data with one file, not as {request.ContentType ?? "a body without a content type"}.",
                    StatusCodes.Status415UnsupportedMediaType);
        }
    }

    private static ProblemHttpResult Refused(StudentRegister register) => TypedResults.Problem(
        title: "The register has errors; nothing was imported.",
        detail: $"{register.ErrorCount} error(s) found{(register.ErrorCount > register.Errors.Count ? $"; the first {register.Errors.Count} are listed" : string.Empty)}. "
            + "Correct them and send the whole file again.",
        statusCode: StatusCodes.Status400BadRequest,
        extensions: new Dictionary<string, object?> { ["errors"] = register.Errors, ["errorCount"] = register.ErrorCount });
}
