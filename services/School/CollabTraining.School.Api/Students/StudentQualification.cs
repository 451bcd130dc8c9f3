using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CollabTraining.School.Students;

/// <summary>A qualification a student holds (e.g. infection-control, mri-safety), valid until its expiry.</summary>
public sealed class StudentQualification
{
    public Guid StudentId { get; set; }

    public required string Code { get; set; }

    public DateOnly ExpiresOn { get; set; }
}

internal sealed class StudentQualificationConfiguration : IEntityTypeConfiguration<StudentQualification>
{
    public void Configure(EntityTypeBuilder<StudentQualification> builder)
    {
        builder.HasKey(q => new { q.StudentId, q.Code });
        builder.Property(q => q.Code).HasMaxLength(60);
        builder.HasOne<Student>().WithMany().HasForeignKey(q => q.StudentId);
    }
}
