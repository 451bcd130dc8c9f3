using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CollabTraining.Demo;
using CollabTraining.ServiceDefaults.Security;
using CollabTraining.Tests.Support;

namespace CollabTraining.Tests.EndToEnd;

/// <summary>A whole placement round as the parties live it, through the gateway and a real broker.</summary>
[Collection(PlatformCollection.Name)]
public sealed class PlacementRoundFlowTests(Platform platform)
{
    private static readonly TimeSpan Hop = TimeSpan.FromSeconds(15);

    /// <summary>The placements run from today, so their final week (when a final evaluation may be recorded) is now.</summary>
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public async Task Offers_ranks_match_a_hospital_decline_a_rematch_of_only_that_student_a_mentor_and_an_evaluation_in_the_record()
    {
        var stMarys = await platform.SignInAsync(TestAuth.StMarysCoordinator);
        var riverside = await platform.SignInAsync(TestAuth.RiversideCoordinator);
        var school = await platform.SignInAsync(TestAuth.SchoolCoordinator);
        var tag = Guid.NewGuid().ToString("N")[..6];

        var cardiology = await PublishAsync(stMarys, $"Cardiology {tag}", 1);
        var medicine = await PublishAsync(stMarys, $"Medicine {tag}", 3);
        var surgery = await PublishAsync(riverside, $"Surgery {tag}", 1);
        Assert.True(await Eventually.HoldsAsync(async () =>
            (await (await school.GetAsync($"/api/school/catalog/placements?q={tag}")).ReadNodeAsync())["total"]!.GetValue<int>() == 3, Hop, TimeSpan.FromMilliseconds(300)));

        // A short preference window, so the test can wait for it to close: a run counts only after it has.
        var closes = DateTimeOffset.UtcNow.AddSeconds(15);
        var round = (await (await school.PostAsJsonAsync("/api/school/rounds", new { name = $"Spring {tag}", offerIds = new[] { cardiology, medicine, surgery }, preferencesCloseAt = closes, maxRanks = 2 })).ReadNodeAsync())["id"]!.GetValue<Guid>();
        await RankAsync(23, round, cardiology, surgery);
        await RankAsync(22, round, cardiology, medicine);
        await RankAsync(21, round, surgery, medicine);
        var preview = await (await school.PostAsJsonAsync($"/api/school/rounds/{round}/match", new { seed = 77 })).ReadNodeAsync();
        Assert.Equal("Provisional", preview["kind"]!.GetValue<string>());
        await RankAsync(20, round, surgery, medicine);
        var stMarysApplicants = await (await stMarys.GetAsync($"/api/school/rounds/{round}/offers/{cardiology}/applicants")).ReadNodeAsync();
        Assert.All(stMarysApplicants.AsArray(), a => Assert.Null(a!["rank"]));
        var wait = closes - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(500);
        Assert.True(wait > TimeSpan.Zero, "ranking took longer than the preference window");
        await Task.Delay(wait);

        var run = await (await school.PostAsJsonAsync($"/api/school/rounds/{round}/match", new { seed = 77 })).ReadNodeAsync();
        Assert.True(run["stable"]!.GetValue<bool>());
        Assert.Equal(("Initial", 4), (run["kind"]!.GetValue<string>(), run["matched"]!.GetValue<int>() + run["unmatched"]!.GetValue<int>()));
        Assert.Equal(HttpStatusCode.OK, (await school.PostAsJsonAsync($"/api/school/rounds/{round}/runs/{run["id"]}/publish", new { })).StatusCode);

        var atStMarys = await WaitForAssignmentsAsync(stMarys, round, 3);
        var atRiverside = await WaitForAssignmentsAsync(riverside, round, 1);
        Assert.Equal(DemoDirectory.Student(21).Id, atRiverside.Single()["studentId"]!.GetValue<Guid>());
        foreach (var assignment in atStMarys)
        {
            Assert.Equal(HttpStatusCode.OK, (await stMarys.PostAsync($"/api/hospitals/assignments/{assignment["id"]}/confirm", null)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await riverside.PostAsJsonAsync($"/api/hospitals/assignments/{atRiverside.Single()["id"]}/decline", new { reason = "Theatre closed for refurbishment." })).StatusCode);
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            var all = await (await school.GetAsync($"/api/school/rounds/{round}/assignments")).ReadNodeAsync();
            return all.AsArray().Count(a => a!["status"]!.GetValue<string>() == "Confirmed") == 3
                && all.AsArray().Any(a => a!["status"]!.GetValue<string>() == "DeclinedByHospital");
        }, Hop, TimeSpan.FromMilliseconds(300)), "the hospitals' answers did not reach the school\n" + platform.Logs());
        var before = await (await school.GetAsync($"/api/school/rounds/{round}/assignments")).ReadNodeAsync();
        await (await stMarys.PostAsync($"/api/hospitals/assignments/{atRiverside.Single()["id"]}/confirm", null)).AssertProblemAsync(HttpStatusCode.Forbidden);

        var rematch = await (await school.PostAsJsonAsync($"/api/school/rounds/{round}/rematch", new { seed = 78 })).ReadNodeAsync();
        Assert.Equal(1, rematch["newAssignments"]!.GetValue<int>());
        var after = await (await school.GetAsync($"/api/school/rounds/{round}/assignments")).ReadNodeAsync();
        var moved = after.AsArray().Single(a => before.AsArray().All(b => b!["id"]!.GetValue<Guid>() != a!["id"]!.GetValue<Guid>()))!;
        Assert.Equal((DemoDirectory.Student(21).Id, medicine), (moved["studentId"]!.GetValue<Guid>(), moved["offerId"]!.GetValue<Guid>()));
        Assert.All(before.AsArray().Where(b => b!["status"]!.GetValue<string>() == "Confirmed"),
            b => Assert.Contains(after.AsArray(), a => a!["id"]!.GetValue<Guid>() == b!["id"]!.GetValue<Guid>() && a["status"]!.GetValue<string>() == "Confirmed"));
        await WaitForAssignmentsAsync(stMarys, round, 4);

        var senior = atStMarys.Single(a => a["studentId"]!.GetValue<Guid>() == DemoDirectory.Student(23).Id);
        var mentor = DemoDirectory.FindUser("mentor1@st-marys.demo")!;
        Assert.Equal(HttpStatusCode.OK, (await stMarys.PutAsJsonAsync($"/api/hospitals/assignments/{senior["id"]}/mentor", new { mentorId = mentor.Id })).StatusCode);
        var mentorClient = await platform.SignInAsync(mentor.UserName);
        var evaluation = await mentorClient.PostAsJsonAsync($"/api/hospitals/assignments/{senior["id"]}/evaluations", new
        {
            kind = "Final",
            scores = new { historyTaking = 5, physicalExamination = 4, clinicalReasoning = 4, proceduralSkills = 3, communication = 5, professionalism = 5 },
            entrustment = 4,
            narrative = "Ready for indirect supervision on the cardiology ward.",
        });
        Assert.Equal(HttpStatusCode.Created, evaluation.StatusCode);

        var student = await platform.SignInAsync(DemoDirectory.Student(23).UserName);
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            var record = await (await student.GetAsync($"/api/school/students/{DemoDirectory.Student(23).Id}/record")).ReadNodeAsync();
            var placement = record["placements"]!.AsArray().Single(p => p!["roundId"]!.GetValue<Guid>() == round)!;
            return placement["mentorName"]?.GetValue<string>() == mentor.DisplayName
                && placement["evaluations"]!.AsArray().Any(e => e!["kind"]!.GetValue<string>() == "Final" && e["entrustment"]!.GetValue<int>() == 4);
        }, Hop, TimeSpan.FromMilliseconds(300)), "the mentor and the evaluation did not reach the training record\n" + platform.Logs());
    }

    private async Task RankAsync(int student, Guid round, params Guid[] offers)
    {
        var client = await platform.SignInAsync(DemoDirectory.Student(student).UserName);
        var response = await client.PutAsJsonAsync($"/api/school/rounds/{round}/preferences/me", new { offerIds = offers });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private static async Task<Guid> PublishAsync(HttpClient hospital, string title, int seats)
    {
        var body = new
        {
            department = "Department", specialty = "general", title, startsOn = Today, endsOn = Today.AddDays(3), seats,
            requirements = new { minimumStudyYear = 1 },
        };
        var response = await hospital.PostAsJsonAsync("/api/hospitals/placement-offers", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.ReadNodeAsync())["id"]!.GetValue<Guid>();
    }

    private static async Task<List<JsonNode>> WaitForAssignmentsAsync(HttpClient hospital, Guid round, int count)
    {
        List<JsonNode> mine = [];
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            mine = [.. (await (await hospital.GetAsync("/api/hospitals/assignments")).ReadNodeAsync()).AsArray()
                .Where(a => a!["roundId"]!.GetValue<Guid>() == round).Select(a => a!)];
            return mine.Count == count;
        }, Hop, TimeSpan.FromMilliseconds(300)), $"expected {count} assignments, saw {mine.Count}");
        return mine;
    }
}
