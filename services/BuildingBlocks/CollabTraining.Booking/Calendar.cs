namespace CollabTraining.Bookings;

/// <summary>
/// What a decision needs to know of one resource's calendar around a slot: the bookings that hold capacity
/// and the blackouts. Intervals are half-open, so a booking ending at 10:00 and one starting at 10:00 never
/// overlap; with a buffer b, a unit is taken over [start, end + b).
/// </summary>
/// <param name="covers">
/// The slots this calendar can decide on: the window it was read for (<see cref="BookingQueries.Around"/>). A
/// decision outside it is a programming error, and a next free slot is only offered inside it. Null: the
/// calendar is complete (tests, or a resource's whole history in memory).
/// </param>
public sealed class Calendar(IEnumerable<Booking> bookings, IEnumerable<Blackout> blackouts, Slot? covers = null)
{
    private readonly List<Booking> _bookings = [.. bookings.Where(b => b.TakesUnitsUntil is not null)];
    private readonly List<Blackout> _blackouts = [.. blackouts];

    public Slot? Covers { get; } = covers;

    /// <summary>Whether a slot lies inside the window this calendar was read for.</summary>
    public bool CanDecide(DateTimeOffset start, DateTimeOffset end) => Covers is null || (start >= Covers.Start && end <= Covers.End);

    /// <summary>A booking just decided joins the calendar, so the next decision on it (a series' next occurrence) sees it.</summary>
    internal void Add(Booking booking)
    {
        if (booking.TakesUnitsUntil is not null)
        {
            _bookings.Add(booking);
        }
    }

    public Blackout? BlackoutOver(DateTimeOffset start, DateTimeOffset end) =>
        _blackouts.Where(b => b.Overlaps(start, end)).OrderBy(b => b.Start).FirstOrDefault();

    /// <summary>The units free throughout [start, end), each booking (and the asked slot) taking its units until its end plus the buffer.</summary>
    public int FreeUnits(int capacity, DateTimeOffset start, DateTimeOffset end, TimeSpan buffer) =>
        capacity - PeakUnits(_bookings.Select(b => (b.Start, b.TakesUnitsUntil!.Value + buffer, b.Units)), start, end + buffer);

    /// <summary>
    /// The most units taken at any instant of [from, to) by <paramref name="occupancies"/> (half-open intervals):
    /// a sweep over their starts and ends clipped to [from, to), ends first at equal instants. O(n log n).
    /// </summary>
    public static int PeakUnits(IEnumerable<(DateTimeOffset Start, DateTimeOffset End, int Units)> occupancies, DateTimeOffset from, DateTimeOffset to)
    {
        var changes = new List<(DateTimeOffset At, int Delta)>();
        foreach (var (start, end, units) in occupancies)
        {
            // One that misses [from, to) is clipped to an end no later than its start: it gives its units back before
            // taking them, only where nothing else is counted, so it never raises the peak and needs no filtering.
            changes.Add((Instants.Later(start, from), units));
            changes.Add((Instants.Earlier(end, to), -units));
        }

        changes.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Delta.CompareTo(b.Delta));
        int taken = 0, peak = 0;
        foreach (var (_, delta) in changes)
        {
            taken += delta;
            peak = Math.Max(peak, taken);
        }

        return peak;
    }

    /// <summary>Instants at or after <paramref name="after"/> when units or the resource come free: each booking's end plus the buffer, each blackout's end.</summary>
    public IEnumerable<DateTimeOffset> FreeingPoints(DateTimeOffset after, TimeSpan buffer) =>
        _bookings.Select(b => b.TakesUnitsUntil!.Value + buffer).Concat(_blackouts.Select(b => b.End)).Where(t => t >= after);
}
