using System.Net;
using System.Net.Http.Json;
using CollabTraining.Gateway;
using CollabTraining.Tests.EndToEnd;
using CollabTraining.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Configuration;

namespace CollabTraining.Tests.Integration;

/// <summary>
/// The gateway serves the portal at every address it does not own itself: a catch-all route to a stand-in portal here,
/// which must never shadow the API, sign-in, health, the API reference or the OpenAPI documents.
/// </summary>
public sealed class GatewayPortalRouteTests : IAsyncLifetime
{
    private const string TrustedProxy = "10.0.0.9";
    private WebApplication _portal = null!;
    private ServiceFactory<GatewayMarker> _gateway = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        var port = Ports.Free();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        _portal = builder.Build();
        _portal.Run(async context =>
        {
            if (context.Request.Path == "/slow")
            {
                await Task.Delay(TimeSpan.FromSeconds(1.5));
            }

            await context.Response.WriteAsync($"PORTAL {context.Request.Method} {context.Request.Path}");
        });
        await _portal.StartAsync();

        _gateway = new ServiceFactory<GatewayMarker>()
            .With("ReverseProxy:Clusters:portal:Destinations:primary:Address", $"http://127.0.0.1:{port}")
            .With("Gateway:RequestTimeout", "00:00:01")
            .With("Gateway:RateLimit:SignInPermitLimit", "2")
            .With("Gateway:RateLimit:SignInWindow", "00:05:00")
            .With("Gateway:RateLimit:TrustedProxies:0", TrustedProxy);
        _gateway.ConfigureServicesForTest = services => services.AddTransient<Microsoft.AspNetCore.Hosting.IStartupFilter, RemoteAddressFromHeader>();
    }

    [Theory]
    [InlineData("GET", "/")]
    [InlineData("GET", "/catalog?tab=mentors")]
    [InlineData("GET", "/signin")]
    [InlineData("POST", "/signin/demo")]
    [InlineData("GET", "/_framework/blazor.web.js")]
    [InlineData("GET", "/_content/MudBlazor/MudBlazor.min.css")]
    [InlineData("POST", "/_blazor/negotiate?negotiateVersion=1")]
    [InlineData("GET", "/apis-are-not-api")]
    public async Task Every_address_the_gateway_does_not_own_reaches_the_portal(string method, string path)
    {
        var response = await _gateway.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"PORTAL {method} {path.Split('?')[0]}", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("GET", "/api")]
    [InlineData("GET", "/api/unknown/thing")]
    [InlineData("POST", "/api/nothing-here")]
    [InlineData("GET", "/auth/token")]
    [InlineData("GET", "/auth/elsewhere")]
    [InlineData("GET", "/health/anything")]
    [InlineData("GET", "/docs/a/b/c")]
    [InlineData("GET", "/openapi/nothing.json")]
    public async Task An_unknown_address_under_the_gateways_own_prefixes_is_a_404_problem_never_a_portal_page(string method, string path)
    {
        var response = await _gateway.CreateClient().SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_api_sign_in_health_and_the_reference_are_still_the_gateways()
    {
        var client = _gateway.CreateClient();

        Assert.DoesNotContain("PORTAL", await (await client.GetAsync("/health")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        Assert.Contains("CollabTraining API", await (await client.GetAsync("/docs")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotEmpty(await (await client.GetAsync("/auth/users")).Content.ReadFromJsonAsync<List<object>>() ?? []);
        var api = await _gateway.ClientAs(TestAuth.Student).GetAsync("/api/school/catalog/placements");
        Assert.DoesNotContain("PORTAL", await api.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/school/catalog/placements")).StatusCode);
        Assert.DoesNotContain("PORTAL", await (await client.GetAsync("/openapi/school.json")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_portal_route_comes_last_anonymous_without_the_apis_timeout_or_rate_limit()
    {
        var routes = _gateway.Services.GetRequiredService<IProxyConfigProvider>().GetConfig().Routes;
        var portal = routes.Single(r => r.ClusterId == "portal");

        Assert.Equal("/{**catch-all}", portal.Match.Path);
        Assert.All(routes.Where(r => r != portal), r => Assert.True((r.Order ?? 0) < portal.Order, $"{r.RouteId} must come before the portal"));
        Assert.Equal(("anonymous", null, null), (portal.AuthorizationPolicy, portal.TimeoutPolicy, portal.RateLimiterPolicy));
    }

    [Fact]
    public async Task A_portal_page_slower_than_the_apis_timeout_still_arrives()
    {
        var response = await _gateway.CreateClient().GetAsync("/slow");

        Assert.Equal("PORTAL GET /slow", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Sign_ins_forwarded_by_a_trusted_proxy_count_per_browser_and_anyone_elses_forwarding_is_ignored()
    {
        var client = _gateway.CreateClient();

        // Through the portal (a trusted proxy): one browser spends its own sign-ins, another still has its own.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests],
            await SignInsAsync(client, TrustedProxy, ["198.51.100.1", "198.51.100.1", "198.51.100.1"]));
        Assert.Equal([HttpStatusCode.OK], await SignInsAsync(client, TrustedProxy, ["198.51.100.2"]));

        // A client that is not a trusted proxy cannot pick a fresh partition by naming another address.
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests],
            await SignInsAsync(client, "10.0.0.7", ["198.51.100.3", "198.51.100.4", "198.51.100.5"]));
    }

    private static async Task<List<HttpStatusCode>> SignInsAsync(HttpClient client, string from, string[] forwardedFor)
    {
        var statuses = new List<HttpStatusCode>();
        foreach (var browser in forwardedFor)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/auth/token") { Content = JsonContent.Create(new { userName = TestAuth.Student }) };
            request.Headers.Add(RemoteAddressFromHeader.Header, from);
            request.Headers.Add("X-Forwarded-For", browser);
            statuses.Add((await client.SendAsync(request)).StatusCode);
        }

        return statuses;
    }

    public async Task DisposeAsync()
    {
        _gateway.Dispose();
        await _portal.DisposeAsync();
    }

    /// <summary>The test server has no client address: a test names it.</summary>
    private sealed class RemoteAddressFromHeader : IStartupFilter
    {
        public const string Header = "X-Test-Remote-Address";

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue(Header, out var address))
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(address.ToString());
                    context.Request.Headers.Remove(Header);
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
