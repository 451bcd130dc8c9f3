using CollabTraining.Contracts.Projects;
using CollabTraining.School.Projects;

namespace CollabTraining.Tests.Unit;

/// <summary>The bundle's state machine without a host: every answer moves it once, late and repeated ones change nothing.</summary>
public sealed class ResourceBundleTests
{
    private static readonly DateTimeOffset Now = new(2027, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void All_parts_held_asks_every_owner_to_confirm_and_all_confirmed_confirms_the_bundle_once()
    {
        var (bundle, holds) = Place();
        Assert.Equal(2, holds.Count);
        Assert.Empty(bundle.HoldAnswered(Part(bundle, 0), true, Guid.NewGuid(), null, null, Now));
        var confirms = bundle.HoldAnswered(Part(bundle, 1), true, Guid.NewGuid(), null, null, Now);
        Assert.Equal(2, confirms.OfType<BundlePartConfirmRequested>().Count());
        Assert.Empty(bundle.HoldAnswered(Part(bundle, 1), true, Guid.NewGuid(), null, null, Now)); // a repeat

        Assert.Empty(bundle.PartConfirmed(Part(bundle, 0), true, null, null, Now));
        Assert.Equal(BundleStatus.Confirming, bundle.Status);
        Assert.Empty(bundle.PartConfirmed(Part(bundle, 1), true, null, null, Now));
        Assert.Equal((BundleStatus.Confirmed, true), (bundle.Status, bundle.IsSettled));
        var version = bundle.Version;
        Assert.Empty(bundle.PartConfirmed(Part(bundle, 1), true, null, null, Now));
        Assert.Equal(version, bundle.Version);
    }

    [Fact]
    public void A_refusal_fails_the_bundle_naming_the_part_and_releases_every_other_part_even_one_not_answered_yet()
    {
        var (bundle, _) = Place(parts: 3);
        bundle.HoldAnswered(Part(bundle, 0), true, Guid.NewGuid(), null, null, Now);
        var releases = bundle.HoldAnswered(Part(bundle, 1), false, null, "quota", "3 unit-hours left this week", Now).Cast<BundlePartReleaseRequested>().ToList();

        Assert.Equal(BundleStatus.Failed, bundle.Status);
        Assert.Equal(Part(bundle, 1), bundle.FailedPartId);
        Assert.Contains("refused (quota): 3 unit-hours left this week", bundle.FailureReason);
        Assert.Equal(new[] { Part(bundle, 0), Part(bundle, 2) }.Order(), releases.Select(r => r.PartId).Order());

        // The late answer of the third owner is not acted on (its release is already on its way), and nothing is confirmed.
        Assert.Empty(bundle.HoldAnswered(Part(bundle, 2), true, Guid.NewGuid(), null, null, Now));
        Assert.False(bundle.IsSettled);
        Assert.True(bundle.PartReleased(Part(bundle, 0)));
        Assert.True(bundle.PartReleased(Part(bundle, 2)));
        Assert.False(bundle.PartReleased(Part(bundle, 2)));
        Assert.True(bundle.IsSettled);
    }

    [Fact]
    public void The_deadline_fails_a_bundle_naming_the_owners_that_did_not_answer_and_is_ignored_before_it_or_once_decided()
    {
        var (bundle, _) = Place();
        bundle.HoldAnswered(Part(bundle, 0), true, Guid.NewGuid(), null, null, Now);
        Assert.Empty(bundle.TimeOut(Now.AddSeconds(30)));
        var releases = bundle.TimeOut(Now.AddSeconds(61));
        Assert.Equal(2, releases.Count);
        Assert.Equal("research did not answer the hold request in time for Scanner", bundle.FailureReason);
        Assert.Empty(bundle.TimeOut(Now.AddMinutes(10)));
    }

    [Fact]
    public void Cancelling_a_confirmed_bundle_gives_back_only_the_bookings_not_started()
    {
        var (bundle, _) = Place(firstStartsIn: TimeSpan.FromHours(1));
        foreach (var i in new[] { 0, 1 })
        {
            bundle.HoldAnswered(Part(bundle, i), true, Guid.NewGuid(), null, null, Now);
        }

        foreach (var i in new[] { 0, 1 })
        {
            bundle.PartConfirmed(Part(bundle, i), true, null, null, Now);
        }

        var releases = bundle.Cancel(Now.AddHours(2)).Cast<BundlePartReleaseRequested>().ToList();
        Assert.Equal([Part(bundle, 1)], releases.Select(r => r.PartId));
        Assert.Equal((BundlePartState.Confirmed, BundlePartState.Releasing), (bundle.Parts[0].State, bundle.Parts[1].State));
    }

    [Fact]
    public void A_bundle_beyond_what_the_budget_has_left_is_refused_naming_the_kind_and_the_same_resource_twice_is_invalid()
    {
        var part = new BundlePart { Owner = ProjectParties.Enterprises, ResourceId = Guid.NewGuid(), ResourceName = "Pool", Kind = "computePool", Units = 4, Start = Now.AddDays(3), End = Now.AddDays(3).AddHours(10) };
        var over = Assert.IsType<CollabTraining.Domain.ReasonedRuleException>(Record.Exception(() =>
            ResourceBundle.Place(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), [part], Budget(39), TimeSpan.FromSeconds(60), Now)));
        Assert.Equal("over-budget", over.Reason);
        Assert.Contains("40 GPU-hours", over.Message);
        Assert.Single(ResourceBundle.Place(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), [part], Budget(40), TimeSpan.FromSeconds(60), Now).Requests);
        var twice = new BundlePart { Owner = part.Owner, ResourceId = part.ResourceId, ResourceName = "Pool", Kind = "computePool", Units = 1, Start = part.Start, End = part.End };
        Assert.Equal("parts", Assert.IsType<CollabTraining.Domain.DomainRuleException>(Record.Exception(() =>
            ResourceBundle.Place(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), [part, twice], Budget(100), TimeSpan.FromSeconds(60), Now))).Field);
    }

    private static ProjectBudget Budget(double hours) => new(new BudgetLine(hours, 0, 0, hours), new BudgetLine(hours, 0, 0, hours));

    private static Guid Part(ResourceBundle bundle, int index) => bundle.Parts[index].Id;

    private static (ResourceBundle Bundle, IReadOnlyList<Contracts.IIntegrationEvent> Holds) Place(int parts = 2, TimeSpan? firstStartsIn = null)
    {
        var start = Now + (firstStartsIn ?? TimeSpan.FromDays(3));
        var list = Enumerable.Range(0, parts).Select(i => new BundlePart
        {
            Owner = i == 1 ? ProjectParties.Research : ProjectParties.Enterprises, OwnerId = Guid.NewGuid(), ResourceId = Guid.NewGuid(),
            ResourceName = i == 1 ? "Scanner" : $"Pool {i}", Kind = i == 1 ? "equipment" : "computePool", Units = 1,
            Start = i == 0 ? start : Now.AddDays(5), End = (i == 0 ? start : Now.AddDays(5)).AddHours(4), UserId = Guid.NewGuid(),
        }).ToList();
        return ResourceBundle.Place(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), list, Budget(100), TimeSpan.FromSeconds(60), Now);
    }
}
