using System.Net;
using System.Net.Http.Json;
using CollabTraining.Tests.Support;

namespace CollabTraining.Tests.EndToEnd;

[Collection(PlatformCollection.Name)]
public sealed class GatewayTests(Platform platform)
{
    [Fact]
    public async Task Health_reports_every_service_ready()
    {
        var response = await platform.Anonymous().GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var health = await response.ReadNodeAsync();
        Assert.Equal("Healthy", health["status"]!.GetValue<string>());
        Assert.Equal(["enterprises", "hospitals", "portal", "research", "school"], health["services"]!.AsArray().Select(s => s!["service"]!.GetValue<string>()));
        Assert.DoesNotContain("127.0.0.1", health.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_valid_token_the_api_answers_401_problem()
    {
        var anonymous = platform.Anonymous();
        await (await anonymous.GetAsync("/api/school/catalog/placements")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        anonymous.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not.a.token");
        await (await anonymous.GetAsync("/api/hospitals/placement-offers")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Signing_in_as_someone_who_is_not_a_demo_user_is_a_400_problem()
    {
        var response = await platform.Anonymous().PostAsJsonAsync("/auth/token", new { userName = "mallory@nowhere.example" });
        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_user_over_the_rate_limit_gets_429_with_retry_after_while_others_go_on()
    {
        var greedy = await platform.SignInAsync("student150@northbridge.demo");
        var other = await platform.SignInAsync("student151@northbridge.demo");

        HttpResponseMessage? refused = null;
        for (var i = 0; i <= Platform.RateLimit && refused is null; i++)
        {
            var response = await greedy.GetAsync("/api/school/catalog/placements?pageSize=1");
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
            }
        }

        Assert.NotNull(refused);
        await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 1);
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/school/catalog/placements?pageSize=1")).StatusCode);
    }

    [Fact]
    public async Task Signing_in_is_rate_limited_per_client_address()
    {
        var anonymous = platform.Anonymous();
        HttpResponseMessage? refused = null;
        for (var i = 0; i <= Platform.SignInLimit && refused is null; i++)
        {
            var response = await anonymous.PostAsJsonAsync("/auth/token", new { userName = "student152@northbridge.demo" });
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                refused = response;
            }
        }

        Assert.NotNull(refused);
        var problem = await refused.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.Contains("rfc6585", problem["type"]!.GetValue<string>());
        Assert.NotNull(refused.Headers.RetryAfter);
    }

    [Fact]
    public async Task The_gateways_own_refusals_are_problem_details_with_a_type()
    {
        var client = await platform.SignInAsync(TestAuth.SchoolCoordinator);

        var longTarget = await client.GetAsync("/api/school/catalog/placements?q=" + new string('a', 20_000));
        Assert.Contains("section-15.5.15", (await longTarget.AssertProblemAsync(HttpStatusCode.RequestUriTooLong))["type"]!.GetValue<string>());
        using var html = new HttpRequestMessage(HttpMethod.Get, "/api/school/catalog/placements?q=" + new string('a', 20_000));
        html.Headers.Accept.ParseAdd("text/html");
        await (await client.SendAsync(html)).AssertProblemAsync(HttpStatusCode.RequestUriTooLong);

        using var bigHeaders = new HttpRequestMessage(HttpMethod.Get, "/api/school/catalog/placements");
        bigHeaders.Headers.Add("X-Padding", new string('p', 40_000));
        Assert.Contains("rfc6585", (await (await client.SendAsync(bigHeaders)).AssertProblemAsync(HttpStatusCode.RequestHeaderFieldsTooLarge))["type"]!.GetValue<string>());

        using var manyHeaders = new HttpRequestMessage(HttpMethod.Get, "/api/school/catalog/placements");
        for (var i = 0; i < 150; i++)
        {
            manyHeaders.Headers.Add($"X-Header-{i}", "x");
        }

        await (await client.SendAsync(manyHeaders)).AssertProblemAsync(HttpStatusCode.RequestHeaderFieldsTooLarge);
        await (await client.GetAsync("/api/school/catalog/placements/abc%0Adef")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await client.GetAsync("/api/school/catalog/placements/abc%01def")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await client.GetAsync("/api/school/rounds/%E2%80%AE")).AssertProblemAsync(HttpStatusCode.BadRequest);

        // Kestrel itself refuses an encoded NUL while reading the request line, before the gateway runs (an
        // empty 400): it never reaches a service either way.
        Assert.Equal(HttpStatusCode.BadRequest, (await platform.Anonymous().GetAsync("/api/school/catalog/placements/abc%00def")).StatusCode);
    }

    [Fact]
    public async Task A_body_over_the_size_limit_is_refused_with_413()
    {
        var hospital = await platform.SignInAsync(TestAuth.StMarysCoordinator);
        var huge = new string('x', 2 * 1024 * 1024);
        var response = await hospital.PostAsync("/api/hospitals/placement-offers", Json.Raw($"{{\"title\":\"{huge}\"}}"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Every_service_api_is_documented_on_one_reference_page()
    {
        var anonymous = platform.Anonymous();
        var docs = await anonymous.GetAsync("/docs");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Equal("text/html", docs.Content.Headers.ContentType?.MediaType);
        var page = await docs.Content.ReadAsStringAsync();

        foreach (var (service, path) in new[] { ("hospitals", "/api/hospitals/placement-offers"), ("school", "/api/school/catalog/placements"), ("enterprises", "/api/enterprises/enterprises"), ("research", "/api/research/institutes") })
        {
            Assert.Contains($"\"url\":\"openapi/{service}.json\"", page, StringComparison.Ordinal);
            var document = await (await anonymous.GetAsync($"/openapi/{service}.json")).ReadNodeAsync();
            Assert.NotNull(document["paths"]![path]);
            Assert.Equal(platform.Gateway.Authority, new Uri(document["servers"]![0]!["url"]!.GetValue<string>()).Authority);
        }
    }
}
