using CollabTraining.Contracts.Hospitals;
using CollabTraining.Contracts.School;
using CollabTraining.Hospitals.Placements;
using CollabTraining.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CollabTraining.Hospitals.Assignments;

/// <summary>
/// A student the school's match placed on one of this hospital's offers. The hospital's coordinators answer
/// it; every change is a method that enforces its rule and returns the event it raises.
/// </summary>
public sealed class HospitalAssignment
{
    private HospitalAssignment()
    {
    }

    public Guid Id { get; private set; }

    public Guid RoundId { get; private set; }

    public Guid OfferId { get; private set; }

    public Guid HospitalId { get; private set; }

    public Guid StudentId { get; private set; }

    // Stryker disable once String : every factory method and EF's load of the row overwrite it; the initialiser only satisfies the nullable analysis
    public string StudentName { get; private set; } = string.Empty;

    public int StudyYear { get; private set; }

    // Stryker disable once String : every factory method and EF's load of the row overwrite it; the initialiser only satisfies the nullable analysis
    public string Programme { get; private set; } = string.Empty;

    public PlacementAssignmentStatus Status { get; private set; }

    public string? DeclineReason { get; private set; }

    public Guid? MentorId { get; private set; }

    public string? MentorName { get; private set; }

    public long Version { get; private set; }

    public DateTimeOffset ReceivedAt { get; private set; }

    /// <summary>
    /// Counts the hours entries logged on this placement. A concurrency token: two entries logged at once are
    /// checked against the same day one after the other (no duplicate, no day over the cap slips through).
    /// </summary>
    public int HoursEntries { get; private set; }

    public bool HoldsSeat => Status is PlacementAssignmentStatus.Pending or PlacementAssignmentStatus.Confirmed;

    public static HospitalAssignment Receive(PlacementAssigned m, DateTimeOffset now) => new()
    {
        Id = m.AssignmentId,
        RoundId = m.RoundId,
        OfferId = m.OfferId,
        HospitalId = m.HospitalId,
        StudentId = m.StudentId,
        StudentName = m.StudentName,
        StudyYear = m.StudyYear,
        Programme = m.Programme,
        Status = PlacementAssignmentStatus.Pending,
        Version = 1,
        ReceivedAt = now,
    };

    /// <summary>Confirms a pending assignment while the offer takes students and has a seat that no confirmed student holds.</summary>
    public PlacementAssignmentConfirmed Confirm(PlacementOffer offer, int confirmedOnOffer, DateTimeOffset now)
    {
        Ensure(Status == PlacementAssignmentStatus.Pending, "Only a pending assignment can be confirmed");
        if (offer.Status == PlacementOfferStatus.Withdrawn)
        {
            throw DomainRuleException.Conflict("The placement was withdrawn; its students cannot be confirmed.");
        }

        if (confirmedOnOffer >= offer.Seats)
        {
            throw DomainRuleException.Conflict($"All {offer.Seats} seats of this placement are confirmed already; decline this student or add a seat first.");
        }

        offer.CountConfirmation();
        Status = PlacementAssignmentStatus.Confirmed;
        Version++;
        return new PlacementAssignmentConfirmed(Id, OfferId, StudentId, Version, now);
    }

    public PlacementAssignmentDeclined Decline(string reason, DateTimeOffset now)
    {
        Ensure(HoldsSeat, "Only a pending or confirmed assignment can be declined");
        Status = PlacementAssignmentStatus.DeclinedByHospital;
        DeclineReason = reason;
        Version++;
        return new PlacementAssignmentDeclined(Id, OfferId, StudentId, reason, Version, now);
    }

    public ClinicalMentorAssigned AssignMentor(ClinicalMentor mentor, DateTimeOffset now)
    {
        Ensure(Status == PlacementAssignmentStatus.Confirmed, "A mentor is assigned to a confirmed student only");
        if (mentor.RetiredAt is not null)
        {
            throw DomainRuleException.Invalid("mentorId", $"{mentor.Name} no longer mentors students here.");
        }

        MentorId = mentor.Id;
        MentorName = mentor.Name;
        Version++;
        return new ClinicalMentorAssigned(Id, StudentId, mentor.Id, mentor.Name, Version, now);
    }

    /// <summary>The school says the student gave the placement up (or was moved); applies only while it holds a seat.</summary>
    public bool ApplySchoolDecision(PlacementAssignmentStatus status, string reason)
    {
        if (!HoldsSeat)
        {
            return false;
        }

        Status = status;
        DeclineReason = reason;
        Version++;
        return true;
    }

    /// <summary>An hours entry is being logged on this placement (see <see cref="HoursEntries"/>).</summary>
    public void CountHoursEntry() => HoursEntries++;

    public void EnsureConfirmed(string what)
    {
        if (Status != PlacementAssignmentStatus.Confirmed)
        {
            throw DomainRuleException.Conflict($"{what} only on a confirmed placement; this one is {Status}.");
        }
    }

    private void Ensure(bool condition, string rule)
    {
        if (!condition)
        {
            throw DomainRuleException.Conflict($"{rule}; this one is {Status}.");
        }
    }
}

/// <summary>
/// A member of a hospital's staff who mentors students there; the id is their user id, the key is (hospital, user).
/// Retired mentors keep their past students.
/// </summary>
public sealed class ClinicalMentor
{
    private ClinicalMentor()
    {
    }

    public Guid Id { get; private set; }

    public Guid HospitalId { get; private set; }

    // Stryker disable once String : every factory method and EF's load of the row overwrite it; the initialiser only satisfies the nullable analysis
    public string Name { get; private set; } = string.Empty;

    public DateTimeOffset? RetiredAt { get; private set; }

    /// <summary>How many innovation projects they take at once (the school asks; they accept within this).</summary>
    public int ProjectCapacity { get; private set; } = DefaultProjectCapacity;

    public const int DefaultProjectCapacity = 2;

    public bool Active => RetiredAt is null;

    public static ClinicalMentor Register(Guid userId, Guid hospitalId, string name, int projectCapacity = DefaultProjectCapacity) =>
        new() { Id = userId, HospitalId = hospitalId, Name = name, ProjectCapacity = CheckCapacity(projectCapacity) };

    /// <summary>Registers again a mentor who had retired, under their current name and with the projects they now take.</summary>
    public void Reinstate(string name, int projectCapacity = DefaultProjectCapacity)
    {
        Name = name;
        ProjectCapacity = CheckCapacity(projectCapacity);
        RetiredAt = null;
    }

    private static int CheckCapacity(int projectCapacity) => projectCapacity is >= 0 and <= 50
        ? projectCapacity
        : throw DomainRuleException.Invalid("projectCapacity", "A mentor takes between 0 and 50 projects at once.");

    public void Retire(DateTimeOffset now) => RetiredAt ??= now;
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
        builder.Property(a => a.HoursEntries).IsConcurrencyToken();
        builder.HasIndex(a => new { a.HospitalId, a.Status });
        builder.HasIndex(a => a.OfferId);
    }

    public void Configure(EntityTypeBuilder<ClinicalMentor> builder)
    {
        // A person may mentor at more than one hospital; each hospital registers (and retires) its own.
        builder.HasKey(m => new { m.HospitalId, m.Id });
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.Name).HasMaxLength(200);

        // Mentors registered before capacities existed take the default; the sentinel keeps an explicit 0 from reading as "unset".
        builder.Property(m => m.ProjectCapacity).HasDefaultValue(ClinicalMentor.DefaultProjectCapacity).HasSentinel(-1);
        builder.Ignore(m => m.Active);
    }
}


/// <summary>Who sees which placements at a hospital: its coordinators see all of them, a mentor only their own students.</summary>
public static class AssignmentAccess
{
    public static IQueryable<HospitalAssignment> VisibleTo(this IQueryable<HospitalAssignment> assignments, ServiceDefaults.Security.CurrentUser user)
    {
        var atHospital = assignments.Where(a => a.HospitalId == user.OrganisationId);
        return user.IsHospitalCoordinator ? atHospital : atHospital.Where(a => a.MentorId == user.UserId);
    }

    public static void EnsureVisibleTo(this HospitalAssignment assignment, ServiceDefaults.Security.CurrentUser user)
    {
        user.EnsureMemberOf(assignment.HospitalId, "The assignment is to another hospital's offer.");
        if (!user.IsHospitalCoordinator)
        {
            user.EnsureIs(assignment.MentorId, "A mentor sees only their own students.");
        }
    }

    /// <summary>The student's own mentor, at the student's hospital: who evaluates them and reviews their hours.</summary>
    public static void EnsureMentoredBy(this HospitalAssignment assignment, ServiceDefaults.Security.CurrentUser user, string refusal)
    {
        user.EnsureMemberOf(assignment.HospitalId, refusal);
        user.EnsureIs(assignment.MentorId, refusal);
    }
}
