using CollabTraining.Domain;

namespace CollabTraining.Bookings;

/// <summary>
/// A weekly pattern: the first booking's wall-clock times, repeated on <paramref name="Days"/> in the resource's
/// time zone (so 09:00 stays 09:00 across a change of clocks) until <paramref name="Until"/>, inclusive.
/// </summary>
public sealed record Recurrence(IReadOnlySet<DayOfWeek> Days, DateOnly Until)
{
    /// <summary>The most occurrences one series may hold (a year of weekdays and then some).</summary>
    public const int MaxOccurrences = 400;

    /// <summary>
    /// The occurrences, the first being [start, end) itself (its day must be one of <see cref="Days"/>). A wall-clock
    /// time that a change of clocks skips moves to the first valid minute after it; one that happens twice takes
    /// the first offset the first occurrence had. Occurrences may not run past <paramref name="latest"/>.
    /// </summary>
    public IReadOnlyList<Slot> Occurrences(DateTimeOffset start, DateTimeOffset end, string timeZone, DateTimeOffset latest)
    {
        if (Days.Count == 0 || Days.Any(d => !Enum.IsDefined(d)))
        {
            throw DomainRuleException.Invalid("recurrence.days", "Name at least one day of the week, each a real one.");
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        var localStart = TimeZoneInfo.ConvertTime(start, zone);
        var firstDay = DateOnly.FromDateTime(localStart.DateTime);
        if (!Days.Contains(firstDay.DayOfWeek))
        {
            throw DomainRuleException.Invalid("recurrence.days", $"The first booking falls on a {firstDay.DayOfWeek}, which is not one of the series' days.");
        }

        if (Until < firstDay)
        {
            throw DomainRuleException.Invalid("recurrence.until", "The series ends before its first booking.");
        }

        if (Until.ToDateTime(TimeOnly.MinValue) > latest.UtcDateTime.Date)
        {
            throw DomainRuleException.Invalid("recurrence.until", $"The series runs past {latest:yyyy-MM-dd}, as far ahead as the resource may be booked.");
        }

        var duration = end - start;
        var wallTime = TimeOnly.FromDateTime(localStart.DateTime);
        var slots = new List<Slot> { new(start.ToUniversalTime(), end.ToUniversalTime()) };
        for (var day = firstDay.AddDays(1); day <= Until; day = day.AddDays(1))
        {
            if (!Days.Contains(day.DayOfWeek))
            {
                continue;
            }

            var wall = day.ToDateTime(wallTime);
            while (zone.IsInvalidTime(wall)) // the clocks skip a span of an hour or so, never forever
            {
                wall = wall.AddMinutes(1);
            }

            var offset = zone.IsAmbiguousTime(wall)
                ? zone.GetAmbiguousTimeOffsets(wall).OrderByDescending(o => o == localStart.Offset).ThenByDescending(o => o).First()
                : zone.GetUtcOffset(wall);
            var at = new DateTimeOffset(wall, offset).ToUniversalTime();
            slots.Add(new Slot(at, at + duration));
            if (slots.Count > MaxOccurrences)
            {
                throw DomainRuleException.Invalid("recurrence.until", $"A series holds at most {MaxOccurrences} bookings.");
            }
        }

        return slots;
    }
}

/// <summary>What became of each occurrence of a series.</summary>
public sealed record SeriesOutcome(IReadOnlyList<Booking> Booked, IReadOnlyList<(Slot Slot, BookingRefusedException Refusal)> Refused);

public static class Series
{
    /// <summary>
    /// Books every occurrence of <paramref name="recurrence"/> on <paramref name="resource"/>. All or nothing:
    /// the first refused occurrence refuses the series, naming its date (the caller saves nothing). Otherwise
    /// each occurrence is decided on its own and the refused ones are named. <paramref name="quotaFor"/> gives
    /// the allowance for the period an occurrence starts in; occurrences booked earlier in the series count against it.
    /// </summary>
    public static SeriesOutcome Book(Resource resource, BookingRequest first, Recurrence recurrence, Calendar calendar, DateTimeOffset now,
        bool allOrNothing, Func<DateTimeOffset, QuotaUse?>? quotaFor = null)
    {
        var booked = new List<Booking>();
        var refused = new List<(Slot, BookingRefusedException)>();
        var usedInSeries = new Dictionary<DateTimeOffset, double>();
        var zone = TimeZoneInfo.FindSystemTimeZoneById(resource.Rules.TimeZone);
        foreach (var slot in recurrence.Occurrences(first.Start, first.End, resource.Rules.TimeZone, now + resource.Rules.MaximumAdvance))
        {
            var quota = quotaFor?.Invoke(slot.Start);
            if (quota is not null)
            {
                quota = quota with { UsedUnitHours = quota.UsedUnitHours + usedInSeries.GetValueOrDefault(quota.PeriodStart) };
            }

            try
            {
                var booking = resource.BookOccurrence(Guid.CreateVersion7(), first with { Start = slot.Start, End = slot.End }, calendar, now, quota);
                booked.Add(booking);
                if (quota is not null)
                {
                    usedInSeries[quota.PeriodStart] = usedInSeries.GetValueOrDefault(quota.PeriodStart) + booking.BookedUnitHours;
                }
            }
            catch (BookingRefusedException refusal) when (!allOrNothing)
            {
                refused.Add((slot, refusal));
            }
            catch (BookingRefusedException refusal)
            {
                var day = TimeZoneInfo.ConvertTime(slot.Start, zone);
                throw new BookingRefusedException(refusal.Reason, $"The series cannot be booked: on {day:yyyy-MM-dd}, {refusal.Message}", refusal.NextFree);
            }
        }

        return new SeriesOutcome(booked, refused);
    }
}
