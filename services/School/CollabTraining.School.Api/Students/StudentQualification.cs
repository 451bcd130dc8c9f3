using CollabTraining.Contracts.School;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CollabTraining.School.Students;

/// <summary>
/// A qualification a student holds (e.g. infection-control, mri-safety), valid until the end of
/// <see cref="ExpiresOn"/> (UTC) unless revoked. Resource owners learn of every change through
/// <see cref="QualificationChanged"/>: each transition returns the event to add to the outbox, with the
/// holding's id (stable across renewals) and its version after the change.
/// </summary>
public sealed class StudentQualification
{
    private StudentQualification()
    {
    }

    /// <summary>The holding's id: kept when it is renewed, revoked or granted again.</summary>
    public Guid Id { get; private set; }

    public Guid StudentId { get; private set; }

    public string Code { get; private set; } = string.Empty;

    /// <summary>The last day it is valid (UTC).</summary>
    public DateOnly ExpiresOn { get; private set; }

    /// <summary>When the school withdrew it; a revoked qualification counts nowhere until it is granted again.</summary>
    public DateTimeOffset? RevokedAt { get; private set; }

    /// <summary>
    /// The expiry date whose passing was announced, so the expiry of one date is announced once however many
    /// due tasks look at it; a renewal moves <see cref="ExpiresOn"/> on, and the new date is announced in turn.
    /// </summary>
    public DateOnly? ExpiryAnnouncedFor { get; private set; }

    /// <summary>The expiry date its student was warned of (30 days ahead), so each date is warned of once.</summary>
    public DateOnly? ExpiringAnnouncedFor { get; private set; }

    /// <summary>How long before its last day the student is warned.</summary>
    public static readonly TimeSpan WarningAhead = TimeSpan.FromDays(30);

    /// <summary>1 when granted, one more on every change owners are told of.</summary>
    public long Version { get; private set; }

    public bool IsRevoked => RevokedAt is not null;

    /// <summary>The first instant it is no longer valid: midnight UTC after its last day.</summary>
    public DateTimeOffset ExpiryDueAt => new(ExpiresOn.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>When its student is warned: 30 days before the first instant it is no longer valid.</summary>
    public DateTimeOffset ExpiringDueAt => ExpiryDueAt - WarningAhead;

    public static (StudentQualification Qualification, QualificationChanged Granted) Grant(Guid studentId, string code, DateOnly expiresOn, DateTimeOffset now)
    {
        var qualification = new StudentQualification
        {
            Id = Guid.CreateVersion7(now),
            StudentId = studentId,
            Code = code,
            ExpiresOn = expiresOn,
            Version = 1,
        };
        return (qualification, qualification.Changed(QualificationChange.Granted, now));
    }

    /// <summary>Renews it to a new last day; a revoked one is granted again (owners are told it was granted).</summary>
    public QualificationChanged Renew(DateOnly expiresOn, DateTimeOffset now)
    {
        var change = IsRevoked ? QualificationChange.Granted : QualificationChange.Renewed;
        ExpiresOn = expiresOn;
        RevokedAt = null;
        Version++;
        return Changed(change, now);
    }

    /// <summary>Withdraws it; null when it was already revoked (nothing changes, nothing to tell).</summary>
    public QualificationChanged? Revoke(DateTimeOffset now)
    {
        if (IsRevoked)
        {
            return null;
        }

        RevokedAt = now;
        Version++;
        return Changed(QualificationChange.Revoked, now);
    }

    /// <summary>
    /// Announces that its last day has passed; null when there is nothing to announce: revoked, renewed
    /// meanwhile (still valid today), or this expiry already announced.
    /// </summary>
    public QualificationChanged? Expire(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (IsRevoked || ExpiresOn >= today || ExpiryAnnouncedFor == ExpiresOn)
        {
            return null;
        }

        ExpiryAnnouncedFor = ExpiresOn;
        Version++;
        return Changed(QualificationChange.Expired, now);
    }

    /// <summary>
    /// Marks the student warned that the current expiry date is near; false when there is nothing to warn of:
    /// revoked, renewed past the warning, already expired, or this date already warned of.
    /// </summary>
    public bool WarnOfExpiry(DateTimeOffset now)
    {
        if (IsRevoked || now < ExpiringDueAt || now >= ExpiryDueAt || ExpiringAnnouncedFor == ExpiresOn)
        {
            return false;
        }

        ExpiringAnnouncedFor = ExpiresOn;
        return true;
    }

    private QualificationChanged Changed(QualificationChange change, DateTimeOffset now) =>
        new(Id, StudentId, Code, change, IsRevoked ? null : ExpiresOn, Version, now);
}

internal sealed class StudentQualificationConfiguration : IEntityTypeConfiguration<StudentQualification>
{
    public void Configure(EntityTypeBuilder<StudentQualification> builder)
    {
        builder.HasKey(q => new { q.StudentId, q.Code });
        builder.Property(q => q.Id).ValueGeneratedNever();
        builder.HasIndex(q => q.Id).IsUnique();
        builder.Property(q => q.Code).HasMaxLength(60);
        builder.Property(q => q.Version).IsConcurrencyToken();
        builder.HasOne<Student>().WithMany().HasForeignKey(q => q.StudentId);
    }
}
