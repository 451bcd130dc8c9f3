using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CollabTraining.School.Students;

/// <summary>A qualification a student holds (e.g. infection-control, mri-safety), valid until its expiry.</summary>
public sealed class StudentQualification
{
    private StudentQualification()
    {
    }

    public Guid StudentId { get; private set; }

    public string Code { get; private set; } = string.Empty;

    public DateOnly ExpiresOn { get; private set; }

    public static StudentQualification Grant(Guid studentId, string code, DateOnly expiresOn) => new() { StudentId = studentId, Code = code, ExpiresOn = expiresOn };

    public void Renew(DateOnly expiresOn) => ExpiresOn = expiresOn;
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
