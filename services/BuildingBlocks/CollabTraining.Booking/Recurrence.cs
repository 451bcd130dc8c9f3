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

    public IReadOnlyList<Slot> Occurrences(DateTimeOffset start, DateTimeOffset end, string timeZone)
    {
        if (Days.Count == 0)
        {
            throw DomainRuleException.Invalid("recurrence.days", "Name at least one day of the week.");
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        var localStart = TimeZoneInfo.ConvertTime(start, zone);
        var firstDay = DateOnly.FromDateTime(localStart.DateTime);
        if (Until < firstDay)
        {
            throw DomainRuleException.Invalid("recurrence.until", "The series ends before its first booking.");
        }

        var duration = end - start;
        var slots = new List<Slot>();
        for (var day = firstDay; day <= Until; day = day.AddDays(1))
        {
            if (!Days.Contains(day.DayOfWeek) && day != firstDay)
            {
                continue;
            }

            var wall = day.ToDateTime(TimeOnly.FromDateTime(localStart.DateTime));
            if (zone.IsInvalidTime(wall))
            {
                wall = wall.AddHours(1);
            }

            var at = new DateTimeOffset(wall, zone.GetUtcOffset(wall)).ToUniversalTime();
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
        foreach (var slot in recurrence.Occurrences(first.Start, first.End, resource.Rules.TimeZone))
        {
            var quota = quotaFor?.Invoke(slot.Start);
            if (quota is not null)
            {
                quota = quota with { UsedUnitHours = quota.UsedUnitHours + usedInSeries.GetValueOrDefault(quota.PeriodStart) };
            }

            try
            {
                var booking = resource.Book(Guid.CreateVersion7(), first with { Start = slot.Start, End = slot.End }, calendar, now, quota);
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
                throw new BookingRefusedException(refusal.Reason, $"The series cannot be booked: on {slot.Start:yyyy-MM-dd}, {refusal.Message}", refusal.NextFree);
            }
        }

        return new SeriesOutcome(booked, refused);
    }
}
