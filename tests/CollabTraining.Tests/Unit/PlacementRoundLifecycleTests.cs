using CollabTraining.School.Matching;
using CollabTraining.School.Rounds;
using CollabTraining.School.Runs;
using CollabTraining.Domain;

namespace CollabTraining.Tests.Unit;

/// <summary>
/// A placement round as the coordinator, students and hospitals meet it: the terms it accepts, when its window
/// opens and closes to the minute, what may change when, and what publishing and cancelling leave behind.
/// </summary>
public sealed class PlacementRoundLifecycleTests
{
    private static readonly DateTimeOffset Now = new(2027, 1, 4, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Closes = Now.AddDays(7);
    private static readonly Guid Ward = Guid.NewGuid();
    private static readonly Guid Clinic = Guid.NewGuid();

    private static RoundTerms Terms(
        DateTimeOffset? opens = null, DateTimeOffset? closes = null, int maxRanks = 3, string name = "Spring", IReadOnlyList<Guid>? offers = null,
        IReadOnlyDictionary<Guid, DateOnly>? starts = null) =>
        new(name, offers ?? [Ward, Clinic], opens ?? Now, closes ?? Closes, maxRanks, starts);

    private static PlacementRound Round(DateTimeOffset? opens = null) => PlacementRound.Open(Terms(opens: opens), Guid.NewGuid(), Now);

    private static MatchRun Run(PlacementRound round, MatchRunKind kind = MatchRunKind.Initial) =>
        MatchRun.Record(round.Id, kind, MatchEngine.Run(new MatchInstance([], [], 7)), Guid.NewGuid(), Closes);

    private static PlacementRound Published(out MatchRun run)
    {
        var round = Round();
        run = Run(round);
        round.Publish(run, run.InputDigest, Closes.AddDays(14), Closes);
        return round;
    }

    private static DomainRuleException Refused(Action action) => Assert.Throws<DomainRuleException>(action);

    private static void RefusedAsInvalid(string field, string message, Action action)
    {
        var error = Refused(action);
        Assert.Equal((RuleMeaning.Invalid, field, message), (error.Meaning, error.Field, error.Message));
    }

    private static void RefusedAsConflict(string message, Action action)
    {
        var error = Refused(action);
        Assert.Equal((RuleMeaning.Conflict, message), (error.Meaning, error.Message));
    }

    [Fact]
    public void A_new_round_holds_its_terms_and_who_opened_it()
    {
        var coordinator = Guid.NewGuid();

        var round = PlacementRound.Open(Terms(name: "Spring rotations", maxRanks: 5), coordinator, Now);

        Assert.Equal(("Spring rotations", Now, Closes, 5), (round.Name, round.PreferencesOpenAt, round.PreferencesCloseAt, round.MaxRanks));
        Assert.Equal([Ward, Clinic], round.OfferIds);
        Assert.Equal((coordinator, Now, 1L), (round.CreatedBy, round.CreatedAt, round.Version));
        Assert.NotEqual(Guid.Empty, round.Id);
        Assert.Null(round.PublishedRunId);
    }

    [Fact]
    public void A_window_closing_when_it_opens_is_refused_and_one_closing_a_minute_later_is_accepted()
    {
        RefusedAsInvalid("preferencesCloseAt", "The preference window must close after it opens.",
            () => PlacementRound.Open(Terms(opens: Closes, closes: Closes), Guid.NewGuid(), Now));

        Assert.Equal(RoundStatus.Open, PlacementRound.Open(Terms(opens: Closes.AddMinutes(-1)), Guid.NewGuid(), Now).StatusAt(Closes.AddSeconds(-1)));
    }

    [Fact]
    public void A_window_lasts_at_most_366_days()
    {
        PlacementRound.Open(Terms(opens: Now, closes: Now.AddDays(366)), Guid.NewGuid(), Now);

        RefusedAsInvalid("preferencesCloseAt", "A preference window lasts at most a year.",
            () => PlacementRound.Open(Terms(opens: Now, closes: Now.AddDays(366).AddMinutes(1)), Guid.NewGuid(), Now));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(30)]
    public void Students_may_be_allowed_between_one_and_thirty_ranks(int maxRanks)
    {
        Assert.Equal(maxRanks, PlacementRound.Open(Terms(maxRanks: maxRanks), Guid.NewGuid(), Now).MaxRanks);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    public void Fewer_than_one_or_more_than_thirty_ranks_are_refused(int maxRanks)
    {
        RefusedAsInvalid("maxRanks", "Students may rank between 1 and 30 offers.", () => PlacementRound.Open(Terms(maxRanks: maxRanks), Guid.NewGuid(), Now));
    }

    [Fact]
    public void A_placement_starting_before_the_window_closes_is_refused_naming_it_and_its_start()
    {
        var closingDay = DateOnly.FromDateTime(Closes.UtcDateTime);

        RefusedAsInvalid("offerIds[1]",
            $"This placement starts on {closingDay.AddDays(-1):yyyy-MM-dd}, before the day the preference window closes; students could not be placed in time.",
            () => PlacementRound.Open(Terms(starts: new Dictionary<Guid, DateOnly> { [Ward] = closingDay, [Clinic] = closingDay.AddDays(-1) }), Guid.NewGuid(), Now));

        // One starting on the closing day is in time, and an offer the catalog does not list is not checked.
        var round = PlacementRound.Open(Terms(starts: new Dictionary<Guid, DateOnly> { [Ward] = closingDay }), Guid.NewGuid(), Now);
        Assert.Equal([Ward, Clinic], round.OfferIds);
    }

    [Fact]
    public void A_window_closes_in_the_future_and_at_most_two_years_ahead()
    {
        RefusedAsInvalid("preferencesCloseAt", "The preference window must close in the future.",
            () => PlacementRound.Open(Terms(opens: Now.AddDays(-1), closes: Now), Guid.NewGuid(), Now));

        var farthest = Now.AddYears(2);
        PlacementRound.Open(Terms(opens: farthest.AddDays(-30), closes: farthest), Guid.NewGuid(), Now);
        RefusedAsInvalid("preferencesCloseAt", "The preference window closes at most two years ahead.",
            () => PlacementRound.Open(Terms(opens: farthest.AddDays(-30), closes: farthest.AddMinutes(1)), Guid.NewGuid(), Now));
    }

    [Fact]
    public void The_window_is_open_from_its_opening_instant_and_closed_from_its_closing_instant()
    {
        var opens = Now.AddDays(1);
        var round = Round(opens: opens);

        Assert.Equal(RoundStatus.Scheduled, round.StatusAt(opens.AddTicks(-1)));
        Assert.Equal(RoundStatus.Open, round.StatusAt(opens));
        Assert.Equal(RoundStatus.Open, round.StatusAt(Closes.AddTicks(-1)));
        Assert.Equal(RoundStatus.Closed, round.StatusAt(Closes));
    }

    [Fact]
    public void A_ranking_outside_the_window_is_refused_saying_when_it_opens_or_closed()
    {
        var opens = Now.AddDays(1);
        var round = Round(opens: opens);

        RefusedAsConflict("The preference window opens at 2027-01-05 09:00:00Z.", () => round.EnsureOpenForPreferences(Now));
        round.EnsureOpenForPreferences(opens);
        RefusedAsConflict("The preference window closed at 2027-01-11 09:00:00Z; preferences are final.", () => round.EnsureOpenForPreferences(Closes));

        round.Cancel("Moved to summer.", Now);
        RefusedAsConflict("The round was cancelled.", () => round.EnsureOpenForPreferences(opens));

        var published = Published(out _);
        RefusedAsConflict("The preference window closed at 2027-01-11 09:00:00Z; preferences are final.", () => published.EnsureOpenForPreferences(Closes));
    }

    [Fact]
    public void While_students_rank_the_offers_may_be_listed_in_another_order_but_not_changed()
    {
        var round = Round();
        var during = Now.AddHours(1);

        round.Revise(Terms(offers: [Clinic, Ward], name: "Spring (reordered)"), during);
        Assert.Equal(("Spring (reordered)", 2L), (round.Name, round.Version));

        const string Message = "Students are ranking already: only the name and the closing time may change while the window is open.";
        RefusedAsConflict(Message, () => round.Revise(Terms(offers: [Ward]), during));
        RefusedAsConflict(Message, () => round.Revise(Terms(offers: [Ward, Guid.NewGuid()]), during));
        RefusedAsConflict(Message, () => round.Revise(Terms(maxRanks: 4), during));
        Assert.Equal(2L, round.Version);
    }

    [Fact]
    public void While_students_rank_the_opening_time_stays_to_the_millisecond_a_database_keeps()
    {
        var round = Round();
        var during = Now.AddHours(1);

        const string Message = "Students are ranking already: only the name and the closing time may change while the window is open.";
        RefusedAsConflict(Message, () => round.Revise(Terms(opens: Now.AddMilliseconds(1)), during));
        RefusedAsConflict(Message, () => round.Revise(Terms(opens: Now.AddMilliseconds(-1)), during));

        round.Revise(Terms(opens: Now.AddTicks(9_999), name: "Same opening, stored to the millisecond"), during);
        Assert.Equal("Same opening, stored to the millisecond", round.Name);
    }

    [Fact]
    public void A_revised_closing_time_must_still_be_ahead()
    {
        var round = Round(opens: Now.AddDays(1));

        RefusedAsInvalid("preferencesCloseAt", "The preference window must close in the future.",
            () => round.Revise(Terms(opens: Now.AddDays(-2), closes: Now.AddDays(-1)), Now));
        Assert.Equal((Closes, 1L), (round.PreferencesCloseAt, round.Version));
    }

    [Fact]
    public void A_closed_published_or_cancelled_round_can_no_longer_be_changed()
    {
        var closed = Round();
        RefusedAsConflict("The round is Closed; it can no longer be changed.", () => closed.Revise(Terms(closes: Closes.AddDays(30)), Closes));

        var published = Published(out _);
        RefusedAsConflict("The round is Published; it can no longer be changed.", () => published.Revise(Terms(closes: Closes.AddDays(30)), Closes));

        var cancelled = Round(opens: Now.AddDays(1));
        cancelled.Cancel("Moved to summer.", Now);
        RefusedAsConflict("The round is Cancelled; it can no longer be changed.", () => cancelled.Revise(Terms(opens: Now.AddDays(1)), Now));
    }

    [Fact]
    public void A_cancelled_round_keeps_why_and_when_and_cannot_be_cancelled_or_run_again()
    {
        var round = Round();

        round.Cancel("The school moved the rotation to the summer.", Now.AddHours(2));

        Assert.Equal(("The school moved the rotation to the summer.", (DateTimeOffset?)Now.AddHours(2), 2L), (round.CancellationReason, round.CancelledAt, round.Version));
        RefusedAsConflict("The round is cancelled already.", () => round.Cancel("Again.", Now.AddHours(3)));
        RefusedAsConflict("The round was cancelled.", () => round.KindOfRunAt(Closes));
        Assert.Equal(2L, round.Version);
    }

    [Fact]
    public void A_published_round_is_not_cancelled_nor_matched_again_from_scratch()
    {
        var round = Published(out _);

        RefusedAsConflict("The round's assignments were published; decline or move assignments instead of cancelling the round.", () => round.Cancel("Too late.", Closes));
        RefusedAsConflict("The round's assignments were published; declines are handled by re-matching, not by a new match.", () => round.KindOfRunAt(Closes));
        Assert.Null(round.CancelledAt);
    }

    [Fact]
    public void Publishing_records_the_run_when_and_the_students_deadline()
    {
        var round = Round();
        var run = Run(round);

        round.Publish(run, run.InputDigest, Closes.AddDays(14), Closes.AddHours(1));

        Assert.Equal(((Guid?)run.Id, (DateTimeOffset?)Closes.AddHours(1), (DateTimeOffset?)Closes.AddDays(14), 2L),
            (round.PublishedRunId, round.PublishedAt, round.StudentDeclineDeadline, round.Version));
    }

    [Fact]
    public void Publishing_twice_or_a_cancelled_round_or_while_students_rank_is_refused_saying_why()
    {
        var published = Published(out var run);
        RefusedAsConflict("The round's assignments were already published; declines are handled by re-matching.",
            () => published.Publish(run, run.InputDigest, Closes.AddDays(20), Closes.AddDays(1)));
        Assert.Equal(Closes.AddDays(14), published.StudentDeclineDeadline);

        var cancelled = Round();
        cancelled.Cancel("Moved to summer.", Now);
        RefusedAsConflict("The round was cancelled.", () => cancelled.Publish(Run(cancelled), Run(cancelled).InputDigest, Closes.AddDays(14), Closes));

        var open = Round();
        var early = Run(open);
        RefusedAsConflict("Students may rank until 2027-01-11 09:00:00Z; publish a run made after the window closes.",
            () => open.Publish(early, early.InputDigest, Closes.AddDays(14), Now.AddHours(1)));
    }

    [Fact]
    public void A_provisional_run_or_one_on_changed_inputs_is_not_published()
    {
        var round = Round();
        var provisional = Run(round, MatchRunKind.Provisional);
        var initial = Run(round);

        RefusedAsConflict("This run was made while students could still rank (it is provisional); run the match again now that preferences are final, and publish that run.",
            () => round.Publish(provisional, provisional.InputDigest, Closes.AddDays(14), Closes));
        RefusedAsConflict("Something the match depends on changed since this run (seats, eligibility or rankings); run the match again and publish the new run.",
            () => round.Publish(initial, "another digest", Closes.AddDays(14), Closes));
        Assert.Equal((RoundStatus.Closed, 1L), (round.StatusAt(Closes), round.Version));
    }

    [Fact]
    public void A_run_of_an_earlier_matching_version_is_not_published_and_the_coordinator_is_told_why()
    {
        var round = Round();
        var earlier = MatchRun.Record(round.Id, MatchRunKind.Initial,
            MatchEngine.Run(new MatchInstance([], [], 7)) with { AlgorithmVersion = "student-proposing-deferred-acceptance/1" }, Guid.NewGuid(), Closes);

        RefusedAsConflict("This run was made by an earlier version of the matching (student-proposing-deferred-acceptance/1); its inputs cannot be compared with today's. Run the match again (nothing else changes) and publish the new run.",
            () => round.Publish(earlier, earlier.InputDigest, Closes.AddDays(14), Closes));
        Assert.Null(round.PublishedRunId);
    }

    [Fact]
    public void The_students_deadline_is_after_publication_and_at_most_a_year_ahead()
    {
        var round = Round();
        var run = Run(round);

        RefusedAsInvalid("studentDeclineDeadline", "The deadline for students to decline must be in the future.", () => round.Publish(run, run.InputDigest, Closes, Closes));
        RefusedAsInvalid("studentDeclineDeadline", "The deadline for students to decline is at most a year ahead.",
            () => round.Publish(run, run.InputDigest, Closes.AddYears(1).AddMinutes(1), Closes));
        Assert.Null(round.PublishedRunId);

        round.Publish(run, run.InputDigest, Closes.AddYears(1), Closes);
        Assert.Equal(Closes.AddYears(1), round.StudentDeclineDeadline);
    }

    [Fact]
    public void The_coordinator_moves_the_students_deadline_only_after_publication_and_within_a_year()
    {
        var unpublished = Round();
        RefusedAsConflict("The decline deadline is set when the round is published.", () => unpublished.MoveStudentDeclineDeadline(Closes.AddDays(3), Closes));

        var round = Published(out _);
        var later = Closes.AddDays(20);
        RefusedAsInvalid("studentDeclineDeadline", "The deadline for students to decline must be in the future.", () => round.MoveStudentDeclineDeadline(later, later));
        RefusedAsInvalid("studentDeclineDeadline", "The deadline for students to decline is at most a year ahead.",
            () => round.MoveStudentDeclineDeadline(later.AddYears(1).AddTicks(1), later));
        Assert.Equal((Closes.AddDays(14), 2L), (round.StudentDeclineDeadline, round.Version));

        round.MoveStudentDeclineDeadline(later.AddYears(1), later);
        Assert.Equal((later.AddYears(1), 3L), (round.StudentDeclineDeadline, round.Version));
    }

    [Fact]
    public void A_student_declines_up_to_the_deadline_itself_and_is_sent_to_the_coordinator_after_it()
    {
        var round = Published(out _);
        var deadline = Closes.AddDays(14);

        Round().EnsureStudentMayDecline(Closes.AddYears(1));
        round.EnsureStudentMayDecline(deadline);
        RefusedAsConflict("The deadline to decline was 2027-01-25 09:00:00Z; ask the school coordinator, who can decline for you.",
            () => round.EnsureStudentMayDecline(deadline.AddTicks(1)));
    }

    [Fact]
    public void Assignments_change_only_in_a_published_round_and_each_change_moves_its_version()
    {
        RefusedAsConflict("The round's assignments have not been published.", () => Round().ChangeAssignments(Closes));

        var round = Published(out _);
        round.ChangeAssignments(Closes.AddDays(1));
        round.ChangeAssignments(Closes.AddDays(1));

        Assert.Equal(4L, round.Version);
    }
}
