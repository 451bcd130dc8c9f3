using System.Text.Json;
using CollabTraining.Bookings;
using CollabTraining.Contracts.Projects;
using CollabTraining.Domain;
using CollabTraining.ServiceDefaults.Security;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Sharing;

/// <summary>
/// The owner's side of a project's resource bundle: holds, confirms and releases the parts addressed to this service
/// (<c>Owner</c>), each step once per part (the <see cref="BundlePart"/> row), a repeat answered as before.
/// <para>
/// Decided here, inside the inbox's transaction (InboxFilter), not at the <see cref="BookingDesk"/>: the desk
/// decides in a transaction of its own on another connection, and with SQLite the inbox transaction already holds
/// the database's write lock (BEGIN IMMEDIATE), so waiting on the desk from here would wait on ourselves. Decided
/// here, the step is still serialised with every desk decision: with SQLite by that write lock (the desk's group
/// and this transaction take it in turn, each reading what the other committed); with SQL Server by the resource's
/// version, a concurrency token every decision bumps (a conflict throws, the inbox rolls this delivery back to its
/// savepoint, and MassTransit retries it on the committed state). The part row's key and version do the same for
/// two instances handling the same part at once. The kernel's checks and the announcements are the booking API's.
/// </para>
/// </summary>
public sealed class BundlePartsConsumer(BookingWork work)
    : IConsumer<BundleHoldRequested>, IConsumer<BundlePartConfirmRequested>, IConsumer<BundlePartReleaseRequested>
{
    public async Task Consume(ConsumeContext<BundleHoldRequested> context)
    {
        var m = context.Message;
        if (!IsMine(m.Owner))
        {
            return;
        }

        var ct = context.CancellationToken;
        var now = work.Now;
        var part = await PartAsync(m.PartId, ct);
        if (part is null)
        {
            part = await HoldAsync(m, now, ct);
            work.Db.Add(part);
        }

        work.Add(part.HoldAnswer(now));
        await work.Db.SaveChangesAsync(ct);
    }

    public async Task Consume(ConsumeContext<BundlePartConfirmRequested> context)
    {
        var m = context.Message;
        if (!IsMine(m.Owner))
        {
            return;
        }

        var ct = context.CancellationToken;
        var now = work.Now;
        var part = await PartAsync(m.PartId, ct);
        if (part is null)
        {
            // Nothing recorded: no hold to confirm. Nothing is recorded either, so a hold request still on its way is decided as usual.
            work.Add(new BundlePartConfirmed(m.BundleId, m.PartId, false, null, "Nothing is held for this part.", 0, now));
            await work.Db.SaveChangesAsync(ct);
            return;
        }

        if (part.State == BundlePartState.Held)
        {
            var booking = await work.BookingAsync(part.BookingId!.Value, ct);
            var resource = await work.ResourceAsync(booking.ResourceId, ct);
            try
            {
                booking.ConfirmHold(resource.Rules, now);
                work.Announce(booking, resource);
                if (booking.Status == BookingStatus.Confirmed)
                {
                    part.Confirm(now);
                }
                else
                {
                    // Waiting for the owner's approval is not a booking the bundle can count on: it is cancelled here at once
                    // (the school will not release a part it was told was not confirmed), and the units free.
                    const string why = "approval-required: the owner's staff approve bookings of this resource one by one.";
                    booking.Cancel(why, now);
                    resource.Touch();
                    work.Announce(booking, resource);
                    await work.OfferFreedAsync(resource, booking.Start, booking.End, ct);
                    part.FailToConfirm(why, now);
                }
            }
            catch (DomainRuleException lapsed) when (lapsed.Meaning == RuleMeaning.Conflict)
            {
                part.FailToConfirm(lapsed.Message, now);
            }
        }

        work.Add(part.ConfirmAnswer(now));
        await work.Db.SaveChangesAsync(ct);
    }

    public async Task Consume(ConsumeContext<BundlePartReleaseRequested> context)
    {
        var m = context.Message;
        if (!IsMine(m.Owner))
        {
            return;
        }

        var ct = context.CancellationToken;
        var now = work.Now;
        var reason = string.IsNullOrWhiteSpace(m.Reason) ? "The project's bundle was released." : m.Reason.Trim();
        var part = await PartAsync(m.PartId, ct);
        if (part is null)
        {
            part = BundlePart.ReleasedBeforeHold(m, now);
            work.Db.Add(part);
        }
        else if (part.State != BundlePartState.Released)
        {
            if (part.BookingId is { } bookingId)
            {
                var booking = await work.BookingAsync(bookingId, ct);
                if (booking.HoldsCapacity && now < booking.Start)
                {
                    // As the booking API cancels: the units free at once, everyone is told, the waitlist is offered them.
                    var resource = await work.ResourceAsync(booking.ResourceId, ct);
                    booking.Cancel(reason, now);
                    resource.Touch();
                    work.Announce(booking, resource);
                    await work.OfferFreedAsync(resource, booking.Start, booking.End, ct);
                }
            }

            part.Release(reason, now);
        }

        work.Add(part.ReleaseAnswer(now));
        await work.Db.SaveChangesAsync(ct);
    }

    private bool IsMine(string owner) => string.Equals(owner, work.Options.Service, StringComparison.Ordinal);

    private Task<BundlePart?> PartAsync(Guid id, CancellationToken ct) => work.Db.Set<BundlePart>().SingleOrDefaultAsync(p => p.Id == id, ct);

    /// <summary>The hold as the booking API places it (the same kernel decision), or the refusal with the kernel's reason.</summary>
    private async Task<BundlePart> HoldAsync(BundleHoldRequested m, DateTimeOffset now, CancellationToken ct)
    {
        if (now >= m.AnswerBy)
        {
            return BundlePart.Refused(m, BundlePart.LateReason, $"The request came after its answer was due ({m.AnswerBy:u}); the school has given up on it.", now);
        }

        // The hold lasts until the school's HoldUntil, within the kernel's cap (a day, and never past the start).
        var holdFor = m.HoldUntil - now;
        if (holdFor <= TimeSpan.Zero)
        {
            return BundlePart.Refused(m, BundlePart.LateReason, $"The hold was wanted until {m.HoldUntil:u}, which has passed.", now);
        }

        holdFor = holdFor > Booking.MaximumHold ? Booking.MaximumHold : holdFor;
        try
        {
            var resource = await work.ResourceAsync(m.ResourceId, ct);

            // The bundle is the school's, for one of its project's members: the school's organisation books, as a school.
            var booker = new Booker(m.UserId, $"Project {m.ProjectId}", m.OrganisationId, OrganisationKinds.School,
                await work.QualificationsAsync(m.UserId, resource, m.End, ct));
            var request = new BookingRequest(booker, m.Start, m.End, m.Units);
            resource.CheckShape(request);
            var calendar = await work.CalendarAsync(resource, m.Start, m.End, ct);
            var quota = await work.QuotaAsync(resource, m.OrganisationId, m.Start, ct);
            var hold = resource.Hold(Guid.CreateVersion7(), request, calendar, now, holdFor, quota);
            work.Db.Add(hold);
            work.Announce(hold, resource);
            return BundlePart.HeldBy(m, hold, now);
        }
        catch (BookingRefusedException refusal)
        {
            return BundlePart.Refused(m, JsonNamingPolicy.CamelCase.ConvertName(refusal.Reason.ToString()), refusal.Message, now);
        }
        catch (DomainRuleException rule) when (rule.Meaning is not RuleMeaning.Conflict)
        {
            var reason = rule.Meaning switch
            {
                RuleMeaning.NotFound => "not-found",
                RuleMeaning.Forbidden => "rule",
                _ => "invalid",
            };
            return BundlePart.Refused(m, reason, rule.Message, now);
        }
    }
}
