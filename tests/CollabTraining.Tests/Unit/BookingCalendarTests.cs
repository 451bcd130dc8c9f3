using CollabTraining.Bookings;
using static CollabTraining.Tests.Unit.BookingSamples;

namespace CollabTraining.Tests.Unit;

/// <summary>A resource's calendar around a slot: what it can decide, what takes units, and where the next free slot is looked for.</summary>
public sealed class BookingCalendarTests
{
    [Fact]
    public void A_calendar_read_for_a_window_decides_a_slot_filling_it_exactly_and_nothing_reaching_past_it()
    {
        var window = new Slot(Ten, Ten.AddHours(3));
        var calendar = new Calendar([], [], window);

        Assert.True(calendar.CanDecide(Ten, Ten.AddHours(3)));
        Assert.False(calendar.CanDecide(Ten.AddTicks(-1), Ten.AddHours(1)));
        Assert.False(calendar.CanDecide(Ten.AddHours(2), Ten.AddHours(3).AddTicks(1)));
        Assert.True(new Calendar([], []).CanDecide(Instants.Earliest, Instants.Latest));

        var pool = Pool();
        Assert.Equal(Ten, pool.Book(Guid.NewGuid(), Request(Ten, Ten.AddHours(3)), calendar, Now).Start);
        var outside = Assert.Throws<InvalidOperationException>(() => pool.Book(Guid.NewGuid(), Request(Ten.AddHours(2), Ten.AddHours(4)), calendar, Now));
        Assert.Contains("cannot decide [2027-03-01 12:00:00Z, 2027-03-01 14:00:00Z)", outside.Message);
    }

    [Fact]
    public void Cancelled_rejected_and_lapsed_bookings_handed_to_a_calendar_take_no_units()
    {
        var pool = Pool(capacity: 1, rules: new BookingRules { ApprovalRequired = true });
        var cancelled = Book(pool, Ten, Ten.AddHours(1));
        cancelled.Cancel("changed plans", Now);
        var rejected = Book(pool, Ten, Ten.AddHours(1));
        rejected.Reject("exam");
        var lapsed = pool.Hold(Guid.NewGuid(), Request(Ten, Ten.AddHours(1)), new Calendar([], []), Now, TimeSpan.FromMinutes(5));
        lapsed.ExpireIfDue(Now.AddMinutes(5));

        var calendar = new Calendar([cancelled, rejected, lapsed], []);
        Assert.Equal(1, calendar.FreeUnits(1, Ten, Ten.AddHours(1), TimeSpan.Zero));
        Assert.Empty(calendar.FreeingPoints(Now, TimeSpan.Zero));
    }

    [Fact]
    public void Units_come_free_at_each_booking_s_end_plus_the_buffer_and_at_each_blackout_s_end_from_the_asked_start_on()
    {
        var pool = Pool(capacity: 4);
        var early = Book(pool, Ten, Ten.AddHours(1));
        var late = Book(pool, Ten, Ten.AddHours(2));
        var leftEarly = Book(pool, Ten, Ten.AddHours(3));
        leftEarly.CheckIn(Ten);
        leftEarly.CheckOut(Ten.AddMinutes(30));
        var service = Blackout.Create(Guid.NewGuid(), pool, Ten.AddHours(4), Ten.AddHours(5), "service");
        var calendar = new Calendar([early, late, leftEarly], [service]);

        Assert.Equal(
            [Ten.AddMinutes(90), Ten.AddMinutes(150), Ten.AddHours(5)],
            calendar.FreeingPoints(Ten.AddMinutes(90), TimeSpan.FromMinutes(30)).Order());
    }

    [Fact]
    public void A_series_occurrence_just_booked_counts_for_the_next_decision_on_the_same_calendar()
    {
        var pool = Pool(capacity: 1);
        var calendar = new Calendar([], []);
        pool.Book(Guid.NewGuid(), Request(Ten, Ten.AddHours(1)), calendar, Now);

        var refused = Assert.Throws<BookingRefusedException>(() => pool.Book(Guid.NewGuid(), Request(Ten, Ten.AddHours(1)), calendar, Now));
        Assert.Equal((BookingRefusal.Full, new Slot(Ten.AddHours(1), Ten.AddHours(2))), (refused.Reason, refused.NextFree));
    }

    [Fact]
    public void A_refusal_offers_the_earliest_later_slot_where_every_asked_unit_is_free()
    {
        var pool = Pool(capacity: 3);
        var calendar = new List<Booking> { Book(pool, Ten, Ten.AddHours(3), units: 2) };
        calendar.Add(Book(pool, Ten, Ten.AddHours(1), calendar: calendar));
        calendar.Add(Book(pool, Ten.AddHours(2), Ten.AddHours(4), calendar: calendar));

        // One unit is free from 11:00 to 12:00 but two are asked for; two are free only from 13:00, when the long booking ends.
        var refused = Refusal(pool, Ten, Ten.AddHours(1), units: 2, calendar: calendar);
        Assert.Equal(new Slot(Ten.AddHours(3), Ten.AddHours(4)), refused.NextFree);
        Assert.Equal(new Slot(Ten.AddHours(1), Ten.AddHours(2)), Refusal(pool, Ten, Ten.AddHours(1), calendar: calendar).NextFree);
    }

    [Fact]
    public void The_next_free_slot_is_the_asked_one_when_it_is_free_exactly_at_the_notice()
    {
        var pool = Pool(capacity: 1, rules: new BookingRules { MinimumNotice = TimeSpan.FromHours(1) });
        var calendar = new Calendar([], []);

        Assert.Equal(new Slot(Now.AddHours(1), Now.AddHours(2)), pool.NextFree(Request(Now.AddHours(1), Now.AddHours(2)), calendar, Now));

        // Asked a moment too soon and nothing comes free later: no slot the notice would refuse is offered.
        Assert.Null(pool.NextFree(Request(Now.AddMinutes(30), Now.AddMinutes(90)), calendar, Now));
    }

    [Fact]
    public void A_refusal_offers_a_slot_starting_exactly_at_the_horizon_and_none_beyond_it()
    {
        var pool = Pool(capacity: 1, rules: new BookingRules { MaximumAdvance = TimeSpan.FromDays(1) });
        var untilHorizon = Book(pool, Now.AddHours(20), Now.AddHours(24));
        Assert.Equal(new Slot(Now.AddHours(24), Now.AddHours(25)), Refusal(pool, Now.AddHours(20), Now.AddHours(21), calendar: [untilHorizon]).NextFree);

        var pastHorizon = Book(pool, Now.AddHours(20), Now.AddHours(25));
        Assert.Null(Refusal(pool, Now.AddHours(20), Now.AddHours(21), calendar: [pastHorizon]).NextFree);
    }

    [Fact]
    public void The_busiest_instant_counts_units_ending_and_starting_together_once()
    {
        var at = Ten;
        Assert.Equal(3, Calendar.PeakUnits([(at, at.AddHours(1), 3), (at.AddHours(1), at.AddHours(2), 2)], at, at.AddHours(2)));
        Assert.Equal(5, Calendar.PeakUnits([(at, at.AddHours(1), 3), (at.AddMinutes(30), at.AddHours(2), 2)], at, at.AddHours(2)));
        Assert.Equal(2, Calendar.PeakUnits([(at, at.AddHours(1), 3), (at.AddMinutes(30), at.AddHours(2), 2)], at.AddHours(1), at.AddHours(3)));
        Assert.Equal(0, Calendar.PeakUnits([(at, at.AddHours(1), 3)], at.AddHours(2), at.AddHours(3)));
    }
}
