using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CollabTraining.School;

namespace CollabTraining.Tests.Support;

/// <summary>The School service with the demo cohort seeded (200 students and their qualifications).</summary>
public sealed class SchoolCohortFactory : ServiceFactory<SchoolApiMarker>
{
    public SchoolCohortFactory() => With("Demo:Seed", "true");

    public HttpClient Coordinator => ClientAs(TestAuth.SchoolCoordinator);

    public static string Student(int number) => $"student{number:000}@northbridge.demo";

    public async Task RankAsync(Guid round, int student, Guid[] offers)
    {
        var response = await ClientAs(Student(student)).PutAsJsonAsync($"/api/school/rounds/{round}/preferences/me", new { offerIds = offers });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Moves the clock past the round's closing time, so the next run is an initial one.</summary>
    public async Task CloseWindowAsync(Guid round) =>
        Clock.MovePast((await (await Coordinator.GetAsync($"/api/school/rounds/{round}")).ReadNodeAsync())["preferencesCloseAt"]!.GetValue<DateTimeOffset>());

    public async Task<JsonNode> ResultAsync(Guid round, int student)
    {
        var response = await ClientAs(Student(student)).GetAsync($"/api/school/rounds/{round}/result/me");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.ReadNodeAsync();
    }

    public async Task<List<JsonNode>> AssignmentsAsync(Guid round) =>
        [.. (await (await Coordinator.GetAsync($"/api/school/rounds/{round}/assignments")).ReadNodeAsync()).AsArray().Select(a => a!)];
}
