using CollabTraining.Domain;
using CollabTraining.Hospitals.Placements;
using static CollabTraining.Tests.Unit.HospitalPlacements;

namespace CollabTraining.Tests.Unit;

/// <summary>A placement offer from draft to withdrawal, as the hospital coordinator and the school's catalog see it.</summary>
public sealed class PlacementOfferLifecycleTests
{
    private static readonly Guid Hospital = Guid.NewGuid();
    private static readonly DateTimeOffset Later = Now.AddHours(3);

    [Fact]
    public void A_published_offer_is_in_the_catalog_from_the_moment_it_is_created_with_every_term_stated()
    {
        var offer = PlacementOffer.Publish(Hospital, Terms(seats: 4), Now);

        Assert.NotEqual(Guid.Empty, offer.Id);
        Assert.Equal((Hospital, PlacementOfferStatus.Published, true, 1L), (offer.HospitalId, offer.Status, offer.IsPublic, offer.Version));
        Assert.Equal((Now, Now, Now), (offer.PublishedAt!.Value, offer.CreatedAt, offer.UpdatedAt));
        Assert.Equal(
            ("Cardiology", "cardiology", "Cardiology ward", new DateOnly(2027, 1, 4), new DateOnly(2027, 1, 29), 4, 4),
            (offer.Department, offer.Specialty, offer.Title, offer.StartsOn, offer.EndsOn, offer.Seats, offer.MinimumStudyYear));
        Assert.Equal(["basic-life-support"], offer.RequiredQualifications);
        Assert.Equal(["medicine"], offer.AllowedProgrammes);
        Assert.Equal(0, offer.ConfirmationCount);
    }

    [Fact]
    public void A_draft_stays_with_its_hospital_until_it_is_published()
    {
        var draft = PlacementOffer.Draft(Hospital, Terms(), Now);
        Assert.Equal((PlacementOfferStatus.Draft, false, null, 1L), (draft.Status, draft.IsPublic, draft.PublishedAt, draft.Version));

        draft.PublishDraft(Later);

        Assert.Equal((PlacementOfferStatus.Published, true, 2L), (draft.Status, draft.IsPublic, draft.Version));
        Assert.Equal((Later, Later, Now), (draft.PublishedAt!.Value, draft.UpdatedAt, draft.CreatedAt));
    }

    [Fact]
    public void Only_a_draft_can_be_published()
    {
        var offer = PlacementOffer.Publish(Hospital, Terms(), Now);

        var error = Assert.Throws<DomainRuleException>(() => offer.PublishDraft(Later));

        Assert.Equal((RuleMeaning.Conflict, "Only a draft can be published; this offer is Published."), (error.Meaning, error.Message));
        Assert.Equal((Now, 1L), (offer.PublishedAt!.Value, offer.Version));
    }

    [Fact]
    public void Closing_stops_new_students_but_keeps_the_offer_in_the_catalog()
    {
        var offer = PlacementOffer.Publish(Hospital, Terms(), Now);

        offer.Close(Later);

        Assert.Equal((PlacementOfferStatus.Closed, true, 2L, Later), (offer.Status, offer.IsPublic, offer.Version, offer.UpdatedAt));
        var again = Assert.Throws<DomainRuleException>(() => offer.Close(Later));
        Assert.Equal((RuleMeaning.Conflict, "Only a published offer can be closed; this offer is Closed."), (again.Meaning, again.Message));
        Assert.Equal(2L, offer.Version);
    }

    [Fact]
    public void A_draft_cannot_be_closed()
    {
        var draft = PlacementOffer.Draft(Hospital, Terms(), Now);
        Assert.Equal("Only a published offer can be closed; this offer is Draft.", Assert.Throws<DomainRuleException>(() => draft.Close(Later)).Message);
        Assert.Equal(PlacementOfferStatus.Draft, draft.Status);
    }

    [Fact]
    public void A_withdrawn_offer_leaves_the_catalog_and_cannot_be_withdrawn_again()
    {
        var offer = PlacementOffer.Publish(Hospital, Terms(), Now);

        offer.Withdraw(Later);

        Assert.Equal((PlacementOfferStatus.Withdrawn, false, 2L, Later), (offer.Status, offer.IsPublic, offer.Version, offer.UpdatedAt));
        var again = Assert.Throws<DomainRuleException>(() => offer.Withdraw(Later.AddHours(1)));
        Assert.Equal((RuleMeaning.Conflict, "The offer was withdrawn and cannot be withdrawn again."), (again.Meaning, again.Message));
        Assert.Equal((2L, Later), (offer.Version, offer.UpdatedAt));
    }

    [Fact]
    public void A_withdrawn_offer_cannot_be_changed_and_keeps_its_terms()
    {
        var offer = PlacementOffer.Publish(Hospital, Terms(seats: 3), Now);
        offer.Withdraw(Later);

        var error = Assert.Throws<DomainRuleException>(() => offer.Revise(Terms(seats: 5), 0, Later));

        Assert.Equal("The offer was withdrawn and cannot be changed.", error.Message);
        Assert.Equal(3, offer.Seats);
    }

    [Fact]
    public void Revising_replaces_every_term_and_the_catalog_receives_the_new_ones()
    {
        var offer = PlacementOffer.Publish(Hospital, Terms(), Now);
        var revised = new PlacementOfferTerms(
            "Paediatrics", "paediatrics", "Children's ward", new DateOnly(2027, 2, 1), new DateOnly(2027, 2, 26), 6, 5,
            ["safeguarding", "infection-control"], ["medicine", "nursing"]);

        offer.Revise(revised, studentsHoldingSeats: 0, Later);

        Assert.Equal((2L, Later, Now), (offer.Version, offer.UpdatedAt, offer.CreatedAt));
        var snapshot = offer.Snapshot("St Mary's");
        Assert.Equal(
            (offer.Id, Hospital, "St Mary's", "Paediatrics", "paediatrics", "Children's ward", new DateOnly(2027, 2, 1), new DateOnly(2027, 2, 26), 6),
            (snapshot.OfferId, snapshot.HospitalId, snapshot.HospitalName, snapshot.Department, snapshot.Specialty, snapshot.Title, snapshot.StartsOn, snapshot.EndsOn, snapshot.Seats));
        Assert.Equal(5, snapshot.Requirements.MinimumStudyYear);
        Assert.Equal(["safeguarding", "infection-control"], snapshot.Requirements.RequiredQualifications);
        Assert.Equal(["medicine", "nursing"], snapshot.Requirements.AllowedProgrammes);
    }

    [Fact]
    public void The_current_terms_read_back_as_stated()
    {
        var offer = PlacementOffer.Publish(Hospital, Terms(seats: 7), Now);

        var terms = offer.Terms;

        Assert.Equal(
            ("Cardiology", "cardiology", "Cardiology ward", new DateOnly(2027, 1, 4), new DateOnly(2027, 1, 29), 7, 4),
            (terms.Department, terms.Specialty, terms.Title, terms.StartsOn, terms.EndsOn, terms.Seats, terms.MinimumStudyYear));
        Assert.Equal(["basic-life-support"], terms.RequiredQualifications);
        Assert.Equal(["medicine"], terms.AllowedProgrammes);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    [InlineData(1, 1)]
    public void The_period_cannot_move_under_students_holding_seats_and_the_refusal_names_them_and_the_period(int startShift, int endShift)
    {
        var offer = PlacementOffer.Publish(Hospital, Terms(), Now);
        var moved = Terms() with { StartsOn = offer.StartsOn.AddDays(startShift), EndsOn = offer.EndsOn.AddDays(endShift) };

        var error = Assert.Throws<DomainRuleException>(() => offer.Revise(moved, studentsHoldingSeats: 2, Later));

        Assert.Equal(RuleMeaning.Conflict, error.Meaning);
        Assert.StartsWith("2 student(s) hold seats on this placement for 2027-01-04 to 2027-01-29; the period cannot move under them.", error.Message);
        Assert.Equal((new DateOnly(2027, 1, 4), new DateOnly(2027, 1, 29), 1L), (offer.StartsOn, offer.EndsOn, offer.Version));
    }

    [Fact]
    public void With_no_student_holding_a_seat_the_period_may_move()
    {
        var offer = PlacementOffer.Publish(Hospital, Terms(), Now);

        offer.Revise(Terms(starts: new DateOnly(2027, 3, 1), ends: new DateOnly(2027, 3, 26)), studentsHoldingSeats: 0, Later);

        Assert.Equal((new DateOnly(2027, 3, 1), new DateOnly(2027, 3, 26)), (offer.StartsOn, offer.EndsOn));
    }

    [Fact]
    public void A_placement_under_way_keeps_its_start_date_while_its_other_terms_change_but_cannot_move_it_into_the_past()
    {
        var offer = PlacementOffer.Publish(Hospital, Terms(starts: Today, ends: Today.AddDays(20)), Now);
        var weekLater = Now.AddDays(7);

        offer.Revise(Terms(seats: 5, starts: Today, ends: Today.AddDays(20)), studentsHoldingSeats: 3, weekLater);
        Assert.Equal((5, Today), (offer.Seats, offer.StartsOn));

        var error = Assert.Throws<PlacementOfferRuleException>(() => offer.Revise(Terms(starts: Today.AddDays(1), ends: Today.AddDays(20)), 0, weekLater));
        Assert.Equal("startsOn", error.Field);
    }

    [Fact]
    public void A_revision_with_invalid_terms_changes_nothing()
    {
        var offer = PlacementOffer.Publish(Hospital, Terms(seats: 3), Now);

        Assert.Equal("seats", Assert.Throws<PlacementOfferRuleException>(() => offer.Revise(Terms(seats: 0), 0, Later)).Field);

        Assert.Equal((3, Now), (offer.Seats, offer.UpdatedAt));
    }

    [Fact]
    public void Each_confirmed_student_moves_the_offers_confirmation_count_on()
    {
        var offer = PlacementOffer.Publish(Hospital, Terms(), Now);

        offer.CountConfirmation();
        offer.CountConfirmation();

        Assert.Equal(2, offer.ConfirmationCount);
    }
}
