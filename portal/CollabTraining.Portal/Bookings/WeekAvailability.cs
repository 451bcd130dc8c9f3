namespace CollabTraining.Portal.Bookings;

/// <summary>One hour of the week grid: when it is (in the resource's time zone and as an instant) and how many units are free.</summary>
public sealed record WeekSlot(DateOnly Day, int Hour, DateTimeOffset Start, DateTimeOffset End, int Free, bool Blackout, bool Past);

/// <summary>
/// The week view of a resource's calendar: free units per hour, from the busy intervals the API gives (bookings that hold
/// units, and blackouts that take all of them). The owner decides a booking exactly (buffers, rules); the grid is a guide.
/// </summary>
public static class WeekAvailability
{
    /// <summary>The resource's time zone (its rules name an IANA id); UTC when the id is unknown here.</summary>
    public static TimeZoneInfo Zone(string? id)
    {
        if (!string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
        {
            return zone;
        }

        return TimeZoneInfo.Utc;
    }

    /// <summary>The Monday of the week holding <paramref name="day"/>.</summary>
    public static DateOnly WeekOf(DateOnly day) => day.AddDays(-(((int)day.DayOfWeek + 6) % 7));

    /// <summary>A wall-clock time in the zone as an instant (a time skipped by a clock change moves on to the next valid one).</summary>
    public static DateTimeOffset Instant(DateOnly day, TimeSpan time, TimeZoneInfo zone)
    {
        var local = DateTime.SpecifyKind(day.ToDateTime(TimeOnly.MinValue) + time, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>The instants the week spans: its Monday 00:00 to the next Monday 00:00 in the zone.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Window(DateOnly monday, TimeZoneInfo zone) =>
        (Instant(monday, TimeSpan.Zero, zone), Instant(monday.AddDays(7), TimeSpan.Zero, zone));

    /// <summary>Free units over [start, end): the capacity less the busiest moment's units; none under a blackout.</summary>
    public static (int Free, bool Blackout) FreeUnits(int capacity, IEnumerable<BusyInterval> busy, DateTimeOffset start, DateTimeOffset end)
    {
        var over = busy.Where(b => b.Start < end && b.End > start).ToList();
        if (over.Any(b => b.Status == "blackout"))
        {
            return (0, true);
        }

        var peak = 0;
        foreach (var moment in over.Select(b => b.Start < start ? start : b.Start).Append(start).Distinct())
        {
            peak = Math.Max(peak, over.Where(b => b.Start <= moment && b.End > moment).Sum(b => b.Units));
        }

        return (Math.Max(0, capacity - peak), false);
    }

    /// <summary>The grid: for each of the seven days, one slot per hour in <paramref name="hours"/>.</summary>
    public static IReadOnlyList<IReadOnlyList<WeekSlot>> Grid(
        DateOnly monday, IReadOnlyList<int> hours, TimeZoneInfo zone, int capacity, IReadOnlyList<BusyInterval> busy, DateTimeOffset now) =>
        [.. Enumerable.Range(0, 7).Select(d => (IReadOnlyList<WeekSlot>)[.. hours.Select(h =>
        {
            var day = monday.AddDays(d);
            var start = Instant(day, TimeSpan.FromHours(h), zone);
            var end = Instant(day, TimeSpan.FromHours(h + 1), zone);
            var (free, blackout) = FreeUnits(capacity, busy, start, end);
            return new WeekSlot(day, h, start, end, free, blackout, end <= now);
        })])];
}
