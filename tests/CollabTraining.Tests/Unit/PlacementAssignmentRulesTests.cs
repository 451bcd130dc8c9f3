using CollabTraining.Contracts.School;
using CollabTraining.School.Assignments;
using CollabTraining.School.Students;
using CollabTraining.Domain;

namespace CollabTraining.Tests.Unit;

/// <summary>An assignment from the school's side: what the hospital is told, who gives a seat up, and which late answers change nothing.</summary>
public sealed class PlacementAssignmentRulesTests
{
    private static readonly DateTimeOffset Now = new(2027, 2, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly Student Ada = Student.Enrol(Guid.NewGuid(), "S1", "Ada Lovelace", "medicine", 5);

    private static PlacementAssignment Pending(int rank = 2) =>
        PlacementAssignment.Make(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Ada, rank, Now).Assignment;

    private static PlacementAssignment Confirmed()
    {
        var assignment = Pending();
        assignment.ApplyConfirmation();
        return assignment;
    }

    [Fact]
    public void A_new_assignment_holds_a_seat_and_tells_the_hospital_who_is_coming_but_never_where_they_ranked_it()
    {
        var (round, run, offer, hospital) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

        var (assignment, assigned) = PlacementAssignment.Make(round, run, offer, hospital, Ada, 3, Now);

        Assert.Equal((round, run, offer, hospital, Ada.Id, 3), (assignment.RoundId, assignment.RunId, assignment.OfferId, assignment.HospitalId, assignment.StudentId, assignment.Rank));
        Assert.Equal((PlacementAssignmentStatus.Pending, 1L, Now), (assignment.Status, assignment.Version, assignment.AssignedAt));
        Assert.True(assignment.HoldsSeat);
        Assert.Equal(new PlacementAssigned(assignment.Id, round, offer, hospital, Ada.Id, "Ada Lovelace", 5, "medicine", 0, 1, Now), assigned);
    }

    [Fact]
    public void A_student_declining_gives_the_seat_up_for_good_and_the_hospital_hears_why()
    {
        var assignment = Pending();
        var student = Guid.NewGuid();

        var declined = assignment.DeclineForStudent("I am moving abroad.", student, Now.AddDays(1));

        Assert.Equal(new PlacementDeclinedByStudent(assignment.Id, assignment.HospitalId, "I am moving abroad.", 2, Now.AddDays(1)), declined);
        Assert.Equal((PlacementAssignmentStatus.DeclinedByStudent, "I am moving abroad.", (Guid?)student, 2L),
            (assignment.Status, assignment.DeclineReason, assignment.DeclinedBy, assignment.Version));
        Assert.False(assignment.HoldsSeat);

        var again = Assert.Throws<DomainRuleException>(() => assignment.DeclineForStudent("Twice.", student, Now.AddDays(2)));
        Assert.Equal(RuleMeaning.Conflict, again.Meaning);
        Assert.Equal("Only a pending or confirmed assignment can be declined; this one is DeclinedByStudent.", again.Message);
        Assert.Equal((2L, "I am moving abroad."), (assignment.Version, assignment.DeclineReason));
    }

    [Fact]
    public void The_coordinator_releases_a_confirmed_student_and_the_hospital_hears_why()
    {
        var assignment = Confirmed();
        var coordinator = Guid.NewGuid();

        var released = assignment.Release("Moved to the paediatrics ward.", coordinator, Now);

        Assert.Equal(new PlacementReleasedBySchool(assignment.Id, assignment.HospitalId, "Moved to the paediatrics ward.", 3, Now), released);
        Assert.Equal((PlacementAssignmentStatus.ReleasedBySchool, (Guid?)coordinator), (assignment.Status, assignment.DeclinedBy));
        Assert.False(assignment.HoldsSeat);
        Assert.Equal("Only a pending or confirmed assignment can be released; this one is ReleasedBySchool.",
            Assert.Throws<DomainRuleException>(() => assignment.Release("Again.", coordinator, Now)).Message);
    }

    [Fact]
    public void A_hospitals_confirmation_applies_once_and_only_to_a_pending_assignment()
    {
        var assignment = Pending();

        Assert.True(assignment.ApplyConfirmation());
        Assert.Equal((PlacementAssignmentStatus.Confirmed, 2L), (assignment.Status, assignment.Version));
        Assert.True(assignment.HoldsSeat);

        Assert.False(assignment.ApplyConfirmation());
        Assert.Equal(2L, assignment.Version);

        var declined = Pending();
        declined.DeclineForStudent("No longer needed.", Ada.Id, Now);
        Assert.False(declined.ApplyConfirmation());
        Assert.Equal(PlacementAssignmentStatus.DeclinedByStudent, declined.Status);
    }

    [Fact]
    public void A_hospitals_decline_frees_a_held_seat_but_leaves_a_students_own_decline_as_it_was()
    {
        var pending = Pending();
        Assert.True(pending.ApplyHospitalDecline("The ward closed."));
        Assert.Equal((PlacementAssignmentStatus.DeclinedByHospital, "The ward closed.", 2L), (pending.Status, pending.DeclineReason, pending.Version));
        Assert.False(pending.HoldsSeat);

        var confirmed = Confirmed();
        Assert.True(confirmed.ApplyHospitalDecline("Seats reduced."));
        Assert.Equal(PlacementAssignmentStatus.DeclinedByHospital, confirmed.Status);

        var declinedByStudent = Pending();
        declinedByStudent.DeclineForStudent("Family reasons.", Ada.Id, Now);
        Assert.False(declinedByStudent.ApplyHospitalDecline("The ward closed."));
        Assert.Equal((PlacementAssignmentStatus.DeclinedByStudent, "Family reasons.", 2L), (declinedByStudent.Status, declinedByStudent.DeclineReason, declinedByStudent.Version));
    }

    [Fact]
    public void A_mentor_is_set_on_a_confirmed_assignment_and_only_a_newer_reassignment_replaces_them()
    {
        var pending = Pending();
        Assert.False(pending.ApplyMentor(Guid.NewGuid(), "Dr Early", 5));
        Assert.Null(pending.MentorId);

        var assignment = Confirmed();
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        Assert.True(assignment.ApplyMentor(first, "Dr House", 3));
        Assert.Equal(((Guid?)first, "Dr House", 3L, 3L), (assignment.MentorId, assignment.MentorName, assignment.MentorVersion, assignment.Version));

        // The same hospital version again, or an older one arriving late, changes nothing.
        Assert.False(assignment.ApplyMentor(second, "Dr Wilson", 3));
        Assert.False(assignment.ApplyMentor(second, "Dr Wilson", 2));
        Assert.Equal(((Guid?)first, 3L), (assignment.MentorId, assignment.Version));

        Assert.True(assignment.ApplyMentor(second, "Dr Wilson", 4));
        Assert.Equal(((Guid?)second, "Dr Wilson", 4L, 4L), (assignment.MentorId, assignment.MentorName, assignment.MentorVersion, assignment.Version));
    }
}
