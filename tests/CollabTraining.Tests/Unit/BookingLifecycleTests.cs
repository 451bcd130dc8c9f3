using CollabTraining.Bookings;
using CollabTraining.Domain;
using static CollabTraining.Tests.Unit.BookingSamples;

namespace CollabTraining.Tests.Unit;

/// <summary>
/// A booking's life after the decision: approval, holds, cancellation, check-in and out, no-shows, and which of
/// its states keep the units from the next booker.
/// </summary>
public sealed class BookingLifecycleTests
{
    private static readonly BookingRules Approval = new() { ApprovalRequired = true };

    [Fact]
    public void An_owner_approves_a_waiting_booking_once()
    {
        var waiting = Book(Pool(rules: Approval), Ten, Ten.AddHours(1));
        waiting.Approve();

        Assert.Equal((BookingStatus.Confirmed, 2L), (waiting.Status, waiting.Version));
        var again = Assert.Throws<DomainRuleException>(waiting.Approve);
        Assert.Equal((RuleMeaning.Conflict, "A booking that is confirmed cannot be approved."), (again.Meaning, again.Message));
    }

    [Fact]
    public void A_rejection_keeps_its_reason_up_to_500_characters()
    {
        var pool = Pool(capacity: 2, rules: Approval);
        var fits = Book(pool, Ten, Ten.AddHours(1));
        var exact = new string('r', 500);
        fits.Reject(exact);
        Assert.Equal((BookingStatus.Rejected, exact, 2L), (fits.Status, fits.Reason, fits.Version));

        var tooLong = Book(pool, Ten, Ten.AddHours(1));
        tooLong.Reject(new string('r', 499) + "xyz");
        Assert.Equal(new string('r', 499) + "…", tooLong.Reason);

        var confirmed = Book(Pool(), Ten, Ten.AddHours(1));
        Assert.Equal("A booking that is confirmed cannot be rejected.", Assert.Throws<DomainRuleException>(() => confirmed.Reject("no")).Message);
    }

    [Fact]
    public void A_confirmed_hold_waits_for_approval_when_the_owner_approves_bookings()
    {
        var hold = Pool(rules: Approval).Hold(Guid.NewGuid(), Request(Ten, Ten.AddHours(1)), new Calendar([], []), Now, TimeSpan.FromMinutes(10));
        Assert.Equal("A booking that is held cannot be approved.", Assert.Throws<DomainRuleException>(hold.Approve).Message);
        hold.ConfirmHold(Approval, Now.AddMinutes(9));

        Assert.Equal((BookingStatus.PendingApproval, (DateTimeOffset?)null, 2L), (hold.Status, hold.HoldExpiresAt, hold.Version));
        Assert.Equal("A booking that is waiting for approval cannot be confirmed.", Assert.Throws<DomainRuleException>(() => hold.ConfirmHold(Approval, Now.AddMinutes(9))).Message);
    }

    [Fact]
    public void A_hold_cannot_be_confirmed_once_it_has_lapsed_or_its_slot_has_started()
    {
        var pool = Pool(capacity: 2);
        var lapsing = pool.Hold(Guid.NewGuid(), Request(Ten, Ten.AddHours(1)), new Calendar([], []), Now, TimeSpan.FromMinutes(10));
        var lapsed = Assert.Throws<DomainRuleException>(() => lapsing.ConfirmHold(pool.Rules, Now.AddMinutes(10)));
        Assert.Equal("The hold lapsed at 2027-03-01 08:10:00Z; book again.", lapsed.Message);
        Assert.Equal(BookingStatus.Held, lapsing.Status);

        // A hold asked for longer than the wait for its slot lapses at the start; confirming then is too late either way, and says the slot has started.
        var untilStart = pool.Hold(Guid.NewGuid(), Request(Ten, Ten.AddHours(1)), new Calendar([], []), Now, TimeSpan.FromHours(6));
        Assert.Equal("The held slot has started; book again.", Assert.Throws<DomainRuleException>(() => untilStart.ConfirmHold(pool.Rules, Ten)).Message);
    }

    [Fact]
    public void A_lapsing_hold_says_why_and_anything_but_a_hold_never_lapses()
    {
        var pool = Pool(capacity: 2);
        var hold = pool.Hold(Guid.NewGuid(), Request(Ten, Ten.AddHours(1)), new Calendar([], []), Now, TimeSpan.FromMinutes(10));
        Assert.True(hold.ExpireIfDue(Now.AddMinutes(10)));
        Assert.Equal((BookingStatus.Expired, "The hold was not confirmed in time.", 2L, false), (hold.Status, hold.Reason, hold.Version, hold.HoldsCapacity));
        Assert.False(hold.ExpireIfDue(Now.AddMinutes(11)));
        Assert.Equal(2L, hold.Version);

        var booking = Book(pool, Ten, Ten.AddHours(1));
        Assert.False(booking.ExpireIfDue(Ten.AddDays(1)));
        Assert.Equal(BookingStatus.Confirmed, booking.Status);
    }

    [Fact]
    public void A_booking_is_cancelled_until_its_start_with_the_reason_kept()
    {
        var pool = Pool(capacity: 3, rules: Approval);
        var waiting = Book(pool, Ten, Ten.AddHours(1));
        waiting.Cancel("plans changed", Ten.AddTicks(-1));
        Assert.Equal((BookingStatus.Cancelled, "plans changed", 2L, false), (waiting.Status, waiting.Reason, waiting.Version, waiting.HoldsCapacity));

        var hold = pool.Hold(Guid.NewGuid(), Request(Ten, Ten.AddHours(1)), new Calendar([], []), Now, TimeSpan.FromMinutes(10));
        hold.Cancel(new string('x', 600), Now);
        Assert.Equal((BookingStatus.Cancelled, 500), (hold.Status, hold.Reason!.Length));

        var started = Book(pool, Ten, Ten.AddHours(1));
        var late = Assert.Throws<DomainRuleException>(() => started.Cancel("late", Ten));
        Assert.Equal((RuleMeaning.Conflict, "The booking has started; check in and out (or let it be released) instead of cancelling it."), (late.Meaning, late.Message));
        Assert.Equal(BookingStatus.PendingApproval, started.Status);
    }

    [Fact]
    public void A_booking_that_is_over_or_refused_cannot_be_cancelled_and_says_what_it_is()
    {
        var rules = new BookingRules { ApprovalRequired = true, CheckInRequired = true };
        var pool = Pool(capacity: 4, rules: rules);
        var checkedIn = Book(pool, Ten, Ten.AddHours(2));
        checkedIn.Approve();
        checkedIn.CheckIn(Ten);
        var noShow = Book(pool, Ten, Ten.AddHours(2));
        noShow.Approve();
        noShow.ReleaseIfNoShow(rules, Ten.AddHours(1));
        var rejected = Book(pool, Ten, Ten.AddHours(2));
        rejected.Reject("exam");

        Assert.Equal("A booking that is checked in cannot be cancelled.", Assert.Throws<DomainRuleException>(() => checkedIn.Cancel("x", Now)).Message);
        Assert.Equal("A booking that is released as a no-show cannot be cancelled.", Assert.Throws<DomainRuleException>(() => noShow.Cancel("x", Now)).Message);
        Assert.Equal("A booking that is rejected cannot be cancelled.", Assert.Throws<DomainRuleException>(() => rejected.Cancel("x", Now)).Message);
        checkedIn.CheckOut(Ten.AddHours(1));
        Assert.Equal("A booking that is completed cannot be cancelled.", Assert.Throws<DomainRuleException>(() => checkedIn.Cancel("x", Now)).Message);
    }

    [Fact]
    public void Check_in_opens_a_quarter_of_an_hour_before_the_start_and_closes_at_the_end()
    {
        var pool = Pool(capacity: 4);
        var tooEarly = Book(pool, Ten, Ten.AddHours(1));
        var closed = Assert.Throws<DomainRuleException>(() => tooEarly.CheckIn(Ten.AddMinutes(-15).AddTicks(-1)));
        Assert.Equal((RuleMeaning.Conflict, "Check in from a quarter of an hour before the start until the end."), (closed.Meaning, closed.Message));
        Assert.Equal(RuleMeaning.Conflict, Assert.Throws<DomainRuleException>(() => tooEarly.CheckIn(Ten.AddHours(1))).Meaning);
        Assert.Equal(BookingStatus.Confirmed, tooEarly.Status);

        var early = Book(pool, Ten, Ten.AddHours(1));
        early.CheckIn(Ten.AddMinutes(-15));
        Assert.Equal((BookingStatus.CheckedIn, (DateTimeOffset?)Ten, 2L), (early.Status, early.CheckedInAt, early.Version));

        var late = Book(pool, Ten, Ten.AddHours(1));
        late.CheckIn(Ten.AddHours(1).AddTicks(-1));
        Assert.Equal(Ten.AddHours(1).AddTicks(-1), late.CheckedInAt);

        var waiting = Book(Pool(rules: Approval), Ten, Ten.AddHours(1));
        Assert.Equal("A booking that is waiting for approval cannot be checked in.", Assert.Throws<DomainRuleException>(() => waiting.CheckIn(Ten)).Message);
    }

    [Fact]
    public void The_hours_used_run_from_check_in_to_check_out_capped_at_the_booked_end()
    {
        var pool = Pool(capacity: 4);
        var overrun = Book(pool, Ten, Ten.AddHours(2), units: 3);
        Assert.Equal(6, overrun.BookedUnitHours, precision: 6);
        overrun.CheckIn(Ten.AddMinutes(30));
        Assert.Equal(0, overrun.UsedUnitHours);
        overrun.CheckOut(Ten.AddHours(5));
        Assert.Equal((BookingStatus.Completed, (DateTimeOffset?)Ten.AddHours(2), 3L), (overrun.Status, overrun.CheckedOutAt, overrun.Version));
        Assert.Equal(4.5, overrun.UsedUnitHours, precision: 6);

        // Checked in early (counted from the start) and out again before the start: nothing was used.
        var changedMind = Book(pool, Ten, Ten.AddHours(2));
        changedMind.CheckIn(Ten.AddMinutes(-10));
        changedMind.CheckOut(Ten.AddMinutes(-5));
        Assert.Equal(0, changedMind.UsedUnitHours);

        Assert.Equal("A booking that is completed cannot be checked out.", Assert.Throws<DomainRuleException>(() => overrun.CheckOut(Ten.AddHours(6))).Message);
    }

    [Fact]
    public void Only_a_confirmed_booking_nobody_checked_in_for_is_released_and_only_where_check_in_is_required()
    {
        var rules = new BookingRules { CheckInRequired = true, AutoReleaseAfter = TimeSpan.FromMinutes(20) };
        var pool = Pool(capacity: 4, rules: rules);

        var relaxed = Book(pool, Ten, Ten.AddHours(1));
        Assert.False(relaxed.ReleaseIfNoShow(rules with { CheckInRequired = false }, Ten.AddHours(1)));
        Assert.Equal(BookingStatus.Confirmed, relaxed.Status);

        var arrived = Book(pool, Ten, Ten.AddHours(1));
        arrived.CheckIn(Ten.AddMinutes(5));
        Assert.False(arrived.ReleaseIfNoShow(rules, Ten.AddMinutes(30)));
        Assert.Equal(BookingStatus.CheckedIn, arrived.Status);

        var missed = Book(pool, Ten, Ten.AddHours(1));
        Assert.True(missed.ReleaseIfNoShow(rules, Ten.AddMinutes(20)));
        Assert.Equal((BookingStatus.NoShow, "Nobody checked in within 20 minutes of the start.", 2L), (missed.Status, missed.Reason, missed.Version));
    }

    [Fact]
    public void Waiting_held_confirmed_and_checked_in_bookings_keep_their_units_and_a_completed_one_until_its_check_out()
    {
        var pool = Pool(capacity: 4, rules: new BookingRules { ApprovalRequired = true });
        var waiting = Book(pool, Ten, Ten.AddHours(2));
        var confirmed = Book(pool, Ten, Ten.AddHours(2));
        confirmed.Approve();
        var hold = pool.Hold(Guid.NewGuid(), Request(Ten, Ten.AddHours(2)), new Calendar([], []), Now, TimeSpan.FromMinutes(5));
        var completed = Book(pool, Ten, Ten.AddHours(2));
        completed.Approve();
        completed.CheckIn(Ten);
        Assert.Equal((true, (DateTimeOffset?)Ten.AddHours(2)), (completed.HoldsCapacity, completed.TakesUnitsUntil));
        completed.CheckOut(Ten.AddHours(1));

        Assert.All(new[] { waiting, confirmed, hold }, b => Assert.Equal((true, (DateTimeOffset?)Ten.AddHours(2)), (b.HoldsCapacity, b.TakesUnitsUntil)));
        Assert.Equal((false, (DateTimeOffset?)Ten.AddHours(1)), (completed.HoldsCapacity, completed.TakesUnitsUntil));
        hold.Cancel("no", Now);
        Assert.Equal((false, (DateTimeOffset?)null), (hold.HoldsCapacity, hold.TakesUnitsUntil));
    }

    [Fact]
    public void A_refusal_names_its_reason_in_camel_case_and_its_next_free_slot_when_there_is_one()
    {
        var next = new Slot(Ten, Ten.AddHours(1));
        var full = new BookingRefusedException(BookingRefusal.Full, "full", next);
        Assert.Equal(RuleMeaning.Conflict, full.Meaning);
        Assert.Equal("full", full.Details["reason"]);
        var slot = Assert.IsType<Dictionary<string, object>>(full.Details["nextFree"]);
        Assert.Equal((Ten, Ten.AddHours(1)), ((DateTimeOffset)slot["start"], (DateTimeOffset)slot["end"]));

        var rule = new BookingRefusedException(BookingRefusal.Qualification, "needs mri-safety");
        Assert.Equal(new[] { "reason" }, rule.Details.Keys);
        Assert.Equal("qualification", rule.Details["reason"]);
    }
}
