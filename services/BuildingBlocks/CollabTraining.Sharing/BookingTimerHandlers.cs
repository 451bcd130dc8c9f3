using CollabTraining.Bookings;
using CollabTraining.Contracts.School;
using CollabTraining.Messaging.Scheduling;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Sharing;

/// <summary>A hold nobody confirmed lapses; if it was a waitlist offer, the slot passes to the next in line.</summary>
public sealed class HoldExpiryHandler(BookingWork work) : IDueTaskHandler
{
    public string Kind => BookingTimers.HoldExpiry;

    public async Task RunAsync(DueTask task, CancellationToken cancellationToken)
    {
        var booking = await work.Db.Set<Booking>().SingleOrDefaultAsync(b => b.Id == task.SubjectId, cancellationToken);
        if (booking is null)
        {
            return;
        }

        var resource = await work.ResourceAsync(booking.ResourceId, cancellationToken);
        if (booking.ExpireIfDue(work.Now))
        {
            resource.Touch();
            work.Announce(booking, resource);
        }

        if (booking.Status != BookingStatus.Expired)
        {
            return; // Confirmed or released meanwhile: nothing to do.
        }

        // Lapsed now, or already by a decision that found it past its expiry: a waitlist offer passes on, and
        // whoever waits for the freed units is offered them (only units still free are offered).
        if (await work.Db.Set<WaitlistEntry>().SingleOrDefaultAsync(e => e.OfferedHoldId == booking.Id, cancellationToken) is { } entry)
        {
            entry.Lapse();
        }

        resource.Touch();
        await work.OfferFreedAsync(resource, booking.Start, booking.End, cancellationToken);
        await work.Db.SaveChangesAsync(cancellationToken);
    }
}

/// <summary>Nobody checked in within the window after the start: the booking is released as a no-show and its units freed.</summary>
public sealed class NoShowHandler(BookingWork work) : IDueTaskHandler
{
    public string Kind => BookingTimers.NoShow;

    public async Task RunAsync(DueTask task, CancellationToken cancellationToken)
    {
        var booking = await work.Db.Set<Booking>().SingleOrDefaultAsync(b => b.Id == task.SubjectId, cancellationToken);
        if (booking is null)
        {
            return;
        }

        var resource = await work.ResourceAsync(booking.ResourceId, cancellationToken);
        if (!booking.ReleaseIfNoShow(resource.Rules, work.Now))
        {
            return;
        }

        resource.Touch();
        work.Announce(booking, resource);
        await work.OfferFreedAsync(resource, work.Now, booking.End, cancellationToken);
        await work.Db.SaveChangesAsync(cancellationToken);
    }
}

/// <summary>A booking still waiting for approval when it starts is rejected then (its user told, its units freed).</summary>
public sealed class ApprovalDeadlineHandler(BookingWork work) : IDueTaskHandler
{
    public string Kind => BookingTimers.ApprovalDeadline;

    public async Task RunAsync(DueTask task, CancellationToken cancellationToken)
    {
        var booking = await work.Db.Set<Booking>().SingleOrDefaultAsync(b => b.Id == task.SubjectId, cancellationToken);
        if (booking is not { Status: BookingStatus.PendingApproval } || work.Now < booking.Start)
        {
            return;
        }

        var resource = await work.ResourceAsync(booking.ResourceId, cancellationToken);
        booking.Reject("The owner did not approve it before its start.");
        resource.Touch();
        work.Announce(booking, resource);
        await work.OfferFreedAsync(resource, booking.Start, booking.End, cancellationToken);
        await work.Db.SaveChangesAsync(cancellationToken);
    }
}

/// <summary>A booking still checked in at its end is checked out then, and its usage recorded.</summary>
public sealed class AutoCheckOutHandler(BookingWork work) : IDueTaskHandler
{
    public string Kind => BookingTimers.AutoCheckOut;

    public async Task RunAsync(DueTask task, CancellationToken cancellationToken)
    {
        var booking = await work.Db.Set<Booking>().SingleOrDefaultAsync(b => b.Id == task.SubjectId, cancellationToken);
        if (booking is not { Status: BookingStatus.CheckedIn } || work.Now < booking.End)
        {
            return;
        }

        var resource = await work.ResourceAsync(booking.ResourceId, cancellationToken);
        booking.CheckOut(booking.End);
        resource.Touch();
        work.Announce(booking, resource, startTimers: false);
        work.RecordUsage(booking, resource);
        await work.Db.SaveChangesAsync(cancellationToken);
    }
}

/// <summary>Keeps the school's word on who holds which qualification until when (latest version wins).</summary>
public sealed class QualificationsConsumer(BookingWork work) : IConsumer<QualificationChanged>
{
    public async Task Consume(ConsumeContext<QualificationChanged> context)
    {
        var m = context.Message;
        var expiresOn = m.Change == QualificationChange.Revoked ? null : m.ExpiresOn;
        var held = await work.Db.Set<HeldQualification>().SingleOrDefaultAsync(q => q.Id == m.QualificationId, context.CancellationToken);
        if (held is null)
        {
            work.Db.Add(HeldQualification.Learn(m.QualificationId, m.StudentId, m.Code, expiresOn, m.Version));
        }
        else
        {
            held.Apply(expiresOn, m.Version);
        }

        await work.Db.SaveChangesAsync(context.CancellationToken);
    }
}
