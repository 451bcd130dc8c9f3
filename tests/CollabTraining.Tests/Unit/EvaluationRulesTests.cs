using CollabTraining.Contracts.Hospitals;
using CollabTraining.Domain;
using CollabTraining.Hospitals.Assignments;
using CollabTraining.Hospitals.Evaluations;
using CollabTraining.Hospitals.Placements;
using static CollabTraining.Tests.Unit.HospitalPlacements;

namespace CollabTraining.Tests.Unit;

/// <summary>When a mentor may record a student's mid-placement and final evaluations, and what the school is told.</summary>
public sealed class EvaluationRulesTests
{
    private static readonly CompetencyScores Scores = new(4, 3, 5, 2, 4, 5);

    /// <summary>A placement from 1 to 31 December: its last week starts on the 25th.</summary>
    private static PlacementOffer December() => Offer(seats: 2, starts: new DateOnly(2026, 12, 1), ends: new DateOnly(2026, 12, 31));

    private static DateTimeOffset On(int month, int day) => new(2026, month, day, 14, 0, 0, TimeSpan.Zero);

    private static (Evaluation Evaluation, EvaluationRecorded Event) Record(
        HospitalAssignment assignment, PlacementOffer offer, EvaluationKind kind, DateTimeOffset at, params EvaluationKind[] recorded) =>
        Evaluation.Record(assignment, offer, recorded, assignment.MentorId ?? Guid.NewGuid(), kind, Scores, 3, "Takes a careful history; examination still slow.", at);

    [Fact]
    public void An_evaluation_keeps_the_mentors_judgement_and_tells_the_school_who_judged_whom()
    {
        var offer = December();
        var mentor = Mentor(offer, "Dr Mira Kos");
        var assignment = Mentored(offer, mentor);

        var (evaluation, recorded) = Record(assignment, offer, EvaluationKind.Mid, On(12, 10));

        Assert.NotEqual(Guid.Empty, evaluation.Id);
        Assert.Equal(
            (assignment.Id, assignment.StudentId, mentor.Id, EvaluationKind.Mid, Scores, 3, "Takes a careful history; examination still slow.", On(12, 10)),
            (evaluation.AssignmentId, evaluation.StudentId, evaluation.MentorId, evaluation.Kind, evaluation.Scores, evaluation.Entrustment, evaluation.Narrative, evaluation.RecordedAt));
        Assert.Equal(
            (evaluation.Id, assignment.Id, assignment.StudentId, offer.HospitalId, mentor.Id, "Dr Mira Kos", "Mid"),
            (recorded.EvaluationId, recorded.AssignmentId, recorded.StudentId, recorded.HospitalId, recorded.MentorId, recorded.MentorName, recorded.Kind));
        Assert.Equal(
            (Scores, 3, "Takes a careful history; examination still slow.", 1L, On(12, 10)),
            (recorded.Scores, recorded.Entrustment, recorded.Narrative, recorded.Version, recorded.OccurredAt));
    }

    [Fact]
    public void The_event_names_no_mentor_rather_than_a_missing_one_when_none_is_assigned()
    {
        var offer = December();
        var assignment = Confirmed(offer);

        var (_, recorded) = Record(assignment, offer, EvaluationKind.Mid, On(12, 10));

        Assert.Equal(string.Empty, recorded.MentorName);
    }

    [Fact]
    public void The_mid_placement_evaluation_may_be_recorded_from_the_first_day_of_the_placement()
    {
        var offer = December();
        var assignment = Confirmed(offer);

        var early = Assert.Throws<DomainRuleException>(() => Record(assignment, offer, EvaluationKind.Mid, On(11, 30)));
        Assert.Equal(
            (RuleMeaning.Invalid, "kind", "The placement starts on 2026-12-01; nothing can be evaluated before it starts."),
            (early.Meaning, early.Field, early.Message));

        Assert.Equal(EvaluationKind.Mid, Record(assignment, offer, EvaluationKind.Mid, On(12, 1)).Evaluation.Kind);
    }

    [Fact]
    public void A_final_evaluation_before_the_placement_starts_is_refused_for_the_start_first()
    {
        var offer = December();

        var error = Assert.Throws<DomainRuleException>(() => Record(Confirmed(offer), offer, EvaluationKind.Final, On(11, 30)));

        Assert.StartsWith("The placement starts on 2026-12-01", error.Message);
    }

    [Fact]
    public void The_final_evaluation_opens_in_the_placements_last_seven_days()
    {
        var offer = December();
        var assignment = Confirmed(offer);

        var early = Assert.Throws<DomainRuleException>(() => Record(assignment, offer, EvaluationKind.Final, On(12, 24)));
        Assert.Equal(
            (RuleMeaning.Invalid, "kind", "The final evaluation is recorded in the placement's last week, from 2026-12-25."),
            (early.Meaning, early.Field, early.Message));

        Assert.Equal(EvaluationKind.Final, Record(assignment, offer, EvaluationKind.Final, On(12, 25)).Evaluation.Kind);
        Assert.Equal(EvaluationKind.Final, Record(assignment, offer, EvaluationKind.Final, new DateTimeOffset(2027, 1, 8, 9, 0, 0, TimeSpan.Zero)).Evaluation.Kind);
    }

    [Fact]
    public void The_mid_placement_evaluation_may_still_be_recorded_in_the_last_week()
    {
        var offer = December();

        Assert.Equal(EvaluationKind.Mid, Record(Confirmed(offer), offer, EvaluationKind.Mid, On(12, 30)).Evaluation.Kind);
    }

    [Theory]
    [InlineData(EvaluationKind.Mid, "The mid evaluation of this placement is already recorded.")]
    [InlineData(EvaluationKind.Final, "The final evaluation of this placement is already recorded.")]
    public void Each_evaluation_is_recorded_once_per_placement(EvaluationKind kind, string refusal)
    {
        var offer = December();

        var error = Assert.Throws<DomainRuleException>(() => Record(Confirmed(offer), offer, kind, On(12, 28), EvaluationKind.Mid, EvaluationKind.Final));

        Assert.Equal((RuleMeaning.Conflict, refusal), (error.Meaning, error.Message));
    }

    [Fact]
    public void The_final_evaluation_is_recorded_after_the_mid_placement_one()
    {
        var offer = December();

        Assert.Equal(EvaluationKind.Final, Record(Confirmed(offer), offer, EvaluationKind.Final, On(12, 28), EvaluationKind.Mid).Evaluation.Kind);
    }

    [Fact]
    public void A_student_whose_placement_is_not_confirmed_is_not_evaluated()
    {
        var offer = December();

        var error = Assert.Throws<DomainRuleException>(() => Record(Placed(offer), offer, EvaluationKind.Mid, On(12, 10)));

        Assert.Equal((RuleMeaning.Conflict, "Evaluations are recorded only on a confirmed placement; this one is Pending."), (error.Meaning, error.Message));
    }

    public static TheoryData<CompetencyScores, int, string, string> OffTheScale => new()
    {
        { Scores with { HistoryTaking = 0 }, 3, "Takes a careful history.", "scores.historyTaking" },
        { Scores with { PhysicalExamination = 6 }, 3, "Takes a careful history.", "scores.physicalExamination" },
        { Scores with { ClinicalReasoning = -1 }, 3, "Takes a careful history.", "scores.clinicalReasoning" },
        { Scores with { ProceduralSkills = 0 }, 3, "Takes a careful history.", "scores.proceduralSkills" },
        { Scores with { Communication = 6 }, 3, "Takes a careful history.", "scores.communication" },
        { Scores with { Professionalism = 0 }, 3, "Takes a careful history.", "scores.professionalism" },
        { Scores, 0, "Takes a careful history.", "entrustment" },
        { Scores, 6, "Takes a careful history.", "entrustment" },
        { Scores, 3, "   Good.       ", "narrative" },
        { Scores, 3, new string('x', 4001), "narrative" },
    };

    [Theory]
    [MemberData(nameof(OffTheScale))]
    public void A_judgement_off_the_one_to_five_scale_or_without_words_is_refused_at_its_field(CompetencyScores scores, int entrustment, string narrative, string field)
    {
        var offer = December();

        var error = Assert.Throws<DomainRuleException>(() =>
            Evaluation.Record(Confirmed(offer), offer, [], Guid.NewGuid(), EvaluationKind.Mid, scores, entrustment, narrative, On(12, 10)));

        Assert.Equal((RuleMeaning.Invalid, field), (error.Meaning, error.Field));
    }

    [Fact]
    public void The_ends_of_the_scale_and_of_the_narrative_are_accepted()
    {
        var offer = December();

        var (low, _) = Evaluation.Record(Confirmed(offer), offer, [], Guid.NewGuid(), EvaluationKind.Mid, new CompetencyScores(1, 1, 1, 1, 1, 1), 1, "Ten chars.", On(12, 10));
        var (high, _) = Evaluation.Record(Confirmed(offer), offer, [], Guid.NewGuid(), EvaluationKind.Mid, new CompetencyScores(5, 5, 5, 5, 5, 5), 5, new string('x', 4000), On(12, 10));

        Assert.Equal((1, 5), (low.Entrustment, high.Entrustment));
    }
}
