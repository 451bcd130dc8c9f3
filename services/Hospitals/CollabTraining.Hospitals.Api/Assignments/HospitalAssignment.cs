using CollabTraining.ServiceDefaults.Problems;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CollabTraining.Hospitals.Assignments;

public enum HospitalAssignmentStatus
{
    Pending,
    Confirmed,
    Declined,
    WithdrawnByStudent,
}

/// <summary>A student the school's match placed on one of this hospital's offers.</summary>
public sealed class HospitalAssignment
{
    public Guid Id { get; set; }

    public Guid RoundId { get; set; }

    public Guid OfferId { get; set; }

    public Guid HospitalId { get; set; }

    public Guid StudentId { get; set; }

    public string StudentName { get; set; } = string.Empty;

    public int StudyYear { get; set; }

    public string Programme { get; set; } = string.Empty;

    public int Rank { get; set; }

    public HospitalAssignmentStatus Status { get; set; }

    public string? DeclineReason { get; set; }

    public Guid? MentorId { get; set; }

    public string? MentorName { get; set; }

    public long Version { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    public bool HoldsSeat => Status is HospitalAssignmentStatus.Pending or HospitalAssignmentStatus.Confirmed;

    public void Confirm()
    {
        Ensure(Status == HospitalAssignmentStatus.Pending, "Only a pending assignment can be confirmed");
        Status = HospitalAssignmentStatus.Confirmed;
        Version++;
    }

    public void Decline(string reason)
    {
        Ensure(HoldsSeat, "Only a pending or confirmed assignment can be declined");
        Status = HospitalAssignmentStatus.Declined;
        DeclineReason = reason;
        Version++;
    }

    public void AssignMentor(ClinicalMentor mentor)
    {
        Ensure(Status == HospitalAssignmentStatus.Confirmed, "A mentor is assigned to a confirmed student only");
        MentorId = mentor.Id;
        MentorName = mentor.Name;
        Version++;
    }

    private void Ensure(bool condition, string rule)
    {
        if (!condition)
        {
            throw new DomainRuleException($"{rule}; this one is {Status}.", StatusCodes.Status409Conflict);
        }
    }
}

/// <summary>A member of a hospital's staff who mentors students; the id is their user id.</summary>
public sealed class ClinicalMentor
{
    public Guid Id { get; set; }

    public Guid HospitalId { get; set; }

    public required string Name { get; set; }
}

internal sealed class AssignmentConfigurations : IEntityTypeConfiguration<HospitalAssignment>, IEntityTypeConfiguration<ClinicalMentor>
{
    public void Configure(EntityTypeBuilder<HospitalAssignment> builder)
    {
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.StudentName).HasMaxLength(200);
        builder.Property(a => a.Programme).HasMaxLength(60);
        builder.Property(a => a.Status).HasConversion<string>().HasMaxLength(30);
        builder.Property(a => a.DeclineReason).HasMaxLength(1000);
        builder.Property(a => a.MentorName).HasMaxLength(200);
        builder.Property(a => a.Version).IsConcurrencyToken();
        builder.HasIndex(a => new { a.HospitalId, a.Status });
        builder.HasIndex(a => a.OfferId);
    }

    public void Configure(EntityTypeBuilder<ClinicalMentor> builder)
    {
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.Name).HasMaxLength(200);
        builder.HasIndex(m => m.HospitalId);
    }
}
