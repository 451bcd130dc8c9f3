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

    public static Student Enrol(Guid userId, string studentNumber, string name, string programme, int studyYear) =>
        new() { Id = userId, StudentNumber = studentNumber, Name = name, Programme = programme, StudyYear = studyYear };
}

internal sealed class StudentConfiguration : IEntityTypeConfiguration<Student>
{
    public void Configure(EntityTypeBuilder<Student> builder)
    {
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.StudentNumber).HasMaxLength(20);
        builder.HasIndex(s => s.StudentNumber).IsUnique();
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.Property(s => s.Programme).HasMaxLength(60);
    }
}
