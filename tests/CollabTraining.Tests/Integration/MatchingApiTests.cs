using System.Net;
using System.Net.Http.Json;
using CollabTraining.School;
using CollabTraining.Tests.Support;

namespace CollabTraining.Tests.Integration;

public sealed class MatchingApiTests(ServiceFactory<SchoolApiMarker> factory) : IClassFixture<ServiceFactory<SchoolApiMarker>>
{
    private static readonly Guid Cardiology = Guid.NewGuid();
    private static readonly Guid Radiology = Guid.NewGuid();
    private static readonly Guid Ana = Guid.NewGuid();
    private static readonly Guid Ben = Guid.NewGuid();
    private static readonly Guid Cleo = Guid.NewGuid();

    private static object Instance(object? extraStudent = null) => new
    {
        seed = 11,
        students = new object[]
        {
            new { studentId = Ana, studyYear = 6, ranking = new[] { Cardiology, Radiology } },
            new { studentId = Ben, studyYear = 4, ranking = new[] { Cardiology, Radiology } },
            new { studentId = Cleo, studyYear = 5, ranking = new[] { Cardiology }, ineligible = new Dictionary<Guid, string> { [Cardiology] = "infection control expires before the placement ends" } },
        }.Concat(extraStudent is null ? [] : [extraStudent]).ToArray(),
        offers = new object[] { new { offerId = Cardiology, seats = 1 }, new { offerId = Radiology, seats = 1 } },
    };

    [Fact]
    public async Task A_coordinator_simulates_a_round_and_sees_assignments_explanations_and_a_stability_certificate()
    {
        var response = await factory.ClientAs(TestAuth.SchoolCoordinator).PostAsJsonAsync("/api/school/matching/simulate", Instance());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = await response.ReadNodeAsync();
        var assignments = result["assignments"]!.AsArray().ToDictionary(a => a!["studentId"]!.GetValue<Guid>(), a => a!["offerId"]!.GetValue<Guid>());
        Assert.Equal(Cardiology, assignments[Ana]);
        Assert.Equal(Radiology, assignments[Ben]);
        Assert.Equal([Cleo], result["unmatched"]!.AsArray().Select(n => n!.GetValue<Guid>()));
        Assert.True(result["certificate"]!["isStable"]!.GetValue<bool>());
        Assert.Equal([(1, 1), (2, 1)], result["rankDistribution"]!["byRank"]!.AsArray().Select(n => (n!["rank"]!.GetValue<int>(), n["students"]!.GetValue<int>())));
        Assert.Equal("11", result["seed"]!.GetValue<string>());

        var ben = result["explanations"]!.AsArray().Single(e => e!["studentId"]!.GetValue<Guid>() == Ben)!;
        Assert.Contains("study year 6", ben["rankedAbove"]![0]!["detail"]!.GetValue<string>());
        var cleo = result["explanations"]!.AsArray().Single(e => e!["studentId"]!.GetValue<Guid>() == Cleo)!;
        Assert.Contains("infection control", cleo["rankedAbove"]![0]!["detail"]!.GetValue<string>());

        var again = await (await factory.ClientAs(TestAuth.SchoolCoordinator).PostAsJsonAsync("/api/school/matching/simulate", Instance())).ReadNodeAsync();
        Assert.Equal(result["inputDigest"]!.GetValue<string>(), again["inputDigest"]!.GetValue<string>());
    }

    public static TheoryData<string, object> BadInstances => new()
    {
        { "an offer ranked twice", new { studentId = Guid.NewGuid(), studyYear = 3, ranking = new[] { Cardiology, Cardiology } } },
        { "an unknown offer", new { studentId = Guid.NewGuid(), studyYear = 3, ranking = new[] { Guid.NewGuid() } } },
        { "more ranks than allowed", new { studentId = Guid.NewGuid(), studyYear = 3, ranking = Enumerable.Range(0, 31).Select(_ => Cardiology).ToArray() } },
        { "study year out of range", new { studentId = Guid.NewGuid(), studyYear = 9, ranking = new[] { Cardiology } } },
        { "the same student twice", new { studentId = Ana, studyYear = 3, ranking = new[] { Radiology } } },
        { "no ranking", new { studentId = Guid.NewGuid(), studyYear = 3 } },
        { "no study year", new { studentId = Guid.NewGuid(), ranking = new[] { Cardiology } } },
        { "the all-zero id", new { studentId = Guid.Empty, studyYear = 3, ranking = new[] { Cardiology } } },
    };

    [Theory]
    [MemberData(nameof(BadInstances))]
    public async Task A_malformed_instance_is_a_400_problem_naming_the_field(string why, object student)
    {
        var response = await factory.ClientAs(TestAuth.SchoolCoordinator).PostAsJsonAsync("/api/school/matching/simulate", Instance(student));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().Count > 0, why);
    }

    [Theory]
    [InlineData("""{"students":[null],"offers":[]}""")]
    [InlineData("""{"students":[],"offers":[null]}""")]
    [InlineData("""{"students":[],"offers":[{"offerId":"00000000-0000-0000-0000-000000000001","seats":-1}]}""")]
    [InlineData("""{"students":[],"offers":[{"offerId":"00000000-0000-0000-0000-000000000001"}]}""")]
    [InlineData("""{"students":[],"offers":[{"offerId":"00000000-0000-0000-0000-000000000001","seats":"2"}]}""")]
    public async Task Null_entries_and_negative_seats_are_a_400_problem(string body)
    {
        await (await factory.ClientAs(TestAuth.SchoolCoordinator).PostAsync("/api/school/matching/simulate", Json.Raw(body))).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Only_school_staff_may_simulate()
    {
        await (await factory.ClientAs(TestAuth.Student).PostAsJsonAsync("/api/school/matching/simulate", Instance())).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await factory.ClientAs(TestAuth.StMarysCoordinator).PostAsJsonAsync("/api/school/matching/simulate", Instance())).AssertProblemAsync(HttpStatusCode.Forbidden);
    }
}
