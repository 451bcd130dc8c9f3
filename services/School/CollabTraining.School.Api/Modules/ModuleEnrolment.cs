using CollabTraining.Domain;
using CollabTraining.School.Students;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CollabTraining.School.Modules;

public enum EnrolmentStatus
{
    /// <summary>Holds a seat and takes the classes (a failed result leaves the student here, to try again).</summary>
    Enrolled,

    /// <summary>Gave the seat back before completing.</summary>
    Withdrawn,

    /// <summary>Passed: the module's qualifications were granted. The seat stays taken.</summary>
    Completed,
}

/// <summary>A student's place in a module, and the result a teacher of the module recorded.</summary>
public sealed class ModuleEnrolment
{
    public const int MaxNoteLength = 1000;

    private ModuleEnrolment()
    {
    }

    public Guid ModuleId { get; private set; }

    public Guid StudentId { get; private set; }

    public EnrolmentStatus Status { get; private set; }

    public DateTimeOffset EnrolledAt { get; private set; }

    public bool? Passed { get; private set; }

    public int? Score { get; private set; }

    public string? Note { get; private set; }

    public DateTimeOffset? ResultRecordedAt { get; private set; }

    public Guid? ResultRecordedBy { get; private set; }

    public long Version { get; private set; }

    public bool HoldsSeat => Status != EnrolmentStatus.Withdrawn;

    public static ModuleEnrolment Enrol(Guid moduleId, Guid studentId, DateTimeOffset now) =>
        new() { ModuleId = moduleId, StudentId = studentId, Status = EnrolmentStatus.Enrolled, EnrolledAt = now, Version = 1 };

    /// <summary>Enrols again after a withdrawal; <c>already-enrolled</c> when the student holds a seat.</summary>
    public void Rejoin(DateTimeOffset now)
    {
        if (HoldsSeat)
        {
            throw new ModuleRuleException(RuleMeaning.Conflict, "already-enrolled", "The student is already enrolled in this module.");
        }

        Status = EnrolmentStatus.Enrolled;
        EnrolledAt = now;
        Passed = null;
        Score = null;
        Note = null;
        ResultRecordedAt = null;
        ResultRecordedBy = null;
        Version++;
    }

    /// <summary>Gives the seat back; refused once the module is completed. False when already withdrawn (nothing changes).</summary>
    public bool Withdraw()
    {
        if (Status == EnrolmentStatus.Completed)
        {
            throw new ModuleRuleException(RuleMeaning.Conflict, "enrolment-completed", "The student has completed this module; a completed module cannot be withdrawn from.");
        }

        if (Status == EnrolmentStatus.Withdrawn)
        {
            return false;
        }

        Status = EnrolmentStatus.Withdrawn;
        Version++;
        return true;
    }

    /// <summary>Records a result; a pass completes the module (a later pass renews what it granted).</summary>
    public void RecordResult(bool passed, int? score, string? note, Guid recordedBy, DateTimeOffset now)
    {
        if (Status == EnrolmentStatus.Withdrawn)
        {
            throw new ModuleRuleException(RuleMeaning.Conflict, "not-enrolled", "The student withdrew from this module; enrol them again before recording a result.");
        }

        if (score is < 0 or > 100)
        {
            throw DomainRuleException.Invalid("score", "A score is from 0 to 100.");
        }

        note = note?.Trim();
        if (note is { Length: > MaxNoteLength })
        {
            throw DomainRuleException.Invalid("note", $"At most {MaxNoteLength} characters.");
        }

        if (Status == EnrolmentStatus.Completed && !passed)
        {
            throw new ModuleRuleException(RuleMeaning.Conflict, "result-final",
                "The student passed this module and holds what it granted; a coordinator revokes a qualification instead of turning the pass into a fail.");
        }

        Passed = passed;
        Score = score;
        Note = string.IsNullOrEmpty(note) ? null : note;
        ResultRecordedAt = now;
        ResultRecordedBy = recordedBy;
        if (passed)
        {
            Status = EnrolmentStatus.Completed;
        }

        Version++;
    }
}

internal sealed class ModuleEnrolmentConfiguration : IEntityTypeConfiguration<ModuleEnrolment>
{
    public void Configure(EntityTypeBuilder<ModuleEnrolment> builder)
    {
        builder.ToTable("ModuleEnrolments");
        builder.HasKey(e => new { e.ModuleId, e.StudentId });
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.Note).HasMaxLength(ModuleEnrolment.MaxNoteLength);
        builder.Property(e => e.Version).IsConcurrencyToken();
        builder.HasOne<TrainingModule>().WithMany().HasForeignKey(e => e.ModuleId);
        builder.HasOne<Student>().WithMany().HasForeignKey(e => e.StudentId);
        builder.HasIndex(e => e.StudentId);
    }
}
