using System.Net;
using System.Net.Http.Json;
using CollabTraining.Contracts.Projects;
using CollabTraining.Contracts.Sharing;
using CollabTraining.Demo;
using CollabTraining.Enterprises;
using CollabTraining.Tests.Support;
using MassTransit;

namespace CollabTraining.Tests.Integration;

/// <summary>A project bundle's parts at an owner (Enterprises): held, confirmed and released once each, as the booking API would.</summary>
public sealed class BundlePartsTests : IDisposable
{
    private const string HelixStaff = "staff@helix-compute.demo";
    private static readonly DemoUser Alice = DemoDirectory.Student(1);

    private readonly ServiceFactory<EnterprisesApiMarker> _enterprises = new ServiceFactory<EnterprisesApiMarker>().With("DueTasks:PollInterval", "00:00:00.100");
    private readonly DateTimeOffset _tomorrow;

    public BundlePartsTests()
    {
        var now = _enterprises.Clock.GetUtcNow();
        _tomorrow = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(1).AddHours(9);
    }

    public void Dispose() => _enterprises.Dispose();

    [Fact]
    public async Task A_hold_is_placed_answered_with_its_booking_and_takes_the_units()
    {
        var pool = await CreatePoolAsync(4);
        var asked = HoldRequest(pool, units: 3);
        await _enterprises.Harness.Bus.Publish(asked with { Owner = ProjectParties.Research, PartId = Guid.NewGuid() });
        await _enterprises.Harness.Bus.Publish(asked);

        var answer = await AnswerAsync(asked.PartId);
        Assert.True(answer.Placed, answer.Detail);
        Assert.NotNull(answer.BookingId);
        Assert.Equal(1, await FreeUnitsAsync(pool));
        var booking = await (await _enterprises.ClientAs(HelixStaff).GetAsync($"/api/enterprises/bookings/{answer.BookingId}")).ReadNodeAsync();
        Assert.Equal("held", booking["status"]!.GetValue<string>());
        Assert.Equal(Alice.Id, booking["userId"]!.GetValue<Guid>());
        Assert.True(await _enterprises.Harness.Published.EventuallyAsync<BookingChanged>(m => m.Context.Message.BookingId == answer.BookingId && m.Context.Message.Status == "held"));

        // The part addressed to another owner is not this service's: never answered here.
        await _enterprises.OutboxDrainedAsync();
        Assert.Single(_enterprises.Harness.Published.Snapshot<BundleHoldAnswered>());
    }

    [Fact]
    public async Task A_repeated_hold_request_gets_the_same_answer_and_holds_once()
    {
        var pool = await CreatePoolAsync(4);
        var asked = HoldRequest(pool, units: 2);
        var messageId = Guid.NewGuid();
        await _enterprises.Harness.Bus.Publish(asked, c => c.MessageId = messageId);
        await _enterprises.Harness.Bus.Publish(asked, c => c.MessageId = messageId);
        var first = await AnswerAsync(asked.PartId);

        await _enterprises.Harness.Bus.Publish(asked with { OccurredAt = DateTimeOffset.UtcNow });
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(Answers(asked.PartId).Count == 2), TimeSpan.FromSeconds(10)));
        Assert.All(Answers(asked.PartId), a => Assert.Equal((true, first.BookingId), (a.Placed, a.BookingId)));

        await _enterprises.OutboxDrainedAsync();
        Assert.Equal(2, Answers(asked.PartId).Count);
        Assert.Equal(2, await FreeUnitsAsync(pool));
        var owned = await (await _enterprises.ClientAs(HelixStaff).GetAsync($"/api/enterprises/bookings?resourceId={pool}")).ReadNodeAsync();
        Assert.Equal(1, owned["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_hold_on_a_full_resource_is_refused_with_the_kernels_reason()
    {
        var pool = await CreatePoolAsync(2);
        var booked = await _enterprises.ClientAs(DemoDirectory.Student(2).UserName)
            .PostAsJsonAsync($"/api/enterprises/resources/{pool}/bookings", new { start = _tomorrow, end = _tomorrow.AddHours(2), units = 2 });
        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);

        var asked = HoldRequest(pool, units: 1);
        await _enterprises.Harness.Bus.Publish(asked);
        var answer = await AnswerAsync(asked.PartId);
        Assert.Equal((false, null, "full"), (answer.Placed, answer.BookingId, answer.Reason));
        Assert.Contains("fully booked", answer.Detail);

        var unknown = HoldRequest(Guid.NewGuid(), units: 1);
        await _enterprises.Harness.Bus.Publish(unknown);
        Assert.Equal("not-found", (await AnswerAsync(unknown.PartId)).Reason);
    }

    [Fact]
    public async Task A_release_that_overtakes_its_hold_request_makes_the_owner_refuse_it_and_hold_nothing()
    {
        var pool = await CreatePoolAsync(2);
        var asked = HoldRequest(pool, units: 1);
        await _enterprises.Harness.Bus.Publish(new BundlePartReleaseRequested(asked.BundleId, asked.PartId, ProjectParties.Enterprises, "Another part was refused", 1, DateTimeOffset.UtcNow));
        Assert.True(await _enterprises.Harness.Published.EventuallyAsync<BundlePartReleased>(m => m.Context.Message.PartId == asked.PartId && m.Context.Message.BookingId == null));

        await _enterprises.Harness.Bus.Publish(asked);
        var answer = await AnswerAsync(asked.PartId);
        Assert.Equal((false, null, "released"), (answer.Placed, answer.BookingId, answer.Reason));
        Assert.Equal(2, await FreeUnitsAsync(pool));
    }

    [Fact]
    public async Task A_confirmed_part_is_a_booking_and_its_release_cancels_it_and_frees_the_units()
    {
        var pool = await CreatePoolAsync(2);
        var asked = HoldRequest(pool, units: 2);
        await _enterprises.Harness.Bus.Publish(asked);
        var held = await AnswerAsync(asked.PartId);
        Assert.True(held.Placed, held.Detail);

        await _enterprises.Harness.Bus.Publish(new BundlePartConfirmRequested(asked.BundleId, asked.PartId, ProjectParties.Enterprises, 1, DateTimeOffset.UtcNow));
        Assert.True(await _enterprises.Harness.Published.EventuallyAsync<BundlePartConfirmed>(m => m.Context.Message.PartId == asked.PartId));
        var confirmed = _enterprises.Harness.Published.Snapshot<BundlePartConfirmed>().Single(m => m.Context.Message.PartId == asked.PartId).Context.Message;
        Assert.Equal((true, held.BookingId), (confirmed.Confirmed, confirmed.BookingId));
        Assert.Equal("confirmed", await StatusAsync(held.BookingId!.Value));
        Assert.Equal(0, await FreeUnitsAsync(pool));

        await _enterprises.Harness.Bus.Publish(new BundlePartReleaseRequested(asked.BundleId, asked.PartId, ProjectParties.Enterprises, "The project was cancelled", 2, DateTimeOffset.UtcNow));
        Assert.True(await _enterprises.Harness.Published.EventuallyAsync<BundlePartReleased>(m => m.Context.Message.PartId == asked.PartId && m.Context.Message.BookingId == held.BookingId));
        Assert.Equal("cancelled", await StatusAsync(held.BookingId.Value));
        Assert.Equal(2, await FreeUnitsAsync(pool));
        Assert.True(await _enterprises.Harness.Published.EventuallyAsync<BookingChanged>(m => m.Context.Message.BookingId == held.BookingId && m.Context.Message.Status == "cancelled"));
    }

    [Fact]
    public async Task A_hold_asked_after_its_answer_was_due_is_refused_as_late_and_a_lapsed_hold_is_not_confirmed()
    {
        var pool = await CreatePoolAsync(2);
        var late = HoldRequest(pool, units: 1) with { AnswerBy = _enterprises.Clock.GetUtcNow().AddMinutes(-1) };
        await _enterprises.Harness.Bus.Publish(late);
        Assert.Equal((false, "late"), ((await AnswerAsync(late.PartId)).Placed, (await AnswerAsync(late.PartId)).Reason));
        Assert.Equal(2, await FreeUnitsAsync(pool));

        var brief = HoldRequest(pool, units: 1) with { HoldUntil = _enterprises.Clock.GetUtcNow().AddMinutes(1) };
        await _enterprises.Harness.Bus.Publish(brief);
        var held = await AnswerAsync(brief.PartId);
        Assert.True(held.Placed, held.Detail);
        _enterprises.Clock.Advance(TimeSpan.FromMinutes(2));
        await _enterprises.Harness.Bus.Publish(new BundlePartConfirmRequested(brief.BundleId, brief.PartId, ProjectParties.Enterprises, 1, DateTimeOffset.UtcNow));
        Assert.True(await _enterprises.Harness.Published.EventuallyAsync<BundlePartConfirmed>(m => m.Context.Message.PartId == brief.PartId && !m.Context.Message.Confirmed));
        Assert.NotEqual("confirmed", await StatusAsync(held.BookingId!.Value));
    }

    [Fact]
    public async Task A_hold_whose_confirmation_only_waits_for_approval_is_answered_not_confirmed()
    {
        var response = await _enterprises.ClientAs(HelixStaff).PostAsJsonAsync("/api/enterprises/resources",
            new { kind = "ComputePool", name = "Approval pool", capacity = 2, rules = new { approvalRequired = true } });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var pool = (await response.ReadNodeAsync())["id"]!.GetValue<Guid>();
        var asked = HoldRequest(pool, units: 1);
        await _enterprises.Harness.Bus.Publish(asked);
        var held = await AnswerAsync(asked.PartId);
        Assert.True(held.Placed, held.Detail);

        await _enterprises.Harness.Bus.Publish(new BundlePartConfirmRequested(asked.BundleId, asked.PartId, ProjectParties.Enterprises, 1, DateTimeOffset.UtcNow));
        Assert.True(await _enterprises.Harness.Published.EventuallyAsync<BundlePartConfirmed>(m => m.Context.Message.PartId == asked.PartId));
        var answer = _enterprises.Harness.Published.Snapshot<BundlePartConfirmed>().Single(m => m.Context.Message.PartId == asked.PartId).Context.Message;
        Assert.False(answer.Confirmed);
        Assert.StartsWith("approval-required", answer.Reason);

        // The school will not release a part it was told was not confirmed: the owner gives the units back itself.
        Assert.Equal("cancelled", await StatusAsync(held.BookingId!.Value));
        Assert.Equal(2, await FreeUnitsAsync(pool));
    }

    private BundleHoldRequested HoldRequest(Guid resource, int units)
    {
        var now = _enterprises.Clock.GetUtcNow();
        return new BundleHoldRequested(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), ProjectParties.Enterprises, resource, units, _tomorrow, _tomorrow.AddHours(2),
            Alice.Id, DemoDirectory.School.Id, now.AddHours(1), now.AddMinutes(30), 1, now);
    }

    private List<BundleHoldAnswered> Answers(Guid part) =>
        _enterprises.Harness.Published.Snapshot<BundleHoldAnswered>().Where(m => m.Context.Message.PartId == part).Select(m => m.Context.Message).ToList();

    private async Task<BundleHoldAnswered> AnswerAsync(Guid part)
    {
        Assert.True(await _enterprises.Harness.Published.EventuallyAsync<BundleHoldAnswered>(m => m.Context.Message.PartId == part), "the owner answers the hold request");
        return Answers(part)[0];
    }

    private async Task<int> FreeUnitsAsync(Guid pool)
    {
        var query = $"from={Uri.EscapeDataString(_tomorrow.ToString("O"))}&to={Uri.EscapeDataString(_tomorrow.AddHours(2).ToString("O"))}&ids={pool}";
        var answer = await (await _enterprises.ClientAs(HelixStaff).GetAsync($"/api/enterprises/resources/availability?{query}")).ReadNodeAsync();
        return answer.AsArray().Single()!["freeUnits"]!.GetValue<int>();
    }

    private async Task<string> StatusAsync(Guid booking) =>
        (await (await _enterprises.ClientAs(HelixStaff).GetAsync($"/api/enterprises/bookings/{booking}")).ReadNodeAsync())["status"]!.GetValue<string>();

    private async Task<Guid> CreatePoolAsync(int capacity)
    {
        var response = await _enterprises.ClientAs(HelixStaff).PostAsJsonAsync("/api/enterprises/resources", new { kind = "ComputePool", name = "Bundle pool", capacity });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.ReadNodeAsync())["id"]!.GetValue<Guid>();
    }
}
