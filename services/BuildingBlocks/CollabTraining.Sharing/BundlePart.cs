using CollabTraining.Bookings;
using CollabTraining.Contracts.Projects;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Sharing;

public enum BundlePartState
{
    /// <summary>Its hold was placed (it may have lapsed since: confirming tells).</summary>
    Held,

    /// <summary>The hold request was refused; nothing is held.</summary>
    Refused,

    Confirmed,

    /// <summary>The school asked to confirm, but the hold had lapsed or was cancelled.</summary>
    NotConfirmed,

    /// <summary>Released by the school: its hold or booking cancelled, or nothing was ever held (a tombstone).</summary>
    Released,
}

/// <summary>
/// One part of a project's resource bundle at this owner, keyed by the school's part id: what was decided for it, so
/// every repeat of a step gets the answer first given, and a release that overtakes its hold request refuses it.
/// </summary>
public sealed class BundlePart
{
    public const string ReleasedReason = "released";
    public const string LateReason = "late";

    private BundlePart()
    {
    }

    /// <summary>The school's part id.</summary>
    public Guid Id { get; private set; }

    public Guid BundleId { get; private set; }

    public Guid? ResourceId { get; private set; }

    /// <summary>The hold (later the booking) placed for it; null when none was.</summary>
    public Guid? BookingId { get; private set; }

    public BundlePartState State { get; private set; }

    /// <summary>A refusal's code (the kernel's: full, blackout, quota, qualification, rule; or not-found, invalid, released, late).</summary>
    public string? Reason { get; private set; }

    /// <summary>The refusal, release or failed confirmation in words.</summary>
    public string? Detail { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public long Version { get; private set; }

    public static BundlePart HeldBy(BundleHoldRequested m, Booking hold, DateTimeOffset now) =>
        new() { Id = m.PartId, BundleId = m.BundleId, ResourceId = m.ResourceId, BookingId = hold.Id, State = BundlePartState.Held, UpdatedAt = now, Version = 1 };

    public static BundlePart Refused(BundleHoldRequested m, string reason, string detail, DateTimeOffset now) =>
        new() { Id = m.PartId, BundleId = m.BundleId, ResourceId = m.ResourceId, State = BundlePartState.Refused, Reason = reason, Detail = Clip(detail), UpdatedAt = now, Version = 1 };

    /// <summary>A release heard before its hold request: nothing to cancel, and the request will be refused.</summary>
    public static BundlePart ReleasedBeforeHold(BundlePartReleaseRequested m, DateTimeOffset now) =>
        new() { Id = m.PartId, BundleId = m.BundleId, State = BundlePartState.Released, Reason = ReleasedReason, Detail = Clip(m.Reason), UpdatedAt = now, Version = 1 };

    public void Confirm(DateTimeOffset now) => Move(BundlePartState.Confirmed, null, null, now);

    public void FailToConfirm(string detail, DateTimeOffset now) => Move(BundlePartState.NotConfirmed, null, detail, now);

    public void Release(string detail, DateTimeOffset now) => Move(BundlePartState.Released, ReleasedReason, detail, now);

    /// <summary>The answer to its hold request, the same every time it is asked.</summary>
    public BundleHoldAnswered HoldAnswer(DateTimeOffset now) => State switch
    {
        BundlePartState.Refused => new BundleHoldAnswered(BundleId, Id, false, null, Reason, Detail, Version, now),
        BundlePartState.Released => new BundleHoldAnswered(BundleId, Id, false, null, ReleasedReason,
            $"The school released this part{(BookingId is null ? " before its hold was asked for" : string.Empty)}: {Detail}", Version, now),
        _ => new BundleHoldAnswered(BundleId, Id, true, BookingId, null, null, Version, now),
    };

    /// <summary>The answer to a request to confirm it, once decided (held parts are decided first).</summary>
    public BundlePartConfirmed ConfirmAnswer(DateTimeOffset now) => State switch
    {
        BundlePartState.Confirmed => new BundlePartConfirmed(BundleId, Id, true, BookingId, null, Version, now),
        BundlePartState.Refused => new BundlePartConfirmed(BundleId, Id, false, null, $"Its hold was refused ({Reason}): {Detail}", Version, now),
        BundlePartState.Released => new BundlePartConfirmed(BundleId, Id, false, BookingId, $"The part was released: {Detail}", Version, now),
        _ => new BundlePartConfirmed(BundleId, Id, false, BookingId, Detail, Version, now),
    };

    public BundlePartReleased ReleaseAnswer(DateTimeOffset now) => new(BundleId, Id, BookingId, Version, now);

    private void Move(BundlePartState state, string? reason, string? detail, DateTimeOffset now)
    {
        State = state;
        Reason = reason;
        Detail = detail is null ? null : Clip(detail);
        UpdatedAt = now;
        Version++;
    }

    private static string Clip(string text) => text.Length <= 500 ? text : text[..499] + "…";
}

public static class BundlePartModel
{
    public static ModelBuilder AddBundleParts(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<BundlePart>(b =>
        {
            b.ToTable("BundleParts");
            b.HasKey(p => p.Id);
            b.Property(p => p.Id).ValueGeneratedNever();
            b.Property(p => p.State).HasConversion<string>().HasMaxLength(20);
            b.Property(p => p.Reason).HasMaxLength(40);
            b.Property(p => p.Detail).HasMaxLength(500);
            b.Property(p => p.Version).IsConcurrencyToken();
            b.HasIndex(p => p.BundleId);
        });
        return modelBuilder;
    }
}
