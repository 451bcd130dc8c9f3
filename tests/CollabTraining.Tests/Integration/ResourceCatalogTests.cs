using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using CollabTraining.Contracts.Sharing;
using CollabTraining.Demo;
using CollabTraining.School;
using CollabTraining.School.Catalog;
using CollabTraining.School.Data;
using CollabTraining.Tests.Support;
using MassTransit;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CollabTraining.Tests.Integration;

/// <summary>
/// The school's catalog of shared resources and engineering mentors: kept from the owners' events, searched at
/// the school, with availability over a window asked of the owners live (here a fake owner on the HTTP
/// client). An owner that fails in any way marks its own resources unavailable; the page always answers.
/// </summary>
public sealed class ResourceCatalogTests(ResourceCatalogTests.OwnersFactory factory) : IClassFixture<ResourceCatalogTests.OwnersFactory>
{
    private static readonly DemoOrganisation Enterprise = DemoDirectory.Enterprises[0];
    private static readonly DemoOrganisation Institute = DemoDirectory.Institutes[0];
    private readonly HttpClient _student = factory.ClientAs(TestAuth.Student);

    [Fact]
    public async Task Published_resources_and_mentors_are_listed_and_filtered_by_kind_or_any_resource_text_and_owner_and_retired_or_inactive_ones_are_not()
    {
        var tag = Tag();
        var pool = Resource(Enterprise, ResourceOwners.Enterprises, "computePool", $"{tag} GPU pool", model: $"model-{tag}");
        var headsets = Resource(Enterprise, ResourceOwners.Enterprises, "device", $"{tag} VR headset set");
        var scanner = Resource(Institute, ResourceOwners.Research, "equipment", $"{tag} 3T MRI scanner");
        var retired = Resource(Institute, ResourceOwners.Research, "equipment", $"{tag} old scanner") with { Retired = true };
        await PublishAsync(pool, headsets, scanner, retired);
        var mentor = new EngineeringMentorPublished(Guid.CreateVersion7(), ResourceOwners.Enterprises, Enterprise.Id, Enterprise.Name, $"{tag} Ada",
            [$"vision-{tag}", "embedded devices"], 2, true, 1, DateTimeOffset.UtcNow);
        var inactive = new EngineeringMentorPublished(Guid.CreateVersion7(), ResourceOwners.Research, Institute.Id, Institute.Name, $"{tag} Idle",
            ["genomics"], 1, false, 1, DateTimeOffset.UtcNow);
        await factory.Harness.Bus.Publish(mentor);
        await factory.Harness.Bus.Publish(inactive);
        await WaitForMentorsAsync(mentor.MentorId, inactive.MentorId);

        var all = await SearchAsync($"q={tag}");
        Assert.Equal(4, all["total"]!.GetValue<int>());
        Assert.Equal([scanner.ResourceId, pool.ResourceId, headsets.ResourceId, mentor.MentorId], Ids(all));
        Assert.All(all["items"]!.AsArray(), i => Assert.Null(i!["availability"]));

        var pools = await SearchAsync($"q={tag}&kind=computePool");
        Assert.Equal([pool.ResourceId], Ids(pools));
        var entry = pools["items"]![0]!;
        Assert.Equal(("computePool", "enterprises", Enterprise.Name, 8), (entry["kind"]!.GetValue<string>(), entry["service"]!.GetValue<string>(), entry["ownerName"]!.GetValue<string>(), entry["capacity"]!.GetValue<int>()));
        Assert.Equal(["gpu-cluster-onboarding"], entry["requiredQualifications"]!.AsArray().Select(q => q!.GetValue<string>()));

        Assert.Equal([scanner.ResourceId, pool.ResourceId, headsets.ResourceId], Ids(await SearchAsync($"q={tag}&kind=resource")));
        Assert.Equal(3, (await SearchAsync($"q={tag}&kind=resource"))["total"]!.GetValue<int>());

        var mentors = await SearchAsync($"q={tag}&kind=mentor");
        Assert.Equal([mentor.MentorId], Ids(mentors));
        Assert.Equal(2, mentors["items"]![0]!["projectCapacity"]!.GetValue<int>());

        Assert.Equal([pool.ResourceId], Ids(await SearchAsync($"q=MODEL-{tag.ToUpperInvariant()}")));
        Assert.Equal([mentor.MentorId], Ids(await SearchAsync($"q=vision-{tag}")));
        Assert.Equal([scanner.ResourceId], Ids(await SearchAsync($"q={tag}&ownerId={Institute.Id}")));
        Assert.Equal([headsets.ResourceId, mentor.MentorId], Ids(await SearchAsync($"q={tag}&pageSize=2&page=2")));
    }

    [Fact]
    public async Task A_stale_publication_never_overwrites_a_newer_one()
    {
        var resource = Resource(Enterprise, ResourceOwners.Enterprises, "device", $"{Tag()} ultrasound simulator v2");
        await factory.Harness.Bus.Publish(new SharedResourcePublished(resource, 2, DateTimeOffset.UtcNow));
        await WaitForVersionAsync(resource.ResourceId, 2);

        var stale = Guid.NewGuid();
        await factory.Harness.Bus.Publish(new SharedResourcePublished(resource with { Name = resource.Name + " (old)", Retired = true }, 1, DateTimeOffset.UtcNow), c => c.MessageId = stale);
        Assert.True(await Eventually.HoldsAsync(
            () => factory.InScopeAsync<SchoolDbContext, bool>(db => db.InboxMessages.AnyAsync(m => m.MessageId == stale)), TimeSpan.FromSeconds(10)), "the stale publication was never handled");

        var held = await factory.InScopeAsync<SchoolDbContext, CatalogResource>(db => db.CatalogResources.AsNoTracking().SingleAsync(r => r.ResourceId == resource.ResourceId));
        Assert.Equal((resource.Name, false, 2L), (held.Name, held.Retired, held.Version));
    }

    [Theory]
    [InlineData("kind=spaceship", "kind")]
    [InlineData("from=2030-01-01T00:00:00Z", "to")]
    [InlineData("to=2030-01-01T00:00:00Z", "from")]
    [InlineData("from=2030-01-02T00:00:00Z&to=2030-01-01T00:00:00Z", "to")]
    [InlineData("from=2030-01-01T00:00:00Z&to=2030-01-01T00:00:00Z", "to")]
    [InlineData("from=2030-01-01T00:00:00Z&to=2030-02-01T00:00:01Z", "to")]
    [InlineData("units=0", "units")]
    [InlineData("from=0001-01-01T00:00:00Z&to=0001-01-02T00:00:00Z", "from")]
    [InlineData("from=9999-12-30T00:00:00Z&to=9999-12-31T00:00:00Z", "to")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("page=0", "page")]
    public async Task Bad_search_parameters_are_a_400_problem_naming_the_parameter(string query, string field)
    {
        var asked = factory.Owners.Calls.Count;
        var problem = await (await _student.GetAsync($"/api/school/catalog/resources?{query}")).AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]?[field] is not null, problem.ToJsonString());
        Assert.Equal(asked, factory.Owners.Calls.Count);
    }

    [Fact]
    public async Task A_malformed_time_is_a_400_and_anonymous_callers_are_turned_away()
    {
        await (await _student.GetAsync("/api/school/catalog/resources?from=tomorrow&to=2030-01-01T00:00:00Z")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await factory.CreateClient().GetAsync("/api/school/catalog/resources")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task With_a_window_each_owner_is_asked_once_with_the_callers_token_and_its_answer_is_shown()
    {
        var tag = Tag();
        var pool = Resource(Enterprise, ResourceOwners.Enterprises, "computePool", $"{tag} A pool");
        var kit = Resource(Enterprise, ResourceOwners.Enterprises, "device", $"{tag} B imaging kit") with { Capacity = 2 };
        var sequencer = Resource(Institute, ResourceOwners.Research, "equipment", $"{tag} C sequencer") with { Capacity = 1 };
        await PublishAsync(pool, kit, sequencer);
        var free = new Dictionary<Guid, int> { [pool.ResourceId] = 5, [kit.ResourceId] = 0, [sequencer.ResourceId] = 1 };
        factory.Owners.Answer = (request, _) => Task.FromResult(FakeOwners.Report(request, id => free.GetValueOrDefault(id)));
        factory.Owners.Calls.Clear();
        var (from, to) = Window();

        var page = await SearchAsync($"q={tag}&from={Escape(from)}&to={Escape(to)}&units=3");

        var availability = page["items"]!.AsArray().ToDictionary(i => i!["id"]!.GetValue<Guid>(), i => i!["availability"]!);
        Assert.Equal<(string, int?, bool?)>(("available", 5, true), Read(availability[pool.ResourceId]));
        Assert.Equal<(string, int?, bool?)>(("unavailable", 0, false), Read(availability[kit.ResourceId]));
        Assert.Equal<(string, int?, bool?)>(("available", 1, false), Read(availability[sequencer.ResourceId]));

        var calls = factory.Owners.Calls.ToList();
        Assert.Equal(["enterprises.test", "research.test"], calls.Select(c => c.Uri.Host).Order(StringComparer.Ordinal));
        var enterprises = calls.Single(c => c.Uri.Host == "enterprises.test");
        Assert.Equal("/api/enterprises/resources/availability", enterprises.Uri.AbsolutePath);
        var query = QueryHelpers.ParseQuery(enterprises.Uri.Query);
        Assert.Equal(new[] { kit.ResourceId, pool.ResourceId }.Order(), query["ids"].Select(v => Guid.Parse(v!)).Order());
        Assert.Equal(from, DateTimeOffset.Parse(query["from"].ToString(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(to, DateTimeOffset.Parse(query["to"].ToString(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.All(calls, c => Assert.Equal(_student.DefaultRequestHeaders.Authorization!.ToString(), c.Authorization));
    }

    [Theory]
    [InlineData("throws", "could not be reached")]
    [InlineData("hangs", "did not answer in time")]
    [InlineData("500", "HTTP 500")]
    [InlineData("garbage", "could not be read")]
    public async Task An_owner_that_fails_marks_only_its_own_resources_unavailable_and_the_page_still_answers(string failure, string reason)
    {
        var tag = Tag();
        var pool = Resource(Enterprise, ResourceOwners.Enterprises, "computePool", $"{tag} failing pool");
        var scanner = Resource(Institute, ResourceOwners.Research, "equipment", $"{tag} healthy scanner");
        await PublishAsync(pool, scanner);
        factory.Owners.Answer = async (request, ct) =>
        {
            if (request.RequestUri!.Host != "enterprises.test")
            {
                return FakeOwners.Report(request, id => 1);
            }

            switch (failure)
            {
                case "throws":
                    throw new HttpRequestException("Connection refused (test fault).");
                case "hangs":
                    await Task.Delay(Timeout.Infinite, ct);
                    return new HttpResponseMessage(HttpStatusCode.OK);
                case "500":
                    return new HttpResponseMessage(HttpStatusCode.InternalServerError);
                default:
                    return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("{\"resourceId\": nope", Encoding.UTF8, "application/json") };
            }
        };
        var (from, to) = Window();

        var started = DateTime.UtcNow;
        var page = await SearchAsync($"q={tag}&from={Escape(from)}&to={Escape(to)}");

        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5), "the search waited far beyond the owner's timeout");
        var availability = page["items"]!.AsArray().ToDictionary(i => i!["id"]!.GetValue<Guid>(), i => i!["availability"]!);
        Assert.Equal("unavailable", availability[pool.ResourceId]["status"]!.GetValue<string>());
        Assert.Null(availability[pool.ResourceId]["freeUnits"]);
        Assert.Contains(reason, availability[pool.ResourceId]["reason"]!.GetValue<string>());
        Assert.Equal<(string, int?, bool?)>(("available", 1, null), Read(availability[scanner.ResourceId]));
    }

    [Fact]
    public async Task An_owner_that_keeps_failing_is_left_alone_for_a_while_and_one_without_an_address_is_reported_as_such()
    {
        using var own = new OwnersFactory();
        own.With("Owners:research", null).With("Owners:Resilience:BreakerMinimumThroughput", "2").With("Owners:Resilience:Retries", "0");
        own.Owners.Answer = (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        var tag = Tag();
        var pool = Resource(Enterprise, ResourceOwners.Enterprises, "computePool", $"{tag} flaky pool");
        var scanner = Resource(Institute, ResourceOwners.Research, "equipment", $"{tag} unreachable scanner");
        foreach (var resource in new[] { pool, scanner })
        {
            await own.Harness.Bus.Publish(new SharedResourcePublished(resource, 1, DateTimeOffset.UtcNow));
        }

        Assert.True(await Eventually.HoldsAsync(
            () => own.InScopeAsync<SchoolDbContext, bool>(async db => await db.CatalogResources.CountAsync(r => r.ResourceId == pool.ResourceId || r.ResourceId == scanner.ResourceId) == 2),
            TimeSpan.FromSeconds(10)));
        var (from, to) = Window();
        var student = own.ClientAs(TestAuth.Student);
        async Task<JsonNode> AvailabilityAsync(Guid id)
        {
            var response = await student.GetAsync($"/api/school/catalog/resources?q={tag}&from={Escape(from)}&to={Escape(to)}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.ReadNodeAsync())["items"]!.AsArray().Single(i => i!["id"]!.GetValue<Guid>() == id)!["availability"]!;
        }

        Assert.Contains("no address", (await AvailabilityAsync(scanner.ResourceId))["reason"]!.GetValue<string>());
        await AvailabilityAsync(pool.ResourceId);
        await AvailabilityAsync(pool.ResourceId);
        var asked = own.Owners.Calls.Count;

        var paused = await AvailabilityAsync(pool.ResourceId);
        Assert.Equal("unavailable", paused["status"]!.GetValue<string>());
        Assert.Contains("pauses", paused["reason"]!.GetValue<string>());
        Assert.Equal(asked, own.Owners.Calls.Count);
    }

    private static string Tag() => Guid.NewGuid().ToString("N")[..8];

    private static SharedResourceSnapshot Resource(DemoOrganisation owner, string service, string kind, string name, string? model = null) =>
        new(Guid.CreateVersion7(), service, owner.Id, owner.Name, kind, name, $"{name}, offered to student teams", model, 8,
            ["gpu-cluster-onboarding"], false, 8, "Europe/Amsterdam", false);

    /// <summary>A window next week on whole hours, so what the owner receives can be compared exactly.</summary>
    private static (DateTimeOffset From, DateTimeOffset To) Window()
    {
        var now = DateTimeOffset.UtcNow;
        var from = new DateTimeOffset(now.Year, now.Month, now.Day, 9, 0, 0, TimeSpan.Zero).AddDays(7);
        return (from, from.AddHours(8));
    }

    private static string Escape(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O", System.Globalization.CultureInfo.InvariantCulture));

    private static List<Guid> Ids(JsonNode page) => [.. page["items"]!.AsArray().Select(i => i!["id"]!.GetValue<Guid>())];

    private static (string, int?, bool?) Read(JsonNode availability) =>
        (availability["status"]!.GetValue<string>(), availability["freeUnits"]?.GetValue<int>(), availability["fits"]?.GetValue<bool>());

    private async Task PublishAsync(params SharedResourceSnapshot[] resources)
    {
        foreach (var resource in resources)
        {
            await factory.Harness.Bus.Publish(new SharedResourcePublished(resource, 1, DateTimeOffset.UtcNow));
        }

        foreach (var resource in resources)
        {
            await WaitForVersionAsync(resource.ResourceId, 1);
        }
    }

    private async Task WaitForVersionAsync(Guid resourceId, long version) =>
        Assert.True(await Eventually.HoldsAsync(
            async () => await factory.InScopeAsync<SchoolDbContext, long?>(db => db.CatalogResources.Where(r => r.ResourceId == resourceId).Select(r => (long?)r.Version).SingleOrDefaultAsync()) == version,
            TimeSpan.FromSeconds(10)), $"The catalog never reached version {version} of {resourceId}");

    private async Task WaitForMentorsAsync(params Guid[] mentorIds) =>
        Assert.True(await Eventually.HoldsAsync(
            () => factory.InScopeAsync<SchoolDbContext, bool>(async db => await db.CatalogMentors.CountAsync(m => mentorIds.Contains(m.MentorId)) == mentorIds.Length),
            TimeSpan.FromSeconds(10)), "the mentors never reached the catalog");

    private async Task<JsonNode> SearchAsync(string query)
    {
        var response = await _student.GetAsync($"/api/school/catalog/resources?{query}");
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.ReadNodeAsync();
    }

    /// <summary>The School with two fake owners behind its owner HTTP client, and short resilience timings.</summary>
    public sealed class OwnersFactory : ServiceFactory<SchoolApiMarker>
    {
        public OwnersFactory()
        {
            With("Owners:enterprises", "http://enterprises.test");
            With("Owners:research", "http://research.test/");
            With("Owners:Resilience:AttemptTimeout", "00:00:00.300");
            With("Owners:Resilience:TotalTimeout", "00:00:01");
            With("Owners:Resilience:RetryDelay", "00:00:00.020");

            // One breaker per owner would otherwise carry failures from one test into the next.
            With("Owners:Resilience:BreakerMinimumThroughput", "1000");
            ConfigureServicesForTest = services => services.AddHttpClient(OwnerAvailabilityClient.HttpClientName)
                .ConfigurePrimaryHttpMessageHandler(() => new FakeOwnerHandler(Owners));
        }

        public FakeOwners Owners { get; } = new();
    }

    /// <summary>What the owners are asked, and how they answer (every resource fully free unless a test says otherwise).</summary>
    public sealed class FakeOwners
    {
        public ConcurrentQueue<OwnerCall> Calls { get; } = new();

        public Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> Answer { get; set; } =
            (request, _) => Task.FromResult(Report(request, id => 8));

        /// <summary>The owner's answer for the ids asked: capacity 8, <paramref name="free"/> units free.</summary>
        public static HttpResponseMessage Report(HttpRequestMessage request, Func<Guid, int> free) =>
            new(HttpStatusCode.OK)
            {
                Content = JsonContent.Create(QueryHelpers.ParseQuery(request.RequestUri!.Query)["ids"]
                    .Select(v => Guid.Parse(v!)).Select(id => new { resourceId = id, capacity = 8, freeUnits = free(id) }).ToList()),
            };
    }

    public sealed record OwnerCall(Uri Uri, string? Authorization);

    private sealed class FakeOwnerHandler(FakeOwners owners) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            owners.Calls.Enqueue(new OwnerCall(request.RequestUri!, request.Headers.Authorization?.ToString()));
            return owners.Answer(request, cancellationToken);
        }
    }
}
