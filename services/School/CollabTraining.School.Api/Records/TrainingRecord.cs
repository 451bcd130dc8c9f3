using CollabTraining.Contracts.Hospitals;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CollabTraining.School.Records;

/// <summary>An evaluation a hospital mentor recorded, as the student's training record keeps it.</summary>
public sealed class RecordedEvaluation
{
    private RecordedEvaluation()
    {
    }

    public static RecordedEvaluation From(EvaluationRecorded m) => new()
    {
        EvaluationId = m.EvaluationId,
        AssignmentId = m.AssignmentId,
        StudentId = m.StudentId,
        HospitalId = m.HospitalId,
        MentorName = m.MentorName,
        Kind = m.Kind,
        HistoryTaking = m.Scores.HistoryTaking,
        PhysicalExamination = m.Scores.PhysicalExamination,
        ClinicalReasoning = m.Scores.ClinicalReasoning,
        ProceduralSkills = m.Scores.ProceduralSkills,
        Communication = m.Scores.Communication,
        Professionalism = m.Scores.Professionalism,
        Entrustment = m.Entrustment,
        Narrative = m.Narrative,
        RecordedAt = m.OccurredAt,
    };

    public Guid EvaluationId { get; private set; }

    public Guid AssignmentId { get; private set; }

    public Guid StudentId { get; private set; }

    public Guid HospitalId { get; private set; }

    public string MentorName { get; private set; } = string.Empty;

    public string Kind { get; private set; } = string.Empty;

    public int HistoryTaking { get; private set; }

    public int PhysicalExamination { get; private set; }

    public int ClinicalReasoning { get; private set; }

    public int ProceduralSkills { get; private set; }

    public int Communication { get; private set; }

    public int Professionalism { get; private set; }

    public int Entrustment { get; private set; }

    public string Narrative { get; private set; } = string.Empty;

    public DateTimeOffset RecordedAt { get; private set; }

    public CompetencyScores Scores => new(HistoryTaking, PhysicalExamination, ClinicalReasoning, ProceduralSkills, Communication, Professionalism);

    public IEnumerable<(string Competency, int Score)> ByCompetency()
    {
        yield return ("history-taking", HistoryTaking);
        yield return ("physical-examination", PhysicalExamination);
        yield return ("clinical-reasoning", ClinicalReasoning);
        yield return ("procedural-skills", ProceduralSkills);
        yield return ("communication", Communication);
        yield return ("professionalism", Professionalism);
    }
}

/// <summary>Hours a mentor reviewed; a later review (a higher version) replaces an earlier one.</summary>
public sealed class RecordedHours
{
    private RecordedHours()
    {
    }

    public static RecordedHours From(HoursReviewed m) => new()
    {
        LogId = m.LogId, AssignmentId = m.AssignmentId, StudentId = m.StudentId, Date = m.Date, Hours = m.Hours, Approved = m.Approved, Version = m.Version,
    };

    /// <summary>Applies a review only if it is newer than the one held; returns whether it did.</summary>
    public bool Apply(HoursReviewed m)
    {
        if (m.Version <= Version)
        {
            return false;
        }

        Approved = m.Approved;
        Version = m.Version;
        return true;
    }

    public Guid LogId { get; private set; }

    public Guid AssignmentId { get; private set; }

    public Guid StudentId { get; private set; }

    public DateOnly Date { get; private set; }

    public decimal Hours { get; private set; }

    public bool Approved { get; private set; }

    public long Version { get; private set; }
}

internal sealed class RecordConfigurations : IEntityTypeConfiguration<RecordedEvaluation>, IEntityTypeConfiguration<RecordedHours>
{
    public void Configure(EntityTypeBuilder<RecordedEvaluation> builder)
    {
        builder.HasKey(e => e.EvaluationId);
        builder.Property(e => e.EvaluationId).ValueGeneratedNever();
        builder.Property(e => e.MentorName).HasMaxLength(200);
        builder.Property(e => e.Kind).HasMaxLength(10);
        builder.Property(e => e.Narrative).HasMaxLength(4000);
        builder.HasIndex(e => e.StudentId);
        builder.Ignore(e => e.Scores);
    }

    public void Configure(EntityTypeBuilder<RecordedHours> builder)
    {
        builder.HasKey(h => h.LogId);
        builder.Property(h => h.LogId).ValueGeneratedNever();
        builder.Property(h => h.Hours).HasPrecision(4, 1);
        builder.HasIndex(h => h.StudentId);
    }
}
