using CollabTraining.Contracts.Sharing;
using CollabTraining.School.Catalog;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CollabTraining.School.Ledger;

/// <summary>
/// A booking at a resource owner as the school last heard of it (kept from <see cref="BookingChanged"/>): the
/// ledger's hours provided and a student's bookings in their training record. It only moves forward: an event
/// whose version is not newer than the one held changes nothing, so late or repeated events never undo a change.
/// </summary>
public sealed class KnownBooking
{
    private KnownBooking()
    {
    }

    public Guid BookingId { get; private set; }

    public Guid ResourceId { get; private set; }

    public string ResourceName { get; private set; } = string.Empty;

    /// <summary>The owner organisation (whose contribution the booking is).</summary>
    public Guid OwnerId { get; private set; }

    /// <summary>The owning service, from the catalog; null while the resource is not in it.</summary>
    public string? OwnerService { get; private set; }

    /// <summary>computePool, device or equipment, from the catalog; null while the resource is not in it.</summary>
    public string? ResourceKind { get; private set; }

    public Guid UserId { get; private set; }

    /// <summary>The booker's organisation.</summary>
    public Guid OrganisationId { get; private set; }

    public int Units { get; private set; }

    public DateTimeOffset Start { get; private set; }

    public DateTimeOffset End { get; private set; }

    public string Status { get; private set; } = string.Empty;

    public long Version { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>The statuses in which a booking's time counts as provided by its owner: it was (or is) going to be used.</summary>
    public static readonly IReadOnlyList<string> ProvidedStatuses = ["confirmed", "checkedIn", "completed"];

    public static KnownBooking From(BookingChanged m, ResourceFacts? resource)
    {
        var booking = new KnownBooking { BookingId = m.BookingId };
        booking.Copy(m, resource);
        return booking;
    }

    /// <summary>Takes the change if it is newer than what is held; false (nothing changed) otherwise.</summary>
    public bool Apply(BookingChanged m, ResourceFacts? resource)
    {
        if (m.Version <= Version)
        {
            return false;
        }

        Copy(m, resource);
        return true;
    }

    private void Copy(BookingChanged m, ResourceFacts? resource)
    {
        ResourceId = m.ResourceId;
        ResourceName = m.ResourceName.Length > 200 ? m.ResourceName[..200] : m.ResourceName;
        OwnerId = m.OwnerId;
        OwnerService = resource?.Service ?? OwnerService;
        ResourceKind = resource?.Kind ?? ResourceKind;
        UserId = m.UserId;
        OrganisationId = m.OrganisationId;
        Units = m.Units;
        Start = m.Start;
        End = m.End;
        Status = m.Status;
        Version = m.Version;
        UpdatedAt = m.OccurredAt;
    }
}

/// <summary>What the catalog says about a booked resource: its owning service and kind.</summary>
public sealed record ResourceFacts(string Service, string Kind)
{
    public static ResourceFacts Of(CatalogResource resource) => new(resource.Service, resource.Kind);
}

internal sealed class KnownBookingConfiguration : IEntityTypeConfiguration<KnownBooking>
{
    public void Configure(EntityTypeBuilder<KnownBooking> builder)
    {
        builder.ToTable("KnownBookings");
        builder.HasKey(b => b.BookingId);
        builder.Property(b => b.BookingId).ValueGeneratedNever();
        builder.Property(b => b.ResourceName).HasMaxLength(200);
        builder.Property(b => b.OwnerService).HasMaxLength(40);
        builder.Property(b => b.ResourceKind).HasMaxLength(40);
        builder.Property(b => b.Status).HasMaxLength(30);
        builder.HasIndex(b => new { b.OwnerId, b.Start });
        builder.HasIndex(b => new { b.UserId, b.Start });
    }
}
