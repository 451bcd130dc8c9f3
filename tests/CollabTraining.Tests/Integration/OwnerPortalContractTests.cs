using System.Net;
using System.Net.Http.Json;
using CollabTraining.Demo;
using CollabTraining.Enterprises;
using CollabTraining.Research;
using CollabTraining.Portal.Api;
using CollabTraining.Portal.Owners;
using CollabTraining.Portal.SignIn;
using CollabTraining.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Logging.Abstractions;

namespace CollabTraining.Tests.Integration;

/// <summary>
/// The portal's owner pages speak to the real Enterprises service: what <see cref="OwnersClient"/> sends is what the API
/// takes, what it answers reads into the portal's records, and its problems name the fields the pages show them at.
/// </summary>
public sealed class OwnerPortalContractTests : IDisposable
{
    private const string HelixStaff = "staff@helix-compute.demo";
    private readonly ServiceFactory<EnterprisesApiMarker> _enterprises = new();

    public void Dispose() => _enterprises.Dispose();

    [Fact]
    public async Task Offering_changing_approving_and_blacking_out_a_resource_as_the_portal_does()
    {
        var (owners, user) = ClientFor(HelixStaff);
        var created = await owners.CreateAsync(user, new ResourceRequest("ComputePool", "A100 pool", 2, null, "A100",
            new OwnerRules(ApprovalRequired: true, CheckInRequired: false), ["gpu-cluster-onboarding"], [], []), CancellationToken.None);
        Assert.True(created.Succeeded, created.Problem?.ToString());
        var pool = created.Value!;
        Assert.Equal(("ComputePool", true, "UTC"), (pool.Kind, pool.Rules.ApprovalRequired, pool.Rules.TimeZone));

        var refused = await owners.ReviseAsync(user, pool.Id, ResourceRequest.From(pool) with { Rules = pool.Rules with { MinimumMinutes = 120, MaximumMinutes = 60 } }, CancellationToken.None);
        Assert.Contains("rules.maximumDuration", refused.Problem!.Errors.Keys);
        var revised = await owners.ReviseAsync(user, pool.Id, ResourceRequest.From(pool) with { Rules = pool.Rules with { ApprovalRequired = true, BufferMinutes = 30 } }, CancellationToken.None);
        Assert.True(revised.Succeeded, revised.Problem?.Summary);
        Assert.Equal(30, revised.Value!.Rules.BufferMinutes);

        var listed = await owners.ResourcesAsync(user, "A100", 1, 20, CancellationToken.None);
        Assert.Equal(pool.Id, Assert.Single(listed.Value!.Items).Id);

        // A student books; the booking waits for approval and the owner's list reads it.
        var start = new DateTimeOffset(_enterprises.Clock.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero).AddDays(2).AddHours(9);
        var booked = await _enterprises.ClientAs(DemoDirectory.Student(1).UserName)
            .PostAsJsonAsync($"/api/enterprises/resources/{pool.Id}/bookings", new { start, end = start.AddHours(1), units = 1 });
        Assert.Equal(HttpStatusCode.Conflict, booked.StatusCode); // the student lacks the qualification the pool requires
        var open = await owners.ReviseAsync(user, pool.Id, ResourceRequest.From(revised.Value) with { RequiredQualifications = [] }, CancellationToken.None);
        Assert.True(open.Succeeded, open.Problem?.Summary);
        booked = await _enterprises.ClientAs(DemoDirectory.Student(1).UserName)
            .PostAsJsonAsync($"/api/enterprises/resources/{pool.Id}/bookings", new { start, end = start.AddHours(1), units = 1 });
        Assert.Equal(HttpStatusCode.Created, booked.StatusCode);

        var pending = await owners.BookingsAsync(user, "PendingApproval", null, null, 1, 20, CancellationToken.None);
        var booking = Assert.Single(pending.Value!.Items);
        Assert.Equal(("pendingApproval", "A100 pool"), (booking.Status, booking.ResourceName));
        var midnight = new DateTimeOffset(start.UtcDateTime.Date, TimeSpan.Zero);
        var day = await owners.BookingsAsync(user, null, midnight, midnight.AddDays(1), 1, 20, CancellationToken.None);
        Assert.Equal(booking.Id, Assert.Single(day.Value!.Items).Id);

        var tooLong = await owners.RejectAsync(user, booking.Id, new string('x', 501), CancellationToken.None);
        Assert.Contains("reason", tooLong.Problem!.Errors.Keys, StringComparer.OrdinalIgnoreCase);
        var rejected = await owners.RejectAsync(user, booking.Id, "The pool is reserved that week.", CancellationToken.None);
        Assert.Equal(("rejected", "The pool is reserved that week."), (rejected.Value!.Status, rejected.Value.Reason));

        var backwards = await owners.PlaceBlackoutAsync(user, pool.Id, new BlackoutRequest(start.AddHours(2), start, "Cooling maintenance"), CancellationToken.None);
        Assert.Equal(["end"], backwards.Problem!.Errors.Keys);
        var placed = await owners.PlaceBlackoutAsync(user, pool.Id, new BlackoutRequest(start, start.AddHours(2), "Cooling maintenance"), CancellationToken.None);
        Assert.True(placed.Succeeded, placed.Problem?.Summary);

        var week = await owners.CalendarAsync(user, pool.Id, start.AddDays(-1), start.AddDays(6), CancellationToken.None);
        var blackout = Assert.Single(week.Value!, e => e.IsBlackout);
        Assert.Equal(("Cooling maintenance", start), (blackout.UserName, blackout.Start));

        // The blackouts panel lists them with their ids and removes one (204, no body).
        var ahead = await owners.BlackoutsAsync(user, pool.Id, CancellationToken.None);
        var entry = Assert.Single(ahead.Value!);
        Assert.Equal((placed.Value!.Id, "Cooling maintenance", start, start.AddHours(2)), (entry.Id, entry.Reason, entry.Start, entry.End));
        var removed = await owners.RemoveBlackoutAsync(user, pool.Id, entry.Id, CancellationToken.None);
        Assert.True(removed.Succeeded, removed.Problem?.Summary);
        Assert.Empty((await owners.BlackoutsAsync(user, pool.Id, CancellationToken.None)).Value!);
        var again = await owners.RemoveBlackoutAsync(user, pool.Id, entry.Id, CancellationToken.None);
        Assert.Equal(404, again.Problem!.Status);

        var retired = await owners.RetireAsync(user, pool.Id, CancellationToken.None);
        Assert.True(retired.Value!.Retired);
    }

    [Fact]
    public async Task The_mentor_lists_read_into_the_portals_records()
    {
        var (owners, user) = ClientFor("mentor@helix-compute.demo");
        var requests = await owners.MentorRequestsAsync(user, CancellationToken.None);
        Assert.True(requests.Succeeded, requests.Problem?.Summary);
        var mentors = await owners.MentorsAsync(user, CancellationToken.None);
        Assert.True(mentors.Succeeded, mentors.Problem?.Summary);
        Assert.All(mentors.Value!, m => Assert.Equal(user.OrganisationId, m.OrganisationId));
    }

    [Fact]
    public async Task An_institutes_staff_offer_equipment_through_research()
    {
        using var research = new ServiceFactory<ResearchApiMarker>();
        var (owners, user) = ClientFor("staff@imaging-institute.demo", research.ClientAs("staff@imaging-institute.demo"));
        var created = await owners.CreateAsync(user, new ResourceRequest(Assert.Single(OwnersClient.KindsOf(user)), "Confocal microscope", 1, "Zeiss LSM 980", null,
            new OwnerRules(ApprovalRequired: true), [], [], ["school"]), CancellationToken.None);
        Assert.True(created.Succeeded, created.Problem?.Summary);
        Assert.Equal(("Equipment", "school"), (created.Value!.Kind, Assert.Single(created.Value.AllowedOrganisationKinds)));
        Assert.Equal(created.Value.Id, Assert.Single((await owners.ResourcesAsync(user, null, 1, 20, CancellationToken.None)).Value!.Items).Id);
    }

    private (OwnersClient Owners, PortalUser User) ClientFor(string userName, HttpClient? client = null)
    {
        var http = client ?? _enterprises.ClientAs(userName);
        var gateway = new GatewayClient(http, new FixedNavigation(), NullLogger<GatewayClient>.Instance);
        var user = PortalUser.From(Session.Create(TestAuth.TokenFor(userName), DateTimeOffset.UtcNow.AddHours(1), null))!;
        return (new OwnersClient(gateway), user);
    }

    private sealed class FixedNavigation : NavigationManager
    {
        public FixedNavigation() => Initialize("http://portal.test/", "http://portal.test/owner/resources");
    }
}
