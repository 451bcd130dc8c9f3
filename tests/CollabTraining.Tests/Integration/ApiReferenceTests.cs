using System.Text.Json.Nodes;
using CollabTraining.Hospitals;
using CollabTraining.School;
using CollabTraining.Tests.Support;

namespace CollabTraining.Tests.Integration;

/// <summary>The API reference a new user reads: every operation described, every enum listed by name.</summary>
public sealed class ApiReferenceTests(ServiceFactory<SchoolApiMarker> school, ServiceFactory<HospitalsApiMarker> hospitals) :
    IClassFixture<ServiceFactory<SchoolApiMarker>>, IClassFixture<ServiceFactory<HospitalsApiMarker>>
{
    [Fact]
    public async Task Every_operation_says_what_it_does_and_who_may_call_it()
    {
        foreach (var document in new[] { await DocumentAsync(school.CreateClient()), await DocumentAsync(hospitals.CreateClient()) })
        {
            var operations = document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject().Select(o => (Path: p.Key, Method: o.Key, Operation: o.Value!))).ToList();
            Assert.NotEmpty(operations);
            Assert.All(operations, o =>
            {
                var description = o.Operation["description"]?.GetValue<string>();
                Assert.True(description is { Length: > 40 } && description.Contains("Who may call it:", StringComparison.Ordinal), $"{o.Method} {o.Path}: {description}");
                Assert.False(string.IsNullOrWhiteSpace(o.Operation["summary"]?.GetValue<string>()), $"{o.Method} {o.Path} has no summary");
            });
        }
    }

    [Fact]
    public async Task Statuses_and_reasons_are_listed_by_name()
    {
        var schemas = (await DocumentAsync(school.CreateClient()))["components"]!["schemas"]!;
        Assert.Equal(["Scheduled", "Open", "Closed", "Published", "Cancelled"], Names(schemas["RoundStatus"]!));
        Assert.Equal(["Pending", "Confirmed", "DeclinedByHospital", "DeclinedByStudent", "ReleasedBySchool"], Names(schemas["PlacementAssignmentStatus"]!));
        Assert.Equal(["NotEligible", "NotRankedByHospital", "Full"], Names(schemas["RejectionReason"]!));
        Assert.Equal(["Provisional", "Initial", "Rematch"], Names(schemas["MatchRunKind"]!));

        var hospitalSchemas = (await DocumentAsync(hospitals.CreateClient()))["components"]!["schemas"]!;
        Assert.Equal(["Pending", "Confirmed", "DeclinedByHospital", "DeclinedByStudent", "ReleasedBySchool"], Names(hospitalSchemas["PlacementAssignmentStatus"]!));
        Assert.Equal(["Draft", "Published", "Closed", "Withdrawn"], Names(hospitalSchemas["PlacementOfferStatus"]!));
        Assert.Equal(["Mid", "Final"], Names(hospitalSchemas["EvaluationKind"]!));
    }

    private static List<string> Names(JsonNode schema) => schema["enum"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();

    private static async Task<JsonNode> DocumentAsync(HttpClient client) => await (await client.GetAsync("/openapi/v1.json")).ReadNodeAsync();
}
