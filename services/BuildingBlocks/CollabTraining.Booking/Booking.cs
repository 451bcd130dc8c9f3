using System.Text.Json;
using CollabTraining.Domain;

namespace CollabTraining.Bookings;

public enum BookingStatus
{
    PendingApproval,
    Confirmed,
    Rejected,
    Cancelled,
    CheckedIn,
    Completed,
    NoShow,

    /// <summary>Tentative: holds its units until <see cref="Booking.HoldExpiresAt"/>, then confirmed or released.</summary>
    Held,

    /// <summary>A hold nobody confirmed in time.</summary>
    Expired,
}

/// <summary>Why a booking could not be had; the web layer names it in the 409 problem.</summary>
public enum BookingRefusal
{
    /// <summary>Not enough units free in the slot.</summary>
    Full,

    /// <summary>A maintenance window or outage covers the slot.</summary>
    Blackout,

    /// <summary>The booker's organisation has used its unit-hours for the period.</summary>
    Quota,

    /// <summary>The booker lacks a qualification the resource requires.</summary>
    Qualification,

    /// <summary>One of the resource's booking rules (duration, notice, how far ahead, retired).</summary>
    Rule,
}

/// <summary>A request the calendar or the rules refuse: a conflict with a reason, and the next slot that fits when there is one.</summary>
public sealed class BookingRefusedException(BookingRefusal reason, string message, Slot? nextFree = null)
    : DomainRuleException(RuleMeaning.Conflict, message)
{
    public BookingRefusal Reason { get; } = reason;

    public Slot? NextFree { get; } = nextFree;

    /// <summary><c>reason</c> (camelCase, e.g. <c>full</c>) and, when there is one, <c>nextFree</c> with its start and end.</summary>
    public override IReadOnlyDictionary<string, object> Details
    {
        get
        {
            var details = new Dictionary<string, object> { ["reason"] = JsonNamingPolicy.CamelCase.ConvertName(Reason.ToString()) };
            if (NextFree is { } slot)
            {
                details["nextFree"] = new Dictionary<string, object> { ["start"] = slot.Start, ["end"] = slot.End };
            }

            return details;
        }
    }
}

/// <summary>Units of one resource over the half-open interval [Start, End), for one user.</summary>
public sealed class Booking
{
    private Booking()
    {
    }

    public Guid Id { get; private set; }

    public Guid ResourceId { get; private set; }

    public Guid OwnerOrganisationId { get; private set; }

    public Guid UserId { get; private set; }

    public string UserName { get; private set; } = string.Empty;

    public Guid OrganisationId { get; private set; }

    public int Units { get; private set; }

    public DateTimeOffset Start { get; private set; }

    public DateTimeOffset End { get; private set; }

    public BookingStatus Status { get; private set; }

    /// <summary>Why it was rejected, cancelled or released, in words.</summary>
    public string? Reason { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? CheckedInAt { get; private set; }

    public DateTimeOffset? CheckedOutAt { get; private set; }

    public long Version { get; private set; }

    /// <summary>For a hold: when it lapses unless confirmed.</summary>
    public DateTimeOffset? HoldExpiresAt { get; private set; }

    /// <summary>Whether the booking takes units from the resource's capacity.</summary>
    public bool HoldsCapacity => Status is BookingStatus.PendingApproval or BookingStatus.Confirmed or BookingStatus.CheckedIn or BookingStatus.Held;

    /// <summary>
    /// Until when its units are taken (the buffer then follows): the end while it holds capacity, the check-out
    /// for a completed one (an early check-out frees the rest, but the buffer still follows it), null otherwise.
    /// </summary>
    public DateTimeOffset? TakesUnitsUntil => HoldsCapacity ? End : Status == BookingStatus.Completed ? CheckedOutAt : null;

    /// <summary>The unit-hours it books (what a quota counts).</summary>
    public double BookedUnitHours => Units * (End - Start).TotalHours;

    /// <summary>Unit-hours actually used: from check-in to check-out; zero until checked out.</summary>
    public double UsedUnitHours =>
        CheckedInAt is { } from && CheckedOutAt is { } to ? Units * Math.Max(0, (to - from).TotalHours) : 0;

    /// <summary>The longest a hold may last: it takes units without approval, so it is meant for minutes, not days.</summary>
    public static readonly TimeSpan MaximumHold = TimeSpan.FromDays(1);

    internal static Booking Create(Guid id, Resource resource, BookingRequest request, BookingStatus status, DateTimeOffset now, DateTimeOffset? holdExpiresAt = null) => new()
    {
        HoldExpiresAt = holdExpiresAt,
        Id = id,
        ResourceId = resource.Id,
        OwnerOrganisationId = resource.OwnerOrganisationId,
        UserId = request.Booker.UserId,
        UserName = request.Booker.Name,
        OrganisationId = request.Booker.OrganisationId,
        Units = request.Units,
        Start = request.Start,
        End = request.End,
        Status = status,
        CreatedAt = now,
        Version = 1,
    };

    public void Approve()
    {
        Require(BookingStatus.PendingApproval, "approved");
        Status = BookingStatus.Confirmed;
        Version++;
    }

    public void Reject(string reason)
    {
        Require(BookingStatus.PendingApproval, "rejected");
        Status = BookingStatus.Rejected;
        Reason = Clip(reason);
        Version++;
    }

    /// <summary>Turns a hold into a booking (confirmed, or waiting for approval) while it has not lapsed.</summary>
    public void ConfirmHold(BookingRules rules, DateTimeOffset now)
    {
        Require(BookingStatus.Held, "confirmed");
        if (now >= Start)
        {
            throw DomainRuleException.Conflict("The held slot has started; book again.");
        }

        if (now >= HoldExpiresAt)
        {
            throw DomainRuleException.Conflict($"The hold lapsed at {HoldExpiresAt:u}; book again.");
        }

        Status = rules.ApprovalRequired ? BookingStatus.PendingApproval : BookingStatus.Confirmed;
        HoldExpiresAt = null;
        Version++;
    }

    /// <summary>Lets a hold lapse once its time is up; true when it did (its units are free again).</summary>
    public bool ExpireIfDue(DateTimeOffset now)
    {
        if (Status != BookingStatus.Held || now < HoldExpiresAt)
        {
            return false;
        }

        Status = BookingStatus.Expired;
        Reason = "The hold was not confirmed in time.";
        Version++;
        return true;
    }

    /// <summary>Cancels a booking (or releases a hold) before it starts; the units are free again at once.</summary>
    public void Cancel(string reason, DateTimeOffset now)
    {
        if (Status is not (BookingStatus.PendingApproval or BookingStatus.Confirmed or BookingStatus.Held))
        {
            throw DomainRuleException.Conflict($"A booking that is {Words(Status)} cannot be cancelled.");
        }

        if (now >= Start)
        {
            throw DomainRuleException.Conflict("The booking has started; check in and out (or let it be released) instead of cancelling it.");
        }

        Status = BookingStatus.Cancelled;
        Reason = Clip(reason);
        Version++;
    }

    /// <summary>Checks in from a quarter of an hour before the start until the end (late arrivals keep their slot until released).</summary>
    public void CheckIn(DateTimeOffset now)
    {
        Require(BookingStatus.Confirmed, "checked in");
        if (now < Start - TimeSpan.FromMinutes(15) || now >= End)
        {
            throw DomainRuleException.Conflict("Check in from a quarter of an hour before the start until the end.");
        }

        Status = BookingStatus.CheckedIn;
        CheckedInAt = Instants.Later(now, Start);
        Version++;
    }

    /// <summary>Ends the use: what was used (unit-hours) is what the check-in and check-out times say, capped at the booked end.</summary>
    public void CheckOut(DateTimeOffset now)
    {
        Require(BookingStatus.CheckedIn, "checked out");
        Status = BookingStatus.Completed;
        CheckedOutAt = Instants.Earlier(now, End);
        Version++;
    }

    /// <summary>Releases a booking nobody checked in for within the resource's window after its start.</summary>
    public bool ReleaseIfNoShow(BookingRules rules, DateTimeOffset now)
    {
        if (!rules.CheckInRequired || Status != BookingStatus.Confirmed || now < Start + rules.AutoReleaseAfter)
        {
            return false;
        }

        Status = BookingStatus.NoShow;
        Reason = $"Nobody checked in within {Resource.Words(rules.AutoReleaseAfter)} of the start.";
        Version++;
        return true;
    }

    /// <summary>Reasons are stored in at most 500 characters (a blackout's reason is quoted inside a longer sentence).</summary>
    private static string Clip(string reason) => reason.Length <= 500 ? reason : reason[..499] + "…";

    private void Require(BookingStatus status, string verb)
    {
        if (Status != status)
        {
            throw DomainRuleException.Conflict($"A booking that is {Words(Status)} cannot be {verb}.");
        }
    }

    private static string Words(BookingStatus status) => status switch
    {
        BookingStatus.PendingApproval => "waiting for approval",
        BookingStatus.CheckedIn => "checked in",
        BookingStatus.NoShow => "released as a no-show",
        BookingStatus.Held => "held",
        _ => status.ToString().ToLowerInvariant(),
    };
}

/// <summary>A maintenance window or outage: the resource takes no bookings over [Start, End).</summary>
public sealed class Blackout
{
    private Blackout()
    {
    }

    public Guid Id { get; private set; }

    public Guid ResourceId { get; private set; }

    public DateTimeOffset Start { get; private set; }

    public DateTimeOffset End { get; private set; }

    public string Reason { get; private set; } = string.Empty;

    /// <summary>A blackout over [start, end); with <paramref name="now"/>, one whose window has passed is refused.</summary>
    public static Blackout Create(Guid id, Resource resource, DateTimeOffset start, DateTimeOffset end, string reason, DateTimeOffset? now = null)
    {
        Instants.CheckInRange(start, end);
        if (now is { } at && end <= at)
        {
            throw DomainRuleException.Invalid("end", "The window has already passed.");
        }

        if (end <= start)
        {
            throw DomainRuleException.Invalid("end", "The end must come after the start.");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            throw DomainRuleException.Invalid("reason", "Say why the resource is unavailable; the people whose bookings it cancels are told.");
        }

        resource.Touch();
        return new Blackout { Id = id, ResourceId = resource.Id, Start = start.ToUniversalTime(), End = end.ToUniversalTime(), Reason = reason.Trim() };
    }

    public bool Overlaps(DateTimeOffset start, DateTimeOffset end) => Start < end && start < End;

    /// <summary>
    /// Takes the blackout off the resource's calendar (the caller deletes it), so its time can be booked again; the
    /// bookings it cancelled stay cancelled (their users were told, and may since have booked elsewhere). One under
    /// way may be removed: the resource is back in use at once. One already over is refused: it frees nothing, and
    /// it is the record of why the bookings under it were cancelled.
    /// </summary>
    public void Remove(Resource resource, DateTimeOffset now)
    {
        if (resource.Id != ResourceId)
        {
            throw new InvalidOperationException($"Blackout {Id} is not on resource {resource.Id}.");
        }

        if (End <= now)
        {
            throw DomainRuleException.Conflict($"The blackout from {Start:u} to {End:u} is already over; it stays as the record of the bookings it cancelled.");
        }

        resource.Touch();
    }

    /// <summary>
    /// Cancels, with the reason, every booking among <paramref name="bookings"/> that the blackout covers and that
    /// has not started (one under way goes on; its user and the owner settle it). Returns the cancelled ones.
    /// </summary>
    public IReadOnlyList<Booking> CancelBookingsUnder(Resource resource, IEnumerable<Booking> bookings, DateTimeOffset now)
    {
        var reason = $"{resource.Name} is unavailable from {Start:u} to {End:u}: {Reason}";
        var cancelled = bookings
            .Where(b => b.ResourceId == resource.Id && b.Status is BookingStatus.PendingApproval or BookingStatus.Confirmed or BookingStatus.Held
                && Overlaps(b.Start, b.End) && b.Start > now)
            .ToList();
        foreach (var booking in cancelled)
        {
            booking.Cancel(reason, now);
        }

        return cancelled;
    }
}
