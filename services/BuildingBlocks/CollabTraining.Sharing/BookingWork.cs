using System.Text.Json;
using CollabTraining.Bookings;
using CollabTraining.Contracts.Sharing;
using CollabTraining.Domain;
using CollabTraining.Messaging.Data;
using CollabTraining.Messaging.Outbox;
using CollabTraining.Messaging.Scheduling;
using CollabTraining.Organisations;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Sharing;

/// <summary>The due tasks booking schedules, by kind.</summary>
public static class BookingTimers
{
    public const string HoldExpiry = "booking.hold-expiry";
    public const string NoShow = "booking.no-show";
    public const string AutoCheckOut = "booking.auto-check-out";
    public const string ApprovalDeadline = "booking.approval-deadline";
}

/// <summary>
/// One unit of work on calendars (a decision at the desk, or a due task): the reads a decision needs, shaped
/// for the kernel's indexes, and the events and timers every change raises, in the same transaction.
/// </summary>
public sealed class BookingWork(ServiceDbContext db, Outbox outbox, DueTasks dueTasks, TimeProvider time, SharingOptions options)
{
    private static readonly BookingStatus[] CountedByQuota =
        [BookingStatus.PendingApproval, BookingStatus.Confirmed, BookingStatus.CheckedIn, BookingStatus.Held, BookingStatus.Completed, BookingStatus.NoShow];

    /// <summary>Every decision asks it, and most organisations have none: compiled (per model), so EF does not walk the expression each time.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Microsoft.EntityFrameworkCore.Metadata.IModel, Func<DbContext, Guid, Guid, Task<QuotaAllowance?>>> Allowances = new();

    private static Task<QuotaAllowance?> AllowanceOf(DbContext db, Guid resourceId, Guid organisationId) =>
        Allowances.GetValue(db.Model, _ => EF.CompileAsyncQuery((DbContext c, Guid r, Guid o) =>
            c.Set<QuotaAllowance>().AsNoTracking().SingleOrDefault(q => q.ResourceId == r && q.OrganisationId == o)))(db, resourceId, organisationId);

    public ServiceDbContext Db => db;

    public SharingOptions Options => options;

    public DateTimeOffset Now => time.GetUtcNow();

    public async Task<Resource> ResourceAsync(Guid id, CancellationToken ct) =>
        db.ChangeTracker.Entries<Resource>().FirstOrDefault(e => e.Entity.Id == id)?.Entity
        ?? await db.FindResourceAsync(id) ?? throw DomainRuleException.NotFound("resource", id);

    public async Task<Booking> BookingAsync(Guid id, CancellationToken ct) =>
        await db.Set<Booking>().SingleOrDefaultAsync(b => b.Id == id, ct) ?? throw DomainRuleException.NotFound("booking", id);

    /// <summary>The caller as a booker before their qualifications are read: for the shape checks that come first.</summary>
    public static Booker Anonymous(CurrentUser user) => new(user.UserId, user.Name, user.OrganisationId, user.OrganisationKind, new HashSet<string>());

    /// <summary>
    /// The bookings and blackouts that can matter to a slot in [from, to) (tracked: a change made earlier in this
    /// unit counts). A hold past its expiry whose timer has not run yet lapses here, so it never blocks a decision.
    /// </summary>
    public async Task<Calendar> CalendarAsync(Resource resource, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        // Untracked (and compiled): every change that matters to it was saved before this unit read it (a freeing
        // saves first, see OfferFreedAsync), and a decision only adds.
        var bookings = await db.ReadAround(resource, from, to).ToListAsync(ct);
        var now = Now;
        foreach (var lapsed in bookings.Where(b => b.Status == BookingStatus.Held && b.HoldExpiresAt <= now))
        {
            if (db.ChangeTracker.Entries<Booking>().All(e => e.Entity.Id != lapsed.Id))
            {
                db.Attach(lapsed);
                lapsed.ExpireIfDue(now);
                Announce(lapsed, resource, startTimers: false);
            }
        }

        bookings.RemoveAll(b => db.ChangeTracker.Entries<Booking>().Any(e => e.Entity.Id == b.Id && e.Entity != b));
        bookings.AddRange(db.ChangeTracker.Entries<Booking>().Select(e => e.Entity)
            .Where(b => b.ResourceId == resource.Id && b.Start < to + resource.Rules.Buffer && b.TakesUnitsUntil > from - resource.Rules.Buffer && !bookings.Contains(b)));

        var blackouts = await db.ReadBlackoutsAround(resource, from, to).ToListAsync(ct);
        return new Calendar(bookings, blackouts, new Slot(from.ToUniversalTime(), to.ToUniversalTime()));
    }

    /// <summary>The caller as a booker: the qualifications the resource needs that they hold, valid through <paramref name="lastEnd"/>'s day.</summary>
    public async Task<Booker> BookerAsync(CurrentUser user, Resource resource, DateTimeOffset lastEnd, CancellationToken ct) =>
        new(user.UserId, user.Name, user.OrganisationId, user.OrganisationKind, await QualificationsAsync(user.UserId, resource, lastEnd, ct));

    public async Task<IReadOnlySet<string>> QualificationsAsync(Guid userId, Resource resource, DateTimeOffset lastEnd, CancellationToken ct)
    {
        if (resource.RequiredQualifications.Count == 0)
        {
            return new HashSet<string>();
        }

        var lastDay = DateOnly.FromDateTime(lastEnd.UtcDateTime.AddTicks(-1));
        var held = await db.Set<HeldQualification>().AsNoTracking().Where(q => q.UserId == userId).ToListAsync(ct);
        return held.Where(q => q.ValidThrough(lastDay)).Select(q => q.Code).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The organisation's allowance on the resource for the period <paramref name="start"/> falls in, and what its bookings there already use.</summary>
    public async Task<QuotaUse?> QuotaAsync(Resource resource, Guid organisationId, DateTimeOffset start, CancellationToken ct)
    {
        var allowance = await AllowanceOf(db, resource.Id, organisationId);
        if (allowance is null)
        {
            return null;
        }

        var (from, to) = allowance.PeriodOf(start, resource.Rules.TimeZone);
        var id = resource.Id;
        var used = await db.Set<Booking>().AsNoTracking()
            .Where(b => b.ResourceId == id && b.OrganisationId == organisationId && b.Start >= from && b.Start < to && CountedByQuota.Contains(b.Status))
            .Select(b => new { b.Units, b.Start, b.End })
            .ToListAsync(ct);
        return new QuotaUse(allowance.UnitHours, used.Sum(u => u.Units * (u.End - u.Start).TotalHours), from, to);
    }

    /// <summary>The organisation's allowance for each period the starts fall in: one read of the allowance, one of the usage per period.</summary>
    public async Task<Dictionary<DateTimeOffset, QuotaUse?>> QuotasAsync(Resource resource, Guid organisationId, IEnumerable<DateTimeOffset> starts, CancellationToken ct)
    {
        var allowance = await AllowanceOf(db, resource.Id, organisationId);
        var byPeriod = new Dictionary<DateTimeOffset, QuotaUse?>();
        var byStart = new Dictionary<DateTimeOffset, QuotaUse?>();
        foreach (var start in starts)
        {
            if (allowance is null)
            {
                byStart[start] = null;
                continue;
            }

            var period = allowance.PeriodOf(start, resource.Rules.TimeZone).Start;
            if (!byPeriod.TryGetValue(period, out var quota))
            {
                byPeriod[period] = quota = await QuotaAsync(resource, organisationId, start, ct);
            }

            byStart[start] = quota;
        }

        return byStart;
    }

    /// <summary>
    /// A refusal for want of room or for a blackout names the next slot that fits: the decision read only the
    /// asked slot's calendar, so look further (up to <see cref="SharingOptions.NextFreeHorizon"/>) only now.
    /// </summary>
    public async Task<BookingRefusedException> WithNextFreeAsync(BookingRefusedException refusal, Resource resource, BookingRequest request, CancellationToken ct)
    {
        if (refusal.Reason is not (BookingRefusal.Full or BookingRefusal.Blackout))
        {
            return refusal;
        }

        var to = request.End + options.NextFreeHorizon;
        var calendar = await CalendarAsync(resource, request.Start, to, ct);
        var next = resource.NextFree(request, calendar, Now);
        return next is null ? refusal : new BookingRefusedException(refusal.Reason, refusal.Message, next);
    }

    /// <summary>Tells everyone about a new or changed booking, and sets the timers its new state needs.</summary>
    public void Announce(Booking booking, Resource resource, bool startTimers = true)
    {
        outbox.Add(new BookingChanged(booking.Id, resource.Id, resource.Name, resource.OwnerOrganisationId, booking.UserId, booking.OrganisationId,
            StatusName(booking.Status), booking.Start, booking.End, booking.Units, booking.Reason, booking.HoldExpiresAt, booking.Version, Now));
        if (!startTimers)
        {
            return;
        }

        switch (booking.Status)
        {
            case BookingStatus.Held:
                dueTasks.Schedule(BookingTimers.HoldExpiry, booking.Id, booking.HoldExpiresAt!.Value);
                break;
            case BookingStatus.Confirmed or BookingStatus.PendingApproval:
                if (booking.Status == BookingStatus.PendingApproval)
                {
                    dueTasks.Schedule(BookingTimers.ApprovalDeadline, booking.Id, booking.Start);
                }

                if (resource.Rules.CheckInRequired)
                {
                    ScheduleNoShow(booking, booking.Start + resource.Rules.AutoReleaseAfter);
                }

                break;
            case BookingStatus.CheckedIn:
                dueTasks.Schedule(BookingTimers.AutoCheckOut, booking.Id, booking.End);
                break;
        }
    }

    public void ScheduleNoShow(Booking booking, DateTimeOffset at) => dueTasks.Schedule(BookingTimers.NoShow, booking.Id, at);

    public void RecordUsage(Booking booking, Resource resource) =>
        outbox.Add(new UsageRecorded(booking.Id, resource.Id, resource.OwnerOrganisationId, booking.UserId, booking.OrganisationId,
            booking.CheckedInAt!.Value, booking.CheckedOutAt!.Value, booking.Units, Math.Round(booking.UsedUnitHours, 4), booking.Version, Now));

    public void Add<T>(T message)
        where T : class => outbox.Add(message);

    /// <summary>
    /// Units came free on [from, to): the first waiting requests that now fit (in joining order) each get a hold
    /// for the claim window, and their users are told. A request the rules now refuse for another reason is passed over.
    /// </summary>
    public async Task OfferFreedAsync(Resource resource, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var now = Now;
        var (id, buffer) = (resource.Id, resource.Rules.Buffer);
        var (reachFrom, reachTo) = (from - buffer, to + buffer);
        var waiting = await db.Set<WaitlistEntry>()
            .Where(e => e.ResourceId == id && e.Status == WaitStatus.Waiting && e.Start < reachTo && e.End > reachFrom && e.Start > now)
            .ToListAsync(ct);
        if (waiting.Count == 0)
        {
            return;
        }

        // What freed the units (a cancellation, a lapse) is saved first, so the quotas read below no longer count it.
        await db.SaveChangesAsync(ct);
        var calendar = await CalendarAsync(resource, waiting.Min(e => e.Start), waiting.Max(e => e.End), ct);
        var qualifications = new Dictionary<Guid, IReadOnlySet<string>>();
        var quotas = new Dictionary<Guid, QuotaUse?>();
        foreach (var entry in waiting)
        {
            qualifications[entry.Id] = await QualificationsAsync(entry.UserId, resource, entry.End, ct);
            quotas[entry.Id] = await QuotaAsync(resource, entry.OrganisationId, entry.Start, ct);
        }

        while (Waitlist.OfferNext(resource, waiting, calendar, now, options.ClaimWindow, e => qualifications[e.Id], e => quotas[e.Id]) is var (entry, hold))
        {
            db.Add(hold);
            Announce(hold, resource);

            // The hold counts against its organisation's allowance for the next offers in this same pass.
            foreach (var other in waiting.Where(e => e.OrganisationId == entry.OrganisationId && quotas[e.Id] is { } q && q.PeriodStart <= hold.Start && hold.Start < q.PeriodEnd))
            {
                quotas[other.Id] = quotas[other.Id]! with { UsedUnitHours = quotas[other.Id]!.UsedUnitHours + hold.BookedUnitHours };
            }

            outbox.Add(new WaitlistSlotOffered(entry.Id, resource.Id, resource.Name, entry.UserId, hold.Id, hold.Start, hold.End, hold.Units,
                hold.HoldExpiresAt!.Value, entry.Version, now));
        }
    }

    /// <summary>The resource as its owner publishes it to the other parties.</summary>
    public async Task PublishAsync(Resource resource, CancellationToken ct)
    {
        var owner = await db.Set<PartnerOrganisation>().AsNoTracking().Where(o => o.Id == resource.OwnerOrganisationId).Select(o => o.Name).SingleOrDefaultAsync(ct);
        outbox.Add(new SharedResourcePublished(new SharedResourceSnapshot(
            resource.Id, options.Service, resource.OwnerOrganisationId, owner ?? string.Empty, KindName(resource.Kind), resource.Name, resource.Description,
            resource.Model, resource.Capacity, resource.RequiredQualifications, resource.Rules.ApprovalRequired, resource.Rules.MaximumDuration.TotalHours,
            resource.Rules.TimeZone, resource.Retired), resource.Version, Now));
    }

    public static string StatusName(BookingStatus status) => JsonNamingPolicy.CamelCase.ConvertName(status.ToString());

    public static string KindName(ResourceKind kind) => JsonNamingPolicy.CamelCase.ConvertName(kind.ToString());
}
