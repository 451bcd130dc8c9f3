using CollabTraining.Contracts.Hospitals;
using CollabTraining.Contracts.School;
using CollabTraining.Hospitals.Assignments;
using CollabTraining.Hospitals.Evaluations;
using CollabTraining.Hospitals.Placements;
using CollabTraining.School.Matching;
using CollabTraining.School.Rounds;
using CollabTraining.School.Runs;
using CollabTraining.Domain;

namespace CollabTraining.Tests.Unit;

public sealed class PlacementRoundRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid Offer = Guid.NewGuid();

    private static MatchRun Run(PlacementRound round, MatchRunKind kind) =>
        MatchRun.Record(round.Id, kind, MatchEngine.Run(new MatchInstance([], [], 7)), Guid.NewGuid(), Now);

    private static RoundTerms Terms(DateTimeOffset? opens = null, DateTimeOffset? closes = null, int maxRanks = 3, string name = "Spring") =>
        new(name, [Offer], opens ?? Now, closes ?? Now.AddDays(7), maxRanks);

    [Fact]
    public void The_window_opens_and_closes_by_the_clock_and_a_run_inside_it_is_provisional()
    {
        var round = PlacementRound.Open(Terms(opens: Now.AddDays(1), closes: Now.AddDays(8)), Guid.NewGuid(), Now);

        Assert.Equal(RoundStatus.Scheduled, round.StatusAt(Now));
        Assert.Equal(RoundStatus.Open, round.StatusAt(Now.AddDays(2)));
        Assert.Equal(MatchRunKind.Provisional, round.KindOfRunAt(Now.AddDays(2)));
        Assert.Equal(RoundStatus.Closed, round.StatusAt(Now.AddDays(8)));
        Assert.Equal(MatchRunKind.Initial, round.KindOfRunAt(Now.AddDays(8)));
        round.EnsureOpenForPreferences(Now.AddDays(2));
        Assert.Equal(RuleMeaning.Conflict, Assert.Throws<DomainRuleException>(() => round.EnsureOpenForPreferences(Now.AddDays(9))).Meaning);
    }

    [Fact]
    public void Only_an_initial_run_after_the_window_closes_is_published_with_a_future_deadline()
    {
        var round = PlacementRound.Open(Terms(), Guid.NewGuid(), Now);
        var open = Now.AddDays(1);
        var closed = Now.AddDays(8);

        var provisional = Run(round, MatchRunKind.Provisional);
        var initial = Run(round, MatchRunKind.Initial);
        Assert.Throws<DomainRuleException>(() => round.Publish(provisional, provisional.InputDigest, open.AddDays(7), open));
        Assert.Throws<DomainRuleException>(() => round.Publish(provisional, provisional.InputDigest, closed.AddDays(7), closed));
        Assert.Equal("studentDeclineDeadline", Assert.Throws<DomainRuleException>(() => round.Publish(initial, initial.InputDigest, closed.AddMinutes(-1), closed)).Field);
        Assert.Equal(RuleMeaning.Conflict, Assert.Throws<DomainRuleException>(() => round.Publish(initial, "another digest", closed.AddDays(7), closed)).Meaning);
        Assert.Null(round.PublishedRunId);

        round.Publish(initial, initial.InputDigest, closed.AddDays(7), closed);
        Assert.Equal((RoundStatus.Published, initial.Id), (round.StatusAt(closed), round.PublishedRunId));
        Assert.Throws<DomainRuleException>(() => round.KindOfRunAt(closed));
    }

    [Fact]
    public void The_coordinator_moves_the_decline_deadline_forward_but_never_into_the_past()
    {
        var round = PlacementRound.Open(Terms(), Guid.NewGuid(), Now);
        var closed = Now.AddDays(8);
        var run = Run(round, MatchRunKind.Initial);
        round.Publish(run, run.InputDigest, closed.AddDays(1), closed);
        var late = closed.AddDays(2);

        Assert.Throws<DomainRuleException>(() => round.EnsureStudentMayDecline(late));
        Assert.Throws<DomainRuleException>(() => round.MoveStudentDeclineDeadline(late.AddMinutes(-5), late));
        round.MoveStudentDeclineDeadline(late.AddDays(3), late);
        round.EnsureStudentMayDecline(late);
    }

    [Fact]
    public void While_students_rank_only_the_name_and_closing_time_change_and_afterwards_nothing()
    {
        var round = PlacementRound.Open(Terms(), Guid.NewGuid(), Now);
        round.Revise(Terms(name: "Spring (extended)", closes: Now.AddDays(10)), Now.AddHours(1));
        Assert.Equal(("Spring (extended)", Now.AddDays(10)), (round.Name, round.PreferencesCloseAt));

        Assert.Throws<DomainRuleException>(() => round.Revise(Terms(maxRanks: 5, closes: Now.AddDays(10)), Now.AddHours(2)));
        Assert.Throws<DomainRuleException>(() => round.Revise(Terms(closes: Now.AddDays(20)), Now.AddDays(11)));
        Assert.Equal(3, round.MaxRanks);
    }

    [Fact]
    public void A_scheduled_round_changes_freely_and_a_round_is_cancelled_only_before_publication()
    {
        var round = PlacementRound.Open(Terms(opens: Now.AddDays(1)), Guid.NewGuid(), Now);
        round.Revise(Terms(opens: Now.AddDays(2), closes: Now.AddDays(9), maxRanks: 6), Now);
        Assert.Equal(6, round.MaxRanks);

        round.Cancel("The school moved the rotation to the summer.", Now);
        Assert.Equal(RoundStatus.Cancelled, round.StatusAt(Now.AddDays(3)));
        Assert.Throws<DomainRuleException>(() => round.Cancel("again", Now));
        Assert.Throws<DomainRuleException>(() => round.KindOfRunAt(Now.AddDays(10)));
    }

    [Fact]
    public void A_window_must_close_after_it_opens_and_in_the_future()
    {
        Assert.Equal("preferencesCloseAt", Assert.Throws<DomainRuleException>(() => PlacementRound.Open(Terms(closes: Now.AddMinutes(-1), opens: Now.AddDays(-2)), Guid.NewGuid(), Now)).Field);
        Assert.Equal("preferencesCloseAt", Assert.Throws<DomainRuleException>(() => PlacementRound.Open(Terms(opens: Now.AddDays(3), closes: Now.AddDays(2)), Guid.NewGuid(), Now)).Field);
        Assert.Equal("maxRanks", Assert.Throws<DomainRuleException>(() => PlacementRound.Open(Terms(maxRanks: 0), Guid.NewGuid(), Now)).Field);
    }
}

public sealed class HospitalAssignmentRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private static PlacementOffer Offer(int seats, DateOnly? starts = null, DateOnly? ends = null) => PlacementOffer.Publish(Guid.NewGuid(),
        new PlacementOfferTerms("Cardiology", "cardiology", "Ward", starts ?? new DateOnly(2026, 11, 25), ends ?? new DateOnly(2026, 12, 20), seats, 1, [], []), Now);

    private static HospitalAssignment Assignment(PlacementOffer offer) => HospitalAssignment.Receive(
        new PlacementAssigned(Guid.NewGuid(), Guid.NewGuid(), offer.Id, offer.HospitalId, Guid.NewGuid(), "A Student", 5, "medicine", 0, 1, Now), Now);

    [Fact]
    public void A_confirmation_needs_a_seat_no_confirmed_student_holds()
    {
        var offer = Offer(seats: 1);
        var first = Assignment(offer);
        first.Confirm(offer, confirmedOnOffer: 0, Now);

        var second = Assignment(offer);
        var error = Assert.Throws<DomainRuleException>(() => second.Confirm(offer, confirmedOnOffer: 1, Now));
        Assert.Equal(RuleMeaning.Conflict, error.Meaning);
        Assert.Equal(PlacementAssignmentStatus.Pending, second.Status);
    }

    [Fact]
    public void Withdrawal_releases_pending_students_and_is_blocked_by_confirmed_ones_unless_forced()
    {
        var offer = Offer(seats: 3);
        var pending = Assignment(offer);
        var confirmed = Assignment(offer);
        confirmed.Confirm(offer, 0, Now);

        Assert.Throws<DomainRuleException>(() => OfferWithdrawal.Withdraw(offer, [pending, confirmed], force: false, Now));
        Assert.Equal(PlacementOfferStatus.Published, offer.Status);
        Assert.Equal(PlacementAssignmentStatus.Pending, pending.Status);

        var declined = OfferWithdrawal.Withdraw(offer, [pending, confirmed], force: true, Now);
        Assert.Equal(PlacementOfferStatus.Withdrawn, offer.Status);
        Assert.All(declined, d => Assert.Equal(OfferWithdrawal.Reason, d.Reason));
        Assert.Equal(2, declined.Count);
        Assert.Throws<DomainRuleException>(() => Assignment(offer).Confirm(offer, 0, Now));
    }

    [Fact]
    public void Hours_are_logged_within_the_placement_up_to_the_daily_cap_and_never_twice()
    {
        var offer = Offer(seats: 1);
        var assignment = Assignment(offer);
        assignment.Confirm(offer, 0, Now);
        var today = new DateOnly(2026, 11, 25);
        var first = HoursLog.Log(assignment, offer, today, 8, "Ward round", [], 24, Now);

        Assert.Equal("date", Assert.Throws<DomainRuleException>(() => HoursLog.Log(assignment, offer, today.AddDays(1), 8, "Tomorrow", [], 24, Now)).Field);
        Assert.Equal("date", Assert.Throws<DomainRuleException>(() => HoursLog.Log(assignment, offer, today.AddDays(-1), 8, "Before it started", [], 24, Now)).Field);
        Assert.Equal("activity", Assert.Throws<DomainRuleException>(() => HoursLog.Log(assignment, offer, today, 8, "ward round", [first], 24, Now)).Field);
        Assert.Equal("hours", Assert.Throws<DomainRuleException>(() => HoursLog.Log(assignment, offer, today, 16.5m, "Night shift", [first], 24, Now)).Field);
        Assert.Equal("hours", Assert.Throws<DomainRuleException>(() => HoursLog.Log(assignment, offer, today, 5, "Clinic", [first], 12, Now)).Field);
        HoursLog.Log(assignment, offer, today, 16, "Night shift", [first], 24, Now);
    }

    [Fact]
    public void A_rejection_says_why_and_a_review_happens_once()
    {
        var offer = Offer(seats: 1);
        var assignment = Assignment(offer);
        assignment.Confirm(offer, 0, Now);
        var log = HoursLog.Log(assignment, offer, new DateOnly(2026, 11, 25), 8, "Ward round", [], 24, Now);

        Assert.Equal("note", Assert.Throws<DomainRuleException>(() => log.Reject(assignment, "  ", Now)).Field);
        Assert.False(log.Reject(assignment, "You were on leave that day.", Now).Approved);
        Assert.Throws<DomainRuleException>(() => log.Approve(assignment, null, Now));

        var other = HoursLog.Log(assignment, offer, new DateOnly(2026, 11, 25), 4, "Clinic", [], 24, Now);
        assignment.Decline("The ward closed.", Now);
        Assert.Throws<DomainRuleException>(() => other.Approve(assignment, null, Now));
    }

    [Fact]
    public void Evaluations_wait_for_the_placement_to_start_and_the_final_one_for_its_last_week()
    {
        var offer = Offer(seats: 1, starts: new DateOnly(2026, 12, 1), ends: new DateOnly(2026, 12, 31));
        var assignment = Assignment(offer);
        assignment.Confirm(offer, 0, Now);
        var scores = new CompetencyScores(4, 4, 4, 4, 4, 4);
        DateTimeOffset On(int month, int day) => new(2026, month, day, 9, 0, 0, TimeSpan.Zero);

        Assert.Throws<DomainRuleException>(() => Evaluation.Record(assignment, offer, [], Guid.NewGuid(), EvaluationKind.Mid, scores, 3, "Too early to say anything.", On(11, 30)));
        Evaluation.Record(assignment, offer, [], Guid.NewGuid(), EvaluationKind.Mid, scores, 3, "Settling in well on the ward.", On(12, 1));
        Assert.Throws<DomainRuleException>(() => Evaluation.Record(assignment, offer, [EvaluationKind.Mid], Guid.NewGuid(), EvaluationKind.Mid, scores, 3, "Twice.", On(12, 2)));
        Assert.Throws<DomainRuleException>(() => Evaluation.Record(assignment, offer, [EvaluationKind.Mid], Guid.NewGuid(), EvaluationKind.Final, scores, 3, "Not the last week yet.", On(12, 24)));
        Evaluation.Record(assignment, offer, [EvaluationKind.Mid], Guid.NewGuid(), EvaluationKind.Final, scores, 3, "Ready for the next rotation.", On(12, 25));
    }
}
