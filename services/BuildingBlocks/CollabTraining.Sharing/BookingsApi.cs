using System.ComponentModel.DataAnnotations;
using CollabTraining.Bookings;
using CollabTraining.Contracts.Sharing;
using CollabTraining.Domain;
using CollabTraining.Messaging.Data;
using CollabTraining.ServiceDefaults.Http;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Sharing;

/// <summary>A weekly series: the first booking repeated on <c>days</c> until <c>until</c> (inclusive), in the resource's time zone.</summary>
public sealed record RecurrenceRequest(
    [property: Required, MinLength(1), MaxLength(7)] IReadOnlyList<DayOfWeek>? Days,
    [property: Required] DateOnly? Until,
    bool AllOrNothing = true);

public sealed record BookRequest(
    [property: Required] DateTimeOffset? Start,
    [property: Required] DateTimeOffset? End,
    int Units = 1,
    RecurrenceRequest? Recurrence = null);

public sealed record HoldRequest(
    [property: Required] DateTimeOffset? Start,
    [property: Required] DateTimeOffset? End,
    int Units = 1,
    [property: Range(5, 24 * 60 * 60)] int HoldSeconds = 900);

public sealed record ReasonRequest([property: StringLength(500)] string? Reason = null);

public sealed record BookingResponse(
    Guid Id, Guid ResourceId, string ResourceName, Guid UserId, string UserName, Guid OrganisationId, int Units, DateTimeOffset Start, DateTimeOffset End,
    string Status, string? Reason, DateTimeOffset? HoldExpiresAt, DateTimeOffset? CheckedInAt, DateTimeOffset? CheckedOutAt, double UsedUnitHours, long Version);

public sealed record RefusedOccurrence(DateTimeOffset Start, DateTimeOffset End, string Reason, string Message, Slot? NextFree);

public sealed record SeriesResponse(IReadOnlyList<BookingResponse> Booked, IReadOnlyList<RefusedOccurrence> Refused);

public sealed record WaitlistResponse(Guid Id, Guid ResourceId, DateTimeOffset Start, DateTimeOffset End, int Units, WaitStatus Status, Guid? OfferedHoldId, DateTimeOffset JoinedAt);

/// <summary>Every occurrence of a series was refused: each is named.</summary>
public sealed class SeriesRefusedException(IReadOnlyList<RefusedOccurrence> refused)
    : DomainRuleException(RuleMeaning.Conflict, $"None of the series' {refused.Count} bookings could be made; the first: {refused[0].Message}")
{
    public override IReadOnlyDictionary<string, object> Details => new Dictionary<string, object> { ["reason"] = refused[0].Reason, ["refused"] = refused };
}

public static class BookingsApi
{
    public static void MapBookingsApi(this IEndpointRouteBuilder app, SharingOptions options)
    {
        var resources = app.MapGroup(options.RoutePrefix + "/resources").WithTags("Bookings");
        resources.MapPost("/{id:guid}/bookings", Book).WithName($"{options.Service}-book")
            .WithSummary("Book units for yourself: 201 with the booking (or the series), or 409 naming why and the next free slot")
            .WithDescription("`recurrence` repeats the booking weekly on `days` until `until`; with `allOrNothing: false` each occurrence is decided alone and the refused ones are named.");
        resources.MapPost("/{id:guid}/holds", Hold).WithName($"{options.Service}-hold")
            .WithSummary("Hold units tentatively for `holdSeconds` (default 900); confirm the hold or it lapses by itself");
        resources.MapPost("/{id:guid}/waitlist", JoinWaitlist).WithName($"{options.Service}-join-waitlist")
            .WithSummary("Wait for a full slot: when units free, the first waiting request that fits gets a timed hold and you are told");

        var bookings = app.MapGroup(options.RoutePrefix + "/bookings").WithTags("Bookings");
        bookings.MapGet("/mine", MyBookings).WithName($"{options.Service}-my-bookings").WithSummary("Your bookings, soonest first");
        bookings.MapGet("/", OwnedBookings).WithName($"{options.Service}-owned-bookings")
            .WithSummary("Bookings of your organisation's resources (its staff): `status` (e.g. PendingApproval), `resourceId`, `from`/`to` on the start, soonest first");
        bookings.MapGet("/{id:guid}", GetBooking).WithName($"{options.Service}-get-booking").WithSummary("One booking (its user, or the owner's staff)");
        bookings.MapPost("/{id:guid}/confirm", ConfirmHold).WithName($"{options.Service}-confirm-hold").WithSummary("Confirm your hold (also a waitlist offer) before it lapses");
        bookings.MapPost("/{id:guid}/cancel", Cancel).WithName($"{options.Service}-cancel-booking")
            .WithSummary("Cancel a booking or release a hold before it starts (its user, or the owner's staff)");
        bookings.MapPost("/{id:guid}/approve", Approve).WithName($"{options.Service}-approve-booking").WithSummary("Approve a booking waiting for it (the owner's staff)");
        bookings.MapPost("/{id:guid}/reject", Reject).WithName($"{options.Service}-reject-booking").WithSummary("Reject a booking waiting for approval, with the reason (the owner's staff)");
        bookings.MapPost("/{id:guid}/check-in", CheckIn).WithName($"{options.Service}-check-in").WithSummary("Start using it (its user, or the owner's staff)");
        bookings.MapPost("/{id:guid}/check-out", CheckOut).WithName($"{options.Service}-check-out").WithSummary("Stop using it: the usage is recorded and published");

        var waitlist = app.MapGroup(options.RoutePrefix + "/waitlist").WithTags("Bookings");
        waitlist.MapGet("/mine", MyWaitlist).WithName($"{options.Service}-my-waitlist").WithSummary("Where you wait, and the offers made to you");
        waitlist.MapDelete("/{id:guid}", LeaveWaitlist).WithName($"{options.Service}-leave-waitlist").WithSummary("Stop waiting");
    }

    public static async Task<IResult> Book(Guid id, BookRequest request, CurrentUser user, BookingDesk desk, SharingOptions options, CancellationToken ct)
    {
        if (request.Recurrence is { } recurrence)
        {
            var series = await desk.RunAsync(async work =>
            {
                var resource = await work.ResourceAsync(id, ct);
                var pattern = new Recurrence(recurrence.Days!.ToHashSet(), recurrence.Until!.Value);
                var now = work.Now;
                resource.CheckShape(new BookingRequest(BookingWork.Anonymous(user), request.Start!.Value, request.End!.Value, request.Units));
                var slots = pattern.Occurrences(request.Start.Value, request.End!.Value, resource.Rules.TimeZone, now + resource.Rules.MaximumAdvance);
                var first = new BookingRequest(await work.BookerAsync(user, resource, slots[^1].End, ct), request.Start.Value, request.End.Value, request.Units);
                var calendar = await work.CalendarAsync(resource, slots[0].Start, slots[^1].End, ct);
                var quotas = await work.QuotasAsync(resource, user.OrganisationId, slots.Select(s => s.Start), ct);

                var outcome = Series.Book(resource, first, pattern, calendar, now, recurrence.AllOrNothing, start => quotas.GetValueOrDefault(start));
                foreach (var booking in outcome.Booked)
                {
                    work.Db.Add(booking);
                    work.Announce(booking, resource);
                }

                var refused = outcome.Refused.Select(r => new RefusedOccurrence(r.Slot.Start, r.Slot.End,
                    System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(r.Refusal.Reason.ToString()), r.Refusal.Message, r.Refusal.NextFree)).ToList();
                if (outcome.Booked.Count == 0)
                {
                    throw new SeriesRefusedException(refused);
                }

                return new SeriesResponse(outcome.Booked.Select(b => ToResponse(b, resource.Name)).ToList(), refused);
            }, ct);
            return TypedResults.Created($"{options.RoutePrefix}/bookings/mine", series);
        }

        var made = await desk.RunAsync(async work =>
        {
            var resource = await work.ResourceAsync(id, ct);
            var booking = await DecideAsync(work, resource, user, request.Start!.Value, request.End!.Value, request.Units, hold: null, ct);
            return ToResponse(booking, resource.Name);
        }, ct);
        return TypedResults.Created($"{options.RoutePrefix}/bookings/{made.Id}", made);
    }

    public static async Task<Created<BookingResponse>> Hold(Guid id, HoldRequest request, CurrentUser user, BookingDesk desk, SharingOptions options, CancellationToken ct)
    {
        var made = await desk.RunAsync(async work =>
        {
            var resource = await work.ResourceAsync(id, ct);
            var booking = await DecideAsync(work, resource, user, request.Start!.Value, request.End!.Value, request.Units, TimeSpan.FromSeconds(request.HoldSeconds), ct);
            return ToResponse(booking, resource.Name);
        }, ct);
        return TypedResults.Created($"{options.RoutePrefix}/bookings/{made.Id}", made);
    }

    /// <summary>One decision: read the slot's calendar, the booker's qualifications and quota, decide, save and announce.</summary>
    private static async Task<Booking> DecideAsync(BookingWork work, Resource resource, CurrentUser user, DateTimeOffset start, DateTimeOffset end, int units, TimeSpan? hold, CancellationToken ct)
    {
        resource.CheckShape(new BookingRequest(BookingWork.Anonymous(user), start, end, units));
        var request = new BookingRequest(await work.BookerAsync(user, resource, end, ct), start, end, units);
        var calendar = await work.CalendarAsync(resource, start, end, ct);
        var quota = await work.QuotaAsync(resource, user.OrganisationId, start, ct);
        Booking booking;
        try
        {
            booking = hold is { } holdFor
                ? resource.Hold(Guid.CreateVersion7(), request, calendar, work.Now, holdFor, quota)
                : resource.Book(Guid.CreateVersion7(), request, calendar, work.Now, quota);
        }
        catch (BookingRefusedException refusal)
        {
            throw await work.WithNextFreeAsync(refusal, resource, request, ct);
        }

        work.Db.Add(booking);
        work.Announce(booking, resource);
        return booking;
    }

    public static async Task<Created<WaitlistResponse>> JoinWaitlist(Guid id, BookRequest request, CurrentUser user, BookingDesk desk, SharingOptions options, CancellationToken ct)
    {
        if (request.Recurrence is not null)
        {
            throw DomainRuleException.Invalid("recurrence", "Wait for one slot at a time; a series cannot wait.");
        }

        var entry = await desk.RunAsync(async work =>
        {
            var resource = await work.ResourceAsync(id, ct);
            resource.CheckShape(new BookingRequest(BookingWork.Anonymous(user), request.Start!.Value, request.End!.Value, request.Units));
            var booking = new BookingRequest(await work.BookerAsync(user, resource, request.End.Value, ct), request.Start.Value, request.End.Value, request.Units);
            var (start, end) = (booking.Start.ToUniversalTime(), booking.End.ToUniversalTime());
            var waiting = await work.Db.Set<WaitlistEntry>().AsNoTracking()
                .Where(e => e.ResourceId == id && e.UserId == user.UserId && (e.Status == WaitStatus.Waiting || e.Status == WaitStatus.Offered)).ToListAsync(ct);
            var entry = WaitlistEntry.Join(Guid.CreateVersion7(), resource, booking, work.Now,
                await work.CalendarAsync(resource, start, end, ct), waiting, await work.QuotaAsync(resource, user.OrganisationId, start, ct));
            work.Db.Add(entry);
            return entry;
        }, ct);
        return TypedResults.Created($"{options.RoutePrefix}/waitlist/mine", ToResponse(entry));
    }

    public static async Task<Ok<List<WaitlistResponse>>> MyWaitlist(CurrentUser user, ServiceDbContext db, CancellationToken ct) =>
        TypedResults.Ok((await db.Set<WaitlistEntry>().AsNoTracking().Where(e => e.UserId == user.UserId).OrderBy(e => e.Start).Take(500).ToListAsync(ct)).Select(ToResponse).ToList());

    public static async Task<NoContent> LeaveWaitlist(Guid id, CurrentUser user, BookingDesk desk, CancellationToken ct)
    {
        await desk.RunAsync(async work =>
        {
            var entry = await work.Db.Set<WaitlistEntry>().SingleOrDefaultAsync(e => e.Id == id, ct);
            if (entry is null || entry.UserId != user.UserId)
            {
                throw DomainRuleException.NotFound("waitlist entry", id);
            }

            var offered = entry.Status == WaitStatus.Offered ? entry.OfferedHoldId : null;
            entry.Withdraw();
            if (offered is { } holdId && await work.Db.Set<Booking>().SingleOrDefaultAsync(b => b.Id == holdId && b.Status == BookingStatus.Held, ct) is { } hold)
            {
                // The slot offered to them passes on at once instead of when the claim window ends.
                var resource = await work.ResourceAsync(hold.ResourceId, ct);
                hold.Cancel("Its holder left the waitlist.", work.Now);
                resource.Touch();
                work.Announce(hold, resource);
                await work.OfferFreedAsync(resource, hold.Start, hold.End, ct);
            }

            return true;
        }, ct);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<List<BookingResponse>>> MyBookings(CurrentUser user, ServiceDbContext db, CancellationToken ct, bool includePast = false)
    {
        var since = includePast ? DateTimeOffset.MinValue : DateTimeOffset.UtcNow.AddDays(-1);
        var rows = await db.Set<Booking>().AsNoTracking().Where(b => b.UserId == user.UserId && b.Start >= since)
            .Join(db.Set<Resource>(), b => b.ResourceId, r => r.Id, (b, r) => new { Booking = b, r.Name })
            .OrderBy(x => x.Booking.Start).Take(500).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(x => ToResponse(x.Booking, x.Name)).ToList());
    }

    public static async Task<Results<Ok<Page<BookingResponse>>, ValidationProblem>> OwnedBookings(
        CurrentUser user, ServiceDbContext db, CancellationToken ct, BookingStatus? status = null, Guid? resourceId = null,
        DateTimeOffset? from = null, DateTimeOffset? to = null, int page = 1, int pageSize = 50)
    {
        user.EnsureStaffOf(user.OrganisationId, "Only an owner's staff see the bookings of its resources.");
        if (page is < 1 or > Paging.MaxPage)
        {
            return Problems.Invalid(nameof(page), $"The page number is between 1 and {Paging.MaxPage}.");
        }

        if (pageSize is < 1 or > 200)
        {
            return Problems.Invalid(nameof(pageSize), "A page holds 1 to 200 bookings.");
        }

        if (from is { } f && to is { } t && t <= f)
        {
            return Problems.Invalid("to", "The window must end after it starts.");
        }

        var organisation = user.OrganisationId;
        var bookings = db.Set<Booking>().AsNoTracking().Where(b => b.OwnerOrganisationId == organisation);
        bookings = status is { } s ? bookings.Where(b => b.Status == s) : bookings;
        bookings = resourceId is { } r ? bookings.Where(b => b.ResourceId == r) : bookings;
        if (from is { } since)
        {
            var utc = since.ToUniversalTime();
            bookings = bookings.Where(b => b.Start >= utc);
        }

        if (to is { } until)
        {
            var utc = until.ToUniversalTime();
            bookings = bookings.Where(b => b.Start < utc);
        }

        var total = await bookings.CountAsync(ct);
        var rows = await bookings.OrderBy(b => b.Start).ThenBy(b => b.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .Join(db.Set<Resource>(), b => b.ResourceId, r => r.Id, (b, r) => new { Booking = b, r.Name }).ToListAsync(ct);
        return TypedResults.Ok(new Page<BookingResponse>(rows.Select(x => ToResponse(x.Booking, x.Name)).ToList(), page, pageSize, total));
    }

    public static async Task<Ok<BookingResponse>> GetBooking(Guid id, CurrentUser user, ServiceDbContext db, CancellationToken ct)
    {
        var found = await db.Set<Booking>().AsNoTracking().Where(b => b.Id == id)
            .Join(db.Set<Resource>(), b => b.ResourceId, r => r.Id, (b, r) => new { Booking = b, r.Name }).SingleOrDefaultAsync(ct);
        if (found is null || (found.Booking.UserId != user.UserId && !user.IsStaffOf(found.Booking.OwnerOrganisationId)))
        {
            throw DomainRuleException.NotFound("booking", id);
        }

        return TypedResults.Ok(ToResponse(found.Booking, found.Name));
    }

    public static Task<Ok<BookingResponse>> ConfirmHold(Guid id, CurrentUser user, BookingDesk desk, CancellationToken ct) =>
        ChangeAsync(id, user, desk, Who.Booker, async (work, booking, resource) =>
        {
            booking.ConfirmHold(resource.Rules, work.Now);
            if (await work.Db.Set<WaitlistEntry>().SingleOrDefaultAsync(e => e.OfferedHoldId == booking.Id, ct) is { } entry)
            {
                entry.Claim();
            }

            work.Announce(booking, resource);
        }, ct);

    public static Task<Ok<BookingResponse>> Cancel(Guid id, ReasonRequest? request, CurrentUser user, BookingDesk desk, CancellationToken ct) =>
        ChangeAsync(id, user, desk, Who.BookerOrStaff, async (work, booking, resource) =>
        {
            var reason = string.IsNullOrWhiteSpace(request?.Reason)
                ? booking.UserId == user.UserId ? "Cancelled by its user." : $"Cancelled by {user.Name} for the owner."
                : request.Reason.Trim();
            var wasHold = booking.Status == BookingStatus.Held;
            booking.Cancel(reason, work.Now);
            resource.Touch();
            if (wasHold && await work.Db.Set<WaitlistEntry>().SingleOrDefaultAsync(e => e.OfferedHoldId == booking.Id, ct) is { } entry)
            {
                entry.Withdraw();
            }

            work.Announce(booking, resource);
            await work.OfferFreedAsync(resource, booking.Start, booking.End, ct);
        }, ct);

    public static Task<Ok<BookingResponse>> Approve(Guid id, CurrentUser user, BookingDesk desk, CancellationToken ct) =>
        ChangeAsync(id, user, desk, Who.Staff, (work, booking, resource) =>
        {
            booking.Approve();
            work.Announce(booking, resource, startTimers: false);
            if (resource.Rules.CheckInRequired && work.Now >= booking.Start + resource.Rules.AutoReleaseAfter)
            {
                // Approved after its check-in window already passed: the no-show timer found it waiting; set it again.
                work.ScheduleNoShow(booking, work.Now);
            }
            return Task.CompletedTask;
        }, ct);

    public static Task<Ok<BookingResponse>> Reject(Guid id, ReasonRequest? request, CurrentUser user, BookingDesk desk, CancellationToken ct) =>
        ChangeAsync(id, user, desk, Who.Staff, async (work, booking, resource) =>
        {
            booking.Reject(string.IsNullOrWhiteSpace(request?.Reason) ? "Rejected by the owner." : request.Reason.Trim());
            resource.Touch();
            work.Announce(booking, resource);
            await work.OfferFreedAsync(resource, booking.Start, booking.End, ct);
        }, ct);

    public static Task<Ok<BookingResponse>> CheckIn(Guid id, CurrentUser user, BookingDesk desk, CancellationToken ct) =>
        ChangeAsync(id, user, desk, Who.BookerOrStaff, (work, booking, resource) =>
        {
            booking.CheckIn(work.Now);
            work.Announce(booking, resource);
            return Task.CompletedTask;
        }, ct);

    public static Task<Ok<BookingResponse>> CheckOut(Guid id, CurrentUser user, BookingDesk desk, CancellationToken ct) =>
        ChangeAsync(id, user, desk, Who.BookerOrStaff, async (work, booking, resource) =>
        {
            booking.CheckOut(work.Now);
            resource.Touch();
            work.Announce(booking, resource);
            work.RecordUsage(booking, resource);
            await work.OfferFreedAsync(resource, booking.CheckedOutAt!.Value, booking.End, ct);
        }, ct);

    private enum Who
    {
        Booker,
        BookerOrStaff,
        Staff,
    }

    /// <summary>A step on one booking: who may take it, the step, its events, the save; or why not.</summary>
    private static async Task<Ok<BookingResponse>> ChangeAsync(Guid id, CurrentUser user, BookingDesk desk, Who who, Func<BookingWork, Booking, Resource, Task> step, CancellationToken ct) =>
        TypedResults.Ok(await desk.RunAsync(async work =>
        {
            var booking = await work.BookingAsync(id, ct);
            var isBooker = booking.UserId == user.UserId;
            var isStaff = user.IsStaffOf(booking.OwnerOrganisationId);
            if (who == Who.Booker && !isBooker || who == Who.Staff && !isStaff || !isBooker && !isStaff)
            {
                throw DomainRuleException.Forbidden(who switch
                {
                    Who.Staff => "Only the owner's staff may do this.",
                    Who.Booker => "Only the person who holds the booking may do this.",
                    _ => "The booking is someone else's; only they or the owner's staff may do this.",
                });
            }

            var resource = await work.ResourceAsync(booking.ResourceId, ct);
            await step(work, booking, resource);
            return ToResponse(booking, resource.Name);
        }, ct));

    internal static BookingResponse ToResponse(Booking b, string resourceName) => new(
        b.Id, b.ResourceId, resourceName, b.UserId, b.UserName, b.OrganisationId, b.Units, b.Start, b.End, BookingWork.StatusName(b.Status), b.Reason,
        b.HoldExpiresAt, b.CheckedInAt, b.CheckedOutAt, Math.Round(b.UsedUnitHours, 4), b.Version);

    private static WaitlistResponse ToResponse(WaitlistEntry e) => new(e.Id, e.ResourceId, e.Start, e.End, e.Units, e.Status, e.OfferedHoldId, e.JoinedAt);
}
