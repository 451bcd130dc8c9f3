using CollabTraining.Contracts.Hospitals;
using CollabTraining.Contracts.School;
using CollabTraining.School.Assignments;
using CollabTraining.School.Catalog;
using CollabTraining.School.Matching;
using CollabTraining.School.Rounds;
using CollabTraining.School.Runs;
using CollabTraining.School.Students;
using CollabTraining.Domain;

namespace CollabTraining.Tests.Unit;

/// <summary>The coordinator moves a student to another offer of a published round: a free seat the student is eligible for.</summary>
public sealed class StudentMoveTests
{
    private static readonly DateTimeOffset Opened = new(2027, 1, 4, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = Opened.AddDays(10);
    private static readonly Student Ada = Student.Enrol(Guid.NewGuid(), "S1", "Ada Lovelace", "medicine", 4);
    private static readonly Guid Coordinator = Guid.NewGuid();

    private readonly CatalogPlacement _cardiology = Placement("Cardiology ward");
    private readonly CatalogPlacement _paediatrics = Placement("Paediatrics ward");
    private readonly CatalogPlacement _surgery = Placement("Surgery", minimumYear: 5);

    private static CatalogPlacement Placement(string title, int minimumYear = 3)
    {
        var placement = CatalogPlacement.Empty(Guid.NewGuid(), Guid.NewGuid());
        placement.Apply(new PlacementOfferSnapshot(placement.OfferId, placement.HospitalId, "St Mary's", "Ward", "cardiology", title,
            new DateOnly(2027, 3, 1), new DateOnly(2027, 3, 28), 2, new PlacementRequirements(minimumYear, [], [])), 1, Opened);
        return placement;
    }

    private PlacementRound Round(bool publish = true)
    {
        var round = PlacementRound.Open(
            new RoundTerms("Spring", [_cardiology.OfferId, _paediatrics.OfferId, _surgery.OfferId], Opened, Opened.AddDays(7), 3), Coordinator, Opened);
        if (publish)
        {
            var run = MatchRun.Record(round.Id, MatchRunKind.Initial, MatchEngine.Run(new MatchInstance([], [], 1)), Coordinator, Opened.AddDays(8));
            round.Publish(run, run.InputDigest, Opened.AddDays(20), Opened.AddDays(8));
        }

        return round;
    }

    private PlacementAssignment OnCardiology(PlacementRound round) =>
        PlacementAssignment.Make(round.Id, Guid.NewGuid(), _cardiology.OfferId, _cardiology.HospitalId, Ada, 1, Opened.AddDays(8)).Assignment;

    private (PlacementReleasedBySchool Released, PlacementAssignment Moved, PlacementAssigned Assigned) Move(
        PlacementRound round, PlacementAssignment current, Guid offerId, CatalogPlacement? target, int freeSeats = 1, IReadOnlyList<Guid>? ranking = null) =>
        StudentMove.Move(round, current, offerId, target, freeSeats, Ada, [], [], ranking ?? [], "The cardiology ward is under renovation.", Coordinator, Now);

    [Fact]
    public void The_student_is_released_from_the_old_seat_and_placed_on_the_new_one_awaiting_that_hospital()
    {
        var round = Round();
        var current = OnCardiology(round);
        var version = round.Version;

        var (released, moved, assigned) = Move(round, current, _paediatrics.OfferId, _paediatrics, ranking: [_cardiology.OfferId, _paediatrics.OfferId]);

        Assert.Equal(new PlacementReleasedBySchool(current.Id, _cardiology.HospitalId, "Moved by the school coordinator: The cardiology ward is under renovation.", 2, Now), released);
        Assert.Equal((PlacementAssignmentStatus.ReleasedBySchool, (Guid?)Coordinator), (current.Status, current.DeclinedBy));
        Assert.Equal((round.Id, (Guid?)null, _paediatrics.OfferId, _paediatrics.HospitalId, Ada.Id, 2, PlacementAssignmentStatus.Pending),
            (moved.RoundId, moved.RunId, moved.OfferId, moved.HospitalId, moved.StudentId, moved.Rank, moved.Status));
        Assert.Equal((moved.Id, _paediatrics.HospitalId, "Ada Lovelace"), (assigned.AssignmentId, assigned.HospitalId, assigned.StudentName));
        Assert.Equal(version + 1, round.Version);
    }

    [Fact]
    public void A_move_to_an_offer_the_student_did_not_rank_records_rank_zero()
    {
        var round = Round();

        var (_, moved, _) = Move(round, OnCardiology(round), _paediatrics.OfferId, _paediatrics, ranking: [_cardiology.OfferId]);

        Assert.Equal(0, moved.Rank);
    }

    [Fact]
    public void Before_the_round_is_published_nobody_is_moved()
    {
        var round = Round(publish: false);
        var current = OnCardiology(round);

        var error = Assert.Throws<DomainRuleException>(() => Move(round, current, _paediatrics.OfferId, _paediatrics));
        Assert.Equal((RuleMeaning.Conflict, "The round's assignments have not been published."), (error.Meaning, error.Message));
        Assert.Equal(PlacementAssignmentStatus.Pending, current.Status);
    }

    [Fact]
    public void An_offer_outside_the_round_or_unknown_to_the_catalog_is_refused_naming_the_offer_field()
    {
        var round = Round();
        var current = OnCardiology(round);
        var elsewhere = Placement("Another round's ward");

        foreach (var (offerId, target) in new[] { (elsewhere.OfferId, elsewhere), (_paediatrics.OfferId, (CatalogPlacement?)null) })
        {
            var error = Assert.Throws<DomainRuleException>(() => Move(round, current, offerId, target));
            Assert.Equal(("offerId", "The offer is not part of this round."), (error.Field, error.Message));
        }

        Assert.Equal(PlacementAssignmentStatus.Pending, current.Status);
    }

    [Fact]
    public void Moving_a_student_to_the_offer_they_hold_is_refused()
    {
        var round = Round();
        var current = OnCardiology(round);

        var error = Assert.Throws<DomainRuleException>(() => Move(round, current, _cardiology.OfferId, _cardiology));
        Assert.Equal(("offerId", "The student already holds this offer."), (error.Field, error.Message));
        Assert.Equal(PlacementAssignmentStatus.Pending, current.Status);
    }

    [Fact]
    public void An_offer_the_student_is_not_eligible_for_is_refused_naming_the_student_the_offer_and_the_requirement()
    {
        var round = Round();
        var current = OnCardiology(round);

        var error = Assert.Throws<DomainRuleException>(() => Move(round, current, _surgery.OfferId, _surgery));
        Assert.Equal(RuleMeaning.Conflict, error.Meaning);
        Assert.Equal("Ada Lovelace cannot take 'Surgery': study year 5 or above is required (you are in year 4).", error.Message);
        Assert.Equal(PlacementAssignmentStatus.Pending, current.Status);
    }

    [Fact]
    public void An_offer_without_a_free_seat_is_refused()
    {
        var round = Round();
        var current = OnCardiology(round);

        var error = Assert.Throws<DomainRuleException>(() => Move(round, current, _paediatrics.OfferId, _paediatrics, freeSeats: 0));
        Assert.Equal((RuleMeaning.Conflict, "'Paediatrics ward' has no free seat."), (error.Meaning, error.Message));
        Assert.Equal(PlacementAssignmentStatus.Pending, current.Status);
    }
}
