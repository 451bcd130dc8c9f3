using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using CollabTraining.Tests.Support;

namespace CollabTraining.Tests.EndToEnd;

[Collection(PlatformCollection.Name)]
public sealed class CatalogFlowTests(Platform platform)
{
    private static readonly TimeSpan Promise = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task A_hospital_offer_reaches_the_school_catalog_within_five_seconds_and_its_changes_follow()
    {
        var hospital = await platform.SignInAsync(TestAuth.StMarysCoordinator);
        var student = await platform.SignInAsync("student002@northbridge.demo");
        var title = $"Interventional cardiology {Guid.NewGuid():N}"[..40];

        var created = await hospital.PostAsJsonAsync("/api/hospitals/placement-offers", OfferRequests.Valid(title));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.ReadNodeAsync())["id"]!.GetValue<Guid>();

        Assert.True(await InCatalogWithin(student, id, p => p?["title"]?.GetValue<string>() == title), "the new offer did not reach the catalog within 5 s\n" + platform.Logs());
        var listed = await (await student.GetAsync($"/api/school/catalog/placements?q={Uri.EscapeDataString(title)}")).ReadNodeAsync();
        Assert.Equal(1, listed["total"]!.GetValue<int>());

        var revised = await hospital.PutAsJsonAsync($"/api/hospitals/placement-offers/{id}", OfferRequests.Valid(title + " (12 seats)", seats: 12));
        Assert.Equal(HttpStatusCode.OK, revised.StatusCode);
        Assert.True(await InCatalogWithin(student, id, p => p?["seats"]?.GetValue<int>() == 12), "the change did not reach the catalog within 5 s");

        Assert.Equal(HttpStatusCode.NoContent, (await hospital.DeleteAsync($"/api/hospitals/placement-offers/{id}")).StatusCode);
        Assert.True(await InCatalogWithin(student, id, p => p?["withdrawn"]?.GetValue<bool>() == true), "the withdrawal did not reach the catalog within 5 s");
        var afterWithdrawal = await (await student.GetAsync($"/api/school/catalog/placements?q={Uri.EscapeDataString(title)}")).ReadNodeAsync();
        Assert.Equal(0, afterWithdrawal["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Creating_an_offer_is_one_trace_across_gateway_hospitals_broker_and_the_school_consumer()
    {
        var hospital = await platform.SignInAsync(TestAuth.RiversideCoordinator);
        var student = await platform.SignInAsync("student003@northbridge.demo");
        var traceId = ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/hospitals/placement-offers") { Content = JsonContent.Create(OfferRequests.Valid("Traced offer")) };
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01");

        var created = await hospital.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.ReadNodeAsync())["id"]!.GetValue<Guid>();
        Assert.True(await InCatalogWithin(student, id, p => p is not null));

        // Each process exports its spans in its own batches, so wait for every expected span, not just for a
        // span from each service (the hospitals' publish span may arrive after the school's consume span).
        static bool Expected(IReadOnlyCollection<CollectedSpan> spans) =>
            spans.Any(s => s.Service == "gateway" && s.Kind == 2)
            && spans.Any(s => s.Service == "hospitals" && s.Kind == 2 && s.Name.Contains("placement-offers", StringComparison.Ordinal))
            && spans.Any(s => s.Service == "hospitals" && s.Kind == 4)
            && spans.Any(s => s.Service == "school" && s.Kind == 5);
        var complete = await Eventually.HoldsAsync(() => Task.FromResult(Expected(platform.Collector.InTrace(traceId).ToList())), TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(200));

        var spans = platform.Collector.InTrace(traceId).ToList();
        Assert.True(complete, "spans in the trace: " + string.Join(", ", spans.Select(s => $"{s.Service}:{s.Name}:{s.Kind}")) + $"; collected {platform.Collector.Spans.Count} spans from " + string.Join(",", platform.Collector.Spans.Select(s => s.Service).Distinct()) + " wanted " + traceId);
    }

    /// <summary>Polls the catalog entry through the gateway; null stands for "not in the catalog" (404).</summary>
    private static Task<bool> InCatalogWithin(HttpClient client, Guid id, Func<System.Text.Json.Nodes.JsonNode?, bool> condition) =>
        Eventually.HoldsAsync(async () =>
        {
            var response = await client.GetAsync($"/api/school/catalog/placements/{id}");
            return response.StatusCode switch
            {
                HttpStatusCode.OK => condition(await response.ReadNodeAsync()),
                HttpStatusCode.NotFound => condition(null),
                _ => throw new InvalidOperationException($"Catalog answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}"),
            };
        }, Promise, TimeSpan.FromMilliseconds(200));
}
