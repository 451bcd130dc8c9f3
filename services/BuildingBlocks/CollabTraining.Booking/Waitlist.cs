using CollabTraining.Domain;

namespace CollabTraining.Bookings;

public enum WaitStatus
{
    /// <summary>In the queue for its slot.</summary>
    Waiting,

    /// <summary>Capacity came free: a hold was made for it, to be claimed before it lapses.</summary>
    Offered,

    Claimed,

    /// <summary>The offer's hold lapsed unclaimed; the slot passed to the next in line.</summary>
    Lapsed,

    Withdrawn,
}

/// <summary>Someone waiting for units of a full slot, first come first served among the requests that fit.</summary>
public sealed class WaitlistEntry
{
    private WaitlistEntry()
    {
    }

    public Guid Id { get; private set; }

    public Guid ResourceId { get; private set; }

    public Guid UserId { get; private set; }

    public string UserName { get; private set; } = string.Empty;

    public Guid OrganisationId { get; private set; }

    public string OrganisationKind { get; private set; } = string.Empty;

    public int Units { get; private set; }

    public DateTimeOffset Start { get; private set; }

    public DateTimeOffset End { get; private set; }

    public WaitStatus Status { get; private set; }

    public DateTimeOffset JoinedAt { get; private set; }

    /// <summary>The hold made for it when capacity came free.</summary>
    public Guid? OfferedHoldId { get; private set; }

    public long Version { get; private set; }

    /// <summary>
    /// Joins the queue for a slot the resource could not give. Nobody waits for what they could never get: the
    /// request passes every check a booking gets that does not depend on the calendar (shape, who may book,
    /// qualifications, rules, quota). With the slot's <paramref name="calendar"/>, a slot that has room is refused
    /// (book it instead); with the user's <paramref name="alreadyWaiting"/> entries on the resource, so is a second
    /// wait for an overlapping slot. (The offer logic's own tests may leave both out.)
    /// </summary>
    public static WaitlistEntry Join(Guid id, Resource resource, BookingRequest request, DateTimeOffset now,
        Calendar? calendar = null, IEnumerable<WaitlistEntry>? alreadyWaiting = null, QuotaUse? quota = null)
    {
        resource.CheckShape(request);
        if (request.Start <= now)
        {
            throw DomainRuleException.Invalid("start", "The start has passed.");
        }

        var (start, end) = (request.Start.ToUniversalTime(), request.End.ToUniversalTime());
        if ((alreadyWaiting ?? []).Any(e => e.ResourceId == resource.Id && e.UserId == request.Booker.UserId
            && e.Status is WaitStatus.Waiting or WaitStatus.Offered && e.Start < end && e.End > start))
        {
            throw DomainRuleException.Conflict("You are already waiting for an overlapping slot of this resource.");
        }

        resource.CheckAdmissible(request, now);
        resource.CheckQuota(request, quota);
        if (calendar is not null && calendar.FreeUnits(resource.Capacity, start, end, resource.Rules.Buffer) >= request.Units)
        {
            throw DomainRuleException.Conflict("The slot has room: book it instead of waiting.");
        }

        resource.Touch(); // A freeing decided elsewhere at the same moment must see this entry, or retry.

        return new WaitlistEntry
        {
            Id = id,
            ResourceId = resource.Id,
            UserId = request.Booker.UserId,
            UserName = request.Booker.Name,
            OrganisationId = request.Booker.OrganisationId,
            OrganisationKind = request.Booker.OrganisationKind,
            Units = request.Units,
            Start = request.Start.ToUniversalTime(),
            End = request.End.ToUniversalTime(),
            Status = WaitStatus.Waiting,
            JoinedAt = now,
            Version = 1,
        };
    }

    /// <summary>The offer's hold lapsed: the entry leaves the queue, and the next in line may be offered the slot.</summary>
    public void Lapse()
    {
        if (Status == WaitStatus.Offered)
        {
            Status = WaitStatus.Lapsed;
            Version++;
        }
    }

    /// <summary>The offered hold was confirmed.</summary>
    public void Claim()
    {
        if (Status != WaitStatus.Offered)
        {
            throw DomainRuleException.Conflict("Only an offered place on the waitlist can be claimed.");
        }

        Status = WaitStatus.Claimed;
        Version++;
    }

    public void Withdraw()
    {
        if (Status is WaitStatus.Waiting or WaitStatus.Offered)
        {
            Status = WaitStatus.Withdrawn;
            Version++;
        }
    }

    internal void Offer(Guid holdId)
    {
        Status = WaitStatus.Offered;
        OfferedHoldId = holdId;
        Version++;
    }

    internal BookingRequest AsRequest(IReadOnlySet<string> qualifications) =>
        new(new Booker(UserId, UserName, OrganisationId, OrganisationKind, qualifications), Start, End, Units);
}

public static class Waitlist
{
    /// <summary>
    /// When capacity frees on <paramref name="resource"/>: the first waiting entry (in joining order) whose slot
    /// now fits gets a hold for <paramref name="claimWindow"/> — the caller tells its user — and later entries
    /// that still fit are not skipped ahead of it. Entries whose slot has started, or that the rules now refuse
    /// for another reason than capacity (a qualification lapsed, a blackout), are passed over. Null when none fits.
    /// </summary>
    /// <remarks>Only entries whose slot lies inside the calendar's window are considered; read it around the freed interval.</remarks>
    public static (WaitlistEntry Entry, Booking Hold)? OfferNext(Resource resource, IEnumerable<WaitlistEntry> entries, Calendar calendar,
        DateTimeOffset now, TimeSpan claimWindow, Func<WaitlistEntry, IReadOnlySet<string>> qualificationsOf, Func<WaitlistEntry, QuotaUse?>? quotaFor = null)
    {
        var candidates = entries
            .Where(e => e.ResourceId == resource.Id && e.Status == WaitStatus.Waiting && e.Start > now && calendar.CanDecide(e.Start, e.End))
            .OrderBy(e => e.JoinedAt).ThenBy(e => e.Id);
        foreach (var entry in candidates)
        {
            try
            {
                var hold = resource.HoldForWaitlist(Guid.CreateVersion7(), entry.AsRequest(qualificationsOf(entry)), calendar, now, claimWindow, quotaFor?.Invoke(entry));
                entry.Offer(hold.Id);
                return (entry, hold);
            }
            catch (DomainRuleException ex) when (ex.Meaning != RuleMeaning.Invalid || ex.Field != "claimWindow")
            {
                // Does not fit (yet, or any more): the next in line may.
            }
        }

        return null;
    }
}
