using CollabTraining.Contracts.Hospitals;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CollabTraining.School.Records;

/// <summary>An evaluation a hospital mentor recorded, as the student's training record keeps it.</summary>
public sealed class RecordedEvaluation
{
    public Guid EvaluationId { get; set; }

    public Guid AssignmentId { get; set; }

    public Guid StudentId { get; set; }

    public Guid HospitalId { get; set; }

    public required string MentorName { get; set; }

    public required string Kind { get; set; }

    public int HistoryTaking { get; set; }

    public int PhysicalExamination { get; set; }

    public int ClinicalReasoning { get; set; }

    public int ProceduralSkills { get; set; }

    public int Communication { get; set; }

    public int Professionalism { get; set; }

    public int Entrustment { get; set; }

    public required string Narrative { get; set; }

    public DateTimeOffset RecordedAt { get; set; }

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

/// <summary>Hours a mentor reviewed.</summary>
public sealed class RecordedHours
{
    public Guid LogId { get; set; }

    public Guid AssignmentId { get; set; }

    public Guid StudentId { get; set; }

    public DateOnly Date { get; set; }

    public decimal Hours { get; set; }

    public bool Approved { get; set; }

    public long Version { get; set; }
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
