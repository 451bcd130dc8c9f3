using System.Globalization;
using System.Text;
using CollabTraining.Contracts.Hospitals;
using CollabTraining.School.Data;
using CollabTraining.Contracts.School;
using CollabTraining.School.Rounds;
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

public sealed record TrainingRecordResponse(Guid StudentId, string Name, string Programme, int StudyYear, IReadOnlyList<RecordPlacement> Placements);

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
            .WithSummary("A student's placements, mentors, evaluations and approved hours (the student, or school staff)");
        app.MapGet(SchoolModule.RoutePrefix + "/reports/cohort", GetCohortReport).WithTags("Training records").WithName("GetCohortReport")
            .WithSummary("Competency distributions, students below a threshold, evaluation completion per hospital; format=csv for a spreadsheet")
            .RequireAuthorization(Policies.SchoolStaff);
    }

    public static async Task<Ok<TrainingRecordResponse>> GetRecord(Guid id, CurrentUser user, SchoolDbContext db, CancellationToken ct)
    {
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
        return TypedResults.Ok(new TrainingRecordResponse(student.Id, student.Name, student.Programme, student.StudyYear, record));
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

    private static async Task SectionAsync(StringWriter text, Func<CsvWriter, Task> write, bool last = false)
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
