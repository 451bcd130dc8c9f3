using CollabTraining.Domain;
using CollabTraining.Hospitals.Assignments;
using CollabTraining.Hospitals.Evaluations;
using CollabTraining.Hospitals.Placements;
using static CollabTraining.Tests.Unit.HospitalPlacements;

namespace CollabTraining.Tests.Unit;

/// <summary>The hours a placed student logs and their mentor reviews.</summary>
public sealed class HoursLogRulesTests
{
    /// <summary>A placement from 25 November (today) to 20 December.</summary>
    private readonly PlacementOffer ward = Offer();

    private static readonly DateOnly Day = Today.AddDays(1);

    private static readonly DateTimeOffset Evening = new(2026, 11, 26, 19, 0, 0, TimeSpan.Zero);

    private HoursLog Log(HospitalAssignment assignment, decimal hours, string activity = "Ward round", DateOnly? date = null, decimal cap = 24, DateTimeOffset? at = null, params HoursLog[] sameDay) =>
        HoursLog.Log(assignment, ward, date ?? Day, hours, activity, sameDay, cap, at ?? Evening);

    private static DomainRuleException Refusal(Action log) => Assert.Throws<DomainRuleException>(log);

    [Fact]
    public void Logged_hours_await_the_mentors_review()
    {
        var assignment = Confirmed(ward);

        var log = Log(assignment, 7.5m, "Ward round and discharge letters");

        Assert.NotEqual(Guid.Empty, log.Id);
        Assert.Equal(
            (assignment.Id, assignment.StudentId, Day, 7.5m, "Ward round and discharge letters", HoursStatus.Pending, null, Evening, 1L),
            (log.AssignmentId, log.StudentId, log.Date, log.Hours, log.Activity, log.Status, log.ReviewNote, log.LoggedAt, log.Version));
        Assert.Equal(1, assignment.HoursEntries);
    }

    [Fact]
    public void Hours_may_be_logged_on_the_first_and_the_last_day_of_the_placement()
    {
        var assignment = Confirmed(ward);
        var afterwards = new DateTimeOffset(2027, 1, 10, 9, 0, 0, TimeSpan.Zero);

        Assert.Equal(ward.StartsOn, Log(assignment, 8, date: ward.StartsOn, at: afterwards).Date);
        Assert.Equal(ward.EndsOn, Log(assignment, 8, date: ward.EndsOn, at: afterwards).Date);
    }

    [Fact]
    public void Hours_on_a_day_outside_the_placement_are_refused_naming_its_period()
    {
        var assignment = Confirmed(ward);
        var afterwards = new DateTimeOffset(2027, 1, 10, 9, 0, 0, TimeSpan.Zero);

        var after = Refusal(() => Log(assignment, 8, date: ward.EndsOn.AddDays(1), at: afterwards));
        Assert.Equal(
            (RuleMeaning.Invalid, "date", "The placement runs from 2026-11-25 to 2026-12-20; 2026-12-21 is outside it."),
            (after.Meaning, after.Field, after.Message));
        Assert.Equal("date", Refusal(() => Log(assignment, 8, date: ward.StartsOn.AddDays(-1), at: afterwards)).Field);
    }

    [Fact]
    public void Hours_for_a_day_still_to_come_are_refused_but_today_counts()
    {
        var assignment = Confirmed(ward);

        var error = Refusal(() => Log(assignment, 4, date: Day.AddDays(1)));

        Assert.Equal(("date", "Hours cannot be logged for a day that has not happened yet."), (error.Field, error.Message));
        Assert.Equal(Day, Log(assignment, 4, date: Day).Date);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(7.5)]
    [InlineData(12)]
    public void Hours_are_logged_in_half_hours(double hours) =>
        Assert.Equal((decimal)hours, Log(Confirmed(ward), (decimal)hours).Hours);

    [Theory]
    [InlineData(7.45)]
    [InlineData(0.25)]
    public void Hours_not_in_half_hours_are_refused(double hours)
    {
        var error = Refusal(() => Log(Confirmed(ward), (decimal)hours));
        Assert.Equal(("hours", "Hours are logged in half hours (7.5, not 7.45)."), (error.Field, error.Message));
    }

    [Fact]
    public void Hours_logged_past_the_daily_maximum_are_refused_naming_what_was_logged_that_day()
    {
        var assignment = Confirmed(ward);
        var morning = Log(assignment, 8, "Ward round");

        var error = Refusal(() => Log(assignment, 4.5m, "Clinic", cap: 12, sameDay: morning));

        Assert.Equal((RuleMeaning.Invalid, "hours", "At most 12 hours a day; you logged 8 on 2026-11-26 already."), (error.Meaning, error.Field, error.Message));
        Assert.Equal(4m, Log(assignment, 4, "Clinic", cap: 12, sameDay: morning).Hours);
    }

    [Fact]
    public void A_single_entry_above_the_daily_maximum_is_refused()
    {
        var error = Refusal(() => Log(Confirmed(ward), 12.5m, cap: 12));

        Assert.Equal("At most 12 hours a day; you logged 0 on 2026-11-26 already.", error.Message);
    }

    [Fact]
    public void Every_entry_the_student_logged_that_day_counts_toward_the_maximum_even_on_another_placement()
    {
        var assignment = Confirmed(ward);
        var other = Confirmed(ward);
        var elsewhere = Log(other, 6, "Ward round");
        var here = Log(assignment, 4, "Clinic");

        var error = Refusal(() => Log(assignment, 3, "Theatre", cap: 12, sameDay: [elsewhere, here]));

        Assert.Equal("At most 12 hours a day; you logged 10 on 2026-11-26 already.", error.Message);
    }

    [Fact]
    public void The_same_hours_and_activity_logged_twice_for_a_day_are_refused_whatever_the_case()
    {
        var assignment = Confirmed(ward);
        var first = Log(assignment, 8, "Ward round");

        var error = Refusal(() => Log(assignment, 8, "WARD ROUND", sameDay: first));

        Assert.Equal((RuleMeaning.Invalid, "activity", "You logged exactly these hours for this activity on this day already."), (error.Meaning, error.Field, error.Message));
    }

    [Fact]
    public void The_same_activity_with_other_hours_or_other_activity_with_the_same_hours_is_a_new_entry()
    {
        var assignment = Confirmed(ward);
        var first = Log(assignment, 4, "Ward round");

        Assert.Equal(2m, Log(assignment, 2, "Ward round", sameDay: first).Hours);
        Assert.Equal("Clinic", Log(assignment, 4, "Clinic", sameDay: first).Activity);
    }

    [Fact]
    public void The_same_entry_on_another_placement_is_not_a_repeat()
    {
        var assignment = Confirmed(ward);
        var elsewhere = Log(Confirmed(ward), 4, "Ward round");

        Assert.Equal(4m, Log(assignment, 4, "Ward round", sameDay: elsewhere).Hours);
    }

    [Fact]
    public void Rejected_hours_neither_count_toward_the_day_nor_stop_the_student_logging_them_again()
    {
        var assignment = Confirmed(ward);
        var rejected = Log(assignment, 8, "Ward round");
        rejected.Reject(assignment, "You were on the clinic rota that day.", Evening);

        var again = Log(assignment, 8, "Ward round", cap: 8, sameDay: rejected);

        Assert.Equal(HoursStatus.Pending, again.Status);
    }

    [Fact]
    public void Approved_and_pending_hours_count_toward_the_day()
    {
        var assignment = Confirmed(ward);
        var approved = Log(assignment, 4, "Ward round");
        approved.Approve(assignment, null, Evening);
        var pending = Log(assignment, 4, "Clinic");

        Assert.Equal("At most 10 hours a day; you logged 8 on 2026-11-26 already.", Refusal(() => Log(assignment, 4, "Theatre", cap: 10, sameDay: [approved, pending])).Message);
    }

    [Fact]
    public void Hours_are_logged_only_on_a_confirmed_placement()
    {
        var error = Refusal(() => Log(Placed(ward), 8));

        Assert.Equal((RuleMeaning.Conflict, "Hours are logged only on a confirmed placement; this one is Pending."), (error.Meaning, error.Message));
    }

    [Fact]
    public void Approving_hours_tells_the_school_they_count()
    {
        var assignment = Confirmed(ward);
        var log = Log(assignment, 7.5m);
        var at = Evening.AddDays(1);

        var reviewed = log.Approve(assignment, "Thanks.", at);

        Assert.Equal(
            (log.Id, assignment.Id, assignment.StudentId, Day, 7.5m, true, 2L, at),
            (reviewed.LogId, reviewed.AssignmentId, reviewed.StudentId, reviewed.Date, reviewed.Hours, reviewed.Approved, reviewed.Version, reviewed.OccurredAt));
        Assert.Equal((HoursStatus.Approved, "Thanks.", 2L), (log.Status, log.ReviewNote, log.Version));
    }

    [Fact]
    public void A_rejection_tells_the_student_why()
    {
        var assignment = Confirmed(ward);
        var log = Log(assignment, 8);

        var reviewed = log.Reject(assignment, "You were on leave that day.", Evening);

        Assert.False(reviewed.Approved);
        Assert.Equal((HoursStatus.Rejected, "You were on leave that day.", 2L), (log.Status, log.ReviewNote, log.Version));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void A_rejection_without_a_reason_is_refused(string? note)
    {
        var assignment = Confirmed(ward);
        var log = Log(assignment, 8);

        var error = Refusal(() => log.Reject(assignment, note, Evening));

        Assert.Equal(("note", "Say why the hours are rejected, so the student can correct them."), (error.Field, error.Message));
        Assert.Equal(HoursStatus.Pending, log.Status);
    }

    [Fact]
    public void Hours_are_reviewed_once()
    {
        var assignment = Confirmed(ward);
        var approved = Log(assignment, 8);
        approved.Approve(assignment, null, Evening);
        var rejected = Log(assignment, 4, "Clinic");
        rejected.Reject(assignment, "Not on the rota.", Evening);

        Assert.Equal((RuleMeaning.Conflict, "These hours were already approved."), Describe(Refusal(() => approved.Reject(assignment, "Changed my mind.", Evening))));
        Assert.Equal((RuleMeaning.Conflict, "These hours were already rejected."), Describe(Refusal(() => rejected.Approve(assignment, null, Evening))));
        Assert.Equal((HoursStatus.Approved, 2L), (approved.Status, approved.Version));
    }

    [Fact]
    public void Hours_on_a_placement_that_no_longer_stands_are_not_reviewed()
    {
        var assignment = Confirmed(ward);
        var log = Log(assignment, 8);
        assignment.Decline("The ward closed.", Evening);

        var error = Refusal(() => log.Approve(assignment, null, Evening));

        Assert.Equal("Hours are reviewed only on a confirmed placement; this one is DeclinedByHospital.", error.Message);
        Assert.Equal(HoursStatus.Pending, log.Status);
    }

    private static (RuleMeaning, string) Describe(DomainRuleException error) => (error.Meaning, error.Message);

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(24.5)]
    public void Nothing_or_more_than_a_day_is_not_logged_whatever_the_configured_cap(decimal hours)
    {
        var assignment = Confirmed(ward);

        var error = Refusal(() => Log(assignment, hours, cap: 48));

        Assert.Equal((RuleMeaning.Invalid, "hours"), (error.Meaning, error.Field));
        Assert.Equal(0, assignment.HoursEntries);
    }

    [Theory]
    [InlineData("  ")]
    [InlineData(" ab ")]
    public void Hours_say_what_was_done(string activity)
    {
        var error = Refusal(() => Log(Confirmed(ward), 2, activity));

        Assert.Equal((RuleMeaning.Invalid, "activity"), (error.Meaning, error.Field));
    }

    [Fact]
    public void A_whole_day_and_a_three_letter_activity_are_logged()
    {
        Assert.Equal((24m, "ICU"), (Log(Confirmed(ward), 24, "ICU").Hours, Log(Confirmed(ward), 24, "ICU").Activity));
    }
}
