using System.Net;
using System.Security.Cryptography;
using System.Text;
using CollabTraining.Tests.Support;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CollabTraining.Tests.Integration;

/// <summary>
/// The portal in production mode: users sign in at an OIDC authority (code flow with PKCE). The authority is a fake
/// answering discovery, its keys and the token endpoint as a real one would; the portal is the real one.
/// </summary>
public sealed class PortalOidcSignInTests : IDisposable
{
    private const string Authority = "https://idp.test/realms/northbridge";
    private const string ClientId = "collabtraining-portal";

    private readonly PortalFactory _portal = new();
    private readonly WebApplicationFactory<CollabTraining.Portal.PortalMarker> _production;
    private readonly FakeGateway _idp = new();
    private readonly RSA _rsa = RSA.Create(2048);
    private readonly string _accessToken = TestAuth.TokenFor(TestAuth.StMarysCoordinator);

    /// <summary>What the authority saw in the browser's authorize request, and what its token endpoint answers.</summary>
    private string? _codeChallenge;
    private string? _nonce;
    private bool _issueAccessToken = true;

    public PortalOidcSignInTests()
    {
        var key = new RsaSecurityKey(_rsa) { KeyId = "idp-key-1" };
        var parameters = _rsa.ExportParameters(false);
        _idp.OnJson(HttpMethod.Get, "/realms/northbridge/.well-known/openid-configuration", _ => new
            {
                issuer = Authority,
                authorization_endpoint = $"{Authority}/protocol/openid-connect/auth",
                token_endpoint = $"{Authority}/protocol/openid-connect/token",
                jwks_uri = $"{Authority}/protocol/openid-connect/certs",
                response_types_supported = new[] { "code" },
                subject_types_supported = new[] { "public" },
                id_token_signing_alg_values_supported = new[] { "RS256" },
            })
            .OnJson(HttpMethod.Get, "/realms/northbridge/protocol/openid-connect/certs", _ => new
            {
                keys = new[]
                {
                    new { kty = "RSA", use = "sig", alg = "RS256", kid = key.KeyId, n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent) },
                },
            })
            .On(HttpMethod.Post, "/realms/northbridge/protocol/openid-connect/token", request =>
            {
                var form = QueryHelpers.ParseQuery(request.Body);
                var verifier = form["code_verifier"].ToString();
                var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
                if (form["code"] != "the-code" || form["grant_type"] != "authorization_code" || verifier.Length == 0 || challenge != _codeChallenge)
                {
                    return FakeGateway.Json(HttpStatusCode.BadRequest, new { error = "invalid_grant" });
                }

                var user = TestAuth.User(TestAuth.StMarysCoordinator);
                var idToken = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
                {
                    Issuer = Authority,
                    Audience = ClientId,
                    IssuedAt = DateTime.UtcNow,
                    Expires = DateTime.UtcNow.AddMinutes(5),
                    Claims = new Dictionary<string, object> { ["sub"] = user.Id.ToString(), ["nonce"] = _nonce!, ["name"] = user.DisplayName },
                    SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
                });
                return _issueAccessToken
                    ? FakeGateway.Json(HttpStatusCode.OK, new { access_token = _accessToken, id_token = idToken, token_type = "Bearer", expires_in = 1800 })
                    : FakeGateway.Json(HttpStatusCode.OK, new { id_token = idToken, token_type = "Bearer", expires_in = 1800 });
            });

        _production = _portal.WithWebHostBuilder(b =>
        {
            b.UseSetting("Auth:Authority", Authority);
            b.UseSetting("Portal:Oidc:ClientId", ClientId);
            b.ConfigureTestServices(services => services.Configure<OpenIdConnectOptions>(OpenIdConnectDefaults.AuthenticationScheme, o => o.BackchannelHttpHandler = _idp));
        });
    }

    private HttpClient Browser() => _production.CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        HandleCookies = true,
        BaseAddress = new Uri("https://portal.test/"),
    });

    /// <summary>The browser follows the portal to the authority; the authority's answers are read off the redirect.</summary>
    private async Task<Dictionary<string, string>> GoToAuthorityAsync(HttpClient browser, string returnUrl)
    {
        var challenge = await browser.GetAsync($"/signin/oidc?returnUrl={Uri.EscapeDataString(returnUrl)}");
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        var location = challenge.Headers.Location!;
        Assert.Equal($"{Authority}/protocol/openid-connect/auth", location.GetLeftPart(UriPartial.Path));
        var query = QueryHelpers.ParseQuery(location.Query).ToDictionary(q => q.Key, q => q.Value.ToString());
        _codeChallenge = query["code_challenge"];
        _nonce = query["nonce"];
        return query;
    }

    private static Task<HttpResponseMessage> CallBackAsync(HttpClient browser, string state) =>
        browser.PostAsync("/signin-oidc", new FormUrlEncodedContent(new Dictionary<string, string> { ["code"] = "the-code", ["state"] = state }));

    /// <summary>The principal in the session cookie the callback set, read as the portal reads it.</summary>
    private System.Security.Claims.ClaimsPrincipal Session(HttpResponseMessage callback)
    {
        var cookie = callback.Headers.GetValues("Set-Cookie").Select(c => c.Split(';')[0])
            .Single(c => c.StartsWith(CollabTraining.Portal.SignIn.PortalAuthentication.CookieName + "=", StringComparison.Ordinal));
        var format = _production.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme).TicketDataFormat;
        return format.Unprotect(cookie[(cookie.IndexOf('=') + 1)..])!.Principal;
    }

    [Fact]
    public async Task The_sign_in_page_sends_users_to_their_organisation_and_offers_no_demo_users()
    {
        var page = await (await Browser().GetAsync("/signin?returnUrl=%2Fhospital%2Foffers")).Content.ReadAsStringAsync();

        Assert.Contains("Sign in with your organisation", page, StringComparison.Ordinal);
        Assert.Contains("href=\"signin/oidc?returnUrl=%2Fhospital%2Foffers\"", page, StringComparison.Ordinal);
        Assert.DoesNotContain("demo-user-picker", page, StringComparison.Ordinal);
        Assert.Empty(_portal.Gateway.To("/auth/users"));
    }

    [Fact]
    public async Task A_user_signs_in_with_the_code_flow_and_pkce_and_the_portal_calls_the_api_with_the_authoritys_access_token()
    {
        var browser = Browser();
        var authorize = await GoToAuthorityAsync(browser, "/catalog?tab=placements");

        Assert.Equal((ClientId, "code", "S256", "https://portal.test/signin-oidc"),
            (authorize["client_id"], authorize["response_type"], authorize["code_challenge_method"], authorize["redirect_uri"]));
        Assert.Contains("openid", authorize["scope"].Split(' '));

        var back = await CallBackAsync(browser, authorize["state"]);

        Assert.Equal(HttpStatusCode.Redirect, back.StatusCode);
        Assert.Equal("/catalog?tab=placements", back.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/catalog?tab=placements")).StatusCode);

        // The session holds the platform's claims and the authority's access token, which the API is called with.
        var session = Session(back);
        Assert.Equal(_accessToken, CollabTraining.Portal.SignIn.Session.AccessToken(session));
        Assert.Equal(TestAuth.User(TestAuth.StMarysCoordinator).Id, CollabTraining.Portal.SignIn.PortalUser.From(session)!.Id);
    }

    [Fact]
    public async Task A_callback_with_a_forged_state_signs_nobody_in_and_says_so_on_the_sign_in_page()
    {
        var browser = Browser();
        await GoToAuthorityAsync(browser, "/catalog");

        var back = await CallBackAsync(browser, "forged-state");

        Assert.Equal("/signin?error=oidc-failed", back.Headers.Location?.OriginalString);
        Assert.Empty(_idp.To("/realms/northbridge/protocol/openid-connect/token"));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/catalog")).StatusCode);
        var page = await (await browser.GetAsync("/signin?error=oidc-failed")).Content.ReadAsStringAsync();
        Assert.Contains("sign-in did not complete", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_authority_that_gives_no_access_token_signs_nobody_in()
    {
        _issueAccessToken = false;
        var browser = Browser();
        var authorize = await GoToAuthorityAsync(browser, "/catalog");

        var back = await CallBackAsync(browser, authorize["state"]);

        Assert.Equal("/signin?error=oidc-failed", back.Headers.Location?.OriginalString);
        Assert.Single(_idp.To("/realms/northbridge/protocol/openid-connect/token"));
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/catalog")).StatusCode);
    }

    public void Dispose()
    {
        _production.Dispose();
        _portal.Dispose();
        _rsa.Dispose();
    }
}
