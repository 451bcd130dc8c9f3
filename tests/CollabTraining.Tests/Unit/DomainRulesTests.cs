using CollabTraining.Contracts.Hospitals;
using CollabTraining.Demo;
using CollabTraining.Hospitals.Placements;
using CollabTraining.School.Catalog;
using CollabTraining.Domain;
using CollabTraining.Messaging;
using CollabTraining.ServiceDefaults.Security;

namespace CollabTraining.Tests.Unit;

public sealed class PlacementOfferRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    private static PlacementOfferTerms Terms(int seats = 3, string title = "Ward", DateOnly? ends = null) =>
        new("Cardiology", "cardiology", title, new DateOnly(2027, 1, 1), ends ?? new DateOnly(2027, 1, 31), seats, 4, ["mri-safety"], []);

    [Fact]
    public void A_new_offer_is_published_at_version_one_and_every_change_moves_the_version_on()
    {
        var offer = PlacementOffer.Publish(Guid.NewGuid(), Terms(), Now);
        Assert.Equal((PlacementOfferStatus.Published, 1L), (offer.Status, offer.Version));

        offer.Revise(Terms(seats: 5, title: "Ward B"), 0, Now.AddHours(1));
        Assert.Equal((5, "Ward B", 2L), (offer.Seats, offer.Title, offer.Version));

        offer.Withdraw(Now.AddHours(2));
        Assert.Equal((PlacementOfferStatus.Withdrawn, 3L), (offer.Status, offer.Version));
    }

    [Fact]
    public void A_withdrawn_offer_cannot_be_changed()
    {
        var offer = PlacementOffer.Publish(Guid.NewGuid(), Terms(), Now);
        offer.Withdraw(Now);
        var error = Assert.Throws<DomainRuleException>(() => offer.Revise(Terms(), 0, Now));
        Assert.Equal(RuleMeaning.Conflict, error.Meaning);
        Assert.Contains("withdrawn", error.Message);
        Assert.Equal(2, offer.Version);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(501)]
    public void Seats_must_be_between_one_and_the_maximum(int seats) =>
        Assert.Throws<PlacementOfferRuleException>(() => PlacementOffer.Publish(Guid.NewGuid(), Terms(seats: seats), Now));

    [Fact]
    public void A_placement_cannot_end_before_it_starts() =>
        Assert.Throws<PlacementOfferRuleException>(() => PlacementOffer.Publish(Guid.NewGuid(), Terms(ends: new DateOnly(2026, 12, 31)), Now));

    [Theory]
    [InlineData(2026, 11, 24, "startsOn")]
    [InlineData(1, 1, 1, "startsOn")]
    [InlineData(9999, 1, 1, "startsOn")]
    [InlineData(2030, 1, 1, "startsOn")]
    public void An_offer_cannot_start_in_the_past_or_absurdly_far_ahead(int year, int month, int day, string field)
    {
        var starts = new DateOnly(year, month, day);
        var terms = Terms() with { StartsOn = starts, EndsOn = starts };
        var error = Assert.Throws<PlacementOfferRuleException>(() => PlacementOffer.Publish(Guid.NewGuid(), terms, Now));
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void A_placement_lasts_at_most_a_year() =>
        Assert.Equal("endsOn", Assert.Throws<PlacementOfferRuleException>(() =>
            PlacementOffer.Publish(Guid.NewGuid(), Terms(ends: new DateOnly(2028, 6, 1)), Now)).Field);

    [Theory]
    [InlineData(new[] { "mri-safety", "mri-safety" }, "requirements.requiredQualifications[1]")]
    [InlineData(new[] { "" }, "requirements.requiredQualifications[0]")]
    [InlineData(new[] { "infection-control", "astrology" }, "requirements.requiredQualifications[1]")]
    public void Required_qualifications_are_known_codes_named_once(string[] codes, string field)
    {
        var error = Assert.Throws<PlacementOfferRuleException>(() => PlacementOffer.Publish(Guid.NewGuid(), Terms() with { RequiredQualifications = codes }, Now));
        Assert.Equal(field, error.Field);
    }

    [Fact]
    public void Allowed_programmes_are_the_schools_programme_codes() =>
        Assert.Equal("requirements.allowedProgrammes[0]", Assert.Throws<PlacementOfferRuleException>(() =>
            PlacementOffer.Publish(Guid.NewGuid(), Terms() with { AllowedProgrammes = ["dentistry"] }, Now)).Field);

    [Fact]
    public void The_period_stays_fixed_while_students_hold_seats_but_other_terms_may_change()
    {
        var offer = PlacementOffer.Publish(Guid.NewGuid(), Terms(), Now);
        var moved = Terms() with { StartsOn = new DateOnly(2027, 1, 8), EndsOn = new DateOnly(2027, 2, 7) };
        Assert.Equal(RuleMeaning.Conflict, Assert.Throws<DomainRuleException>(() => offer.Revise(moved, 2, Now)).Meaning);
        offer.Revise(Terms(seats: 6), 2, Now);
        offer.Revise(moved, 0, Now);
        Assert.Equal(new DateOnly(2027, 1, 8), offer.StartsOn);
    }

    [Fact]
    public void A_draft_that_would_start_in_the_past_is_not_published()
    {
        var draft = PlacementOffer.Draft(Guid.NewGuid(), Terms(), Now);
        Assert.Equal("startsOn", Assert.Throws<PlacementOfferRuleException>(() => draft.PublishDraft(new DateTimeOffset(2027, 1, 2, 9, 0, 0, TimeSpan.Zero))).Field);
        Assert.Equal(PlacementOfferStatus.Draft, draft.Status);
    }

    [Fact]
    public void A_started_placement_keeps_its_start_date_when_other_terms_change()
    {
        var offer = PlacementOffer.Publish(Guid.NewGuid(), Terms(), Now);
        var later = new DateTimeOffset(2027, 1, 10, 9, 0, 0, TimeSpan.Zero);
        offer.Revise(Terms(seats: 4), 0, later);
        Assert.Equal(4, offer.Seats);
        Assert.Equal("startsOn", Assert.Throws<PlacementOfferRuleException>(() => offer.Revise(Terms() with { StartsOn = new DateOnly(2027, 1, 5) }, 0, later)).Field);
    }
}

public sealed class CatalogPlacementTests
{
    [Fact]
    public void Only_a_newer_version_is_applied()
    {
        var snapshot = new PlacementOfferSnapshot(Guid.NewGuid(), Guid.NewGuid(), "H", "D", "s", "T", new DateOnly(2027, 1, 1), new DateOnly(2027, 1, 2), 1, new PlacementRequirements(1, [], []));
        var placement = CatalogPlacement.Empty(snapshot.OfferId, snapshot.HospitalId);
        Assert.True(placement.IsNewer(1));
        placement.Apply(snapshot, 4, DateTimeOffset.UtcNow);
        Assert.False(placement.IsNewer(4));
        Assert.False(placement.IsNewer(3));
        Assert.True(placement.IsNewer(5));
    }
}

public sealed class BrokerAddressTests
{
    [Theory]
    [InlineData("amqp://guest:guest@127.0.0.1:5672", "127.0.0.1", 5672, "/", "guest", "guest")]
    [InlineData("amqp://app:s%40cret@broker.internal:5673/training", "broker.internal", 5673, "training", "app", "s@cret")]
    [InlineData("amqp://localhost", "localhost", 5672, "/", "guest", "guest")]
    public void Connection_strings_are_read_as_operators_write_them(string uri, string host, int port, string vhost, string user, string password) =>
        Assert.Equal(new BrokerAddress(host, (ushort)port, vhost, user, password), BrokerAddress.Parse(uri));

    [Theory]
    [InlineData("localhost:5672")]
    [InlineData("http://localhost")]
    public void Anything_but_an_amqp_uri_is_refused_with_a_reason(string uri) =>
        Assert.Contains("amqp://", Assert.Throws<InvalidOperationException>(() => BrokerAddress.Parse(uri)).Message);
}

public sealed class DemoDirectoryTests
{
    [Fact]
    public void The_demo_world_has_the_promised_parties_and_stable_ids()
    {
        Assert.Equal(3, DemoDirectory.Hospitals.Count);
        Assert.Equal(2, DemoDirectory.Institutes.Count);
        Assert.Equal(2, DemoDirectory.Enterprises.Count);
        Assert.Equal(200, DemoDirectory.Users.Count(u => u.Roles.Contains(Roles.Student)));
        Assert.Equal(DemoDirectory.IdFor("org:st-marys"), DemoDirectory.Hospitals[0].Id);
        Assert.Equal(DemoDirectory.Users.Count, DemoDirectory.Users.Select(u => u.Id).Distinct().Count());
        Assert.All(DemoDirectory.Hospitals, h => Assert.Contains(DemoDirectory.Users, u => u.Organisation == h && u.Roles.Contains(Roles.Mentor)));
    }
}
