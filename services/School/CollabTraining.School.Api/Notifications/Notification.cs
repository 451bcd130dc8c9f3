using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CollabTraining.School.Notifications;

/// <summary>Something a student or staff member is told: a booking cancelled under them, a slot offered from a waitlist.</summary>
public sealed class Notification
{
    private Notification()
    {
    }

    public Guid Id { get; private set; }

    public Guid UserId { get; private set; }

    /// <summary>What it is about (a booking, a hold), so a client can link to it.</summary>
    public Guid SubjectId { get; private set; }

    public string Kind { get; private set; } = string.Empty;

    public string Text { get; private set; } = string.Empty;

    public DateTimeOffset OccurredAt { get; private set; }

    /// <summary>When its user marked it read; null while unread.</summary>
    public DateTimeOffset? ReadAt { get; private set; }

    public bool IsRead => ReadAt is not null;

    /// <summary>Marks it read; reading it again keeps the first time (false: nothing changed).</summary>
    public bool MarkRead(DateTimeOffset now)
    {
        if (IsRead)
        {
            return false;
        }

        ReadAt = ToStoredPrecision(now);
        return true;
    }

    /// <summary>Times are stored to the millisecond: what is answered at once must equal what is read back later.</summary>
    public static DateTimeOffset ToStoredPrecision(DateTimeOffset at) => at.AddTicks(-(at.Ticks % TimeSpan.TicksPerMillisecond));

    public static Notification Tell(Guid userId, Guid subjectId, string kind, string text, DateTimeOffset occurredAt) =>
        new() { Id = Guid.CreateVersion7(), UserId = userId, SubjectId = subjectId, Kind = kind, Text = text.Length > 1000 ? text[..1000] : text, OccurredAt = occurredAt };
}

/// <summary>What a user of a shared resource actually used (kept from <c>UsageRecorded</c>): the start of the consortium's ledger.</summary>
public sealed class ResourceUsage
{
    public Guid BookingId { get; set; }

    public Guid ResourceId { get; set; }

    public Guid OwnerId { get; set; }

    public Guid UserId { get; set; }

    public Guid OrganisationId { get; set; }

    public DateTimeOffset CheckedInAt { get; set; }

    public DateTimeOffset CheckedOutAt { get; set; }

    public int Units { get; set; }

    public double UnitHours { get; set; }
}

/// <summary>A window an owner announced a resource unavailable (kept from <c>BlackoutPlaced</c>, dropped on <c>BlackoutRemoved</c>): the catalog names it when the owner cannot be asked.</summary>
public sealed class KnownBlackout
{
    public Guid Id { get; set; }

    public Guid ResourceId { get; set; }

    public DateTimeOffset Start { get; set; }

    public DateTimeOffset End { get; set; }

    public string Reason { get; set; } = string.Empty;
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.ToTable("Notifications");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Id).ValueGeneratedNever();
        builder.Property(n => n.Kind).HasMaxLength(40);
        builder.Property(n => n.Text).HasMaxLength(1000);
        builder.HasIndex(n => new { n.UserId, n.OccurredAt });

        // The unread count and read-all look for a user's rows with no ReadAt.
        builder.HasIndex(n => new { n.UserId, n.ReadAt });
    }
}

internal sealed class ResourceUsageConfiguration : IEntityTypeConfiguration<ResourceUsage>
{
    public void Configure(EntityTypeBuilder<ResourceUsage> builder)
    {
        builder.ToTable("ResourceUsage");
        builder.HasKey(u => u.BookingId);
        builder.Property(u => u.BookingId).ValueGeneratedNever();
        builder.HasIndex(u => new { u.OrganisationId, u.CheckedOutAt });
    }
}

internal sealed class KnownBlackoutConfiguration : IEntityTypeConfiguration<KnownBlackout>
{
    public void Configure(EntityTypeBuilder<KnownBlackout> builder)
    {
        builder.ToTable("KnownBlackouts");
        builder.HasKey(b => b.Id);
        builder.Property(b => b.Id).ValueGeneratedNever();
        builder.Property(b => b.Reason).HasMaxLength(500);
        builder.HasIndex(b => new { b.ResourceId, b.End });
    }
}
