using CollabTraining.Bookings;
using CollabTraining.Domain;
using static CollabTraining.Tests.Unit.BookingSamples;

namespace CollabTraining.Tests.Unit;

/// <summary>Who may wait for a full slot, and who is offered it when capacity frees.</summary>
public sealed class WaitlistRulesTests
{
    private static readonly TimeSpan ClaimWindow = TimeSpan.FromMinutes(15);

    private static IReadOnlySet<string> NoQualifications(WaitlistEntry entry) => new HashSet<string>();

    [Fact]
    public void Someone_joining_a_full_slot_waits_for_it_in_utc_from_the_moment_they_joined()
    {
        var pool = Pool(capacity: 2);
        var full = new Calendar([Book(pool, Ten, Ten.AddHours(2), units: 2)], []);
        var version = pool.Version;
        var ada = Student() with { Name = "Ada", OrganisationKind = "school" };
        var tokyo = TimeSpan.FromHours(9);

        var entry = WaitlistEntry.Join(Guid.NewGuid(), pool, Request(Ten.ToOffset(tokyo), Ten.AddHours(1).ToOffset(tokyo), 2, ada), Now, full);

        Assert.Equal((pool.Id, ada.UserId, "Ada", ada.OrganisationId, "school", 2), (entry.ResourceId, entry.UserId, entry.UserName, entry.OrganisationId, entry.OrganisationKind, entry.Units));
        Assert.Equal((Ten, TimeSpan.Zero, Ten.AddHours(1), TimeSpan.Zero), (entry.Start, entry.Start.Offset, entry.End, entry.End.Offset));
        Assert.Equal((WaitStatus.Waiting, Now, 1L, (Guid?)null), (entry.Status, entry.JoinedAt, entry.Version, entry.OfferedHoldId));
        Assert.Equal(version + 1, pool.Version);
    }

    [Fact]
    public void Nobody_waits_for_a_slot_that_has_room_or_has_started()
    {
        var pool = Pool(capacity: 2);
        var half = new Calendar([Book(pool, Ten, Ten.AddHours(2))], []);

        var room = Assert.Throws<DomainRuleException>(() => WaitlistEntry.Join(Guid.NewGuid(), pool, Request(Ten, Ten.AddHours(1)), Now, half));
        Assert.Equal((RuleMeaning.Conflict, "The slot has room: book it instead of waiting."), (room.Meaning, room.Message));
        Assert.Equal(WaitStatus.Waiting, WaitlistEntry.Join(Guid.NewGuid(), pool, Request(Ten, Ten.AddHours(1), units: 2), Now, half).Status);

        var started = Assert.Throws<DomainRuleException>(() => WaitlistEntry.Join(Guid.NewGuid(), pool, Request(Now, Now.AddHours(1)), Now));
        Assert.Equal((RuleMeaning.Invalid, "start", "The start has passed."), (started.Meaning, started.Field, started.Message));
    }

    [Fact]
    public void Nobody_waits_for_what_they_could_never_get()
    {
        var mri = Resource.Create(Guid.NewGuid(), Owner, ResourceKind.Equipment, "3T MRI", 1, new BookingRules { MaximumDuration = TimeSpan.FromHours(4) },
            requiredQualifications: ["mri-safety"], allowedOrganisationKinds: ["school"]);
        var qualified = Student("mri-safety");
        var spent = new QuotaUse(2, 2, Now.AddDays(-1), Now.AddDays(30));
        DomainRuleException Join(BookingRequest request, QuotaUse? quota = null) =>
            Assert.ThrowsAny<DomainRuleException>(() => WaitlistEntry.Join(Guid.NewGuid(), mri, request, Now, quota: quota));

        Assert.Equal(BookingRefusal.Qualification, Assert.IsType<BookingRefusedException>(Join(Request(Ten, Ten.AddHours(1)))).Reason);
        Assert.Equal(BookingRefusal.Rule, Assert.IsType<BookingRefusedException>(Join(Request(Ten, Ten.AddHours(5), booker: qualified))).Reason);
        Assert.Equal(BookingRefusal.Quota, Assert.IsType<BookingRefusedException>(Join(Request(Ten, Ten.AddHours(1), booker: qualified), spent)).Reason);
        Assert.Equal(RuleMeaning.Forbidden, Join(Request(Ten, Ten.AddHours(1), booker: qualified with { OrganisationKind = "enterprise" })).Meaning);
        Assert.Equal("units", Join(Request(Ten, Ten.AddHours(1), units: 2, booker: qualified)).Field);
        Assert.Equal(1, mri.Version);
    }

    [Fact]
    public void A_user_waits_once_for_overlapping_slots_of_one_resource()
    {
        var pool = Pool();
        var ada = Student();
        var waiting = WaitlistEntry.Join(Guid.NewGuid(), pool, Request(Ten, Ten.AddHours(2), booker: ada), Now);
        List<WaitlistEntry> mine = [waiting];

        var twice = Assert.Throws<DomainRuleException>(() => WaitlistEntry.Join(Guid.NewGuid(), pool, Request(Ten.AddHours(1), Ten.AddHours(3), booker: ada), Now, alreadyWaiting: mine));
        Assert.Equal((RuleMeaning.Conflict, "You are already waiting for an overlapping slot of this resource."), (twice.Meaning, twice.Message));
        Assert.Throws<DomainRuleException>(() => WaitlistEntry.Join(Guid.NewGuid(), pool, Request(Ten.AddMinutes(-30), Ten.AddMinutes(30), booker: ada), Now, alreadyWaiting: mine));

        // The slots just before and just after, another resource, and another user are all fine.
        WaitlistEntry.Join(Guid.NewGuid(), pool, Request(Ten.AddHours(2), Ten.AddHours(3), booker: ada), Now, alreadyWaiting: mine);
        WaitlistEntry.Join(Guid.NewGuid(), pool, Request(Ten.AddHours(-1), Ten, booker: ada), Now, alreadyWaiting: mine);
        WaitlistEntry.Join(Guid.NewGuid(), Pool(), Request(Ten, Ten.AddHours(2), booker: ada), Now, alreadyWaiting: mine);
        WaitlistEntry.Join(Guid.NewGuid(), pool, Request(Ten, Ten.AddHours(2)), Now, alreadyWaiting: mine);

        // Once the wait has ended, a new one may start.
        waiting.Withdraw();
        WaitlistEntry.Join(Guid.NewGuid(), pool, Request(Ten, Ten.AddHours(2), booker: ada), Now, alreadyWaiting: mine);
    }

    [Fact]
    public void An_offered_place_still_counts_as_waiting_and_a_lapsed_one_does_not()
    {
        var pool = Pool();
        var ada = Student();
        var entry = WaitlistEntry.Join(Guid.NewGuid(), pool, Request(Ten, Ten.AddHours(2), booker: ada), Now);
        Waitlist.OfferNext(pool, [entry], new Calendar([], []), Now, ClaimWindow, NoQualifications);
        Assert.Equal(WaitStatus.Offered, entry.Status);

        Assert.Throws<DomainRuleException>(() => WaitlistEntry.Join(Guid.NewGuid(), pool, Request(Ten, Ten.AddHours(1), booker: ada), Now, alreadyWaiting: [entry]));
        entry.Lapse();
        Assert.Equal(WaitStatus.Waiting, WaitlistEntry.Join(Guid.NewGuid(), pool, Request(Ten, Ten.AddHours(1), booker: ada), Now, alreadyWaiting: [entry]).Status);
    }

    [Fact]
    public void Only_an_offered_place_is_claimed_and_lapses_and_only_a_live_wait_is_withdrawn()
    {
        var pool = Pool(capacity: 3);
        var entries = Enumerable.Range(0, 3).Select(i => WaitlistEntry.Join(Guid.NewGuid(), pool, Request(Ten, Ten.AddHours(1)), Now.AddMinutes(-i))).ToList();
        var waiting = entries[0];

        Assert.Equal("Only an offered place on the waitlist can be claimed.", Assert.Throws<DomainRuleException>(waiting.Claim).Message);
        waiting.Lapse();
        Assert.Equal((WaitStatus.Waiting, 1L), (waiting.Status, waiting.Version));

        var calendar = new Calendar([], []);
        var claimed = Waitlist.OfferNext(pool, entries, calendar, Now, ClaimWindow, NoQualifications)!.Value.Entry;
        var lapsing = Waitlist.OfferNext(pool, entries, calendar, Now, ClaimWindow, NoQualifications)!.Value.Entry;
        Assert.Equal(new[] { entries[2], entries[1] }, new[] { claimed, lapsing });

        claimed.Claim();
        claimed.Withdraw();
        claimed.Lapse();
        Assert.Equal((WaitStatus.Claimed, 3L), (claimed.Status, claimed.Version));
        Assert.Throws<DomainRuleException>(claimed.Claim);

        lapsing.Lapse();
        Assert.Equal((WaitStatus.Lapsed, 3L), (lapsing.Status, lapsing.Version));
        lapsing.Withdraw();
        Assert.Equal(WaitStatus.Lapsed, lapsing.Status);

        waiting.Withdraw();
        waiting.Withdraw();
        Assert.Equal((WaitStatus.Withdrawn, 2L), (waiting.Status, waiting.Version));
    }

    [Fact]
    public void An_offered_place_may_be_withdrawn()
    {
        var pool = Pool();
        var entry = WaitlistEntry.Join(Guid.NewGuid(), pool, Request(Ten, Ten.AddHours(1)), Now);
        Waitlist.OfferNext(pool, [entry], new Calendar([], []), Now, ClaimWindow, NoQualifications);

        entry.Withdraw();
        Assert.Equal((WaitStatus.Withdrawn, 3L), (entry.Status, entry.Version));
    }

    [Fact]
    public void The_first_to_join_is_offered_the_slot_with_a_hold_that_lapses_after_the_claim_window_and_never_past_the_start()
    {
        var pool = Pool(capacity: 2);
        var (ada, bob) = (Student() with { Name = "Ada" }, Student() with { Name = "Bob" });
        var later = WaitlistEntry.Join(Guid.NewGuid(), pool, Request(Ten, Ten.AddHours(1), 2, bob), Now.AddMinutes(1));
        var first = WaitlistEntry.Join(Guid.NewGuid(), pool, Request(Ten, Ten.AddHours(1), 2, ada), Now);

        var (entry, hold) = Waitlist.OfferNext(pool, [later, first], new Calendar([], []), Now.AddMinutes(5), ClaimWindow, NoQualifications)!.Value;

        Assert.Same(first, entry);
        Assert.Equal((WaitStatus.Offered, (Guid?)hold.Id, 2L), (entry.Status, entry.OfferedHoldId, entry.Version));
        Assert.Equal((BookingStatus.Held, ada.UserId, "Ada", 2, Ten, Ten.AddHours(1), (DateTimeOffset?)Now.AddMinutes(20)),
            (hold.Status, hold.UserId, hold.UserName, hold.Units, hold.Start, hold.End, hold.HoldExpiresAt));

        var close = WaitlistEntry.Join(Guid.NewGuid(), pool, Request(Ten, Ten.AddHours(1), 2, bob), Now);
        Assert.Equal(Ten, Waitlist.OfferNext(pool, [close], new Calendar([], []), Ten.AddMinutes(-5), ClaimWindow, NoQualifications)!.Value.Hold.HoldExpiresAt);
    }

    [Fact]
    public void Among_requests_joined_at_the_same_instant_the_lower_id_is_offered_first()
    {
        var pool = Pool();
        var low = WaitlistEntry.Join(Guid.Parse("00000000-0000-0000-0000-000000000001"), pool, Request(Ten, Ten.AddHours(1)), Now);
        var high = WaitlistEntry.Join(Guid.Parse("00000000-0000-0000-0000-000000000002"), pool, Request(Ten, Ten.AddHours(1)), Now);

        Assert.Same(low, Waitlist.OfferNext(pool, [high, low], new Calendar([], []), Now, ClaimWindow, NoQualifications)!.Value.Entry);
    }

    [Fact]
    public void Waits_for_another_resource_already_ended_started_or_outside_the_calendar_read_are_passed_over()
    {
        var pool = Pool();
        var elsewhere = WaitlistEntry.Join(Guid.NewGuid(), Pool(), Request(Ten, Ten.AddHours(1)), Now.AddMinutes(-50));
        var withdrawn = WaitlistEntry.Join(Guid.NewGuid(), pool, Request(Ten, Ten.AddHours(1)), Now.AddMinutes(-40));
        withdrawn.Withdraw();
        var startsNow = WaitlistEntry.Join(Guid.NewGuid(), pool, Request(Now, Now.AddHours(1)), Now.AddMinutes(-30));
        var beyondRead = WaitlistEntry.Join(Guid.NewGuid(), pool, Request(Ten.AddHours(2), Ten.AddHours(4)), Now.AddMinutes(-20));
        var fits = WaitlistEntry.Join(Guid.NewGuid(), pool, Request(Ten, Ten.AddHours(1)), Now.AddMinutes(-10));
        var window = new Calendar([], [], new Slot(Now, Ten.AddHours(3)));

        var offered = Waitlist.OfferNext(pool, [elsewhere, withdrawn, startsNow, beyondRead, fits], window, Now, ClaimWindow, NoQualifications);

        Assert.Same(fits, offered!.Value.Entry);
        Assert.Equal([WaitStatus.Waiting, WaitStatus.Withdrawn, WaitStatus.Waiting, WaitStatus.Waiting], new[] { elsewhere, withdrawn, startsNow, beyondRead }.Select(e => e.Status));
    }

    [Fact]
    public void Waits_the_rules_now_refuse_are_passed_over_for_the_next_in_line()
    {
        var pool = Resource.Create(Guid.NewGuid(), Owner, ResourceKind.Equipment, "3T MRI", 3, new BookingRules(), requiredQualifications: ["mri-safety"]);
        var big = WaitlistEntry.Join(Guid.NewGuid(), pool, Request(Ten, Ten.AddHours(1), 3, Student("mri-safety")), Now.AddMinutes(-30));
        var lapsedQualification = WaitlistEntry.Join(Guid.NewGuid(), pool, Request(Ten, Ten.AddHours(1), 1, Student("mri-safety")), Now.AddMinutes(-20));
        var overQuota = WaitlistEntry.Join(Guid.NewGuid(), pool, Request(Ten, Ten.AddHours(1), 1, Student("mri-safety")), Now.AddMinutes(-10));
        var fits = WaitlistEntry.Join(Guid.NewGuid(), pool, Request(Ten, Ten.AddHours(1), 1, Student("mri-safety")), Now);
        pool.Revise("3T MRI", null, null, 2, new BookingRules(), ["mri-safety"], [], [], peakUnitsFromNow: 0);

        var offered = Waitlist.OfferNext(pool, [big, lapsedQualification, overQuota, fits], new Calendar([], []), Now, ClaimWindow,
            e => e == lapsedQualification ? new HashSet<string>() : new HashSet<string> { "mri-safety" },
            e => e == overQuota ? new QuotaUse(1, 1, Now.AddDays(-1), Now.AddDays(30)) : null);

        Assert.Same(fits, offered!.Value.Entry);
        Assert.All(new[] { big, lapsedQualification, overQuota }, e => Assert.Equal(WaitStatus.Waiting, e.Status));
        Assert.Null(Waitlist.OfferNext(pool, [big, lapsedQualification, overQuota], new Calendar([], []), Now, ClaimWindow,
            e => e == lapsedQualification ? new HashSet<string>() : new HashSet<string> { "mri-safety" },
            e => e == overQuota ? new QuotaUse(1, 1, Now.AddDays(-1), Now.AddDays(30)) : null));
    }

    [Fact]
    public void A_claim_window_no_hold_may_last_is_a_mistake_not_a_reason_to_pass_everyone_over()
    {
        var pool = Pool();
        var entry = WaitlistEntry.Join(Guid.NewGuid(), pool, Request(Ten.AddDays(3), Ten.AddDays(3).AddHours(1)), Now);

        foreach (var window in new[] { TimeSpan.Zero, TimeSpan.FromDays(2) })
        {
            var error = Assert.Throws<DomainRuleException>(() => Waitlist.OfferNext(pool, [entry], new Calendar([], []), Now, window, NoQualifications));
            Assert.Equal((RuleMeaning.Invalid, "claimWindow"), (error.Meaning, error.Field));
        }

        Assert.Equal(WaitStatus.Waiting, entry.Status);
    }
}
