using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CollabTraining.Hospitals.Evaluations;

public enum EvaluationKind
{
    Mid,
    Final,
}

/// <summary>A mentor's mid-placement or final evaluation of a placed student: one of each per assignment.</summary>
public sealed class Evaluation
{
    public Guid Id { get; set; }

    public Guid AssignmentId { get; set; }

    public Guid StudentId { get; set; }

    public Guid MentorId { get; set; }

    public EvaluationKind Kind { get; set; }

    public int HistoryTaking { get; set; }

    public int PhysicalExamination { get; set; }

    public int ClinicalReasoning { get; set; }

    public int ProceduralSkills { get; set; }

    public int Communication { get; set; }

    public int Professionalism { get; set; }

    public int Entrustment { get; set; }

    public required string Narrative { get; set; }

    public DateTimeOffset RecordedAt { get; set; }
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
    public Guid Id { get; set; }

    public Guid AssignmentId { get; set; }

    public Guid StudentId { get; set; }

    public DateOnly Date { get; set; }

    public decimal Hours { get; set; }

    public required string Activity { get; set; }

    public HoursStatus Status { get; set; }

    public string? ReviewNote { get; set; }

    public long Version { get; set; }
}

internal sealed class EvaluationConfigurations : IEntityTypeConfiguration<Evaluation>, IEntityTypeConfiguration<HoursLog>
{
    public void Configure(EntityTypeBuilder<Evaluation> builder)
    {
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(10);
        builder.Property(e => e.Narrative).HasMaxLength(4000);
        builder.HasIndex(e => new { e.AssignmentId, e.Kind }).IsUnique();
    }

    public void Configure(EntityTypeBuilder<HoursLog> builder)
    {
        builder.Property(h => h.Hours).HasPrecision(4, 1);
        builder.Property(h => h.Activity).HasMaxLength(500);
        builder.Property(h => h.ReviewNote).HasMaxLength(1000);
        builder.Property(h => h.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(h => h.Version).IsConcurrencyToken();
        builder.HasIndex(h => h.AssignmentId);
    }
}
