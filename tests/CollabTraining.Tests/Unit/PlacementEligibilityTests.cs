using CollabTraining.Contracts.Hospitals;
using CollabTraining.School.Catalog;
using CollabTraining.School.Rounds;
using CollabTraining.School.Students;

namespace CollabTraining.Tests.Unit;

/// <summary>What a student is told when they may not take a placement: the first requirement they miss, in their words.</summary>
public sealed class PlacementEligibilityTests
{
    private static readonly DateOnly Today = new(2027, 1, 10);
    private static readonly DateTimeOffset Now = new(2027, 1, 10, 9, 0, 0, TimeSpan.Zero);

    private static readonly Student Year4Medic = Student.Enrol(Guid.NewGuid(), "S1", "Ada Lovelace", "medicine", 4);

    private static CatalogPlacement Placement(
        DateOnly? starts = null, DateOnly? ends = null, int minimumYear = 3, string[]? qualifications = null, string[]? programmes = null,
        string title = "Cardiology ward", string hospital = "St Mary's")
    {
        var placement = CatalogPlacement.Empty(Guid.NewGuid(), Guid.NewGuid());
        placement.Apply(
            new PlacementOfferSnapshot(placement.OfferId, placement.HospitalId, hospital, "Cardiology", "cardiology", title,
                starts ?? Today.AddDays(30), ends ?? Today.AddDays(60), 2, new PlacementRequirements(minimumYear, qualifications ?? [], programmes ?? [])),
            1, Now);
        return placement;
    }

    private static StudentQualification Holds(string code, DateOnly expiresOn, bool revoked = false)
    {
        var (qualification, _) = StudentQualification.Grant(Year4Medic.Id, code, expiresOn, Now);
        if (revoked)
        {
            qualification.Revoke(Now);
        }

        return qualification;
    }

    private static string? Unmet(CatalogPlacement placement, Student? student = null, StudentQualification[]? qualifications = null, CatalogPlacement[]? held = null) =>
        PlacementEligibility.UnmetRequirement(student ?? Year4Medic, qualifications ?? [], placement, held ?? [], Today);

    [Fact]
    public void A_student_meeting_every_requirement_exactly_at_its_limit_is_eligible()
    {
        // Starts today, the student is in the minimum year, studies an admitted programme (spelt differently), holds
        // the qualification (spelt differently) until the placement's last day and holds a placement ending the day before.
        var placement = Placement(starts: Today, ends: Today.AddDays(20), minimumYear: 4, qualifications: ["BLS"], programmes: ["nursing", "Medicine"]);
        var before = Placement(starts: Today.AddDays(-30), ends: Today.AddDays(-1));

        Assert.Null(Unmet(placement, qualifications: [Holds("bls", Today.AddDays(20))], held: [before]));
    }

    [Fact]
    public void A_placement_open_to_every_programme_takes_a_student_of_any_programme()
    {
        var nurse = Student.Enrol(Guid.NewGuid(), "S2", "Florence", "nursing", 3);

        Assert.Null(Unmet(Placement(), nurse));
    }

    [Fact]
    public void A_placement_that_has_already_started_is_too_late_to_join_and_says_when_it_started()
    {
        Assert.Equal("the placement started on 2027-01-09, too late to join", Unmet(Placement(starts: Today.AddDays(-1))));
    }

    [Fact]
    public void A_withdrawn_or_closed_placement_is_refused_saying_what_the_hospital_did()
    {
        var withdrawn = Placement();
        withdrawn.Withdraw(2, Now);
        var closed = Placement();
        closed.Close(2, Now);

        Assert.Equal("the hospital withdrew this placement", Unmet(withdrawn));
        Assert.Equal("the hospital closed this placement to new students", Unmet(closed));
    }

    [Fact]
    public void A_student_below_the_minimum_study_year_is_told_the_year_required_and_their_own()
    {
        Assert.Equal("study year 5 or above is required (you are in year 4)", Unmet(Placement(minimumYear: 5)));
    }

    [Fact]
    public void A_placement_for_other_programmes_names_them_and_the_students_programme()
    {
        Assert.Equal("the placement is open to nursing, pharmacy only (you study medicine)", Unmet(Placement(programmes: ["nursing", "pharmacy"])));
    }

    [Fact]
    public void A_missing_or_revoked_qualification_is_named_as_not_held()
    {
        var placement = Placement(qualifications: ["bls", "mri-safety"]);
        var bls = Holds("bls", Today.AddYears(1));

        Assert.Equal("the bls qualification is required and you do not hold it", Unmet(placement));
        Assert.Equal("the mri-safety qualification is required and you do not hold it", Unmet(placement, qualifications: [bls]));
        Assert.Equal("the mri-safety qualification is required and you do not hold it",
            Unmet(placement, qualifications: [bls, Holds("mri-safety", Today.AddYears(1), revoked: true)]));
        Assert.Null(Unmet(placement, qualifications: [bls, Holds("mri-safety", Today.AddYears(1))]));
    }

    [Fact]
    public void A_qualification_expiring_before_the_placement_ends_names_both_dates()
    {
        var placement = Placement(ends: new DateOnly(2027, 3, 31), qualifications: ["bls"]);

        Assert.Equal("your bls qualification expires on 2027-03-30, before the placement ends on 2027-03-31",
            Unmet(placement, qualifications: [Holds("bls", new DateOnly(2027, 3, 30))]));
    }

    [Theory]
    [InlineData(-10, 0)] // ends on the first day of the placement
    [InlineData(20, 40)] // starts on its last day
    [InlineData(5, 15)] // inside it
    [InlineData(-5, 25)] // around it
    public void A_placement_overlapping_one_the_student_holds_names_the_one_held(int heldStart, int heldEnd)
    {
        var starts = Today.AddDays(30);
        var placement = Placement(starts: starts, ends: starts.AddDays(20));
        var held = Placement(starts: starts.AddDays(heldStart), ends: starts.AddDays(heldEnd), title: "Night ward", hospital: "General");

        Assert.Equal(
            $"you already hold 'Night ward' at General from {starts.AddDays(heldStart):yyyy-MM-dd} to {starts.AddDays(heldEnd):yyyy-MM-dd}, which overlaps it",
            Unmet(placement, held: [held]));
    }

    [Theory]
    [InlineData(-10, -1)]
    [InlineData(21, 30)]
    public void A_placement_held_in_other_weeks_does_not_stand_in_the_way(int heldStart, int heldEnd)
    {
        var starts = Today.AddDays(30);
        var placement = Placement(starts: starts, ends: starts.AddDays(20));

        Assert.Null(Unmet(placement, held: [Placement(starts: starts.AddDays(heldStart), ends: starts.AddDays(heldEnd))]));
    }

    [Fact]
    public void A_student_already_holding_the_placement_is_told_so()
    {
        var placement = Placement();

        Assert.Equal("you already hold this placement", Unmet(placement, held: [placement]));
    }

    [Fact]
    public void Only_the_first_unmet_requirement_is_named()
    {
        var firstYear = Student.Enrol(Guid.NewGuid(), "S3", "Young", "pharmacy", 1);

        Assert.Equal("study year 3 or above is required (you are in year 1)", Unmet(Placement(programmes: ["medicine"], qualifications: ["bls"]), firstYear));
    }
}
