using CollabTraining.Bookings;
using CollabTraining.Domain;
using static CollabTraining.Tests.Unit.BookingSamples;

namespace CollabTraining.Tests.Unit;

/// <summary>
/// What an owner sets up (capacity, names, rules, who may book) and how the kernel holds a booker to it: each
/// rule at its exact edge, each refusal in the words the booker reads.
/// </summary>
public sealed class BookingRulesTests
{
    [Fact]
    public void A_resource_needs_a_unit_and_a_name()
    {
        var noUnit = Assert.Throws<DomainRuleException>(() => Pool(capacity: 0));
        Assert.Equal(("capacity", "A resource has at least one unit."), (noUnit.Field, noUnit.Message));
        var noName = Assert.Throws<DomainRuleException>(() => Pool(name: "   "));
        Assert.Equal(("name", "A resource needs a name."), (noName.Field, noName.Message));
        Assert.Equal(1, Pool(capacity: 1).Capacity);
    }

    [Fact]
    public void An_owner_s_words_are_kept_trimmed_and_each_listed_code_once()
    {
        var organisation = Guid.NewGuid();
        var mri = Resource.Create(Guid.NewGuid(), Owner, ResourceKind.Equipment, "  3T MRI  ", 2, new BookingRules(),
            requiredQualifications: ["mri-safety", "MRI-safety", "mri-safety"], allowedOrganisations: [organisation, organisation],
            allowedOrganisationKinds: ["school", "school", "institute"], description: "  Research scans  ", model: "  Prisma  ");

        Assert.Equal(("3T MRI", "Research scans", "Prisma"), (mri.Name, mri.Description, mri.Model));
        Assert.Equal(["mri-safety", "MRI-safety"], mri.RequiredQualifications);
        Assert.Equal([organisation], mri.AllowedOrganisations);
        Assert.Equal(["school", "institute"], mri.AllowedOrganisationKinds);
        Assert.Equal((1L, false, TimeSpan.Zero), (mri.Version, mri.Retired, mri.LongestBooking));

        var plain = Resource.Create(Guid.NewGuid(), Owner, ResourceKind.Device, "Ultrasound", 1, new BookingRules(), model: "   ");
        Assert.Equal((string.Empty, null), (plain.Description, plain.Model));
        Assert.Empty(plain.RequiredQualifications);
    }

    private const string Durations = "The longest booking must be at least as long as the shortest, which is above zero.";
    private const string NoticeAndBuffer = "Notice and buffer cannot be negative, and a check-in window must be above zero.";

    public static TheoryData<string, BookingRules, string, string> RulesThatCannotBeMeant => new()
    {
        { "no shortest booking", new BookingRules { MinimumDuration = TimeSpan.Zero }, "rules.maximumDuration", Durations },
        { "longest below shortest", new BookingRules { MinimumDuration = TimeSpan.FromHours(2), MaximumDuration = TimeSpan.FromHours(1) }, "rules.maximumDuration", Durations },
        { "negative notice", new BookingRules { MinimumNotice = TimeSpan.FromMinutes(-1) }, "rules", NoticeAndBuffer },
        { "negative buffer", new BookingRules { Buffer = TimeSpan.FromMinutes(-1) }, "rules", NoticeAndBuffer },
        { "no check-in window", new BookingRules { AutoReleaseAfter = TimeSpan.Zero }, "rules", NoticeAndBuffer },
        { "horizon equal to the notice", new BookingRules { MinimumNotice = TimeSpan.FromDays(2), MaximumAdvance = TimeSpan.FromDays(2) }, "rules.maximumAdvance", "How far ahead one may book must exceed the notice required." },
        { "an unknown zone", new BookingRules { TimeZone = "Mars/Olympus" }, "rules.timeZone", "'Mars/Olympus' is not a known time zone (an IANA id such as Europe/London)." },
        { "a folder of the zone database, not a zone", new BookingRules { TimeZone = "Europe" }, "rules.timeZone", "'Europe' is not a known time zone (an IANA id such as Europe/London)." },
    };

    [Theory]
    [MemberData(nameof(RulesThatCannotBeMeant))]
    public void Rules_an_owner_cannot_mean_are_invalid_naming_the_field(string why, BookingRules rules, string field, string message)
    {
        var error = Assert.Throws<DomainRuleException>(() => Pool(rules: rules));
        Assert.True(error.Meaning == RuleMeaning.Invalid && error.Field == field, $"{why}: {error.Meaning} on {error.Field}");
        Assert.Equal(message, error.Message);
    }

    [Theory]
    [InlineData(60, 60, 1, "end", "The end must come after the start.")]
    [InlineData(0, 60, 0, "units", "Book at least one unit.")]
    [InlineData(-60, 60, 1, "start", "The start has passed.")]
    public void A_malformed_request_is_told_what_is_wrong_with_it(int startMinutes, int endMinutes, int units, string field, string message)
    {
        var error = Assert.Throws<DomainRuleException>(() => Book(Pool(capacity: 2), Now.AddMinutes(startMinutes), Now.AddMinutes(endMinutes), units));
        Assert.Equal((RuleMeaning.Invalid, field, message), (error.Meaning, error.Field, error.Message));
    }

    [Fact]
    public void Rules_at_their_edges_are_accepted()
    {
        var edges = new BookingRules
        {
            MinimumDuration = TimeSpan.FromHours(1),
            MaximumDuration = TimeSpan.FromHours(1),
            MinimumNotice = TimeSpan.FromDays(2),
            MaximumAdvance = TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1),
            TimeZone = "Europe/London",
        };

        Assert.Equal(edges, Pool(rules: edges).Rules);
    }

    [Fact]
    public void A_booking_as_short_or_as_long_as_the_rules_allow_is_accepted()
    {
        var rules = new BookingRules { MinimumDuration = TimeSpan.FromMinutes(30), MaximumDuration = TimeSpan.FromHours(4) };

        Assert.Equal(BookingStatus.Confirmed, Book(Pool(rules: rules), Ten, Ten.AddMinutes(30)).Status);
        Assert.Equal(BookingStatus.Confirmed, Book(Pool(rules: rules), Ten, Ten.AddHours(4)).Status);
        Assert.Equal(BookingRefusal.Rule, Refusal(Pool(rules: rules), Ten, Ten.AddHours(4).AddMinutes(1)).Reason);
    }

    [Fact]
    public void A_booking_may_start_right_now_exactly_at_the_notice_or_exactly_at_the_horizon()
    {
        Assert.Equal(Now, Book(Pool(), Now, Now.AddHours(1)).Start);

        var rules = new BookingRules { MinimumNotice = TimeSpan.FromHours(2), MaximumAdvance = TimeSpan.FromDays(10) };
        Assert.Equal(BookingStatus.Confirmed, Book(Pool(rules: rules), Now.AddHours(2), Now.AddHours(3)).Status);
        Assert.Equal(BookingStatus.Confirmed, Book(Pool(rules: rules), Now.AddDays(10), Now.AddDays(10).AddHours(1)).Status);
        Assert.Equal("A100 pool must be booked at least 2 hours ahead.", Refusal(Pool(rules: rules), Now.AddHours(2).AddMinutes(-1), Now.AddHours(3)).Message);
        Assert.Equal("A100 pool can be booked at most 10 days ahead.", Refusal(Pool(rules: rules), Now.AddDays(10).AddMinutes(1), Now.AddDays(10).AddHours(1)).Message);
    }

    [Theory]
    [InlineData(1, "at least 1 minute.")]
    [InlineData(30, "at least 30 minutes.")]
    [InlineData(60, "at least 1 hour.")]
    [InlineData(90, "at least 90 minutes.")]
    [InlineData(120, "at least 2 hours.")]
    [InlineData(36 * 60, "at least 36 hours.")]
    [InlineData(24 * 60, "at least 1 day.")]
    [InlineData(3 * 24 * 60, "at least 3 days.")]
    public void A_rule_is_told_in_whole_days_hours_or_minutes(int minimumMinutes, string expected)
    {
        var shortest = TimeSpan.FromMinutes(minimumMinutes);
        var pool = Pool(rules: new BookingRules { MinimumDuration = shortest, MaximumDuration = TimeSpan.FromDays(7) });

        var refused = Refusal(pool, Ten, Ten + shortest / 2);
        Assert.Equal(BookingRefusal.Rule, refused.Reason);
        Assert.Equal($"A100 pool is booked for {expected}", refused.Message);
    }

    [Fact]
    public void A_retired_resource_takes_no_bookings_and_cannot_be_changed()
    {
        var pool = Pool(capacity: 2);
        pool.Retire();

        Assert.Equal((true, 2L), (pool.Retired, pool.Version));
        var refused = Refusal(pool, Ten, Ten.AddHours(1));
        Assert.Equal((BookingRefusal.Rule, "A100 pool is retired and takes no bookings."), (refused.Reason, refused.Message));
        var revise = Assert.Throws<DomainRuleException>(() => pool.Revise("A100 pool", null, null, 4, new BookingRules(), [], [], [], 0));
        Assert.Equal((RuleMeaning.Conflict, "A100 pool is retired."), (revise.Meaning, revise.Message));
        Assert.Equal(2, pool.Capacity);
    }

    [Fact]
    public void Only_the_organisations_an_owner_lists_may_book()
    {
        var partner = Student() with { OrganisationId = Guid.NewGuid() };
        var lab = Resource.Create(Guid.NewGuid(), Owner, ResourceKind.Equipment, "Cryo-EM", 1, new BookingRules(), allowedOrganisations: [partner.OrganisationId]);

        Assert.Equal(BookingStatus.Confirmed, lab.Book(Guid.NewGuid(), Request(Ten, Ten.AddHours(1), booker: partner), new Calendar([], []), Now).Status);
        var outsider = Assert.Throws<DomainRuleException>(() => lab.Book(Guid.NewGuid(), Request(Ten.AddHours(2), Ten.AddHours(3)), new Calendar([], []), Now));
        Assert.Equal((RuleMeaning.Forbidden, "Cryo-EM is not offered to your organisation."), (outsider.Meaning, outsider.Message));
    }

    [Fact]
    public void Only_the_kinds_of_organisation_an_owner_lists_may_book_spelled_exactly()
    {
        var lab = Resource.Create(Guid.NewGuid(), Owner, ResourceKind.Equipment, "Cryo-EM", 1, new BookingRules(), allowedOrganisationKinds: ["institute"]);
        var researcher = Student() with { OrganisationKind = "institute" };

        Assert.Equal(BookingStatus.Confirmed, lab.Book(Guid.NewGuid(), Request(Ten, Ten.AddHours(1), booker: researcher), new Calendar([], []), Now).Status);
        foreach (var kind in new[] { "school", "Institute" })
        {
            var booker = Student() with { OrganisationKind = kind };
            Assert.Equal(RuleMeaning.Forbidden, Assert.Throws<DomainRuleException>(() => lab.Book(Guid.NewGuid(), Request(Ten.AddHours(2), Ten.AddHours(3), booker: booker), new Calendar([], []), Now)).Meaning);
        }
    }

    [Fact]
    public void A_refusal_for_qualifications_names_each_one_missing_and_none_held()
    {
        var mri = Resource.Create(Guid.NewGuid(), Owner, ResourceKind.Equipment, "3T MRI", 1, new BookingRules(), requiredQualifications: ["mri-safety", "gcp", "radiation"]);

        var refused = Assert.Throws<BookingRefusedException>(() => mri.Book(Guid.NewGuid(), Request(Ten, Ten.AddHours(1), booker: Student("gcp")), new Calendar([], []), Now));
        Assert.Equal(BookingRefusal.Qualification, refused.Reason);
        Assert.Equal("Booking 3T MRI needs mri-safety, radiation, valid until the booking ends; you do not hold it.", refused.Message);
    }

    [Fact]
    public void A_booking_using_exactly_what_remains_of_the_quota_fits_and_an_overdrawn_quota_leaves_nothing()
    {
        var pool = Pool(capacity: 4);
        var march = new QuotaUse(UnitHours: 20, UsedUnitHours: 14, new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 4, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(BookingStatus.Confirmed, pool.Book(Guid.NewGuid(), Request(Ten, Ten.AddHours(2), 3), new Calendar([], []), Now, march).Status);
        var overdrawn = Assert.Throws<BookingRefusedException>(() =>
            pool.Book(Guid.NewGuid(), Request(Ten, Ten.AddMinutes(15)), new Calendar([], []), Now, march with { UsedUnitHours = 25 }));
        Assert.Equal(BookingRefusal.Quota, overdrawn.Reason);
        Assert.Equal("Your organisation has 0 of its 20 unit-hours on A100 pool left for the period from 2027-03-01 until before 2027-04-01; this booking needs 0.25.", overdrawn.Message);
    }

    [Fact]
    public void A_quota_is_checked_before_the_calendar_so_its_reason_is_the_one_told()
    {
        var pool = Pool(capacity: 1);
        var taken = Book(pool, Ten, Ten.AddHours(1));
        var spent = new QuotaUse(10, 10, Now.AddDays(-1), Now.AddDays(30));

        var refused = Assert.Throws<BookingRefusedException>(() => pool.Book(Guid.NewGuid(), Request(Ten, Ten.AddHours(1)), new Calendar([taken], []), Now, spent));
        Assert.Equal(BookingRefusal.Quota, refused.Reason);
    }

    [Fact]
    public void Every_booking_made_bumps_the_resource_s_version_and_a_refusal_leaves_it()
    {
        var pool = Pool(capacity: 1);
        var first = Book(pool, Ten, Ten.AddHours(1));
        Assert.Equal(2, pool.Version);

        Refusal(pool, Ten, Ten.AddHours(1), calendar: [first]);
        Assert.Equal(2, pool.Version);

        pool.Touch();
        Assert.Equal(3, pool.Version);
    }

    [Fact]
    public void The_longest_booking_ever_made_is_remembered_and_a_shorter_one_does_not_shrink_it()
    {
        var pool = Pool(capacity: 3);
        Book(pool, Ten, Ten.AddHours(3));
        Book(pool, Ten, Ten.AddHours(1));
        Assert.Equal(TimeSpan.FromHours(3), pool.LongestBooking);

        Book(pool, Ten, Ten.AddHours(5));
        Assert.Equal(TimeSpan.FromHours(5), pool.LongestBooking);
    }

    [Fact]
    public void A_full_refusal_says_so_in_words_and_mentions_the_buffer_only_when_there_is_one()
    {
        var plain = Pool(capacity: 2);
        var both = Book(plain, Ten, Ten.AddHours(1), units: 2);
        Assert.Equal("A100 pool is fully booked between 2027-03-01 10:00:00Z and 2027-03-01 11:00:00Z.", Refusal(plain, Ten, Ten.AddHours(1), calendar: [both]).Message);

        var buffered = Pool(capacity: 2, rules: new BookingRules { Buffer = TimeSpan.FromMinutes(30) });
        var one = Book(buffered, Ten, Ten.AddHours(1));
        Assert.Equal(
            "A100 pool has 1 of 2 units free between 2027-03-01 11:15:00Z and 2027-03-01 12:00:00Z (with the 30 minutes kept free after each booking); you asked for 2.",
            Refusal(buffered, Ten.AddMinutes(75), Ten.AddHours(2), units: 2, calendar: [one]).Message);
    }

    [Fact]
    public void Asking_for_more_units_than_the_resource_has_names_its_size()
    {
        var single = Assert.Throws<DomainRuleException>(() => Book(Pool(capacity: 1), Ten, Ten.AddHours(1), units: 2));
        Assert.Equal(("units", "A100 pool has 1 unit; you asked for 2."), (single.Field, single.Message));
        var pool = Assert.Throws<DomainRuleException>(() => Book(Pool(capacity: 4), Ten, Ten.AddHours(1), units: 5));
        Assert.Equal("A100 pool has 4 units; you asked for 5.", pool.Message);
    }

    [Fact]
    public void Bookings_lie_between_2000_and_2200_both_included()
    {
        Instants.CheckInRange(Instants.Earliest, Instants.Latest);

        var tick = TimeSpan.FromTicks(1);
        var early = Assert.Throws<DomainRuleException>(() => Instants.CheckInRange(Instants.Earliest - tick, Instants.Latest));
        Assert.Equal(("start", "The start lies between 2000 and 2200."), (early.Field, early.Message));
        Assert.Equal("start", Assert.Throws<DomainRuleException>(() => Instants.CheckInRange(Instants.Latest + tick, Instants.Latest + tick)).Field);
        Assert.Equal("end", Assert.Throws<DomainRuleException>(() => Instants.CheckInRange(Instants.Earliest, Instants.Earliest - tick)).Field);
        var late = Assert.Throws<DomainRuleException>(() => Instants.CheckInRange(Instants.Latest, Instants.Latest + tick));
        Assert.Equal(("end", "The end lies between 2000 and 2200."), (late.Field, late.Message));
    }

    [Fact]
    public void A_hold_lasts_more_than_nothing_and_a_whole_day_at_most()
    {
        var pool = Pool(capacity: 2);
        var none = Assert.Throws<DomainRuleException>(() => pool.Hold(Guid.NewGuid(), Request(Now.AddDays(2), Now.AddDays(2).AddHours(1)), new Calendar([], []), Now, TimeSpan.Zero));
        Assert.Equal(("holdFor", "A hold lasts more than nothing and at most 1 day."), (none.Field, none.Message));

        var day = pool.Hold(Guid.NewGuid(), Request(Now.AddDays(2), Now.AddDays(2).AddHours(1)), new Calendar([], []), Now, TimeSpan.FromDays(1));
        Assert.Equal((BookingStatus.Held, Now.AddDays(1)), (day.Status, day.HoldExpiresAt));
    }

    [Fact]
    public void An_owner_may_change_a_resource_down_to_what_its_bookings_hold_and_no_further()
    {
        var pool = Pool(capacity: 4);
        var partner = Guid.NewGuid();
        var rules = new BookingRules { Buffer = TimeSpan.FromMinutes(10) };

        var below = Assert.Throws<DomainRuleException>(() => pool.Revise("H100 pool", "Faster", "H100", 2, rules, ["gpu"], [partner], ["school"], peakUnitsFromNow: 3));
        Assert.Equal((RuleMeaning.Conflict, "Bookings from now on hold up to 3 units of A100 pool at once; cancel some before cutting it to 2."), (below.Meaning, below.Message));
        Assert.Equal(("A100 pool", 4, 1L), (pool.Name, pool.Capacity, pool.Version));

        pool.Revise("  H100 pool ", " Faster ", " H100 ", 3, rules, ["gpu", "gpu"], [partner], ["school"], peakUnitsFromNow: 3);
        Assert.Equal(("H100 pool", "Faster", "H100", 3, rules, 2L), (pool.Name, pool.Description, pool.Model, pool.Capacity, pool.Rules, pool.Version));
        Assert.Equal(["gpu"], pool.RequiredQualifications);
        Assert.Equal([partner], pool.AllowedOrganisations);
        Assert.Equal(["school"], pool.AllowedOrganisationKinds);
    }

    [Fact]
    public void A_change_an_owner_cannot_mean_is_invalid_and_changes_nothing()
    {
        var pool = Pool(capacity: 4);
        Assert.Equal("capacity", Assert.Throws<DomainRuleException>(() => pool.Revise("A100 pool", null, null, 0, new BookingRules(), [], [], [], 0)).Field);
        Assert.Equal("rules.timeZone", Assert.Throws<DomainRuleException>(() => pool.Revise("A100 pool", null, null, 4, new BookingRules { TimeZone = "Nowhere" }, [], [], [], 0)).Field);
        Assert.Equal((4, "UTC", 1L), (pool.Capacity, pool.Rules.TimeZone, pool.Version));
    }
}
