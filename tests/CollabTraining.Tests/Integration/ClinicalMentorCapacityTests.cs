using System.Net;
using System.Net.Http.Json;
using CollabTraining.Hospitals;
using CollabTraining.Tests.Support;

namespace CollabTraining.Tests.Integration;

/// <summary>How many innovation projects a newly registered clinical mentor takes, as stored and read back by their hospital.</summary>
public sealed class ClinicalMentorCapacityTests(ServiceFactory<HospitalsApiMarker> factory) : IClassFixture<ServiceFactory<HospitalsApiMarker>>
{
    private readonly HttpClient _coordinator = factory.ClientAs(TestAuth.StMarysCoordinator);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(5)]
    public async Task A_mentor_registered_to_take_a_number_of_projects_keeps_that_number_even_none(int capacity)
    {
        var mentor = Guid.NewGuid();

        var registered = await _coordinator.PostAsJsonAsync("/api/hospitals/mentors", new { userId = mentor, name = $"Dr Capacity {capacity}", projectCapacity = capacity });

        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        Assert.Equal(capacity, await CapacityReadBackAsync(mentor));
    }

    [Fact]
    public async Task A_mentor_registered_without_a_number_takes_two_projects()
    {
        var mentor = Guid.NewGuid();

        Assert.Equal(HttpStatusCode.Created, (await _coordinator.PostAsJsonAsync("/api/hospitals/mentors", new { userId = mentor, name = "Dr Default" })).StatusCode);

        Assert.Equal(2, await CapacityReadBackAsync(mentor));
    }

    private async Task<int> CapacityReadBackAsync(Guid mentor)
    {
        var mentors = await (await _coordinator.GetAsync("/api/hospitals/mentors")).ReadNodeAsync();
        return mentors.AsArray().Single(m => m!["id"]!.GetValue<Guid>() == mentor)!["projectCapacity"]!.GetValue<int>();
    }
}
