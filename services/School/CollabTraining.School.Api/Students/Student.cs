using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CollabTraining.School.Students;

/// <summary>A student of the school; the id is the student's user id.</summary>
public sealed class Student
{
    public Guid Id { get; set; }

    public required string StudentNumber { get; set; }

    public required string Name { get; set; }

    /// <summary>Programme code, e.g. medicine or biomedical-engineering.</summary>
    public required string Programme { get; set; }

    public int StudyYear { get; set; }
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
