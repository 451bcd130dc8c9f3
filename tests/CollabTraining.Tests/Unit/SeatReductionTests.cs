using CollabTraining.Contracts.School;
using CollabTraining.Domain;
using CollabTraining.Hospitals.Assignments;
using CollabTraining.Hospitals.Placements;
using static CollabTraining.Tests.Unit.HospitalPlacements;

namespace CollabTraining.Tests.Unit;

/// <summary>What happens to placed students when a hospital gives fewer seats or withdraws the placement.</summary>
public sealed class SeatReductionTests
{
    private static List<HospitalAssignment> PendingReceivedHourly(PlacementOffer offer, int count) =>
        [.. Enumerable.Range(0, count).Select(hour => Placed(offer, Now.AddHours(hour)))];

    [Fact]
    public void Fewer_seats_decline_the_most_recently_placed_pending_students_first()
    {
        var offer = Offer(seats: 4);
        var holding = PendingReceivedHourly(offer, 4);

        var declined = SeatReduction.WouldDecline(offer, holding, seats: 2);

        Assert.Equal([holding[3], holding[2]], declined);
    }

    [Fact]
    public void Students_placed_at_the_same_moment_are_declined_in_a_fixed_order()
    {
        var offer = Offer(seats: 3);
        var first = Placed(offer, Now, new Guid("00000000-0000-0000-0000-000000000001"));
        var second = Placed(offer, Now, new Guid("00000000-0000-0000-0000-000000000002"));
        var third = Placed(offer, Now, new Guid("00000000-0000-0000-0000-000000000003"));

        Assert.Equal([third, second], SeatReduction.WouldDecline(offer, [first, third, second], seats: 1));
        Assert.Equal([third, second], SeatReduction.WouldDecline(offer, [second, first, third], seats: 1));
    }

    [Fact]
    public void A_reduction_down_to_the_confirmed_students_declines_only_pending_ones()
    {
        var offer = Offer(seats: 3);
        var late = Placed(offer, Now.AddDays(1));
        late.Confirm(offer, 0, Now.AddDays(1));
        var confirmed = Confirmed(offer);
        var pending = Placed(offer);

        var declined = SeatReduction.WouldDecline(offer, [confirmed, pending, late], seats: 2);

        Assert.Equal([pending], declined);
    }

    [Fact]
    public void A_reduction_below_the_confirmed_students_is_refused_naming_the_seats_they_hold()
    {
        var offer = Offer(seats: 3);
        IReadOnlyList<HospitalAssignment> holding = [Confirmed(offer), Confirmed(offer), Placed(offer)];

        var error = Assert.Throws<DomainRuleException>(() => SeatReduction.WouldDecline(offer, holding, seats: 1));

        Assert.Equal(RuleMeaning.Conflict, error.Meaning);
        Assert.Equal("2 students are confirmed on this offer; decline one explicitly before going below 2 seats.", error.Message);
        Assert.All(holding, a => Assert.True(a.HoldsSeat));
    }

    [Fact]
    public void Pending_students_alone_never_block_a_reduction()
    {
        var offer = Offer(seats: 3);
        var holding = PendingReceivedHourly(offer, 3);

        Assert.Equal([holding[2], holding[1]], SeatReduction.WouldDecline(offer, holding, seats: 1));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public void Seats_that_still_cover_every_placed_student_decline_nobody(int seats)
    {
        var offer = Offer(seats: 4);

        Assert.Empty(SeatReduction.WouldDecline(offer, [Confirmed(offer), Placed(offer)], seats));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Keeping_or_adding_seats_declines_nobody_even_when_more_students_hold_seats_than_the_offer_has(int seats)
    {
        var offer = Offer(seats: 1);

        Assert.Empty(SeatReduction.WouldDecline(offer, PendingReceivedHourly(offer, 3), seats));
    }

    [Fact]
    public void The_declined_students_are_told_the_old_and_the_new_seats() =>
        Assert.Equal("The hospital reduced the seats of this placement from 4 to 2.", SeatReduction.Reason(4, 2));

    [Fact]
    public void Withdrawing_a_placement_with_only_pending_students_declines_each_with_the_reason()
    {
        var offer = Offer(seats: 3);
        var holding = PendingReceivedHourly(offer, 2);
        var at = Now.AddDays(2);

        var declined = OfferWithdrawal.Withdraw(offer, holding, force: false, at);

        Assert.Equal((PlacementOfferStatus.Withdrawn, at), (offer.Status, offer.UpdatedAt));
        Assert.Equal(holding.Select(a => a.Id), declined.Select(d => d.AssignmentId));
        Assert.All(declined, d => Assert.Equal(("The hospital withdrew this placement.", at), (d.Reason, d.OccurredAt)));
        Assert.All(holding, a => Assert.Equal((PlacementAssignmentStatus.DeclinedByHospital, OfferWithdrawal.Reason), (a.Status, a.DeclineReason)));
    }

    [Fact]
    public void Confirmed_students_block_a_withdrawal_and_the_refusal_counts_them_and_offers_force()
    {
        var offer = Offer(seats: 3);
        var pending = Placed(offer);

        var error = Assert.Throws<DomainRuleException>(() => OfferWithdrawal.Withdraw(offer, [Confirmed(offer), pending], force: false, Now));

        Assert.Equal(RuleMeaning.Conflict, error.Meaning);
        Assert.Equal(
            "1 student(s) are confirmed on this placement. Decline them first, or withdraw with force=true, which declines them with the reason \"The hospital withdrew this placement.\".",
            error.Message);
        Assert.Equal((PlacementOfferStatus.Published, PlacementAssignmentStatus.Pending), (offer.Status, pending.Status));
    }

    [Fact]
    public void Students_who_no_longer_hold_a_seat_are_left_as_they_are_when_the_placement_is_withdrawn()
    {
        var offer = Offer(seats: 3);
        var gaveUp = Placed(offer);
        gaveUp.ApplySchoolDecision(PlacementAssignmentStatus.DeclinedByStudent, "Moved to another city.");
        var pending = Placed(offer);

        var declined = OfferWithdrawal.Withdraw(offer, [gaveUp, pending], force: false, Now);

        Assert.Equal([pending.Id], declined.Select(d => d.AssignmentId));
        Assert.Equal((PlacementAssignmentStatus.DeclinedByStudent, "Moved to another city."), (gaveUp.Status, gaveUp.DeclineReason));
    }

    [Fact]
    public void A_placement_nobody_holds_is_withdrawn_without_declines()
    {
        var offer = Offer(seats: 3);

        Assert.Empty(OfferWithdrawal.Withdraw(offer, [], force: false, Now));
        Assert.Equal(PlacementOfferStatus.Withdrawn, offer.Status);
    }
}
