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
        Scores = m.Scores,
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

    public int Entrustment { get; private set; }

    public string Narrative { get; private set; } = string.Empty;

    public DateTimeOffset RecordedAt { get; private set; }

    /// <summary>The six competency scores, stored in columns of their own names.</summary>
    public CompetencyScores Scores { get; private set; } = null!;
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

    public void Configure(EntityTypeBuilder<RecordedHours> builder)
    {
        builder.HasKey(h => h.LogId);
        builder.Property(h => h.LogId).ValueGeneratedNever();
        builder.Property(h => h.Hours).HasPrecision(4, 1);
        builder.HasIndex(h => h.StudentId);
    }
}
