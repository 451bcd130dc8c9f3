using CollabTraining.Contracts.School;
using CollabTraining.Domain;
using CollabTraining.Hospitals.Assignments;
using CollabTraining.Hospitals.Placements;
using CollabTraining.ServiceDefaults.Security;
using static CollabTraining.Tests.Unit.HospitalPlacements;

namespace CollabTraining.Tests.Unit;

/// <summary>A student the school placed at a hospital, as the hospital's coordinators answer for them and assign their mentor.</summary>
public sealed class HospitalAssignmentLifecycleTests
{
    private static readonly DateTimeOffset Later = Now.AddHours(2);

    [Fact]
    public void A_placed_student_arrives_pending_with_what_the_school_sent()
    {
        var offer = Offer();
        var placed = new PlacementAssigned(Guid.NewGuid(), Guid.NewGuid(), offer.Id, offer.HospitalId, Guid.NewGuid(), "Ana Novak", 5, "medicine", 2, 1, Now);

        var assignment = HospitalAssignment.Receive(placed, Later);

        Assert.Equal(
            (placed.AssignmentId, placed.RoundId, offer.Id, offer.HospitalId, placed.StudentId, "Ana Novak", 5, "medicine"),
            (assignment.Id, assignment.RoundId, assignment.OfferId, assignment.HospitalId, assignment.StudentId, assignment.StudentName, assignment.StudyYear, assignment.Programme));
        Assert.Equal((PlacementAssignmentStatus.Pending, true, 1L, Later), (assignment.Status, assignment.HoldsSeat, assignment.Version, assignment.ReceivedAt));
        Assert.Equal((null, null, null, 0), (assignment.DeclineReason, assignment.MentorId, assignment.MentorName, assignment.HoursEntries));
    }

    [Fact]
    public void Confirming_a_student_takes_a_seat_and_tells_the_school()
    {
        var offer = Offer(seats: 2);
        var assignment = Placed(offer);

        var confirmed = assignment.Confirm(offer, confirmedOnOffer: 0, Later);

        Assert.Equal((assignment.Id, offer.Id, assignment.StudentId, 2L, Later), (confirmed.AssignmentId, confirmed.OfferId, confirmed.StudentId, confirmed.Version, confirmed.OccurredAt));
        Assert.Equal((PlacementAssignmentStatus.Confirmed, true, 2L), (assignment.Status, assignment.HoldsSeat, assignment.Version));
        Assert.Equal(1, offer.ConfirmationCount);
    }

    [Fact]
    public void The_last_free_seat_can_be_confirmed()
    {
        var offer = Offer(seats: 2);
        var assignment = Placed(offer);

        assignment.Confirm(offer, confirmedOnOffer: 1, Later);

        Assert.Equal(PlacementAssignmentStatus.Confirmed, assignment.Status);
    }

    [Fact]
    public void A_placement_whose_seats_are_all_confirmed_refuses_another_student_naming_its_seats()
    {
        var offer = Offer(seats: 2);
        var assignment = Placed(offer);

        var error = Assert.Throws<DomainRuleException>(() => assignment.Confirm(offer, confirmedOnOffer: 2, Later));

        Assert.Equal(RuleMeaning.Conflict, error.Meaning);
        Assert.Equal("All 2 seats of this placement are confirmed already; decline this student or add a seat first.", error.Message);
        Assert.Equal((PlacementAssignmentStatus.Pending, 1L, 0L), (assignment.Status, assignment.Version, offer.ConfirmationCount));
    }

    [Fact]
    public void A_student_on_a_withdrawn_placement_cannot_be_confirmed()
    {
        var offer = Offer();
        var assignment = Placed(offer);
        offer.Withdraw(Now);

        var error = Assert.Throws<DomainRuleException>(() => assignment.Confirm(offer, 0, Later));

        Assert.Equal((RuleMeaning.Conflict, "The placement was withdrawn; its students cannot be confirmed."), (error.Meaning, error.Message));
        Assert.Equal(0L, offer.ConfirmationCount);
    }

    [Fact]
    public void A_student_already_placed_on_a_closed_placement_can_still_be_confirmed()
    {
        var offer = Offer();
        var assignment = Placed(offer);
        offer.Close(Now);

        assignment.Confirm(offer, 0, Later);

        Assert.Equal(PlacementAssignmentStatus.Confirmed, assignment.Status);
    }

    [Fact]
    public void Only_a_pending_student_is_confirmed()
    {
        var offer = Offer();
        var assignment = Confirmed(offer);

        var error = Assert.Throws<DomainRuleException>(() => assignment.Confirm(offer, 0, Later));

        Assert.Equal((RuleMeaning.Conflict, "Only a pending assignment can be confirmed; this one is Confirmed."), (error.Meaning, error.Message));
        Assert.Equal((2L, 1L), (assignment.Version, offer.ConfirmationCount));
    }

    [Fact]
    public void Declining_a_student_releases_the_seat_and_tells_the_school_why()
    {
        var offer = Offer();
        var assignment = Confirmed(offer);

        var declined = assignment.Decline("The ward closes for renovation.", Later);

        Assert.Equal(
            (assignment.Id, offer.Id, assignment.StudentId, "The ward closes for renovation.", 3L, Later),
            (declined.AssignmentId, declined.OfferId, declined.StudentId, declined.Reason, declined.Version, declined.OccurredAt));
        Assert.Equal((PlacementAssignmentStatus.DeclinedByHospital, "The ward closes for renovation.", false), (assignment.Status, assignment.DeclineReason, assignment.HoldsSeat));
    }

    [Fact]
    public void A_declined_student_cannot_be_declined_again()
    {
        var assignment = Placed(Offer());
        assignment.Decline("No supervisor that month.", Now);

        var error = Assert.Throws<DomainRuleException>(() => assignment.Decline("Again.", Later));

        Assert.Equal("Only a pending or confirmed assignment can be declined; this one is DeclinedByHospital.", error.Message);
        Assert.Equal(("No supervisor that month.", 2L), (assignment.DeclineReason, assignment.Version));
    }

    [Fact]
    public void A_mentor_is_assigned_to_a_confirmed_student_and_the_school_learns_who()
    {
        var offer = Offer();
        var assignment = Confirmed(offer);
        var mentor = Mentor(offer, "Dr Mira Kos");

        var assigned = assignment.AssignMentor(mentor, Later);

        Assert.Equal(
            (assignment.Id, assignment.StudentId, mentor.Id, "Dr Mira Kos", 3L, Later),
            (assigned.AssignmentId, assigned.StudentId, assigned.MentorId, assigned.MentorName, assigned.Version, assigned.OccurredAt));
        Assert.Equal((mentor.Id, "Dr Mira Kos", 3L), (assignment.MentorId!.Value, assignment.MentorName, assignment.Version));
    }

    [Fact]
    public void A_student_not_yet_confirmed_gets_no_mentor()
    {
        var offer = Offer();
        var assignment = Placed(offer);

        var error = Assert.Throws<DomainRuleException>(() => assignment.AssignMentor(Mentor(offer), Later));

        Assert.Equal((RuleMeaning.Conflict, "A mentor is assigned to a confirmed student only; this one is Pending."), (error.Meaning, error.Message));
        Assert.Null(assignment.MentorId);
    }

    [Fact]
    public void A_retired_mentor_is_not_assigned_and_the_refusal_names_them()
    {
        var offer = Offer();
        var assignment = Confirmed(offer);
        var mentor = Mentor(offer, "Dr Ivo Bran");
        mentor.Retire(Now);

        var error = Assert.Throws<DomainRuleException>(() => assignment.AssignMentor(mentor, Later));

        Assert.Equal((RuleMeaning.Invalid, "mentorId", "Dr Ivo Bran no longer mentors students here."), (error.Meaning, error.Field, error.Message));
        Assert.Equal((null, 2L), (assignment.MentorId, assignment.Version));
    }

    [Fact]
    public void The_schools_decision_applies_while_the_student_holds_a_seat_and_only_once()
    {
        var assignment = Confirmed(Offer());

        Assert.True(assignment.ApplySchoolDecision(PlacementAssignmentStatus.ReleasedBySchool, "Moved to the surgery placement."));
        Assert.Equal((PlacementAssignmentStatus.ReleasedBySchool, "Moved to the surgery placement.", 3L), (assignment.Status, assignment.DeclineReason, assignment.Version));

        Assert.False(assignment.ApplySchoolDecision(PlacementAssignmentStatus.DeclinedByStudent, "Gave it up."));
        Assert.Equal((PlacementAssignmentStatus.ReleasedBySchool, "Moved to the surgery placement.", 3L), (assignment.Status, assignment.DeclineReason, assignment.Version));
    }

    [Theory]
    [InlineData(PlacementAssignmentStatus.DeclinedByHospital)]
    [InlineData(PlacementAssignmentStatus.DeclinedByStudent)]
    [InlineData(PlacementAssignmentStatus.ReleasedBySchool)]
    public void A_student_who_was_declined_released_or_gave_up_holds_no_seat(PlacementAssignmentStatus status)
    {
        var assignment = Placed(Offer());

        assignment.ApplySchoolDecision(status, "Reason.");

        Assert.False(assignment.HoldsSeat);
    }

    [Fact]
    public void A_mentor_takes_two_projects_unless_told_otherwise_and_between_none_and_fifty()
    {
        var hospital = Guid.NewGuid();
        var user = Guid.NewGuid();
        var mentor = ClinicalMentor.Register(user, hospital, "Dr Mira Kos");
        Assert.Equal((user, hospital, "Dr Mira Kos", 2, true, null), (mentor.Id, mentor.HospitalId, mentor.Name, mentor.ProjectCapacity, mentor.Active, mentor.RetiredAt));

        Assert.Equal(0, ClinicalMentor.Register(user, hospital, "Dr Mira Kos", 0).ProjectCapacity);
        Assert.Equal(50, ClinicalMentor.Register(user, hospital, "Dr Mira Kos", 50).ProjectCapacity);
        foreach (var capacity in new[] { -1, 51 })
        {
            var error = Assert.Throws<DomainRuleException>(() => ClinicalMentor.Register(user, hospital, "Dr Mira Kos", capacity));
            Assert.Equal(("projectCapacity", "A mentor takes between 0 and 50 projects at once."), (error.Field, error.Message));
        }
    }

    [Fact]
    public void A_retired_mentor_keeps_the_date_they_first_retired()
    {
        var mentor = ClinicalMentor.Register(Guid.NewGuid(), Guid.NewGuid(), "Dr Mira Kos");

        mentor.Retire(Now);
        mentor.Retire(Later);

        Assert.Equal((Now, false), (mentor.RetiredAt!.Value, mentor.Active));
    }

    [Fact]
    public void A_reinstated_mentor_returns_under_their_current_name_and_capacity()
    {
        var mentor = ClinicalMentor.Register(Guid.NewGuid(), Guid.NewGuid(), "Dr Mira Kos", 1);
        mentor.Retire(Now);

        mentor.Reinstate("Dr Mira Kos-Bran", 4);

        Assert.Equal(("Dr Mira Kos-Bran", 4, null, true), (mentor.Name, mentor.ProjectCapacity, mentor.RetiredAt, mentor.Active));
        Assert.Equal("projectCapacity", Assert.Throws<DomainRuleException>(() => mentor.Reinstate("Dr Mira Kos-Bran", 51)).Field);
    }

    [Fact]
    public void A_mentor_reinstated_without_a_capacity_takes_the_default()
    {
        var mentor = ClinicalMentor.Register(Guid.NewGuid(), Guid.NewGuid(), "Dr Mira Kos", 7);
        mentor.Retire(Now);

        mentor.Reinstate("Dr Mira Kos");

        Assert.Equal(ClinicalMentor.DefaultProjectCapacity, mentor.ProjectCapacity);
    }

    private static CurrentUser Staff(Guid hospital, string role, Guid? user = null) =>
        new(user ?? Guid.NewGuid(), "Staff", hospital, OrganisationKinds.Hospital, new HashSet<string> { role });

    [Fact]
    public void A_coordinator_sees_every_placement_at_their_hospital_and_a_mentor_only_their_own_students()
    {
        var offer = Offer();
        var mentor = Mentor(offer);
        var mine = Mentored(offer, mentor);
        var colleagues = Mentored(offer, Mentor(offer, "Dr Ivo Bran"));
        var unmentored = Placed(offer);
        var elsewhere = Placed(Offer());
        var all = new[] { mine, colleagues, unmentored, elsewhere }.AsQueryable();

        Assert.Equal([mine, colleagues, unmentored], all.VisibleTo(Staff(offer.HospitalId, Roles.Coordinator)));
        Assert.Equal([mine], all.VisibleTo(Staff(offer.HospitalId, Roles.Mentor, mentor.Id)));
    }

    [Fact]
    public void A_placement_is_shown_to_its_hospitals_coordinators_and_to_the_students_own_mentor_only()
    {
        var offer = Offer();
        var mentor = Mentor(offer);
        var assignment = Mentored(offer, mentor);

        assignment.EnsureVisibleTo(Staff(offer.HospitalId, Roles.Coordinator));
        assignment.EnsureVisibleTo(Staff(offer.HospitalId, Roles.Mentor, mentor.Id));

        var otherHospital = Assert.Throws<DomainRuleException>(() => assignment.EnsureVisibleTo(Staff(Guid.NewGuid(), Roles.Coordinator)));
        Assert.Equal((RuleMeaning.Forbidden, "The assignment is to another hospital's offer."), (otherHospital.Meaning, otherHospital.Message));
        var otherMentor = Assert.Throws<DomainRuleException>(() => assignment.EnsureVisibleTo(Staff(offer.HospitalId, Roles.Mentor)));
        Assert.Equal((RuleMeaning.Forbidden, "A mentor sees only their own students."), (otherMentor.Meaning, otherMentor.Message));
    }

    [Fact]
    public void Only_the_students_own_mentor_at_that_hospital_evaluates_them_not_its_coordinators()
    {
        var offer = Offer();
        var mentor = Mentor(offer);
        var assignment = Mentored(offer, mentor);

        assignment.EnsureMentoredBy(Staff(offer.HospitalId, Roles.Mentor, mentor.Id), "Only the student's mentor.");

        foreach (var someoneElse in new[] { Staff(offer.HospitalId, Roles.Coordinator), Staff(Guid.NewGuid(), Roles.Mentor, mentor.Id) })
        {
            var error = Assert.Throws<DomainRuleException>(() => assignment.EnsureMentoredBy(someoneElse, "Only the student's mentor."));
            Assert.Equal((RuleMeaning.Forbidden, "Only the student's mentor."), (error.Meaning, error.Message));
        }
    }
}
