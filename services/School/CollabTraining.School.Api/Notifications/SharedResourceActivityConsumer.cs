using CollabTraining.Contracts.Sharing;
using CollabTraining.Messaging.Inbox;
using CollabTraining.School.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Notifications;

/// <summary>
/// What the owners of shared resources tell the school about its people: a booking cancelled, rejected,
/// lapsed or released under someone, an approval, a waitlist offer (each becomes that user's notification);
/// actual usage (kept for the ledger); blackouts (kept for the catalog). Runs inside the inbox transaction,
/// so a redelivery tells nobody twice.
/// </summary>
public sealed class SharedResourceActivityConsumer(SchoolDbContext db) :
    IConsumer<BookingChanged>,
    IInboxBatchConsumer<BookingChanged>,
    IConsumer<WaitlistSlotOffered>,
    IConsumer<UsageRecorded>,
    IConsumer<BlackoutPlaced>
{
    public async Task Consume(ConsumeContext<BookingChanged> context)
    {
        await ApplyAsync([context.Message], context.CancellationToken);
        await db.SaveChangesAsync(context.CancellationToken);
    }

    /// <summary>
    /// A run of booking changes (one per decision at the owners, most of them bookings users just made
    /// themselves): the ones worth telling become notifications; the inbox saves them with the run.
    /// </summary>
    public Task ApplyAsync(IReadOnlyList<BookingChanged> messages, CancellationToken cancellationToken)
    {
        foreach (var m in messages)
        {
            if (Tell(m) is { } text)
            {
                db.Add(Notification.Tell(m.UserId, m.BookingId, "booking-" + m.Status, text, m.OccurredAt));
            }
        }

        return Task.CompletedTask;
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
}
