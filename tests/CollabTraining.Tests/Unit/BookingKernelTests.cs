using CollabTraining.Bookings;
using CollabTraining.Domain;

namespace CollabTraining.Tests.Unit;

/// <summary>The booking kernel's decisions: half-open intervals, units, buffers, blackouts, rules and bad input.</summary>
public sealed class BookingKernelTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Ten = Now.AddHours(2);
    private static readonly Guid Enterprise = Guid.NewGuid();
    private static readonly Booker Student = new(Guid.NewGuid(), "Ada Student", Guid.NewGuid(), "school", new HashSet<string>());

    [Fact]
    public void A_booking_ending_when_the_next_starts_does_not_overlap_it()
    {
        var scanner = Scanner(capacity: 1);
        var calendar = new List<Booking> { Book(scanner, [], Ten, Ten.AddHours(1)) };

        var next = Book(scanner, calendar, Ten.AddHours(1), Ten.AddHours(2));
        var before = Book(scanner, calendar, Ten.AddHours(-1), Ten);

        Assert.Equal(BookingStatus.Confirmed, next.Status);
        Assert.Equal(BookingStatus.Confirmed, before.Status);
        var overlapping = Assert.Throws<BookingRefusedException>(() => Book(scanner, calendar, Ten.AddMinutes(59), Ten.AddHours(2)));
        Assert.Equal(BookingRefusal.Full, overlapping.Reason);
    }

    [Fact]
    public void Units_of_overlapping_bookings_never_exceed_capacity_and_a_refusal_offers_the_next_slot_that_fits()
    {
        var pool = Scanner(capacity: 4);
        var calendar = new List<Booking>
        {
            Book(pool, [], Ten, Ten.AddHours(2), units: 2),
        };
        calendar.Add(Book(pool, calendar, Ten.AddHours(1), Ten.AddHours(3), units: 2));

        var refused = Assert.Throws<BookingRefusedException>(() => Book(pool, calendar, Ten.AddHours(1), Ten.AddHours(2), units: 1));
        Assert.Equal(BookingRefusal.Full, refused.Reason);
        Assert.Contains("fully booked", refused.Message);
        Assert.Equal(new Slot(Ten.AddHours(2), Ten.AddHours(3)), refused.NextFree);

        var three = Assert.Throws<BookingRefusedException>(() => Book(pool, calendar, Ten.AddHours(2), Ten.AddHours(3), units: 3));
        Assert.Contains("2 of 4 units free", three.Message);
        Assert.Equal(new Slot(Ten.AddHours(3), Ten.AddHours(4)), three.NextFree);
        Assert.Equal(BookingStatus.Confirmed, Book(pool, calendar, Ten.AddHours(2), Ten.AddHours(3), units: 2).Status);
    }

    [Fact]
    public void A_buffer_keeps_a_unit_free_after_each_booking()
    {
        var microscope = Scanner(capacity: 1, rules: new BookingRules { Buffer = TimeSpan.FromMinutes(30) });
        var calendar = new List<Booking> { Book(microscope, [], Ten, Ten.AddHours(1)) };

        var tooSoon = Assert.Throws<BookingRefusedException>(() => Book(microscope, calendar, Ten.AddHours(1), Ten.AddHours(2)));
        Assert.Equal(new Slot(Ten.AddMinutes(90), Ten.AddMinutes(150)), tooSoon.NextFree);
        var justBefore = Assert.Throws<BookingRefusedException>(() => Book(microscope, calendar, Ten.AddMinutes(-60), Ten.AddMinutes(-15)));
        Assert.Equal(BookingRefusal.Full, justBefore.Reason);

        Assert.Equal(BookingStatus.Confirmed, Book(microscope, calendar, Ten.AddMinutes(90), Ten.AddMinutes(150)).Status);
        Assert.Equal(BookingStatus.Confirmed, Book(microscope, calendar, Ten.AddMinutes(-90), Ten.AddMinutes(-30)).Status);
    }

    [Fact]
    public void A_blackout_refuses_the_slots_it_covers_and_names_itself()
    {
        var scanner = Scanner(capacity: 2);
        var blackout = Blackout.Create(Guid.NewGuid(), scanner, Ten, Ten.AddHours(4), "helium refill");

        var refused = Assert.Throws<BookingRefusedException>(() =>
            scanner.Book(Guid.NewGuid(), new BookingRequest(Student, Ten.AddHours(3), Ten.AddHours(5), 1), new Calendar([], [blackout]), Now));
        Assert.Equal(BookingRefusal.Blackout, refused.Reason);
        Assert.Contains("helium refill", refused.Message);
        Assert.Equal(new Slot(Ten.AddHours(4), Ten.AddHours(6)), refused.NextFree);
        Assert.Equal(BookingStatus.Confirmed, scanner.Book(Guid.NewGuid(), new BookingRequest(Student, Ten.AddHours(4), Ten.AddHours(5), 2), new Calendar([], [blackout]), Now).Status);
    }

    [Theory]
    [InlineData(10, "at least 15 minutes")]
    [InlineData(60 * 24 * 8, "at most 7 days")]
    public void Durations_outside_the_rules_are_refused_naming_the_rule(int minutes, string expected)
    {
        var refused = Assert.Throws<BookingRefusedException>(() => Book(Scanner(1), [], Ten, Ten.AddMinutes(minutes)));
        Assert.Equal(BookingRefusal.Rule, refused.Reason);
        Assert.Contains(expected, refused.Message);
    }

    [Fact]
    public void Notice_and_how_far_ahead_are_rules_too()
    {
        var rules = new BookingRules { MinimumNotice = TimeSpan.FromHours(24), MaximumAdvance = TimeSpan.FromDays(30) };
        var late = Assert.Throws<BookingRefusedException>(() => Book(Scanner(1, rules), [], Ten, Ten.AddHours(1)));
        Assert.Contains("at least 1 day ahead", late.Message);
        var early = Assert.Throws<BookingRefusedException>(() => Book(Scanner(1, rules), [], Now.AddDays(31), Now.AddDays(31).AddHours(1)));
        Assert.Contains("at most 30 days ahead", early.Message);
    }

    public static TheoryData<string, int, int, int, string> BadInput => new()
    {
        { "end before start", 60, 30, 1, "end" },
        { "end equal to start", 60, 60, 1, "end" },
        { "zero units", 0, 60, 0, "units" },
        { "negative units", 0, 60, -2, "units" },
        { "more units than the pool has", 0, 60, 5, "units" },
        { "a start in the past", -180, -60, 1, "start" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public void Bad_input_is_invalid_naming_the_field_and_books_nothing(string why, int startMinutes, int endMinutes, int units, string field)
    {
        var pool = Scanner(capacity: 4);
        var version = pool.Version;
        var error = Assert.Throws<DomainRuleException>(() => Book(pool, [], Ten.AddMinutes(startMinutes), Ten.AddMinutes(endMinutes), units));
        Assert.True(error.Meaning == RuleMeaning.Invalid && error.Field == field, $"{why}: {error.Meaning} on {error.Field}");
        Assert.Equal(version, pool.Version);
    }

    [Fact]
    public void A_required_qualification_is_named_when_the_booker_lacks_it_and_organisations_not_served_are_forbidden()
    {
        var mri = Resource.Create(Guid.NewGuid(), Enterprise, ResourceKind.Equipment, "3T MRI", 1, new BookingRules(), requiredQualifications: ["mri-safety"], allowedOrganisationKinds: ["school", "institute"]);

        var unqualified = Assert.Throws<BookingRefusedException>(() => mri.Book(Guid.NewGuid(), new BookingRequest(Student, Ten, Ten.AddHours(1), 1), new Calendar([], []), Now));
        Assert.Equal(BookingRefusal.Qualification, unqualified.Reason);
        Assert.Contains("mri-safety", unqualified.Message);

        var qualified = Student with { Qualifications = new HashSet<string> { "mri-safety" } };
        Assert.Equal(BookingStatus.Confirmed, mri.Book(Guid.NewGuid(), new BookingRequest(qualified, Ten, Ten.AddHours(1), 1), new Calendar([], []), Now).Status);

        var hospital = qualified with { OrganisationKind = "hospital" };
        var forbidden = Assert.Throws<DomainRuleException>(() => mri.Book(Guid.NewGuid(), new BookingRequest(hospital, Ten, Ten.AddHours(1), 1), new Calendar([], []), Now));
        Assert.Equal(RuleMeaning.Forbidden, forbidden.Meaning);
    }

    [Fact]
    public void Approval_keeps_the_units_while_waiting_and_frees_them_when_rejected_or_cancelled()
    {
        var simulator = Scanner(1, new BookingRules { ApprovalRequired = true });
        var waiting = Book(simulator, [], Ten, Ten.AddHours(1));
        Assert.Equal(BookingStatus.PendingApproval, waiting.Status);
        Assert.Throws<BookingRefusedException>(() => Book(simulator, [waiting], Ten, Ten.AddHours(1)));

        waiting.Reject("Simulator reserved for the exam.");
        Assert.Equal(BookingStatus.PendingApproval, Book(simulator, [waiting], Ten, Ten.AddHours(1)).Status);
        Assert.Throws<DomainRuleException>(() => waiting.Cancel("too late", Now));
    }

    [Fact]
    public void Check_in_and_out_record_the_unit_hours_used_and_a_missed_check_in_is_a_no_show()
    {
        var rules = new BookingRules { CheckInRequired = true, AutoReleaseAfter = TimeSpan.FromMinutes(20) };
        var pool = Scanner(4, rules);
        var used = Book(pool, [], Ten, Ten.AddHours(3), units: 2);
        used.CheckIn(Ten.AddMinutes(-10));
        used.CheckOut(Ten.AddHours(2));
        Assert.Equal(4, used.UsedUnitHours, precision: 6);

        var missed = Book(pool, [], Ten, Ten.AddHours(3), units: 1);
        Assert.False(missed.ReleaseIfNoShow(rules, Ten.AddMinutes(19)));
        Assert.True(missed.ReleaseIfNoShow(rules, Ten.AddMinutes(20)));
        Assert.Equal(BookingStatus.NoShow, missed.Status);
        Assert.False(missed.HoldsCapacity);
    }

    [Fact]
    public void On_random_booking_sequences_the_kernel_agrees_with_a_minute_by_minute_timeline()
    {
        var random = new Random(20271);
        var (accepts, refusals) = (0, 0);
        for (var round = 0; round < 60; round++)
        {
            var capacity = random.Next(1, 5);
            var buffer = TimeSpan.FromMinutes(15 * random.Next(0, 3));
            var resource = Scanner(capacity, new BookingRules { Buffer = buffer, MaximumDuration = TimeSpan.FromHours(8) });
            var blackouts = random.Next(3) == 0 ? new List<Blackout> { Blackout.Create(Guid.NewGuid(), resource, Ten.AddHours(random.Next(0, 40)), Ten.AddHours(random.Next(41, 48)), "service") } : [];
            var accepted = new List<Booking>();
            for (var i = 0; i < 40; i++)
            {
                var start = Ten.AddMinutes(15 * random.Next(0, 4 * 44));
                var end = start.AddMinutes(15 * random.Next(1, 4 * 4));
                var units = random.Next(1, capacity + 1);
                var expected = Timeline.Fits(accepted, blackouts, capacity, buffer, start, end, units);
                try
                {
                    accepted.Add(resource.Book(Guid.NewGuid(), new BookingRequest(Student, start, end, units), new Calendar(accepted, blackouts), Now));
                    Assert.True(expected, $"round {round}: the kernel accepted {units} over [{start:t}, {end:t}) that the timeline refuses");
                    accepts++;
                }
                catch (BookingRefusedException refused)
                {
                    Assert.False(expected, $"round {round}: the kernel refused ({refused.Message}) what the timeline accepts");
                    refusals++;
                    if (refused.NextFree is { } slot)
                    {
                        Assert.True(Timeline.Fits(accepted, blackouts, capacity, buffer, slot.Start, slot.End, units), "the offered slot does not fit");
                        Assert.True(slot.Start >= start);
                    }
                }

                if (accepted.Count > 0 && random.Next(6) == 0)
                {
                    accepted[random.Next(accepted.Count)].Cancel("changed plans", Now);
                    accepted.RemoveAll(b => !b.HoldsCapacity);
                }
            }

            // The invariant itself, minute by minute: units in use never exceed capacity.
            Assert.True(Timeline.PeakUse(accepted, buffer, Ten.AddDays(-1), Ten.AddDays(3)) <= capacity);
        }

        // Both outcomes were exercised, many times.
        Assert.True(accepts > 200 && refusals > 200, $"{accepts} accepted, {refusals} refused");
    }

    [Fact]
    public void A_hold_takes_its_units_until_confirmed_released_or_lapsed()
    {
        var pool = Scanner(2);
        var calendar = new List<Booking>();
        var hold = pool.Hold(Guid.NewGuid(), new BookingRequest(Student, Ten, Ten.AddHours(1), 2), new Calendar(calendar, []), Now, TimeSpan.FromMinutes(10));
        calendar.Add(hold);
        Assert.Equal((BookingStatus.Held, Now.AddMinutes(10)), (hold.Status, hold.HoldExpiresAt));
        Assert.Equal(BookingRefusal.Full, Assert.Throws<BookingRefusedException>(() => Book(pool, calendar, Ten, Ten.AddHours(1))).Reason);

        Assert.False(hold.ExpireIfDue(Now.AddMinutes(9)));
        Assert.True(hold.ExpireIfDue(Now.AddMinutes(10)));
        Assert.Equal(BookingStatus.Expired, hold.Status);
        Assert.Throws<DomainRuleException>(() => hold.ConfirmHold(pool.Rules, Now.AddMinutes(11)));
        Assert.Equal(BookingStatus.Confirmed, Book(pool, calendar, Ten, Ten.AddHours(1), units: 2).Status);

        var second = pool.Hold(Guid.NewGuid(), new BookingRequest(Student, Ten.AddHours(2), Ten.AddHours(3), 1), new Calendar([], []), Now, TimeSpan.FromMinutes(10));
        second.ConfirmHold(pool.Rules, Now.AddMinutes(5));
        Assert.Equal((BookingStatus.Confirmed, (DateTimeOffset?)null), (second.Status, second.HoldExpiresAt));
    }

    [Fact]
    public void A_booking_beyond_the_organisations_quota_is_refused_naming_what_remains()
    {
        var pool = Scanner(4);
        var march = new QuotaUse(UnitHours: 20, UsedUnitHours: 14, new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 4, 1, 0, 0, 0, TimeSpan.Zero));

        var refused = Assert.Throws<BookingRefusedException>(() =>
            pool.Book(Guid.NewGuid(), new BookingRequest(Student, Ten, Ten.AddHours(2), 4), new Calendar([], []), Now, march));
        Assert.Equal(BookingRefusal.Quota, refused.Reason);
        Assert.Contains("6 of its 20 unit-hours", refused.Message);
        Assert.Contains("needs 8", refused.Message);
        Assert.Equal(BookingStatus.Confirmed, pool.Book(Guid.NewGuid(), new BookingRequest(Student, Ten, Ten.AddHours(2), 3), new Calendar([], []), Now, march).Status);
    }

    [Fact]
    public void A_weekly_series_keeps_its_wall_clock_time_across_a_change_of_clocks_and_names_each_refused_occurrence()
    {
        var london = Scanner(1, new BookingRules { TimeZone = "Europe/London" });
        var monday = new DateTimeOffset(2027, 3, 15, 9, 0, 0, TimeSpan.Zero); // 09:00 GMT
        var taken = Book(london, [], monday.AddDays(7), monday.AddDays(7).AddHours(1));
        var series = new Recurrence(new HashSet<DayOfWeek> { DayOfWeek.Monday }, new DateOnly(2027, 4, 5));

        var outcome = Series.Book(london, new BookingRequest(Student, monday, monday.AddHours(1), 1), series, new Calendar([taken], []), Now, allOrNothing: false);

        // 15 and 29 March, 5 April booked; 22 March refused. After 28 March London is on BST: 09:00 is 08:00 UTC.
        Assert.Equal([monday, new DateTimeOffset(2027, 3, 29, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 4, 5, 8, 0, 0, TimeSpan.Zero)], outcome.Booked.Select(b => b.Start));
        var (slot, refusal) = Assert.Single(outcome.Refused);
        Assert.Equal(monday.AddDays(7), slot.Start);
        Assert.Equal(BookingRefusal.Full, refusal.Reason);

        var whole = Assert.Throws<BookingRefusedException>(() =>
            Series.Book(london, new BookingRequest(Student, monday, monday.AddHours(1), 1), series, new Calendar([taken], []), Now, allOrNothing: true));
        Assert.Contains("2027-03-22", whole.Message);
    }

    [Theory]
    [InlineData(new DayOfWeek[0], 2027, 4, 1, "recurrence.days")]
    [InlineData(new[] { DayOfWeek.Monday, (DayOfWeek)99 }, 2027, 4, 1, "recurrence.days")]
    [InlineData(new[] { DayOfWeek.Monday }, 2027, 3, 1, "recurrence.until")]
    [InlineData(new[] { DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday }, 2029, 1, 1, "recurrence.until")]
    public void A_malformed_recurrence_is_invalid_naming_the_field(DayOfWeek[] days, int year, int month, int day, string field)
    {
        var error = Assert.Throws<DomainRuleException>(() =>
            Series.Book(Scanner(1), new BookingRequest(Student, Ten.AddDays(14), Ten.AddDays(14).AddHours(1), 1), new Recurrence(days.ToHashSet(), new DateOnly(year, month, day)), new Calendar([], []), Now, allOrNothing: true));
        Assert.Equal((RuleMeaning.Invalid, field), (error.Meaning, error.Field));
    }

    [Fact]
    public void When_capacity_frees_the_first_waiting_request_that_fits_gets_a_timed_hold_and_an_unclaimed_hold_passes_on()
    {
        var pool = Scanner(2);
        var calendar = new List<Booking> { Book(pool, [], Ten, Ten.AddHours(2), units: 2) };
        Assert.Equal(BookingRefusal.Full, Assert.Throws<BookingRefusedException>(() => Book(pool, calendar, Ten, Ten.AddHours(1))).Reason);

        var (ada, bob, cy) = (Student with { UserId = Guid.NewGuid(), Name = "Ada" }, Student with { UserId = Guid.NewGuid(), Name = "Bob" }, Student with { UserId = Guid.NewGuid(), Name = "Cy" });
        var waiting = new List<WaitlistEntry>
        {
            WaitlistEntry.Join(Guid.NewGuid(), pool, new BookingRequest(ada, Ten, Ten.AddHours(1), 2), Now),
            WaitlistEntry.Join(Guid.NewGuid(), pool, new BookingRequest(bob, Ten, Ten.AddHours(1), 1), Now.AddMinutes(1)),
            WaitlistEntry.Join(Guid.NewGuid(), pool, new BookingRequest(cy, Ten.AddMinutes(30), Ten.AddHours(1), 1), Now.AddMinutes(2)),
        };
        Assert.Null(Waitlist.OfferNext(pool, waiting, new Calendar(calendar, []), Now, TimeSpan.FromMinutes(15), _ => new HashSet<string>()));

        // Someone books 1 unit less: only one unit frees, so Ada (who needs 2) is passed over for Bob.
        calendar[0].Cancel("changed plans", Now);
        calendar.Add(Book(pool, [], Ten, Ten.AddHours(2), units: 1));
        var (offered, hold) = Waitlist.OfferNext(pool, waiting, new Calendar(calendar, []), Now.AddMinutes(5), TimeSpan.FromMinutes(15), _ => new HashSet<string>())!.Value;
        Assert.Equal(("Bob", WaitStatus.Offered, BookingStatus.Held, hold.Id), (offered.UserName, offered.Status, hold.Status, offered.OfferedHoldId!.Value));
        Assert.Equal(Now.AddMinutes(20), hold.HoldExpiresAt);
        calendar.Add(hold);

        // Bob does not claim it in time: the hold lapses and the unit goes to Cy, next in line.
        Assert.True(hold.ExpireIfDue(Now.AddMinutes(20)));
        offered.Lapse();
        var next = Waitlist.OfferNext(pool, waiting, new Calendar(calendar, []), Now.AddMinutes(20), TimeSpan.FromMinutes(15), _ => new HashSet<string>())!.Value;
        Assert.Equal("Cy", next.Entry.UserName);
        next.Hold.ConfirmHold(pool.Rules, Now.AddMinutes(25));
        next.Entry.Claim();
        Assert.Equal((WaitStatus.Claimed, BookingStatus.Confirmed), (next.Entry.Status, next.Hold.Status));
        Assert.Equal(WaitStatus.Waiting, waiting[0].Status);
    }

    [Fact]
    public void Times_sent_with_any_offset_are_the_same_instants()
    {
        var pool = Scanner(1);
        var paris = TimeSpan.FromHours(2);
        var booked = pool.Book(Guid.NewGuid(), new BookingRequest(Student, Ten.ToOffset(paris), Ten.AddHours(1).ToOffset(paris), 1), new Calendar([], []), Now);
        Assert.Equal((TimeSpan.Zero, Ten), (booked.Start.Offset, booked.Start));
        Assert.Throws<BookingRefusedException>(() => pool.Book(Guid.NewGuid(), new BookingRequest(Student, Ten.AddMinutes(30).ToOffset(-TimeSpan.FromHours(5)), Ten.AddHours(2), 1), new Calendar([booked], []), Now));
    }

    [Fact]
    public void A_calendar_read_for_a_window_decides_only_inside_it_and_offers_next_slots_only_inside_it()
    {
        var pool = Scanner(1);
        var window = new Slot(Ten, Ten.AddHours(3));
        var calendar = new List<Booking> { Book(pool, [], Ten, Ten.AddHours(1)), Book(pool, [], Ten.AddHours(1), Ten.AddHours(2)) };

        // Only [10:00, 13:00) was read: 90 minutes from 12:00 would run past it, so nothing is offered rather
        // than a slot the calendar cannot vouch for.
        var refused = Assert.Throws<BookingRefusedException>(() => pool.Book(Guid.NewGuid(), new BookingRequest(Student, Ten.AddMinutes(30), Ten.AddHours(2), 1), new Calendar(calendar, [], window), Now));
        Assert.Null(refused.NextFree);
        var fits = Assert.Throws<BookingRefusedException>(() => pool.Book(Guid.NewGuid(), new BookingRequest(Student, Ten.AddMinutes(30), Ten.AddMinutes(60), 1), new Calendar(calendar, [], window), Now));
        Assert.Equal(new Slot(Ten.AddHours(2), Ten.AddMinutes(150)), fits.NextFree);
        Assert.Throws<InvalidOperationException>(() => pool.Book(Guid.NewGuid(), new BookingRequest(Student, Ten.AddHours(4), Ten.AddHours(5), 1), new Calendar(calendar, [], window), Now));
    }

    [Fact]
    public void A_started_booking_cannot_be_cancelled_and_an_early_check_out_still_keeps_the_buffer()
    {
        var rules = new BookingRules { Buffer = TimeSpan.FromMinutes(30) };
        var microscope = Scanner(1, rules);
        var session = Book(microscope, [], Ten, Ten.AddHours(2));
        Assert.Equal(RuleMeaning.Conflict, Assert.Throws<DomainRuleException>(() => session.Cancel("gone home", Ten.AddMinutes(5))).Meaning);

        session.CheckIn(Ten);
        session.CheckOut(Ten.AddHours(1));
        Assert.Throws<BookingRefusedException>(() => Book(microscope, [session], Ten.AddHours(1), Ten.AddHours(2)));
        Assert.Equal(BookingStatus.Confirmed, Book(microscope, [session], Ten.AddMinutes(90), Ten.AddHours(2)).Status);
    }

    [Fact]
    public void A_hold_lasts_at_most_a_day_and_never_past_its_start()
    {
        var pool = Scanner(1);
        Assert.Equal("holdFor", Assert.Throws<DomainRuleException>(() => pool.Hold(Guid.NewGuid(), new BookingRequest(Student, Ten, Ten.AddHours(1), 1), new Calendar([], []), Now, TimeSpan.FromDays(2))).Field);
        var hold = pool.Hold(Guid.NewGuid(), new BookingRequest(Student, Ten, Ten.AddHours(1), 1), new Calendar([], []), Now, TimeSpan.FromHours(5));
        Assert.Equal(Ten, hold.HoldExpiresAt);
    }

    [Fact]
    public void A_series_must_start_on_one_of_its_days()
    {
        var error = Assert.Throws<DomainRuleException>(() => Series.Book(Scanner(1), new BookingRequest(Student, Ten.AddDays(14), Ten.AddDays(14).AddHours(1), 1),
            new Recurrence(new HashSet<DayOfWeek> { DayOfWeek.Tuesday }, new DateOnly(2027, 4, 30)), new Calendar([], []), Now, allOrNothing: false));
        Assert.Equal("recurrence.days", error.Field);
        Assert.Contains("Monday", error.Message);
    }

    [Fact]
    public void The_capacity_sweep_counts_half_open_intervals()
    {
        var at = Ten;
        Assert.Equal(2, Calendar.PeakUnits([(at, at.AddHours(1), 1), (at.AddMinutes(30), at.AddHours(2), 1), (at.AddHours(1), at.AddHours(2), 1)], at, at.AddHours(2)));
        Assert.Equal(0, Calendar.PeakUnits([(at, at.AddHours(1), 3)], at.AddHours(1), at.AddHours(2)));
        Assert.Equal(3, Calendar.PeakUnits([(at, at.AddHours(1), 3)], at.AddMinutes(59), at.AddHours(2)));
    }

    private static Resource Scanner(int capacity, BookingRules? rules = null) =>
        Resource.Create(Guid.NewGuid(), Enterprise, ResourceKind.ComputePool, "A100 pool", capacity, rules ?? new BookingRules());

    private static Booking Book(Resource resource, List<Booking> calendar, DateTimeOffset start, DateTimeOffset end, int units = 1) =>
        resource.Book(Guid.NewGuid(), new BookingRequest(Student, start, end, units), new Calendar(calendar, []), Now);

    /// <summary>The brute-force reference: every minute of the day, the units taken by accepted bookings (each until its end plus the buffer).</summary>
    private static class Timeline
    {
        public static bool Fits(List<Booking> accepted, List<Blackout> blackouts, int capacity, TimeSpan buffer, DateTimeOffset start, DateTimeOffset end, int units)
        {
            if (blackouts.Any(b => b.Start < end && start < b.End))
            {
                return false;
            }

            for (var minute = start; minute < end + buffer; minute = minute.AddMinutes(1))
            {
                var used = accepted.Where(b => b.Start <= minute && minute < b.End + buffer).Sum(b => b.Units);
                if (used + units > capacity)
                {
                    return false;
                }
            }

            return true;
        }

        public static int PeakUse(List<Booking> accepted, TimeSpan buffer, DateTimeOffset from, DateTimeOffset to)
        {
            var peak = 0;
            for (var minute = from; minute < to; minute = minute.AddMinutes(1))
            {
                peak = Math.Max(peak, accepted.Where(b => b.Start <= minute && minute < b.End + buffer).Sum(b => b.Units));
            }

            return peak;
        }
    }
}
