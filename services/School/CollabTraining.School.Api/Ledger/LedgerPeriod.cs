namespace CollabTraining.School.Ledger;

/// <summary>
/// The ledger's period: whole UTC days [From, To), To exclusive. Hours are counted inside it only: a booking or
/// a use that straddles a boundary contributes the part of its time that falls inside the period.
/// </summary>
public readonly record struct LedgerPeriod(DateOnly From, DateOnly To)
{
    /// <summary>The longest period one ledger covers (two years and a leap day).</summary>
    public const int MaxDays = 731;

    public DateTimeOffset Start => new(From.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public DateTimeOffset End => new(To.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>The calendar month (UTC) that holds <paramref name="now"/>.</summary>
    public static LedgerPeriod MonthOf(DateTimeOffset now)
    {
        var first = new DateOnly(now.UtcDateTime.Year, now.UtcDateTime.Month, 1);
        return new LedgerPeriod(first, first.AddMonths(1));
    }

    /// <summary>Hours of [start, end) inside the period (0 when they do not overlap).</summary>
    public double HoursWithin(DateTimeOffset start, DateTimeOffset end)
    {
        var from = start > Start ? start : Start;
        var to = end < End ? end : End;
        return to > from ? (to - from).TotalHours : 0;
    }

    /// <summary>Does the placement period [startsOn, endsOn] (both days included) share a day with this one?</summary>
    public bool Overlaps(DateOnly startsOn, DateOnly endsOn) => startsOn < To && endsOn >= From;

    /// <summary>
    /// The share of a recorded use that falls in the period: its unit-hours times the fraction of its
    /// [checked in, checked out) time inside the period; a use of no duration counts whole if it happened inside.
    /// </summary>
    public double UnitHoursWithin(double unitHours, DateTimeOffset checkedIn, DateTimeOffset checkedOut)
    {
        if (checkedOut <= checkedIn)
        {
            return checkedIn >= Start && checkedIn < End ? unitHours : 0;
        }

        return unitHours * HoursWithin(checkedIn, checkedOut) / (checkedOut - checkedIn).TotalHours;
    }
}
