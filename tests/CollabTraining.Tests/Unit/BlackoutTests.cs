using CollabTraining.Bookings;
using CollabTraining.Domain;
using static CollabTraining.Tests.Unit.BookingSamples;

namespace CollabTraining.Tests.Unit;

/// <summary>Maintenance windows and outages: what an owner may declare, what they refuse, and which bookings they cancel.</summary>
public sealed class BlackoutTests
{
    [Fact]
    public void A_blackout_needs_an_end_after_its_start_a_reason_and_a_window_not_yet_passed()
    {
        var pool = Pool();
        var passed = Assert.Throws<DomainRuleException>(() => Blackout.Create(Guid.NewGuid(), pool, Now.AddHours(-2), Now, "outage", Now));
        Assert.Equal(("end", "The window has already passed."), (passed.Field, passed.Message));
        var empty = Assert.Throws<DomainRuleException>(() => Blackout.Create(Guid.NewGuid(), pool, Ten, Ten, "outage"));
        Assert.Equal(("end", "The end must come after the start."), (empty.Field, empty.Message));
        var unexplained = Assert.Throws<DomainRuleException>(() => Blackout.Create(Guid.NewGuid(), pool, Ten, Ten.AddHours(1), "  "));
        Assert.Equal(("reason", "Say why the resource is unavailable; the people whose bookings it cancels are told."), (unexplained.Field, unexplained.Message));
        Assert.Equal("start", Assert.Throws<DomainRuleException>(() => Blackout.Create(Guid.NewGuid(), pool, Instants.Earliest.AddDays(-1), Ten, "outage")).Field);

        // An outage already under way may still be declared for what is left of it.
        var ongoing = Blackout.Create(Guid.NewGuid(), pool, Now.AddHours(-2), Now.AddTicks(1), "outage", Now);
        Assert.Equal(Now.AddTicks(1), ongoing.End);
    }

    [Fact]
    public void A_blackout_is_kept_in_utc_with_its_reason_trimmed_and_makes_a_concurrent_decision_retry()
    {
        var pool = Pool();
        var paris = TimeSpan.FromHours(1);
        var blackout = Blackout.Create(Guid.NewGuid(), pool, Ten.ToOffset(paris), Ten.AddHours(2).ToOffset(paris), "  helium refill  ");

        Assert.Equal((pool.Id, Ten, TimeSpan.Zero, Ten.AddHours(2), TimeSpan.Zero, "helium refill"),
            (blackout.ResourceId, blackout.Start, blackout.Start.Offset, blackout.End, blackout.End.Offset, blackout.Reason));
        Assert.Equal(2, pool.Version);
    }

    [Fact]
    public void Bookings_touching_a_blackout_fit_and_any_overlap_is_refused()
    {
        var pool = Pool();
        Blackout[] blackouts = [Blackout.Create(Guid.NewGuid(), pool, Ten, Ten.AddHours(2), "calibration")];

        Assert.Equal(BookingStatus.Confirmed, pool.Book(Guid.NewGuid(), Request(Ten.AddHours(-1), Ten), new Calendar([], blackouts), Now).Status);
        Assert.Equal(BookingStatus.Confirmed, pool.Book(Guid.NewGuid(), Request(Ten.AddHours(2), Ten.AddHours(3)), new Calendar([], blackouts), Now).Status);
        Assert.Equal(BookingRefusal.Blackout, Refusal(pool, Ten.AddHours(-1), Ten.AddMinutes(1), blackouts: blackouts).Reason);
        Assert.Equal(BookingRefusal.Blackout, Refusal(pool, Ten.AddMinutes(119), Ten.AddHours(3), blackouts: blackouts).Reason);
    }

    [Fact]
    public void A_refusal_names_the_earliest_blackout_over_the_slot_and_offers_the_first_slot_clear_of_all()
    {
        var pool = Pool();
        Blackout[] blackouts =
        [
            Blackout.Create(Guid.NewGuid(), pool, Ten.AddHours(3), Ten.AddHours(4), "cooling"),
            Blackout.Create(Guid.NewGuid(), pool, Ten.AddHours(1), Ten.AddHours(2), "helium"),
        ];

        var refused = Refusal(pool, Ten, Ten.AddHours(5), blackouts: blackouts);
        Assert.Equal("A100 pool is unavailable from 2027-03-01 11:00:00Z to 2027-03-01 12:00:00Z: helium.", refused.Message);
        Assert.Equal(new Slot(Ten.AddHours(4), Ten.AddHours(9)), refused.NextFree);
    }

    [Fact]
    public void A_blackout_cancels_the_bookings_it_covers_that_have_not_started_and_leaves_every_other()
    {
        var pool = Pool(capacity: 10, rules: new BookingRules { ApprovalRequired = true });
        var other = Pool(capacity: 10);
        Booking Approved(DateTimeOffset start, DateTimeOffset end)
        {
            var booking = Book(pool, start, end);
            booking.Approve();
            return booking;
        }

        var confirmed = Approved(Ten.AddHours(1), Ten.AddHours(2));
        var waiting = Book(pool, Ten.AddHours(3), Ten.AddHours(5));
        var held = pool.Hold(Guid.NewGuid(), Request(Ten, Ten.AddHours(2)), new Calendar([], []), Now, TimeSpan.FromMinutes(10));
        var endingAsItStarts = Approved(Ten.AddHours(-1), Ten);
        var startingNow = Approved(Now, Now.AddHours(4));
        var checkedIn = Approved(Now.AddMinutes(10), Ten.AddHours(3));
        checkedIn.CheckIn(Now);
        var rejected = Book(pool, Ten, Ten.AddHours(1));
        rejected.Reject("exam");
        var elsewhere = Book(other, Ten, Ten.AddHours(1));
        var blackout = Blackout.Create(Guid.NewGuid(), pool, Ten, Ten.AddHours(4), "helium refill", Now);

        var cancelled = blackout.CancelBookingsUnder(pool, [confirmed, waiting, held, endingAsItStarts, startingNow, checkedIn, rejected, elsewhere], Now);

        Assert.Equal([confirmed.Id, waiting.Id, held.Id], cancelled.Select(b => b.Id));
        Assert.All(cancelled, b => Assert.Equal((BookingStatus.Cancelled, "A100 pool is unavailable from 2027-03-01 10:00:00Z to 2027-03-01 14:00:00Z: helium refill"), (b.Status, b.Reason)));
        Assert.Equal(
            [BookingStatus.Confirmed, BookingStatus.Confirmed, BookingStatus.CheckedIn, BookingStatus.Rejected, BookingStatus.Confirmed],
            new[] { endingAsItStarts, startingNow, checkedIn, rejected, elsewhere }.Select(b => b.Status));
    }
}
