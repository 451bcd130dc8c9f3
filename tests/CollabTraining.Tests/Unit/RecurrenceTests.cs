using CollabTraining.Bookings;
using CollabTraining.Domain;
using static CollabTraining.Tests.Unit.BookingSamples;

namespace CollabTraining.Tests.Unit;

/// <summary>Weekly series: which days they hold, how long they may run, their wall-clock time across changes of clocks, and how their occurrences are decided.</summary>
public sealed class RecurrenceTests
{
    private static readonly DateTimeOffset Far = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static Recurrence Weekly(DateOnly until, params DayOfWeek[] days) => new(days.ToHashSet(), until);

    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute = 0) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    [Fact]
    public void A_series_ending_on_its_first_day_is_that_one_booking()
    {
        var monday = Utc(2027, 3, 15, 9);
        var slots = Weekly(new DateOnly(2027, 3, 15), DayOfWeek.Monday).Occurrences(monday, monday.AddHours(1), "UTC", Far);
        Assert.Equal([new Slot(monday, monday.AddHours(1))], slots);
    }

    [Fact]
    public void A_series_without_a_real_day_or_ending_before_it_begins_is_told_so()
    {
        var monday = Utc(2027, 3, 15, 9);
        var noDay = Assert.Throws<DomainRuleException>(() => Weekly(new DateOnly(2027, 3, 22)).Occurrences(monday, monday.AddHours(1), "UTC", Far));
        Assert.Equal(("recurrence.days", "Name at least one day of the week, each a real one."), (noDay.Field, noDay.Message));
        var backwards = Assert.Throws<DomainRuleException>(() => Weekly(new DateOnly(2027, 3, 14), DayOfWeek.Monday).Occurrences(monday, monday.AddHours(1), "UTC", Far));
        Assert.Equal(("recurrence.until", "The series ends before its first booking."), (backwards.Field, backwards.Message));
    }

    [Fact]
    public void A_series_holds_only_its_days_up_to_and_including_its_last_day()
    {
        var monday = Utc(2027, 3, 15, 9);
        var slots = Weekly(new DateOnly(2027, 3, 22), DayOfWeek.Monday, DayOfWeek.Wednesday).Occurrences(monday, monday.AddHours(1), "UTC", Far);
        Assert.Equal([monday, Utc(2027, 3, 17, 9), Utc(2027, 3, 22, 9)], slots.Select(s => s.Start));
        Assert.All(slots, s => Assert.Equal(TimeSpan.FromHours(1), s.End - s.Start));
    }

    [Fact]
    public void A_series_may_run_to_the_last_day_the_resource_may_be_booked_and_not_a_day_past()
    {
        var monday = Utc(2027, 3, 15, 9);
        var latest = Utc(2027, 4, 5, 12);
        Assert.Equal(4, Weekly(new DateOnly(2027, 4, 5), DayOfWeek.Monday).Occurrences(monday, monday.AddHours(1), "UTC", latest).Count);

        var past = Assert.Throws<DomainRuleException>(() => Weekly(new DateOnly(2027, 4, 6), DayOfWeek.Monday).Occurrences(monday, monday.AddHours(1), "UTC", latest));
        Assert.Equal(("recurrence.until", "The series runs past 2027-04-05, as far ahead as the resource may be booked."), (past.Field, past.Message));
    }

    [Fact]
    public void A_series_holds_at_most_400_bookings()
    {
        var first = Utc(2027, 3, 1, 9);
        var everyDay = Enum.GetValues<DayOfWeek>();
        var firstDay = new DateOnly(2027, 3, 1);

        Assert.Equal(400, Weekly(firstDay.AddDays(399), everyDay).Occurrences(first, first.AddHours(1), "UTC", Far).Count);
        var tooMany = Assert.Throws<DomainRuleException>(() => Weekly(firstDay.AddDays(400), everyDay).Occurrences(first, first.AddHours(1), "UTC", Far));
        Assert.Equal(("recurrence.until", "A series holds at most 400 bookings."), (tooMany.Field, tooMany.Message));
    }

    [Fact]
    public void A_series_time_the_clocks_skip_moves_to_the_first_minute_after_the_change()
    {
        // 01:30 on Sunday 28 March 2027 does not exist in London: at 01:00 GMT the clocks go to 02:00 BST.
        var sunday = Utc(2027, 3, 21, 1, 30); // 01:30 GMT
        var slots = Weekly(new DateOnly(2027, 4, 4), DayOfWeek.Sunday).Occurrences(sunday, sunday.AddHours(1), "Europe/London", Far);

        Assert.Equal([sunday, Utc(2027, 3, 28, 1), Utc(2027, 4, 4, 0, 30)], slots.Select(s => s.Start));
        Assert.Equal(TimeSpan.FromHours(1), slots[1].End - slots[1].Start);
    }

    [Fact]
    public void A_series_time_that_happens_twice_is_taken_with_the_offset_the_series_began_with()
    {
        // 01:30 on Sunday 31 October 2027 happens twice in London: first in BST (00:30 UTC), then in GMT (01:30 UTC).
        var summer = Utc(2027, 10, 24, 0, 30); // 01:30 BST
        var fromSummer = Weekly(new DateOnly(2027, 11, 7), DayOfWeek.Sunday).Occurrences(summer, summer.AddHours(1), "Europe/London", Far);
        Assert.Equal([summer, Utc(2027, 10, 31, 0, 30), Utc(2027, 11, 7, 1, 30)], fromSummer.Select(s => s.Start));

        var winter = Utc(2027, 1, 3, 1, 30); // 01:30 GMT
        var fromWinter = Weekly(new DateOnly(2027, 10, 31), DayOfWeek.Sunday).Occurrences(winter, winter.AddHours(1), "Europe/London", Far);
        Assert.Equal(Utc(2027, 10, 31, 1, 30), fromWinter[^1].Start);
    }

    [Fact]
    public void A_series_time_that_happens_twice_under_offsets_the_series_never_had_is_taken_at_its_first_happening()
    {
        // Samoa moved across the date line in December 2011 (from UTC-10 in summer to +14), and on 1 April 2012
        // left summer time: 03:30 happened at +14 and again at +13. A series begun at -10 takes the first.
        var apia = new DateTimeOffset(2011, 9, 25, 3, 30, 0, TimeSpan.FromHours(-10));
        var slots = Weekly(new DateOnly(2012, 4, 1), DayOfWeek.Sunday).Occurrences(apia, apia.AddHours(1), "Pacific/Apia", Far);

        Assert.Equal(new DateTimeOffset(2012, 4, 1, 3, 30, 0, TimeSpan.FromHours(14)), slots[^1].Start);
        Assert.Equal(Utc(2012, 1, 1, 3, 30) - TimeSpan.FromHours(14), slots[14].Start);
    }

    [Fact]
    public void A_series_first_day_is_its_day_in_the_resource_s_zone()
    {
        // 00:30 on a Monday in Tokyo is still Sunday in UTC.
        var tokyoMonday = new DateTimeOffset(2027, 3, 8, 0, 30, 0, TimeSpan.FromHours(9));
        var slots = Weekly(new DateOnly(2027, 3, 15), DayOfWeek.Monday).Occurrences(tokyoMonday, tokyoMonday.AddHours(1), "Asia/Tokyo", Far);
        Assert.Equal([Utc(2027, 3, 7, 15, 30), Utc(2027, 3, 14, 15, 30)], slots.Select(s => s.Start));
        Assert.All(slots, s => Assert.Equal(TimeSpan.Zero, s.Start.Offset));
    }

    [Fact]
    public void An_all_or_nothing_series_names_the_refused_day_in_the_resource_s_zone_and_books_nothing()
    {
        var tokyo = Pool(capacity: 1, rules: new BookingRules { TimeZone = "Asia/Tokyo" });
        var first = new DateTimeOffset(2027, 3, 8, 0, 30, 0, TimeSpan.FromHours(9));
        var taken = Book(tokyo, first.AddDays(7), first.AddDays(7).AddHours(1));

        var refused = Assert.Throws<BookingRefusedException>(() => Series.Book(tokyo, Request(first, first.AddHours(1)), Weekly(new DateOnly(2027, 3, 22), DayOfWeek.Monday),
            new Calendar([taken], []), Now, allOrNothing: true));
        Assert.Equal(BookingRefusal.Full, refused.Reason);
        Assert.StartsWith("The series cannot be booked: on 2027-03-15, A100 pool is fully booked", refused.Message);
        Assert.Null(refused.NextFree);
    }

    [Fact]
    public void Refused_occurrences_of_a_series_are_named_without_searching_for_another_slot()
    {
        var pool = Pool(capacity: 1);
        var monday = Utc(2027, 3, 15, 9);
        var taken = Book(pool, monday.AddDays(7), monday.AddDays(7).AddHours(1));
        var service = Blackout.Create(Guid.NewGuid(), pool, monday.AddDays(21), monday.AddDays(21).AddHours(4), "service");

        var outcome = Series.Book(pool, Request(monday, monday.AddHours(1)), Weekly(new DateOnly(2027, 4, 12), DayOfWeek.Monday), new Calendar([taken], [service]), Now, allOrNothing: false);

        Assert.Equal([monday, monday.AddDays(14), monday.AddDays(28)], outcome.Booked.Select(b => b.Start));
        Assert.Equal(
            [(new Slot(monday.AddDays(7), monday.AddDays(7).AddHours(1)), BookingRefusal.Full), (new Slot(monday.AddDays(21), monday.AddDays(21).AddHours(1)), BookingRefusal.Blackout)],
            outcome.Refused.Select(r => (r.Slot, r.Refusal.Reason)));
        Assert.All(outcome.Refused, r => Assert.Null(r.Refusal.NextFree));
    }

    [Fact]
    public void A_series_whose_bookings_overlap_each_other_refuses_those_its_own_earlier_bookings_hold()
    {
        var pool = Pool(capacity: 1);
        var monday = Utc(2027, 3, 15, 9);
        var everyDay = Enum.GetValues<DayOfWeek>();

        var outcome = Series.Book(pool, Request(monday, monday.AddDays(2)), Weekly(new DateOnly(2027, 3, 19), everyDay), new Calendar([], []), Now, allOrNothing: false);

        Assert.Equal([monday, monday.AddDays(2), monday.AddDays(4)], outcome.Booked.Select(b => b.Start));
        Assert.Equal([monday.AddDays(1), monday.AddDays(3)], outcome.Refused.Select(r => r.Slot.Start));
    }

    [Fact]
    public void A_series_counts_its_own_earlier_bookings_against_the_quota_of_the_month_each_falls_in()
    {
        var pool = Pool(capacity: 2);
        var monday = Utc(2027, 3, 15, 10);
        var used = new Dictionary<int, double> { [3] = 1, [4] = 0 };
        QuotaUse Monthly(DateTimeOffset start)
        {
            var month = new DateTimeOffset(start.Year, start.Month, 1, 0, 0, 0, TimeSpan.Zero);
            return new QuotaUse(9, used[start.Month], month, month.AddMonths(1));
        }

        // Each occurrence takes 2 units for 2 hours: March has 8 of 9 unit-hours left, April all 9.
        var outcome = Series.Book(pool, Request(monday, monday.AddHours(2), units: 2), Weekly(new DateOnly(2027, 4, 19), DayOfWeek.Monday), new Calendar([], []), Now,
            allOrNothing: false, quotaFor: Monthly);

        Assert.Equal([monday, monday.AddDays(7), monday.AddDays(21), monday.AddDays(28)], outcome.Booked.Select(b => b.Start));
        Assert.Equal([monday.AddDays(14), monday.AddDays(35)], outcome.Refused.Select(r => r.Slot.Start));
        Assert.All(outcome.Refused, r => Assert.Equal(BookingRefusal.Quota, r.Refusal.Reason));
        Assert.Contains("has 0 of its 9 unit-hours", outcome.Refused[0].Refusal.Message);
        Assert.Contains("has 1 of its 9 unit-hours", outcome.Refused[1].Refusal.Message);
    }
}
