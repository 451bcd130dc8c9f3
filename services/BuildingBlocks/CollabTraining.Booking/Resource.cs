using CollabTraining.Domain;

namespace CollabTraining.Bookings;

/// <summary>What a resource is: a pool of GPUs, devices of one model, or an instrument.</summary>
public enum ResourceKind
{
    ComputePool,
    Device,
    Equipment,
}

/// <summary>
/// The rules an owner sets for booking a resource. Durations are in wall-clock time; times are instants (UTC),
/// shown in the resource's <see cref="TimeZone"/>.
/// </summary>
public sealed record BookingRules
{
    public TimeSpan MinimumDuration { get; init; } = TimeSpan.FromMinutes(15);

    public TimeSpan MaximumDuration { get; init; } = TimeSpan.FromDays(7);

    /// <summary>How long before its start a booking must be made.</summary>
    public TimeSpan MinimumNotice { get; init; } = TimeSpan.Zero;

    /// <summary>How far ahead a booking may start.</summary>
    public TimeSpan MaximumAdvance { get; init; } = TimeSpan.FromDays(180);

    /// <summary>Free time a unit needs after each booking before the next may start on it (cleaning, cooling, reset).</summary>
    public TimeSpan Buffer { get; init; } = TimeSpan.Zero;

    /// <summary>Bookings wait for the owner's approval; otherwise they are confirmed at once.</summary>
    public bool ApprovalRequired { get; init; }

    /// <summary>A booking must be checked in within <see cref="AutoReleaseAfter"/> of its start, or it is released as a no-show.</summary>
    public bool CheckInRequired { get; init; }

    public TimeSpan AutoReleaseAfter { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>An IANA time zone id, for calendars and for telling people times.</summary>
    public string TimeZone { get; init; } = "UTC";
}

/// <summary>Who is asking to book, as the owner's service knows them.</summary>
/// <param name="Qualifications">The qualification codes the user holds, valid over the whole booking.</param>
public sealed record Booker(Guid UserId, string Name, Guid OrganisationId, string OrganisationKind, IReadOnlySet<string> Qualifications);

/// <summary>A request for <paramref name="Units"/> units over the half-open interval [Start, End).</summary>
public sealed record BookingRequest(Booker Booker, DateTimeOffset Start, DateTimeOffset End, int Units);

/// <summary>
/// A bookable resource of one owner organisation: its capacity in units and the rules for booking it. Every
/// decision about its calendar bumps <see cref="Version"/>, a concurrency token, so two service instances
/// deciding on one database can never both commit against the same state (one of them retries).
/// </summary>
public sealed class Resource
{
    private Resource()
    {
    }

    public Guid Id { get; private set; }

    public Guid OwnerOrganisationId { get; private set; }

    public ResourceKind Kind { get; private set; }

    public string Name { get; private set; } = string.Empty;

    /// <summary>What it is for, in the owner's words.</summary>
    public string Description { get; private set; } = string.Empty;

    /// <summary>The GPU, device or instrument model, when the owner gives one.</summary>
    public string? Model { get; private set; }

    public int Capacity { get; private set; }

    public BookingRules Rules { get; private set; } = new();

    /// <summary>Qualification codes a booker must hold for the whole booking.</summary>
    public List<string> RequiredQualifications { get; private set; } = [];

    /// <summary>Organisations that may book; empty means any.</summary>
    public List<Guid> AllowedOrganisations { get; private set; } = [];

    /// <summary>Organisation kinds (school, hospital, institute, enterprise) that may book; empty means any.</summary>
    public List<string> AllowedOrganisationKinds { get; private set; } = [];

    public bool Retired { get; private set; }

    /// <summary>
    /// The longest booking ever made on it. A booking overlapping a slot started less than this before the slot
    /// (whatever the rules say today), which bounds the index range a decision reads (<see cref="BookingQueries"/>).
    /// </summary>
    public TimeSpan LongestBooking { get; private set; }

    public long Version { get; private set; }

    public static Resource Create(Guid id, Guid owner, ResourceKind kind, string name, int capacity, BookingRules rules,
        IEnumerable<string>? requiredQualifications = null, IEnumerable<Guid>? allowedOrganisations = null, IEnumerable<string>? allowedOrganisationKinds = null,
        string? description = null, string? model = null)
    {
        if (capacity < 1)
        {
            throw DomainRuleException.Invalid("capacity", "A resource has at least one unit.");
        }

        if (string.IsNullOrWhiteSpace(name))
        {
            throw DomainRuleException.Invalid("name", "A resource needs a name.");
        }

        Validate(rules);
        return new Resource
        {
            Id = id,
            OwnerOrganisationId = owner,
            Kind = kind,
            Name = name.Trim(),
            Description = description?.Trim() ?? string.Empty,
            Model = string.IsNullOrWhiteSpace(model) ? null : model.Trim(),
            Capacity = capacity,
            Rules = rules,
            RequiredQualifications = [.. (requiredQualifications ?? []).Distinct(StringComparer.Ordinal)],
            AllowedOrganisations = [.. (allowedOrganisations ?? []).Distinct()],
            AllowedOrganisationKinds = [.. (allowedOrganisationKinds ?? []).Distinct(StringComparer.Ordinal)],
            Version = 1,
        };
    }

    /// <summary>
    /// Decides a request against the resource's current calendar: <paramref name="calendar"/> must hold every
    /// booking that holds capacity and every blackout overlapping [start − buffer, end + buffer). Returns the new
    /// booking (confirmed, or waiting for approval) and bumps <see cref="Version"/>; throws a
    /// <see cref="DomainRuleException"/> for bad input (<see cref="RuleMeaning.Invalid"/>), a booker the owner
    /// does not serve (<see cref="RuleMeaning.Forbidden"/>), or a <see cref="BookingRefusedException"/> naming why
    /// the slot cannot be had, with the next one that can when there is one.
    /// </summary>
    public Booking Book(Guid bookingId, BookingRequest request, Calendar calendar, DateTimeOffset now, QuotaUse? quota = null) =>
        Decide(bookingId, request, calendar, now, quota, holdFor: null);

    /// <summary>
    /// Holds the units for <paramref name="holdFor"/> (the same checks as <see cref="Book"/>): a tentative booking
    /// that takes capacity until confirmed, released, or lapsed. Bundles across owners and waitlist offers use it.
    /// </summary>
    public Booking Hold(Guid bookingId, BookingRequest request, Calendar calendar, DateTimeOffset now, TimeSpan holdFor, QuotaUse? quota = null)
    {
        CheckHoldLength(holdFor, "holdFor");
        return Decide(bookingId, request, calendar, now, quota, holdFor);
    }

    private Booking Decide(Guid bookingId, BookingRequest request, Calendar calendar, DateTimeOffset now, QuotaUse? quota, TimeSpan? holdFor, bool offerNext = true)
    {
        // Instants in UTC from here on: stored, compared and sorted as the same instant whatever offset the client sent.
        request = request with { Start = request.Start.ToUniversalTime(), End = request.End.ToUniversalTime() };
        CheckShape(request);
        if (!calendar.CanDecide(request.Start, request.End))
        {
            throw new InvalidOperationException($"The calendar was read for {calendar.Covers}; it cannot decide [{request.Start:u}, {request.End:u}).");
        }

        CheckAdmissible(request, now);
        if (calendar.BlackoutOver(request.Start, request.End) is { } blackout)
        {
            throw new BookingRefusedException(BookingRefusal.Blackout,
                $"{Name} is unavailable from {blackout.Start:u} to {blackout.End:u}: {blackout.Reason}.", offerNext ? NextFree(request, calendar, now) : null);
        }

        CheckQuota(request, quota);
        var free = calendar.FreeUnits(Capacity, request.Start, request.End, Rules.Buffer);
        if (free < request.Units)
        {
            throw new BookingRefusedException(BookingRefusal.Full,
                free == 0
                    ? $"{Name} is fully booked between {request.Start:u} and {request.End:u}{BufferNote()}."
                    : $"{Name} has {free} of {Capacity} units free between {request.Start:u} and {request.End:u}{BufferNote()}; you asked for {request.Units}.",
                offerNext ? NextFree(request, calendar, now) : null);
        }

        Version++;
        LongestBooking = TimeSpan.FromTicks(Math.Max(LongestBooking.Ticks, (request.End - request.Start).Ticks));

        var booking = holdFor is { } hold
            ? Booking.Create(bookingId, this, request, BookingStatus.Held, now, Instants.Earlier(now + hold, request.Start))
            : Booking.Create(bookingId, this, request, Rules.ApprovalRequired ? BookingStatus.PendingApproval : BookingStatus.Confirmed, now);
        calendar.Add(booking);
        return booking;
    }

    /// <summary>
    /// The checks that do not depend on the calendar: retired, who may book, qualifications, and the rules
    /// (duration, notice, how far ahead). A waitlist join runs them too, so nobody waits for what they could never get.
    /// </summary>
    public void CheckAdmissible(BookingRequest request, DateTimeOffset now)
    {
        CheckShape(request);
        if (Retired)
        {
            throw new BookingRefusedException(BookingRefusal.Rule, $"{Name} is retired and takes no bookings.");
        }

        if (AllowedOrganisations.Count > 0 && !AllowedOrganisations.Contains(request.Booker.OrganisationId)
            || AllowedOrganisationKinds.Count > 0 && !AllowedOrganisationKinds.Contains(request.Booker.OrganisationKind, StringComparer.Ordinal))
        {
            throw DomainRuleException.Forbidden($"{Name} is not offered to your organisation.");
        }

        var missing = RequiredQualifications.Where(q => !request.Booker.Qualifications.Contains(q)).ToList();
        if (missing.Count > 0)
        {
            throw new BookingRefusedException(BookingRefusal.Qualification,
                $"Booking {Name} needs {string.Join(", ", missing)}, valid until the booking ends; you do not hold it.");
        }

        CheckRules(request.Start, request.End, now);
    }

    /// <summary>Refuses a request the organisation's allowance for the period cannot cover, naming what remains.</summary>
    public void CheckQuota(BookingRequest request, QuotaUse? quota)
    {
        if (quota is null)
        {
            return;
        }

        var asked = request.Units * (request.End - request.Start).TotalHours;
        var left = Math.Max(0, quota.UnitHours - quota.UsedUnitHours);
        if (asked > left + 1e-9)
        {
            throw new BookingRefusedException(BookingRefusal.Quota,
                $"Your organisation has {left:0.##} of its {quota.UnitHours:0.##} unit-hours on {Name} left for the period from {quota.PeriodStart:yyyy-MM-dd} until before {quota.PeriodEnd:yyyy-MM-dd}; this booking needs {asked:0.##}.");
        }
    }

    /// <summary>
    /// Changes what the resource is and its rules. Bookings already made keep their terms (the rules apply to new
    /// requests), but units cannot drop below what the bookings from now on hold at their peak
    /// (<paramref name="peakUnitsFromNow"/>): cancel or move them first.
    /// </summary>
    public void Revise(string name, string? description, string? model, int capacity, BookingRules rules, IEnumerable<string> requiredQualifications,
        IEnumerable<Guid> allowedOrganisations, IEnumerable<string> allowedOrganisationKinds, int peakUnitsFromNow)
    {
        if (Retired)
        {
            throw DomainRuleException.Conflict($"{Name} is retired.");
        }

        var revised = Create(Id, OwnerOrganisationId, Kind, name, capacity, rules, requiredQualifications, allowedOrganisations, allowedOrganisationKinds, description, model);
        if (capacity < peakUnitsFromNow)
        {
            throw DomainRuleException.Conflict($"Bookings from now on hold up to {peakUnitsFromNow} units of {Name} at once; cancel some before cutting it to {capacity}.");
        }

        (Name, Description, Model, Capacity, Rules) = (revised.Name, revised.Description, revised.Model, revised.Capacity, revised.Rules);
        (RequiredQualifications, AllowedOrganisations, AllowedOrganisationKinds) = (revised.RequiredQualifications, revised.AllowedOrganisations, revised.AllowedOrganisationKinds);
        Version++;
    }

    /// <summary>Records a change to the calendar made outside <see cref="Book"/> (a cancellation, a blackout), so a concurrent decision retries.</summary>
    public void Touch() => Version++;

    public void Retire()
    {
        Retired = true;
        Version++;
    }

    /// <summary>The earliest slot of the request's length and units, at or after its start, that the rules and calendar allow.</summary>
    public Slot? NextFree(BookingRequest request, Calendar calendar, DateTimeOffset now)
    {
        var duration = request.End - request.Start;
        var latest = now + Rules.MaximumAdvance;
        var candidates = new SortedSet<DateTimeOffset> { request.Start };
        candidates.UnionWith(calendar.FreeingPoints(request.Start, Rules.Buffer));
        foreach (var start in candidates)
        {
            if (start > latest)
            {
                break;
            }

            var end = start + duration;
            if (!calendar.CanDecide(start, end))
            {
                break;
            }

            if (start - now >= Rules.MinimumNotice
                && calendar.BlackoutOver(start, end) is null
                && calendar.FreeUnits(Capacity, start, end, Rules.Buffer) >= request.Units)
            {
                return new Slot(start, end);
            }
        }

        return null;
    }

    /// <summary>Decides one occurrence of a series: no search for another slot (a long series would search its whole span per refusal).</summary>
    internal Booking BookOccurrence(Guid bookingId, BookingRequest request, Calendar calendar, DateTimeOffset now, QuotaUse? quota) =>
        Decide(bookingId, request, calendar, now, quota, holdFor: null, offerNext: false);

    /// <summary>Decides a waitlist entry's request without searching for another slot.</summary>
    internal Booking HoldForWaitlist(Guid bookingId, BookingRequest request, Calendar calendar, DateTimeOffset now, TimeSpan holdFor, QuotaUse? quota)
    {
        CheckHoldLength(holdFor, "claimWindow");
        return Decide(bookingId, request, calendar, now, quota, holdFor, offerNext: false);
    }

    private static void CheckHoldLength(TimeSpan holdFor, string field)
    {
        if (holdFor <= TimeSpan.Zero || holdFor > Booking.MaximumHold)
        {
            throw DomainRuleException.Invalid(field, $"A hold lasts more than nothing and at most {Words(Booking.MaximumHold)}.");
        }
    }

    private string BufferNote() => Rules.Buffer > TimeSpan.Zero ? $" (with the {Words(Rules.Buffer)} kept free after each booking)" : string.Empty;

    /// <summary>The checks any request for this resource's units must pass (end after start, units within capacity).</summary>
    public void CheckShape(BookingRequest request)
    {
        Instants.CheckInRange(request.Start, request.End);
        if (request.End <= request.Start)
        {
            throw DomainRuleException.Invalid("end", "The end must come after the start.");
        }

        if (request.Units < 1)
        {
            throw DomainRuleException.Invalid("units", "Book at least one unit.");
        }

        if (request.Units > Capacity)
        {
            throw DomainRuleException.Invalid("units", $"{Name} has {Capacity} unit{(Capacity == 1 ? string.Empty : "s")}; you asked for {request.Units}.");
        }
    }

    private void CheckRules(DateTimeOffset start, DateTimeOffset end, DateTimeOffset now)
    {
        if (start < now)
        {
            throw DomainRuleException.Invalid("start", "The start has passed.");
        }

        var duration = end - start;
        if (duration < Rules.MinimumDuration)
        {
            throw new BookingRefusedException(BookingRefusal.Rule, $"{Name} is booked for at least {Words(Rules.MinimumDuration)}.");
        }

        if (duration > Rules.MaximumDuration)
        {
            throw new BookingRefusedException(BookingRefusal.Rule, $"{Name} is booked for at most {Words(Rules.MaximumDuration)} at a time.");
        }

        if (start - now < Rules.MinimumNotice)
        {
            throw new BookingRefusedException(BookingRefusal.Rule, $"{Name} must be booked at least {Words(Rules.MinimumNotice)} ahead.");
        }

        if (start - now > Rules.MaximumAdvance)
        {
            throw new BookingRefusedException(BookingRefusal.Rule, $"{Name} can be booked at most {Words(Rules.MaximumAdvance)} ahead.");
        }
    }

    private static void Validate(BookingRules rules)
    {
        if (rules.MinimumDuration <= TimeSpan.Zero || rules.MaximumDuration < rules.MinimumDuration)
        {
            throw DomainRuleException.Invalid("rules.maximumDuration", "The longest booking must be at least as long as the shortest, which is above zero.");
        }

        if (rules.MinimumNotice < TimeSpan.Zero || rules.Buffer < TimeSpan.Zero || rules.AutoReleaseAfter <= TimeSpan.Zero)
        {
            throw DomainRuleException.Invalid("rules", "Notice and buffer cannot be negative, and a check-in window must be above zero.");
        }

        if (rules.MaximumAdvance <= rules.MinimumNotice)
        {
            throw DomainRuleException.Invalid("rules.maximumAdvance", "How far ahead one may book must exceed the notice required.");
        }

        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(rules.TimeZone);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or System.Security.SecurityException or ArgumentException or IOException or UnauthorizedAccessException)
        {
            throw DomainRuleException.Invalid("rules.timeZone", $"'{rules.TimeZone}' is not a known time zone (an IANA id such as Europe/London).");
        }
    }

    internal static string Words(TimeSpan span) =>
        span.TotalDays >= 1 && span.TotalDays == Math.Floor(span.TotalDays) ? $"{span.TotalDays:0} day{(span.TotalDays == 1 ? string.Empty : "s")}"
        : span.TotalHours >= 1 && span.TotalHours == Math.Floor(span.TotalHours) ? $"{span.TotalHours:0} hour{(span.TotalHours == 1 ? string.Empty : "s")}"
        : $"{span.TotalMinutes:0} minute{(span.TotalMinutes == 1 ? string.Empty : "s")}";
}

/// <summary>
/// A consumer organisation's allowance on a resource for the period a booking starts in, and what its active
/// bookings starting in that period already use (the service reads it; the decision checks it).
/// </summary>
public sealed record QuotaUse(double UnitHours, double UsedUnitHours, DateTimeOffset PeriodStart, DateTimeOffset PeriodEnd);

/// <summary>
/// The instants the platform books between: far enough from the ends of <see cref="DateTimeOffset"/> that adding a
/// buffer, a longest booking or a quota period never overflows, and far beyond any real booking.
/// </summary>
public static class Instants
{
    public static readonly DateTimeOffset Earliest = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset Latest = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The earlier of two instants, in UTC.</summary>
    public static DateTimeOffset Earlier(DateTimeOffset a, DateTimeOffset b) => new(Math.Min(a.UtcTicks, b.UtcTicks), TimeSpan.Zero);

    /// <summary>The later of two instants, in UTC.</summary>
    public static DateTimeOffset Later(DateTimeOffset a, DateTimeOffset b) => new(Math.Max(a.UtcTicks, b.UtcTicks), TimeSpan.Zero);

    public static void CheckInRange(DateTimeOffset start, DateTimeOffset end)
    {
        if (start < Earliest || start > Latest)
        {
            throw DomainRuleException.Invalid("start", $"The start lies between {Earliest:yyyy} and {Latest:yyyy}.");
        }

        if (end < Earliest || end > Latest)
        {
            throw DomainRuleException.Invalid("end", $"The end lies between {Earliest:yyyy} and {Latest:yyyy}.");
        }
    }
}

/// <summary>A free slot the owner could offer instead.</summary>
public sealed record Slot(DateTimeOffset Start, DateTimeOffset End);
