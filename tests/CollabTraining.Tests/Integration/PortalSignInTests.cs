using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using CollabTraining.Demo;
using CollabTraining.Portal;
using CollabTraining.Portal.Api;
using CollabTraining.Portal.SignIn;
using CollabTraining.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CollabTraining.Tests.Integration;

/// <summary>The portal in-process, its gateway a fake: the sign-in page, the session it keeps, the language it speaks.</summary>
public sealed partial class PortalSignInTests : IDisposable
{
    private readonly PortalFactory _portal = new();

    public PortalSignInTests()
    {
        _portal.Gateway
            .OnJson(HttpMethod.Get, "/auth/users", _ => new[] { TestAuth.SchoolCoordinator, TestAuth.Student, TestAuth.StMarysCoordinator }.Select(Demo))
            .On(HttpMethod.Post, "/auth/token", r =>
            {
                var userName = System.Text.Json.JsonDocument.Parse(r.Body!).RootElement.GetProperty("userName").GetString()!;
                return FakeGateway.Json(HttpStatusCode.OK, new { accessToken = TestAuth.TokenFor(userName), tokenType = "Bearer", expiresIn = _portal.TokenLifetime, user = Demo(userName) });
            });
    }

    [Fact]
    public async Task The_sign_in_page_offers_the_gateways_demo_users_by_organisation_with_their_roles()
    {
        var page = await (await _portal.Browser().GetAsync("/signin")).Content.ReadAsStringAsync();

        Assert.Contains(">Northbridge Medical School</h2>", page, StringComparison.Ordinal);
        Assert.Contains(">St Mary&#x27;s University Hospital</h2>", page, StringComparison.Ordinal);
        // The button's name is its visible text after a prefix for screen readers (no aria-label that differs from what it shows).
        Assert.Matches("value=\"student001@northbridge.demo\"[^>]*>.*?<span class=\"visually-hidden\">Sign in as </span>Student 001</span> <span class=\"mud-typography-caption\">Student</span>", page);
        Assert.Contains("Sign in as </span>St Mary&#x27;s University Hospital Coordinator</span> <span class=\"mud-typography-caption\">Coordinator, Staff</span>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_in_keeps_the_token_in_the_session_and_asks_the_gateway_for_the_browsers_address()
    {
        var browser = _portal.Browser();
        Assert.Equal("/signin?returnUrl=%2Fcatalog", (await browser.GetAsync("/catalog")).Headers.Location?.PathAndQuery);

        var signedIn = await SignInAsync(browser, TestAuth.StMarysCoordinator, "/catalog?tab=placements", forwardedFor: "203.0.113.7");

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/catalog?tab=placements", signedIn.Headers.Location?.OriginalString);
        var asked = Assert.Single(_portal.Gateway.To("/auth/token"));
        Assert.Equal("203.0.113.7", asked.Headers["X-Forwarded-For"]);
        Assert.Null(asked.Authorization);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/catalog")).StatusCode);
    }

    [Fact]
    public async Task A_refused_sign_in_says_when_to_try_again()
    {
        _portal.Gateway.On(HttpMethod.Post, "/auth/token", _ =>
        {
            var refused = FakeGateway.Problem(HttpStatusCode.TooManyRequests, new { title = "Too many requests.", status = 429 });
            refused.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(17));
            return refused;
        });
        var browser = _portal.Browser();

        var refusal = await SignInAsync(browser, TestAuth.Student, "/catalog");

        Assert.Equal("/signin?error=too-many&retryAfter=17&returnUrl=%2Fcatalog", refusal.Headers.Location?.OriginalString);
        var page = await (await browser.GetAsync(refusal.Headers.Location)).Content.ReadAsStringAsync();
        Assert.Contains("Too many sign-ins from your address; try again in 17 s.", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/catalog")).StatusCode);
    }

    [Fact]
    public async Task The_session_ends_when_the_access_token_expires()
    {
        _portal.TokenLifetime = 120;
        var browser = _portal.Browser();
        await SignInAsync(browser, TestAuth.Student, "/");
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/catalog")).StatusCode);

        _portal.Clock.Advance(TimeSpan.FromMinutes(3));

        var after = await browser.GetAsync("/catalog");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/signin", after.Headers.Location?.PathAndQuery, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        var browser = _portal.Browser();
        await SignInAsync(browser, TestAuth.Student, "/");
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/catalog")).StatusCode);
        var page = await (await browser.GetAsync("/signin")).Content.ReadAsStringAsync();

        var signedOut = await browser.PostAsync("/signout", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = Antiforgery(page) }));

        Assert.Equal("/signin", signedOut.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/catalog")).StatusCode);
    }

    [Fact]
    public async Task The_browsers_language_chooses_chinese_and_the_switch_overrides_it()
    {
        var browser = _portal.Browser();
        browser.DefaultRequestHeaders.AcceptLanguage.ParseAdd("zh-CN,zh;q=0.9,en;q=0.5");

        var chinese = WebUtility.HtmlDecode(await (await browser.GetAsync("/signin")).Content.ReadAsStringAsync());
        Assert.Contains("<html lang=\"zh-Hans\"", chinese, StringComparison.Ordinal);
        Assert.Contains("登录 CollabTraining", chinese, StringComparison.Ordinal);
        Assert.Contains("医院", chinese, StringComparison.Ordinal);

        var switched = await browser.GetAsync("/culture?name=en&returnUrl=%2Fsignin");
        Assert.Equal("/signin", switched.Headers.Location?.OriginalString);
        var english = await (await browser.GetAsync("/signin")).Content.ReadAsStringAsync();
        Assert.Contains("Sign in to CollabTraining", english, StringComparison.Ordinal);

        Assert.Equal("/", (await browser.GetAsync("/culture?name=fr&returnUrl=https%3A%2F%2Fevil.example%2F")).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Health_endpoints_answer_without_sign_in()
    {
        var browser = _portal.Browser();
        foreach (var path in new[] { "/health/live", "/health/ready", "/health/serving" })
        {
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(path)).StatusCode);
        }
    }

    private static object Demo(string userName)
    {
        var user = TestAuth.User(userName);
        return new { id = user.Id, userName = user.UserName, displayName = user.DisplayName, organisationId = user.Organisation.Id, organisationName = user.Organisation.Name, organisationKind = user.Organisation.Kind, roles = user.Roles };
    }

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string userName, string returnUrl, string? forwardedFor = null)
    {
        var page = await (await browser.GetAsync("/signin")).Content.ReadAsStringAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/signin/demo")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = Antiforgery(page),
                ["userName"] = userName,
                ["returnUrl"] = returnUrl,
            }),
        };
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }

        return await browser.SendAsync(request);
    }

    private static string Antiforgery(string page) =>
        WebUtility.HtmlDecode(AntiforgeryField().Match(page) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("No antiforgery token on the page"));

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    public void Dispose() => _portal.Dispose();
}

/// <summary>The portal in-process; its gateway is <see cref="Gateway"/>, requests arrive from the loopback (as from a gateway beside it).</summary>
public sealed class PortalFactory : WebApplicationFactory<PortalMarker>
{
    public FakeGateway Gateway { get; } = new();

    public TestClock Clock { get; } = new();

    /// <summary>What the fake issuer says a token lasts, in seconds.</summary>
    public int TokenLifetime { get; set; } = 3600;

    public HttpClient Browser() => CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Auth:DevelopmentIssuer:SigningKey", TestAuth.SigningKey);
        builder.UseSetting("Portal:Gateway", "http://gateway.test/");
        builder.ConfigureTestServices(services =>
        {
            services.AddHttpClient<DevelopmentIssuerClient>().ConfigurePrimaryHttpMessageHandler(() => Gateway).SetHandlerLifetime(Timeout.InfiniteTimeSpan);
            services.AddHttpClient<GatewayClient>().ConfigurePrimaryHttpMessageHandler(() => Gateway).SetHandlerLifetime(Timeout.InfiniteTimeSpan);
            services.AddSingleton<TimeProvider>(Clock);
            services.AddTransient<IStartupFilter, FromLoopback>();
        });
    }

    private sealed class FromLoopback : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Loopback;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
