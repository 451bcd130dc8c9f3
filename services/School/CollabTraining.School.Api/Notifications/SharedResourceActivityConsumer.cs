using CollabTraining.Contracts.Sharing;
using CollabTraining.Messaging.Inbox;
using CollabTraining.School.Data;
using CollabTraining.School.Ledger;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Notifications;

/// <summary>
/// What the owners of shared resources tell the school about its people: a booking cancelled, rejected,
/// lapsed or released under someone, an approval, a waitlist offer (each becomes that user's notification);
/// every booking's latest state (<see cref="KnownBooking"/>, for the ledger and training records); actual usage
/// (kept for the ledger); blackouts (kept for the catalog until removed). Runs inside the inbox transaction,
/// so a redelivery tells nobody twice.
/// </summary>
public sealed class SharedResourceActivityConsumer(SchoolDbContext db) :
    IConsumer<BookingChanged>,
    IInboxBatchConsumer<BookingChanged>,
    IConsumer<WaitlistSlotOffered>,
    IConsumer<UsageRecorded>,
    IConsumer<BlackoutPlaced>,
    IConsumer<BlackoutRemoved>
{
    public async Task Consume(ConsumeContext<BookingChanged> context)
    {
        await ApplyAsync([context.Message], context.CancellationToken);
        await db.SaveChangesAsync(context.CancellationToken);
    }

    /// <summary>
    /// A run of booking changes (one per decision at the owners, most of them bookings users just made
    /// themselves): the ones worth telling become notifications, and the school's copy of each booking
    /// (<see cref="KnownBooking"/>) moves to the newest version seen. One read of the run's bookings, and one of
    /// their resources only for those not yet known with a kind; the inbox saves everything with the run.
    /// </summary>
    public async Task ApplyAsync(IReadOnlyList<BookingChanged> messages, CancellationToken cancellationToken)
    {
        var bookingIds = messages.Select(m => m.BookingId).Distinct().ToList();
        var known = await db.Set<KnownBooking>().Where(b => bookingIds.Contains(b.BookingId)).ToDictionaryAsync(b => b.BookingId, cancellationToken);
        var facts = known.Values.Where(b => b is { OwnerService: not null, ResourceKind: not null })
            .GroupBy(b => b.ResourceId).ToDictionary(g => g.Key, g => new ResourceFacts(g.First().OwnerService!, g.First().ResourceKind!));
        var unknown = messages.Select(m => m.ResourceId).Distinct().Where(id => !facts.ContainsKey(id)).ToList();
        if (unknown.Count > 0)
        {
            foreach (var r in await db.CatalogResources.AsNoTracking().Where(r => unknown.Contains(r.ResourceId)).ToListAsync(cancellationToken))
            {
                facts[r.ResourceId] = ResourceFacts.Of(r);
            }
        }

        foreach (var m in messages)
        {
            var resource = facts.GetValueOrDefault(m.ResourceId);
            if (!known.TryGetValue(m.BookingId, out var booking))
            {
                db.Add(known[m.BookingId] = KnownBooking.From(m, resource));
            }
            else
            {
                booking.Apply(m, resource);
            }

            if (Tell(m) is { } text)
            {
                db.Add(Notification.Tell(m.UserId, m.BookingId, "booking-" + m.Status, text, m.OccurredAt));
            }
        }
    }

    private static string? Tell(BookingChanged m) => m.Status switch
    {
        "cancelled" => $"Your booking of {m.ResourceName} on {m.Start:yyyy-MM-dd HH:mm} UTC was cancelled: {m.Reason}",
        "rejected" => $"Your booking of {m.ResourceName} on {m.Start:yyyy-MM-dd HH:mm} UTC was rejected: {m.Reason}",
        "expired" => $"Your hold on {m.ResourceName} for {m.Start:yyyy-MM-dd HH:mm} UTC lapsed unconfirmed; the slot passed on.",
        "noShow" => $"Your booking of {m.ResourceName} on {m.Start:yyyy-MM-dd HH:mm} UTC was released: {m.Reason}",
        "confirmed" when m.Version > 1 => $"Your booking of {m.ResourceName} on {m.Start:yyyy-MM-dd HH:mm} UTC is confirmed.",
        _ => null, // Made by the user themself a moment ago: nothing to tell.
    };

    public async Task Consume(ConsumeContext<WaitlistSlotOffered> context)
    {
        var m = context.Message;
        db.Add(Notification.Tell(m.UserId, m.HoldId, "waitlist-offer",
            $"{m.ResourceName} is free for you from {m.Start:yyyy-MM-dd HH:mm} to {m.End:yyyy-MM-dd HH:mm} UTC: it is held until {m.ClaimBy:yyyy-MM-dd HH:mm} UTC; confirm booking {m.HoldId} to keep it.",
            m.OccurredAt));
        await db.SaveChangesAsync(context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<UsageRecorded> context)
    {
        var m = context.Message;
        if (await db.Set<ResourceUsage>().AnyAsync(u => u.BookingId == m.BookingId, context.CancellationToken))
        {
            return;
        }

        db.Add(new ResourceUsage
        {
            BookingId = m.BookingId, ResourceId = m.ResourceId, OwnerId = m.OwnerId, UserId = m.UserId, OrganisationId = m.OrganisationId,
            CheckedInAt = m.CheckedInAt, CheckedOutAt = m.CheckedOutAt, Units = m.Units, UnitHours = m.UnitHours,
        });
        await db.SaveChangesAsync(context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<BlackoutPlaced> context)
    {
        var m = context.Message;
        if (!await db.Set<KnownBlackout>().AnyAsync(b => b.Id == m.BlackoutId, context.CancellationToken))
        {
            db.Add(new KnownBlackout { Id = m.BlackoutId, ResourceId = m.ResourceId, Start = m.Start, End = m.End, Reason = m.Reason });
            await db.SaveChangesAsync(context.CancellationToken);
        }
    }

    /// <summary>
    /// A removed blackout is no longer named in the catalog. The outbox sends one blackout's events in order, so its
    /// placement has been applied; a repeat finds nothing to remove.
    /// </summary>
    public async Task Consume(ConsumeContext<BlackoutRemoved> context)
    {
        if (await db.Set<KnownBlackout>().SingleOrDefaultAsync(b => b.Id == context.Message.BlackoutId, context.CancellationToken) is { } known)
        {
            db.Remove(known);
            await db.SaveChangesAsync(context.CancellationToken);
        }
    }
}
