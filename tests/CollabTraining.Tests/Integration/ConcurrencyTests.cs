using System.Net;
using System.Net.Http.Json;
using CollabTraining.Contracts.School;
using CollabTraining.Demo;
using CollabTraining.Hospitals;
using CollabTraining.Hospitals.Data;
using CollabTraining.ServiceDefaults.Security;
using CollabTraining.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Tests.Integration;

public sealed class ConcurrencyTests(ServiceFactory<HospitalsApiMarker> factory) : IClassFixture<ServiceFactory<HospitalsApiMarker>>
{
    [Fact]
    public async Task Coordinators_confirming_the_same_assignment_at_once_get_one_success_and_conflicts_never_a_500()
    {
        var coordinator = factory.ClientAs(TestAuth.StMarysCoordinator);
        var offer = (await (await coordinator.PostAsJsonAsync("/api/hospitals/placement-offers", OfferRequests.Valid("Contended ward", 2))).ReadNodeAsync())["id"]!.GetValue<Guid>();
        var assignment = Guid.CreateVersion7();
        await factory.Harness.Bus.Publish(new PlacementAssigned(assignment, Guid.NewGuid(), offer, DemoDirectory.Hospitals[0].Id, Guid.NewGuid(), "Contended student", 5, "medicine", 1, 1, DateTimeOffset.UtcNow));
        Assert.True(await Eventually.HoldsAsync(() => factory.InScopeAsync<HospitalsDbContext, bool>(db => db.Assignments.AnyAsync(a => a.Id == assignment)), TimeSpan.FromSeconds(10)));

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => coordinator.PostAsync($"/api/hospitals/assignments/{assignment}/confirm", null)));

        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, $"{(int)a.StatusCode}"));
        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        var events = await factory.InScopeAsync<HospitalsDbContext, int>(db => db.OutboxMessages.CountAsync(m => m.Body.Contains(assignment.ToString())));
        Assert.Equal(1, events);
    }
}
