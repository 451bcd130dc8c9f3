using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CollabTraining.School.Students;

/// <summary>A student of the school; the id is the student's user id.</summary>
public sealed class Student
{
    private Student()
    {
    }

    public Guid Id { get; private set; }

    public string StudentNumber { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    /// <summary>Programme code, one of the school's (<c>ReferenceCodes.Programmes</c>), e.g. medicine.</summary>
    public string Programme { get; private set; } = string.Empty;

    public int StudyYear { get; private set; }

    /// <summary>The intake the student belongs to (e.g. 2026), when the school tracks one.</summary>
    public string? Cohort { get; private set; }

    public const int MaxNumberLength = 20;
    public const int MaxNameLength = 200;
    public const int MaxCohortLength = 40;

    public static Student Enrol(Guid userId, string studentNumber, string name, string programme, int studyYear, string? cohort = null) =>
        new() { Id = userId, StudentNumber = studentNumber, Name = name, Programme = programme, StudyYear = studyYear, Cohort = cohort };

    /// <summary>Takes the school's current facts about the student (a re-import of the register).</summary>
    public void Update(string studentNumber, string name, string programme, int studyYear, string? cohort)
    {
        StudentNumber = studentNumber;
        Name = name;
        Programme = programme;
        StudyYear = studyYear;
        Cohort = cohort;
    }
}

internal sealed class StudentConfiguration : IEntityTypeConfiguration<Student>
{
    public void Configure(EntityTypeBuilder<Student> builder)
    {
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.StudentNumber).HasMaxLength(Student.MaxNumberLength);
        builder.HasIndex(s => s.StudentNumber).IsUnique();
        builder.Property(s => s.Name).HasMaxLength(Student.MaxNameLength);
        builder.Property(s => s.Programme).HasMaxLength(60);
        builder.Property(s => s.Cohort).HasMaxLength(Student.MaxCohortLength);
    }
}
