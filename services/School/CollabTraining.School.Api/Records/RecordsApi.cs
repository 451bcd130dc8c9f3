using System.Globalization;
using System.Text;
using CollabTraining.Contracts.Hospitals;
using CollabTraining.School.Data;
using CollabTraining.School.Modules;
using CollabTraining.School.Projects;
using CollabTraining.Contracts.School;
using CollabTraining.School.Rounds;
using CollabTraining.School.Ledger;
using CollabTraining.School.Notifications;
using CollabTraining.Domain;
using CollabTraining.ServiceDefaults.Http;
using CollabTraining.ServiceDefaults.Security;
using CsvHelper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Records;

public sealed record RecordEvaluation(Guid Id, string Kind, string MentorName, CompetencyScores Scores, int Entrustment, string Narrative, DateTimeOffset RecordedAt);

public sealed record RecordPlacement(
    Guid AssignmentId, Guid RoundId, Guid OfferId, string? Title, string? HospitalName, DateOnly? StartsOn, DateOnly? EndsOn,
    PlacementAssignmentStatus Status, string? MentorName, decimal ApprovedHours, IReadOnlyList<RecordEvaluation> Evaluations);

/// <summary>A qualification the student holds or held (a revoked one is shown as such).</summary>
public sealed record RecordQualification(string Code, string Name, DateOnly ExpiresOn, bool Revoked);

/// <summary>A booking of a shared resource, as its owner last reported it.</summary>
public sealed record RecordBooking(Guid BookingId, Guid ResourceId, string ResourceName, Guid OwnerId, string? OwnerName, DateTimeOffset Start, DateTimeOffset End, int Units, string Status);

/// <summary>What the student actually used of a booking (recorded at checkout).</summary>
public sealed record RecordUsage(Guid BookingId, Guid ResourceId, string? ResourceName, DateTimeOffset CheckedInAt, DateTimeOffset CheckedOutAt, int Units, double UnitHours);

/// <summary>A training module the student enrolled in, with its result once a teacher recorded it.</summary>
public sealed record RecordModule(Guid ModuleId, string Code, string Title, string Group, string Status, bool? Passed, int? Score, DateTimeOffset EnrolledAt, DateTimeOffset? ResultRecordedAt);

/// <summary>An innovation project the student is on, with its mentors who accepted.</summary>
public sealed record RecordProject(Guid ProjectId, string Title, string Theme, string Status, IReadOnlyList<string> Mentors, DateTimeOffset? ApprovedAt);

public sealed record TrainingRecordResponse(
    Guid StudentId, string Name, string Programme, int StudyYear, IReadOnlyList<RecordPlacement> Placements,
    IReadOnlyList<RecordQualification> Qualifications, IReadOnlyList<RecordBooking> Bookings, IReadOnlyList<RecordUsage> Usage,
    IReadOnlyList<RecordModule> Modules, IReadOnlyList<RecordProject> Projects);

public sealed record ScoreCount(int Score, int Evaluations);

/// <summary>How one competency was scored in final evaluations: how many evaluations gave each score from 1 to 5, and the mean.</summary>
public sealed record CompetencySummary(string Competency, IReadOnlyList<ScoreCount> Distribution, double Mean);

public sealed record StudentBelowThreshold(Guid StudentId, string Name, string Competency, int Score, string HospitalName);

public sealed record HospitalCompletion(Guid HospitalId, string HospitalName, int ConfirmedPlacements, int FinalEvaluations, double CompletionRate);

public sealed record CohortReport(Guid? RoundId, int Threshold, int FinalEvaluations, IReadOnlyList<CompetencySummary> Competencies, IReadOnlyList<StudentBelowThreshold> BelowThreshold, IReadOnlyList<HospitalCompletion> Hospitals);

/// <summary>One CSV row per final evaluation; CsvHelper's source generator writes its mapping.</summary>
[CsvRecord]
public sealed partial record CohortCsvRow(string StudentNumber, string Student, string Programme, int StudyYear, string Hospital, string Placement, string Mentor,
    int HistoryTaking, int PhysicalExamination, int ClinicalReasoning, int ProceduralSkills, int Communication, int Professionalism, int Entrustment);

/// <summary>The training record as CSV sections (dates and times in ISO 8601, UTC).</summary>
[CsvRecord]
public sealed partial record RecordStudentCsvRow(string StudentNumber, string Student, string Programme, int StudyYear);

[CsvRecord]
public sealed partial record RecordPlacementCsvRow(string Placement, string Hospital, string StartsOn, string EndsOn, string PlacementStatus, string Mentor, double ApprovedHours, int Evaluations);

[CsvRecord]
public sealed partial record RecordQualificationCsvRow(string Qualification, string QualificationName, string ExpiresOn, string Revoked);

[CsvRecord]
public sealed partial record RecordBookingCsvRow(string BookedResource, string Owner, string Start, string End, int Units, string BookingStatus);

[CsvRecord]
public sealed partial record RecordUsageCsvRow(string UsedResource, string CheckedInAt, string CheckedOutAt, int UsedUnits, double UnitHours);

[CsvRecord]
public sealed partial record RecordModuleCsvRow(string ModuleCode, string Module, string ModuleGroup, string Enrolment, string Result, string Score);

[CsvRecord]
public sealed partial record RecordProjectCsvRow(string Project, string Theme, string ProjectStatus, string Mentors);

[CsvRecord]
public sealed partial record CompetencyCsvRow(string Competency, int Score1, int Score2, int Score3, int Score4, int Score5, double Mean);

[CsvRecord]
public sealed partial record BelowThresholdCsvRow(string BelowThresholdStudent, string Competency, int Score, string Hospital);

[CsvRecord]
public sealed partial record HospitalCompletionCsvRow(string Hospital, int ConfirmedPlacements, int FinalEvaluations, double CompletionRate);

public static class RecordsApi
{
    public static void MapRecordsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(SchoolModule.RoutePrefix + "/students/{id:guid}/record", GetRecord).WithTags("Training records").WithName("GetTrainingRecord")
            .WithSummary("A student's placements, mentors, evaluations, approved hours, qualifications, bookings and usage (the student, or school staff); format=csv for a spreadsheet");
        app.MapGet(SchoolModule.RoutePrefix + "/reports/cohort", GetCohortReport).WithTags("Training records").WithName("GetCohortReport")
            .WithSummary("Competency distributions, students below a threshold, evaluation completion per hospital; format=csv for a spreadsheet")
            .RequireAuthorization(Policies.SchoolStaff);
    }

    /// <param name="format">json (the default) or csv: one file with a section per part of the record.</param>
    public static async Task<Results<Ok<TrainingRecordResponse>, FileContentHttpResult, ValidationProblem>> GetRecord(
        Guid id, CurrentUser user, SchoolDbContext db, CancellationToken ct, string? format = null)
    {
        if (format is not (null or "json" or "csv"))
        {
            return Problems.Invalid(nameof(format), "The format is json or csv.");
        }

        user.EnsureSelfOrSchoolStaff(id, "A training record is seen by its student and the school's staff only.");
        var student = await db.Students.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct)
            ?? throw DomainRuleException.NotFound("student", id);

        var assignments = await db.PlacementAssignments.AsNoTracking().Where(a => a.StudentId == id).ToListAsync(ct);
        var offerIds = assignments.Select(a => a.OfferId).ToList();
        var placements = await db.CatalogPlacements.AsNoTracking().Where(p => offerIds.Contains(p.OfferId)).ToDictionaryAsync(p => p.OfferId, ct);
        var evaluations = (await db.RecordedEvaluations.AsNoTracking().Where(e => e.StudentId == id).ToListAsync(ct)).ToLookup(e => e.AssignmentId);
        var hours = (await db.RecordedHours.AsNoTracking().Where(h => h.StudentId == id && h.Approved).ToListAsync(ct)).ToLookup(h => h.AssignmentId);

        var record = assignments.OrderBy(a => a.AssignedAt).Select(a =>
        {
            placements.TryGetValue(a.OfferId, out var p);
            return new RecordPlacement(a.Id, a.RoundId, a.OfferId, p?.Title, p?.HospitalName, p?.StartsOn, p?.EndsOn, a.Status, a.MentorName,
                hours[a.Id].Sum(h => h.Hours),
                evaluations[a.Id].OrderBy(e => e.RecordedAt).Select(e => new RecordEvaluation(e.EvaluationId, e.Kind, e.MentorName, e.Scores, e.Entrustment, e.Narrative, e.RecordedAt)).ToList());
        }).ToList();

        var qualifications = (await db.StudentQualifications.AsNoTracking().Where(q => q.StudentId == id).ToListAsync(ct))
            .OrderBy(q => q.Code, StringComparer.Ordinal)
            .Select(q => new RecordQualification(q.Code, ReferenceCodes.Qualifications.GetValueOrDefault(q.Code, q.Code), q.ExpiresOn, q.IsRevoked)).ToList();
        var bookings = await db.Set<KnownBooking>().AsNoTracking().Where(b => b.UserId == id).ToListAsync(ct);
        var usage = await db.Set<ResourceUsage>().AsNoTracking().Where(u => u.UserId == id).ToListAsync(ct);
        var resourceIds = bookings.Select(b => b.ResourceId).Concat(usage.Select(u => u.ResourceId)).Distinct().ToList();
        var resources = await db.CatalogResources.AsNoTracking().Where(r => resourceIds.Contains(r.ResourceId)).ToDictionaryAsync(r => r.ResourceId, ct);
        var bookedNames = bookings.ToDictionary(b => b.BookingId, b => b.ResourceName);
        var enrolments = await db.Set<ModuleEnrolment>().AsNoTracking().Where(e => e.StudentId == id).ToListAsync(ct);
        var moduleIds = enrolments.Select(e => e.ModuleId).ToList();
        var modules = await db.Set<TrainingModule>().AsNoTracking().Where(m => moduleIds.Contains(m.Id)).ToDictionaryAsync(m => m.Id, ct);
        var projects = await db.Set<Project>().AsNoTracking().Include(p => p.Mentors).Where(p => p.Members.Any(m => m.StudentId == id)).ToListAsync(ct);

        var response = new TrainingRecordResponse(student.Id, student.Name, student.Programme, student.StudyYear, record, qualifications,
            bookings.OrderBy(b => b.Start).ThenBy(b => b.BookingId)
                .Select(b => new RecordBooking(b.BookingId, b.ResourceId, b.ResourceName, b.OwnerId, resources.GetValueOrDefault(b.ResourceId)?.OwnerName, b.Start, b.End, b.Units, b.Status))
                .ToList(),
            usage.OrderBy(u => u.CheckedInAt).ThenBy(u => u.BookingId)
                .Select(u => new RecordUsage(u.BookingId, u.ResourceId, resources.GetValueOrDefault(u.ResourceId)?.Name ?? bookedNames.GetValueOrDefault(u.BookingId), u.CheckedInAt, u.CheckedOutAt, u.Units, u.UnitHours))
                .ToList(),
            enrolments.Where(e => modules.ContainsKey(e.ModuleId)).OrderBy(e => e.EnrolledAt)
                .Select(e => new RecordModule(e.ModuleId, modules[e.ModuleId].Code, modules[e.ModuleId].Title, modules[e.ModuleId].Group, e.Status.ToString().ToLowerInvariant(),
                    e.Passed, e.Score, e.EnrolledAt, e.ResultRecordedAt)).ToList(),
            projects.OrderBy(p => p.CreatedAt).Select(p => new RecordProject(p.Id, p.Title, p.Theme, p.Status.ToString().ToLowerInvariant(),
                p.Mentors.Where(m => m.Answer == MentorAnswer.Accepted).Select(m => $"{m.MentorName} ({m.Role})").ToList(), p.ApprovedAt)).ToList());
        if (format == "csv")
        {
            return TypedResults.File(await TrainingRecordCsv.WriteAsync(student.StudentNumber, response, ct), "text/csv", $"training-record-{student.StudentNumber}.csv");
        }

        return TypedResults.Ok(response);
    }

    public static async Task<Results<Ok<CohortReport>, FileContentHttpResult, ValidationProblem>> GetCohortReport(
        SchoolDbContext db, CancellationToken ct, Guid? roundId = null, int threshold = 3, string? format = null)
    {
        if (threshold is < 1 or > 5)
        {
            return Problems.Invalid(nameof(threshold), "The threshold is a score from 1 to 5.");
        }

        if (format is not (null or "json" or "csv"))
        {
            return Problems.Invalid(nameof(format), "The format is json or csv.");
        }

        if (roundId is { } round && !await db.PlacementRounds.AnyAsync(r => r.Id == round, ct))
        {
            throw DomainRuleException.NotFound("placement round", round);
        }

        var assignments = await db.PlacementAssignments.AsNoTracking().Where(a => roundId == null || a.RoundId == roundId).ToListAsync(ct);
        var assignmentIds = assignments.Select(a => a.Id).ToHashSet();
        var finals = (await db.RecordedEvaluations.AsNoTracking().Where(e => e.Kind == "Final").ToListAsync(ct)).Where(e => assignmentIds.Contains(e.AssignmentId)).ToList();
        var studentIds = assignments.Select(a => a.StudentId).Distinct().ToList();
        var students = await db.Students.AsNoTracking().Where(s => studentIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        var offerIds = assignments.Select(a => a.OfferId).Distinct().ToList();
        var placements = await db.CatalogPlacements.AsNoTracking().Where(p => offerIds.Contains(p.OfferId)).ToDictionaryAsync(p => p.OfferId, ct);
        var byAssignment = assignments.ToDictionary(a => a.Id);
        string HospitalName(Guid assignmentId) => placements.TryGetValue(byAssignment[assignmentId].OfferId, out var p) ? p.HospitalName : "unknown";

        var competencies = finals.SelectMany(e => e.Scores.Named()).GroupBy(c => c.Competency)
            .Select(g => new CompetencySummary(g.Key, Enumerable.Range(1, 5).Select(score => new ScoreCount(score, g.Count(c => c.Score == score))).ToList(), Math.Round(g.Average(c => c.Score), 2)))
            .ToList();
        var below = finals.SelectMany(e => e.Scores.Named().Where(c => c.Score < threshold)
                .Select(c => new StudentBelowThreshold(e.StudentId, students[e.StudentId].Name, c.Competency, c.Score, HospitalName(e.AssignmentId))))
            .OrderBy(b => b.Name).ThenBy(b => b.Competency).ToList();
        var hospitals = assignments.Where(a => a.Status == PlacementAssignmentStatus.Confirmed).GroupBy(a => a.HospitalId).Select(g =>
            {
                var evaluated = g.Count(a => finals.Any(e => e.AssignmentId == a.Id));
                var name = g.Select(a => placements.TryGetValue(a.OfferId, out var p) ? p.HospitalName : null).FirstOrDefault(n => n is not null) ?? "unknown";
                return new HospitalCompletion(g.Key, name, g.Count(), evaluated, Math.Round((double)evaluated / g.Count(), 3));
            })
            .OrderBy(h => h.HospitalName).ToList();
        if (format == "csv")
        {
            var rows = finals.OrderBy(e => students[e.StudentId].StudentNumber).Select(e =>
            {
                var s = students[e.StudentId];
                placements.TryGetValue(byAssignment[e.AssignmentId].OfferId, out var p);
                return new CohortCsvRow(s.StudentNumber, s.Name, s.Programme, s.StudyYear, p?.HospitalName ?? string.Empty, p?.Title ?? string.Empty, e.MentorName,
                    e.Scores.HistoryTaking, e.Scores.PhysicalExamination, e.Scores.ClinicalReasoning, e.Scores.ProceduralSkills, e.Scores.Communication, e.Scores.Professionalism, e.Entrustment);
            }).ToList();
            return TypedResults.File(await CohortCsv.WriteAsync(rows, competencies, below, hospitals, ct), "text/csv", "cohort-report.csv");
        }

        return TypedResults.Ok(new CohortReport(roundId, threshold, finals.Count, competencies, below, hospitals));
    }
}

/// <summary>
/// The cohort report as one spreadsheet: the final evaluations, then (after a blank line each) the competency
/// distributions, the students below the threshold and each hospital's completion, each section with its own
/// header. Every text cell that a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) is
/// escaped with a leading apostrophe.
/// </summary>
internal static class CohortCsv
{
    private static readonly CsvWriterOptions Options = new() { Injection = CsvInjection.Escape };

    public static async Task<byte[]> WriteAsync(
        IReadOnlyList<CohortCsvRow> evaluations, IReadOnlyList<CompetencySummary> competencies, IReadOnlyList<StudentBelowThreshold> below,
        IReadOnlyList<HospitalCompletion> hospitals, CancellationToken ct)
    {
        await using var text = new StringWriter(CultureInfo.InvariantCulture);
        await SectionAsync(text, async csv =>
        {
            csv.WriteHeader<CohortCsvRow>();
            await csv.WriteRecordsAsync(evaluations, ct);
        });
        await SectionAsync(text, async csv =>
        {
            csv.WriteHeader<CompetencyCsvRow>();
            await csv.WriteRecordsAsync(competencies.Select(c => new CompetencyCsvRow(
                c.Competency, c.Distribution[0].Evaluations, c.Distribution[1].Evaluations, c.Distribution[2].Evaluations, c.Distribution[3].Evaluations, c.Distribution[4].Evaluations, c.Mean)), ct);
        });
        await SectionAsync(text, async csv =>
        {
            csv.WriteHeader<BelowThresholdCsvRow>();
            await csv.WriteRecordsAsync(below.Select(b => new BelowThresholdCsvRow(b.Name, b.Competency, b.Score, b.HospitalName)), ct);
        });
        await SectionAsync(text, async csv =>
        {
            csv.WriteHeader<HospitalCompletionCsvRow>();
            await csv.WriteRecordsAsync(hospitals.Select(h => new HospitalCompletionCsvRow(h.HospitalName, h.ConfirmedPlacements, h.FinalEvaluations, h.CompletionRate)), ct);
        }, last: true);
        return Encoding.UTF8.GetBytes(text.ToString());
    }

    internal static async Task SectionAsync(StringWriter text, Func<CsvWriter, Task> write, bool last = false)
    {
        await using (var csv = CsvWriter.Create(text, Options, leaveOpen: true))
        {
            await write(csv);
        }

        if (!last)
        {
            await text.WriteAsync("\r\n");
        }
    }
}

/// <summary>
/// A training record as one spreadsheet, like <see cref="CohortCsv"/>: the student, their placements,
/// qualifications, bookings and usage, each a section with its own header after a blank line; formula-like text
/// cells are escaped.
/// </summary>
internal static class TrainingRecordCsv
{
    public static async Task<byte[]> WriteAsync(string studentNumber, TrainingRecordResponse record, CancellationToken ct)
    {
        static string At(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        static string Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty;

        await using var text = new StringWriter(CultureInfo.InvariantCulture);
        await CohortCsv.SectionAsync(text, async csv =>
        {
            csv.WriteHeader<RecordStudentCsvRow>();
            await csv.WriteRecordsAsync([new RecordStudentCsvRow(studentNumber, record.Name, record.Programme, record.StudyYear)], ct);
        });
        await CohortCsv.SectionAsync(text, async csv =>
        {
            csv.WriteHeader<RecordPlacementCsvRow>();
            await csv.WriteRecordsAsync(record.Placements.Select(p => new RecordPlacementCsvRow(p.Title ?? string.Empty, p.HospitalName ?? string.Empty,
                Day(p.StartsOn), Day(p.EndsOn), p.Status.ToString(), p.MentorName ?? string.Empty, (double)p.ApprovedHours, p.Evaluations.Count)), ct);
        });
        await CohortCsv.SectionAsync(text, async csv =>
        {
            csv.WriteHeader<RecordQualificationCsvRow>();
            await csv.WriteRecordsAsync(record.Qualifications.Select(q => new RecordQualificationCsvRow(q.Code, q.Name, Day(q.ExpiresOn), q.Revoked ? "yes" : "no")), ct);
        });
        await CohortCsv.SectionAsync(text, async csv =>
        {
            csv.WriteHeader<RecordBookingCsvRow>();
            await csv.WriteRecordsAsync(record.Bookings.Select(b => new RecordBookingCsvRow(b.ResourceName, b.OwnerName ?? string.Empty, At(b.Start), At(b.End), b.Units, b.Status)), ct);
        });
        await CohortCsv.SectionAsync(text, async csv =>
        {
            csv.WriteHeader<RecordUsageCsvRow>();
            await csv.WriteRecordsAsync(record.Usage.Select(u => new RecordUsageCsvRow(u.ResourceName ?? string.Empty, At(u.CheckedInAt), At(u.CheckedOutAt), u.Units, u.UnitHours)), ct);
        });
        await CohortCsv.SectionAsync(text, async csv =>
        {
            csv.WriteHeader<RecordModuleCsvRow>();
            await csv.WriteRecordsAsync(record.Modules.Select(m => new RecordModuleCsvRow(m.Code, m.Title, m.Group, m.Status,
                m.Passed is null ? string.Empty : m.Passed.Value ? "passed" : "failed", m.Score?.ToString(CultureInfo.InvariantCulture) ?? string.Empty)), ct);
        });
        await CohortCsv.SectionAsync(text, async csv =>
        {
            csv.WriteHeader<RecordProjectCsvRow>();
            await csv.WriteRecordsAsync(record.Projects.Select(p => new RecordProjectCsvRow(p.Title, p.Theme, p.Status, string.Join("; ", p.Mentors))), ct);
        }, last: true);
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
