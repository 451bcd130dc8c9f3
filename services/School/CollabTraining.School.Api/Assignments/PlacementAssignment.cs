using CollabTraining.Contracts.School;
using CollabTraining.School.Rounds;
using CollabTraining.School.Students;
using CollabTraining.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CollabTraining.School.Assignments;

/// <summary>
/// A student placed on an offer, by a match run or by the coordinator moving them; the hospital confirms or
/// declines it. Every change is a method that enforces its rule and returns the event it raises.
/// </summary>
public sealed class PlacementAssignment
{
    private PlacementAssignment()
    {
    }

    public Guid Id { get; private set; }

    public Guid RoundId { get; private set; }

    /// <summary>The run that made it; null when the coordinator moved the student here.</summary>
    public Guid? RunId { get; private set; }

    public Guid OfferId { get; private set; }

    public Guid HospitalId { get; private set; }

    public Guid StudentId { get; private set; }

    /// <summary>Where the student ranked the offer (0 when the coordinator moved them to an offer they had not ranked).</summary>
    public int Rank { get; private set; }

    public PlacementAssignmentStatus Status { get; private set; }

    public string? DeclineReason { get; private set; }

    /// <summary>Who declined or released it, when it was not the hospital (a student, or the coordinator for them).</summary>
    public Guid? DeclinedBy { get; private set; }

    public Guid? MentorId { get; private set; }

    public string? MentorName { get; private set; }

    /// <summary>The hospital's version of the assignment when the mentor was set: a later reassignment wins, whatever order they arrive in.</summary>
    public long MentorVersion { get; private set; }

    public long Version { get; private set; }

    public DateTimeOffset AssignedAt { get; private set; }

    /// <summary>Pending and confirmed assignments hold a seat; declined and released ones do not.</summary>
    public bool HoldsSeat => Status is PlacementAssignmentStatus.Pending or PlacementAssignmentStatus.Confirmed;

    public static (PlacementAssignment Assignment, PlacementAssigned Event) Make(
        Guid roundId, Guid? runId, Guid offerId, Guid hospitalId, Student student, int rank, DateTimeOffset now)
    {
        var assignment = new PlacementAssignment
        {
            Id = Guid.CreateVersion7(now),
            RoundId = roundId,
            RunId = runId,
            OfferId = offerId,
            HospitalId = hospitalId,
            StudentId = student.Id,
            Rank = rank,
            Status = PlacementAssignmentStatus.Pending,
            Version = 1,
            AssignedAt = now,
        };

        // The rank stays with the school: rank-order lists are confidential, so the hospital is sent 0.
        return (assignment, new PlacementAssigned(assignment.Id, roundId, offerId, hospitalId, student.Id, student.Name, student.StudyYear, student.Programme, 0, 1, now));
    }

    /// <summary>The student gives the placement up, or the coordinator does it for them; final either way.</summary>
    public PlacementDeclinedByStudent DeclineForStudent(string reason, Guid declinedBy, DateTimeOffset now)
    {
        Leave(PlacementAssignmentStatus.DeclinedByStudent, reason, declinedBy, "declined");
        return new PlacementDeclinedByStudent(Id, HospitalId, reason, Version, now);
    }

    /// <summary>The coordinator takes the student off this placement (to move them elsewhere).</summary>
    public PlacementReleasedBySchool Release(string reason, Guid releasedBy, DateTimeOffset now)
    {
        Leave(PlacementAssignmentStatus.ReleasedBySchool, reason, releasedBy, "released");
        return new PlacementReleasedBySchool(Id, HospitalId, reason, Version, now);
    }

    /// <summary>The hospital's confirmation arrived; it applies only to a pending assignment (a late one changes nothing).</summary>
    public bool ApplyConfirmation()
    {
        if (Status != PlacementAssignmentStatus.Pending)
        {
            return false;
        }

        Status = PlacementAssignmentStatus.Confirmed;
        Version++;
        return true;
    }

    /// <summary>The hospital's decline arrived; a student's own decline or the school's release stays as it was.</summary>
    public bool ApplyHospitalDecline(string reason)
    {
        if (!HoldsSeat)
        {
            return false;
        }

        Status = PlacementAssignmentStatus.DeclinedByHospital;
        DeclineReason = reason;
        Version++;
        return true;
    }

    public bool ApplyMentor(Guid mentorId, string mentorName, long hospitalVersion)
    {
        if (Status != PlacementAssignmentStatus.Confirmed || hospitalVersion <= MentorVersion)
        {
            return false;
        }

        MentorId = mentorId;
        MentorName = mentorName;
        MentorVersion = hospitalVersion;
        Version++;
        return true;
    }

    /// <summary>The seat is given up on the school's side: final, with who did it and why.</summary>
    private void Leave(PlacementAssignmentStatus status, string reason, Guid by, string action)
    {
        if (!HoldsSeat)
        {
            throw DomainRuleException.Conflict($"Only a pending or confirmed assignment can be {action}; this one is {Status}.");
        }

        Status = status;
        DeclineReason = reason;
        DeclinedBy = by;
        Version++;
    }
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
        builder.HasIndex(a => new { a.OfferId, a.Status });
        builder.HasIndex(a => new { a.StudentId, a.Status });
        builder.HasOne<PlacementRound>().WithMany().HasForeignKey(a => a.RoundId);
    }
}
