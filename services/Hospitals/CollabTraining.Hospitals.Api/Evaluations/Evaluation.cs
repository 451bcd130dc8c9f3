using CollabTraining.Contracts.Hospitals;
using CollabTraining.Hospitals.Assignments;
using CollabTraining.Hospitals.Placements;
using CollabTraining.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CollabTraining.Hospitals.Evaluations;

public enum EvaluationKind
{
    /// <summary>Half-way through the placement: any time after it starts.</summary>
    Mid,

    /// <summary>At the end: not before the placement's last week.</summary>
    Final,
}

/// <summary>A mentor's mid-placement or final evaluation of a placed student: one of each per assignment.</summary>
public sealed class Evaluation
{
    /// <summary>How many days before a placement's last day its final evaluation may be recorded.</summary>
    public const int FinalWeekDays = 7;

    /// <summary>Competency scores and entrustment are read on a scale from 1 to 5.</summary>
    public const int LowestScore = 1;

    public const int HighestScore = 5;

    public const int NarrativeMinLength = 10;

    public const int NarrativeMaxLength = 4000;

    private Evaluation()
    {
    }

    public Guid Id { get; private set; }

    public Guid AssignmentId { get; private set; }

    public Guid StudentId { get; private set; }

    public Guid MentorId { get; private set; }

    public EvaluationKind Kind { get; private set; }

    public int Entrustment { get; private set; }

    // Stryker disable once String : every factory method and EF's load of the row overwrite it; the initialiser only satisfies the nullable analysis
    public string Narrative { get; private set; } = string.Empty;

    public DateTimeOffset RecordedAt { get; private set; }

    /// <summary>The six competency scores, stored in columns of their own names.</summary>
    public CompetencyScores Scores { get; private set; } = null!;

    /// <summary>
    /// The assigned mentor evaluates a confirmed placement: the mid-placement evaluation once it has started,
    /// the final one from its last week on.
    /// </summary>
    public static (Evaluation Evaluation, EvaluationRecorded Event) Record(
        HospitalAssignment assignment, PlacementOffer offer, IReadOnlyCollection<EvaluationKind> recorded, Guid mentorId, EvaluationKind kind,
        CompetencyScores scores, int entrustment, string narrative, DateTimeOffset now)
    {
        assignment.EnsureConfirmed("Evaluations are recorded");
        CheckJudgement(scores, entrustment, narrative);
        if (recorded.Contains(kind))
        {
            throw DomainRuleException.Conflict($"The {kind.ToString().ToLowerInvariant()} evaluation of this placement is already recorded.");
        }

        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (today < offer.StartsOn)
        {
            throw DomainRuleException.Invalid("kind", $"The placement starts on {offer.StartsOn:yyyy-MM-dd}; nothing can be evaluated before it starts.");
        }

        var lastWeek = offer.EndsOn.AddDays(-(FinalWeekDays - 1));
        if (kind == EvaluationKind.Final && today < lastWeek)
        {
            throw DomainRuleException.Invalid("kind", $"The final evaluation is recorded in the placement's last week, from {lastWeek:yyyy-MM-dd}.");
        }

        var evaluation = new Evaluation
        {
            Id = Guid.CreateVersion7(now),
            AssignmentId = assignment.Id,
            StudentId = assignment.StudentId,
            MentorId = mentorId,
            Kind = kind,
            Scores = scores,
            Entrustment = entrustment,
            Narrative = narrative,
            RecordedAt = now,
        };
        return (evaluation, new EvaluationRecorded(evaluation.Id, assignment.Id, assignment.StudentId, assignment.HospitalId, mentorId,
            assignment.MentorName ?? string.Empty, kind.ToString(), scores, entrustment, narrative, 1, now));
    }

    /// <summary>Every score and the entrustment on the 1–5 scale, and a narrative that says something: the school reads them as given.</summary>
    private static void CheckJudgement(CompetencyScores scores, int entrustment, string narrative)
    {
        (string Field, int Score)[] competencies =
        [
            ("scores.historyTaking", scores.HistoryTaking), ("scores.physicalExamination", scores.PhysicalExamination),
            ("scores.clinicalReasoning", scores.ClinicalReasoning), ("scores.proceduralSkills", scores.ProceduralSkills),
            ("scores.communication", scores.Communication), ("scores.professionalism", scores.Professionalism),
        ];
        foreach (var (field, score) in competencies)
        {
            OnScale(field, score);
        }

        OnScale("entrustment", entrustment);
        var length = narrative.Trim().Length;
        if (length < NarrativeMinLength || narrative.Length > NarrativeMaxLength)
        {
            throw DomainRuleException.Invalid("narrative", $"The narrative is {NarrativeMinLength} to {NarrativeMaxLength} characters of what the student did well and should work on.");
        }
    }

    private static void OnScale(string field, int score)
    {
        if (score is < LowestScore or > HighestScore)
        {
            throw DomainRuleException.Invalid(field, $"Scores run from {LowestScore} to {HighestScore}; {score} is outside.");
        }
    }
}

public enum HoursStatus
{
    Pending,
    Approved,
    Rejected,
}

/// <summary>Hours a student worked on a placement day, awaiting their mentor's review.</summary>
public sealed class HoursLog
{
    /// <summary>No entry is longer than a day, whatever the configured daily cap.</summary>
    public const decimal MaxHoursPerDay = 24m;

    public const int ActivityMinLength = 3;

    public const int ActivityMaxLength = 500;

    private HoursLog()
    {
    }

    public Guid Id { get; private set; }

    public Guid AssignmentId { get; private set; }

    public Guid StudentId { get; private set; }

    public DateOnly Date { get; private set; }

    public decimal Hours { get; private set; }

    // Stryker disable once String : every factory method and EF's load of the row overwrite it; the initialiser only satisfies the nullable analysis
    public string Activity { get; private set; } = string.Empty;

    public HoursStatus Status { get; private set; }

    public string? ReviewNote { get; private set; }

    public DateTimeOffset LoggedAt { get; private set; }

    public long Version { get; private set; }

    /// <summary>
    /// A placed student logs hours on a confirmed placement: on a day of the placement that has happened, at
    /// most <paramref name="maxPerDay"/> hours that day across all their entries, and not the same entry twice.
    /// </summary>
    public static HoursLog Log(
        HospitalAssignment assignment, PlacementOffer offer, DateOnly date, decimal hours, string activity,
        IReadOnlyList<HoursLog> sameDay, decimal maxPerDay, DateTimeOffset now)
    {
        assignment.EnsureConfirmed("Hours are logged");
        if (hours <= 0 || hours > MaxHoursPerDay)
        {
            throw DomainRuleException.Invalid("hours", $"Hours are more than 0 and at most {MaxHoursPerDay} for one day; {hours:0.##} is outside.");
        }

        if (activity.Trim().Length < ActivityMinLength || activity.Length > ActivityMaxLength)
        {
            throw DomainRuleException.Invalid("activity", $"Say what you did in {ActivityMinLength} to {ActivityMaxLength} characters.");
        }

        assignment.CountHoursEntry();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (date > today)
        {
            throw DomainRuleException.Invalid("date", "Hours cannot be logged for a day that has not happened yet.");
        }

        if (date < offer.StartsOn || date > offer.EndsOn)
        {
            throw DomainRuleException.Invalid("date", $"The placement runs from {offer.StartsOn:yyyy-MM-dd} to {offer.EndsOn:yyyy-MM-dd}; {date:yyyy-MM-dd} is outside it.");
        }

        if (hours % 0.5m != 0)
        {
            throw DomainRuleException.Invalid("hours", "Hours are logged in half hours (7.5, not 7.45).");
        }

        var counted = sameDay.Where(h => h.Status != HoursStatus.Rejected).ToList();
        if (counted.Any(h => h.AssignmentId == assignment.Id && h.Hours == hours && string.Equals(h.Activity, activity, StringComparison.OrdinalIgnoreCase)))
        {
            throw DomainRuleException.Invalid("activity", "You logged exactly these hours for this activity on this day already.");
        }

        var logged = counted.Sum(h => h.Hours);
        if (logged + hours > maxPerDay)
        {
            throw DomainRuleException.Invalid("hours", $"At most {maxPerDay:0.#} hours a day; you logged {logged:0.#} on {date:yyyy-MM-dd} already.");
        }

        return new HoursLog
        {
            Id = Guid.CreateVersion7(now),
            AssignmentId = assignment.Id,
            StudentId = assignment.StudentId,
            Date = date,
            Hours = hours,
            Activity = activity,
            Status = HoursStatus.Pending,
            LoggedAt = now,
            Version = 1,
        };
    }

    /// <summary>The mentor approves hours logged on a placement that still stands.</summary>
    public HoursReviewed Approve(HospitalAssignment assignment, string? note, DateTimeOffset now) => Review(assignment, HoursStatus.Approved, note, now);

    /// <summary>A rejection tells the student why.</summary>
    public HoursReviewed Reject(HospitalAssignment assignment, string? note, DateTimeOffset now) =>
        string.IsNullOrWhiteSpace(note)
            ? throw DomainRuleException.Invalid("note", "Say why the hours are rejected, so the student can correct them.")
            : Review(assignment, HoursStatus.Rejected, note, now);

    private HoursReviewed Review(HospitalAssignment assignment, HoursStatus status, string? note, DateTimeOffset now)
    {
        assignment.EnsureConfirmed("Hours are reviewed");
        if (Status != HoursStatus.Pending)
        {
            throw DomainRuleException.Conflict($"These hours were already {Status.ToString().ToLowerInvariant()}.");
        }

        Status = status;
        ReviewNote = note;
        Version++;
        return new HoursReviewed(Id, AssignmentId, StudentId, Date, Hours, status == HoursStatus.Approved, Version, now);
    }
}

internal sealed class EvaluationConfigurations : IEntityTypeConfiguration<Evaluation>, IEntityTypeConfiguration<HoursLog>
{
    public void Configure(EntityTypeBuilder<Evaluation> builder)
    {
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(10);
        builder.Property(e => e.Narrative).HasMaxLength(4000);
        builder.HasIndex(e => new { e.AssignmentId, e.Kind }).IsUnique();
        builder.HasIndex(e => e.MentorId);
        builder.ComplexProperty(e => e.Scores, scores =>
        {
            scores.Property(c => c.HistoryTaking).HasColumnName(nameof(CompetencyScores.HistoryTaking));
            scores.Property(c => c.PhysicalExamination).HasColumnName(nameof(CompetencyScores.PhysicalExamination));
            scores.Property(c => c.ClinicalReasoning).HasColumnName(nameof(CompetencyScores.ClinicalReasoning));
            scores.Property(c => c.ProceduralSkills).HasColumnName(nameof(CompetencyScores.ProceduralSkills));
            scores.Property(c => c.Communication).HasColumnName(nameof(CompetencyScores.Communication));
            scores.Property(c => c.Professionalism).HasColumnName(nameof(CompetencyScores.Professionalism));
        });
    }

    public void Configure(EntityTypeBuilder<HoursLog> builder)
    {
        builder.Property(h => h.Hours).HasPrecision(4, 1);
        builder.Property(h => h.Activity).HasMaxLength(500);
        builder.Property(h => h.ReviewNote).HasMaxLength(1000);
        builder.Property(h => h.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(h => h.Version).IsConcurrencyToken();
        builder.HasIndex(h => h.AssignmentId);
        builder.HasIndex(h => new { h.StudentId, h.Date });
    }
}

