using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CollabTraining.School.Rounds;

public enum AssignmentStatus
{
    /// <summary>Published to the hospital, awaiting its answer.</summary>
    Pending,

    Confirmed,

    DeclinedByHospital,

    DeclinedByStudent,
}

/// <summary>A student placed on an offer by a match run; the hospital confirms or declines it.</summary>
public sealed class PlacementAssignment
{
    public Guid Id { get; set; }

    public Guid RoundId { get; set; }

    public Guid RunId { get; set; }

    public Guid OfferId { get; set; }

    public Guid HospitalId { get; set; }

    public Guid StudentId { get; set; }

    public int Rank { get; set; }

    public AssignmentStatus Status { get; set; }

    public string? DeclineReason { get; set; }

    public Guid? MentorId { get; set; }

    public string? MentorName { get; set; }

    public long Version { get; set; }

    public DateTimeOffset AssignedAt { get; set; }

    /// <summary>Pending and confirmed assignments hold a seat; declined ones do not.</summary>
    public bool HoldsSeat => Status is AssignmentStatus.Pending or AssignmentStatus.Confirmed;
}

internal sealed class PlacementAssignmentConfiguration : IEntityTypeConfiguration<PlacementAssignment>
{
    public void Configure(EntityTypeBuilder<PlacementAssignment> builder)
    {
        builder.Property(a => a.Status).HasConversion<string>().HasMaxLength(30);
        builder.Property(a => a.DeclineReason).HasMaxLength(1000);
        builder.Property(a => a.MentorName).HasMaxLength(200);
        builder.Property(a => a.Version).IsConcurrencyToken();
        builder.HasIndex(a => new { a.RoundId, a.StudentId });
        builder.HasIndex(a => new { a.RoundId, a.OfferId });
        builder.HasOne<PlacementRound>().WithMany().HasForeignKey(a => a.RoundId);
    }
}
