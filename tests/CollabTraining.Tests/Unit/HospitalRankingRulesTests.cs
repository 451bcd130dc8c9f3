using CollabTraining.School.Rounds;
using CollabTraining.Domain;

namespace CollabTraining.Tests.Unit;

/// <summary>A hospital's own order of the students who applied to its offer, and a student's own ranking: each replaced whole.</summary>
public sealed class HospitalRankingRulesTests
{
    private static readonly DateTimeOffset Now = new(2027, 1, 4, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid Offer = Guid.NewGuid();
    private static readonly Guid Ada = Guid.NewGuid();
    private static readonly Guid Grace = Guid.NewGuid();
    private static readonly Guid Hedy = Guid.NewGuid();

    private static readonly PlacementRound Round = PlacementRound.Open(new RoundTerms("Spring", [Offer], Now.AddDays(1), Now.AddDays(8), 3), Guid.NewGuid(), Now);
    private static readonly DateTimeOffset During = Now.AddDays(2);

    private static readonly IReadOnlySet<Guid> Applicants = new HashSet<Guid> { Ada, Grace, Hedy };

    [Fact]
    public void A_hospital_orders_its_applicants_while_the_window_is_open_and_a_new_order_replaces_the_old()
    {
        var ranking = HospitalRanking.Start(Round.Id, Offer);
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        List<Guid> order = [Grace, Ada];

        ranking.Replace(Round, order, Applicants, first, During);
        order.Add(Hedy);
        Assert.Equal([Grace, Ada], ranking.StudentIds);
        Assert.Equal((Round.Id, Offer, first, During), (ranking.RoundId, ranking.OfferId, ranking.SubmittedBy, ranking.SubmittedAt));

        ranking.Replace(Round, [Hedy], Applicants, second, During.AddHours(1));
        Assert.Equal([Hedy], ranking.StudentIds);
        Assert.Equal((second, During.AddHours(1)), (ranking.SubmittedBy, ranking.SubmittedAt));
    }

    [Fact]
    public void A_hospital_ranks_only_while_students_do_and_is_told_where_the_round_stands()
    {
        var ranking = HospitalRanking.Start(Round.Id, Offer);

        var early = Assert.Throws<DomainRuleException>(() => ranking.Replace(Round, [Ada], Applicants, Guid.NewGuid(), Now));
        Assert.Equal((RuleMeaning.Conflict, "Hospitals rank their applicants while the preference window is open; this round is Scheduled."), (early.Meaning, early.Message));
        var late = Assert.Throws<DomainRuleException>(() => ranking.Replace(Round, [Ada], Applicants, Guid.NewGuid(), Now.AddDays(8)));
        Assert.Equal("Hospitals rank their applicants while the preference window is open; this round is Closed.", late.Message);
        Assert.Empty(ranking.StudentIds);
    }

    [Fact]
    public void A_student_ranked_twice_is_refused()
    {
        var ranking = HospitalRanking.Start(Round.Id, Offer);

        var error = Assert.Throws<DomainRuleException>(() => ranking.Replace(Round, [Ada, Grace, Ada], Applicants, Guid.NewGuid(), During));

        Assert.Equal(("studentIds", "A student is ranked twice."), (error.Field, error.Message));
        Assert.Empty(ranking.StudentIds);
    }

    [Fact]
    public void Students_who_did_not_apply_are_refused_and_named()
    {
        var ranking = HospitalRanking.Start(Round.Id, Offer);
        var (stranger, another) = (Guid.NewGuid(), Guid.NewGuid());

        var error = Assert.Throws<DomainRuleException>(() => ranking.Replace(Round, [Ada, stranger, another], Applicants, Guid.NewGuid(), During));

        Assert.Equal(("studentIds", $"These students did not apply to your offer: {stranger}, {another}."), (error.Field, error.Message));
        Assert.Empty(ranking.StudentIds);
    }

    [Fact]
    public void A_students_ranking_is_replaced_whole_and_keeps_when_it_was_given()
    {
        var preference = RoundPreference.Start(Round.Id, Ada);
        List<Guid> offers = [Offer];

        preference.Replace(offers, During);
        offers.Clear();

        Assert.Equal((Round.Id, Ada, During), (preference.RoundId, preference.StudentId, preference.SubmittedAt));
        Assert.Equal([Offer], preference.OfferIds);

        preference.Replace([], During.AddHours(1));
        Assert.Empty(preference.OfferIds);
        Assert.Equal(During.AddHours(1), preference.SubmittedAt);
    }
}
