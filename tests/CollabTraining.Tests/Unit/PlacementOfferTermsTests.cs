using CollabTraining.Domain;
using CollabTraining.Hospitals.Placements;
using static CollabTraining.Tests.Unit.HospitalPlacements;

namespace CollabTraining.Tests.Unit;

/// <summary>What a hospital coordinator may state about a placement offer, and how a refusal names the field at fault.</summary>
public sealed class PlacementOfferTermsTests
{
    private static readonly DateOnly Starts = new(2027, 1, 4);

    private static PlacementOfferRuleException Refusal(PlacementOfferTerms terms, DateTimeOffset? now = null) =>
        Assert.Throws<PlacementOfferRuleException>(() => PlacementOffer.Publish(Guid.NewGuid(), terms, now ?? Now));

    [Fact]
    public void A_placement_may_last_from_a_single_day_up_to_366_days()
    {
        Assert.Equal(Starts, PlacementOffer.Publish(Guid.NewGuid(), Terms(starts: Starts, ends: Starts), Now).EndsOn);
        Assert.Equal(Starts.AddDays(366), PlacementOffer.Publish(Guid.NewGuid(), Terms(starts: Starts, ends: Starts.AddDays(366)), Now).EndsOn);

        var error = Refusal(Terms(starts: Starts, ends: Starts.AddDays(367)));
        Assert.Equal(("endsOn", "A placement lasts at most 366 days."), (error.Field, error.Message));
        Assert.Equal(RuleMeaning.Invalid, error.Meaning);
    }

    [Fact]
    public void A_placement_ending_before_it_starts_is_refused_on_its_end_date()
    {
        var error = Refusal(Terms(starts: Starts, ends: Starts.AddDays(-1)));
        Assert.Equal(("endsOn", "A placement cannot end before it starts."), (error.Field, error.Message));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(500)]
    public void Seats_from_one_to_five_hundred_are_accepted(int seats) =>
        Assert.Equal(seats, PlacementOffer.Publish(Guid.NewGuid(), Terms(seats), Now).Seats);

    [Theory]
    [InlineData(-1)]
    [InlineData(0)]
    [InlineData(501)]
    public void Other_seat_counts_are_refused_naming_the_range(int seats)
    {
        var error = Refusal(Terms(seats));
        Assert.Equal(("seats", "Seats must be between 1 and 500."), (error.Field, error.Message));
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(6, true)]
    [InlineData(0, false)]
    [InlineData(7, false)]
    public void The_minimum_study_year_is_one_of_the_six_years_of_study(int year, bool accepted)
    {
        var terms = Terms() with { MinimumStudyYear = year };
        if (accepted)
        {
            Assert.Equal(year, PlacementOffer.Publish(Guid.NewGuid(), terms, Now).MinimumStudyYear);
            return;
        }

        var error = Refusal(terms);
        Assert.Equal(("requirements.minimumStudyYear", "The minimum study year must be between 1 and 6."), (error.Field, error.Message));
    }

    [Fact]
    public void An_offer_may_start_today_or_at_most_three_years_ahead()
    {
        Assert.Equal(Today, PlacementOffer.Publish(Guid.NewGuid(), Terms(starts: Today, ends: Today), Now).StartsOn);
        var latest = Today.AddYears(3);
        Assert.Equal(latest, PlacementOffer.Publish(Guid.NewGuid(), Terms(starts: latest, ends: latest), Now).StartsOn);

        var tooFar = Refusal(Terms(starts: latest.AddDays(1), ends: latest.AddDays(1)));
        Assert.Equal(("startsOn", "A placement starts at most 3 years ahead."), (tooFar.Field, tooFar.Message));
        var past = Refusal(Terms(starts: Today.AddDays(-1), ends: Today));
        Assert.Equal(("startsOn", "A placement cannot start in the past (today is 2026-11-25)."), (past.Field, past.Message));
    }

    [Fact]
    public void An_unknown_qualification_is_refused_naming_the_entry_and_the_codes_the_school_knows()
    {
        var error = Refusal(Terms() with { RequiredQualifications = ["basic-life-support", "cardiac-arrest"] });

        Assert.Equal("requirements.requiredQualifications[1]", error.Field);
        Assert.StartsWith("'cardiac-arrest' is not a qualification the school knows; the codes are infection-control, basic-life-support, ", error.Message);
        Assert.Contains("mri-safety", error.Message);
    }

    [Fact]
    public void An_unknown_programme_is_refused_naming_the_entry_and_the_schools_programmes()
    {
        var error = Refusal(Terms() with { AllowedProgrammes = ["medicine", "nursing", "dentistry"] });

        Assert.Equal("requirements.allowedProgrammes[2]", error.Field);
        Assert.StartsWith("'dentistry' is not a programme the school knows; the codes are medicine, medical-imaging, ", error.Message);
    }

    [Fact]
    public void An_unknown_code_is_quoted_whole_up_to_sixty_characters_and_cut_with_an_ellipsis_beyond()
    {
        var sixty = new string('x', 60);
        Assert.StartsWith($"'{sixty}' is not", Refusal(Terms() with { RequiredQualifications = [sixty] }).Message);

        var longer = new string('y', 60) + "-and-more";
        Assert.StartsWith($"'{new string('y', 60)}…' is not", Refusal(Terms() with { RequiredQualifications = [longer] }).Message);
    }

    [Fact]
    public void An_empty_entry_is_refused_naming_it()
    {
        var error = Refusal(Terms() with { RequiredQualifications = ["mri-safety", ""] });
        Assert.Equal(("requirements.requiredQualifications[1]", "An entry is empty."), (error.Field, error.Message));
    }

    [Fact]
    public void A_code_listed_twice_in_any_case_is_refused_at_the_repeat()
    {
        var error = Refusal(Terms() with { AllowedProgrammes = ["medicine", "nursing", "Medicine"] });
        Assert.Equal(("requirements.allowedProgrammes[2]", "'Medicine' is listed twice."), (error.Field, error.Message));
    }

    [Fact]
    public void Twenty_codes_are_checked_one_by_one_and_more_are_refused_as_a_whole()
    {
        var twenty = Enumerable.Repeat("mri-safety", 20).ToList();
        Assert.Equal("requirements.requiredQualifications[1]", Refusal(Terms() with { RequiredQualifications = twenty }).Field);

        var error = Refusal(Terms() with { RequiredQualifications = [.. twenty, "mri-safety"] });
        Assert.Equal(("requirements.requiredQualifications", "At most 20 codes."), (error.Field, error.Message));
    }
}
