using System.Globalization;
using System.Net;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Mvc;

namespace CollabTraining.Portal.SignIn;

/// <summary>The portal's own sign-in and sign-out endpoints (forms post here; pages never hold a token themselves).</summary>
public static class SignInEndpoints
{
    public static void MapSignIn(this WebApplication app)
    {
        var group = app.MapGroup("/signin").AllowAnonymous().ExcludeFromDescription();
        if (app.Services.GetRequiredService<SignInMode>().Development)
        {
            group.MapPost("/demo", SignInAsDemoUser).DisableRequestTimeout();
        }
        else
        {
            group.MapGet("/oidc", (string? returnUrl) =>
                TypedResults.Challenge(new AuthenticationProperties { RedirectUri = LocalOnly(returnUrl) }, [OpenIdConnectDefaults.AuthenticationScheme]));
        }

        app.MapPost("/signout", SignOutAsync).AllowAnonymous().ExcludeFromDescription();
    }

    /// <summary>
    /// Signs in as a demo user: the gateway's development issuer signs a token for them (the browser's address forwarded,
    /// so the sign-in limit counts per browser), and the token goes into the sign-in cookie until it expires.
    /// </summary>
    public static async Task<IResult> SignInAsDemoUser(
        [FromForm] string userName, [FromForm] string? returnUrl, HttpContext http, DevelopmentIssuerClient issuer, TimeProvider time)
    {
        var issued = await issuer.IssueAsync(userName, http.Connection.RemoteIpAddress, http.RequestAborted);
        if (issued.Problem is { } problem)
        {
            var error = problem.Status switch
            {
                (int)HttpStatusCode.TooManyRequests => "too-many",
                (int)HttpStatusCode.BadRequest => "unknown-user",
                _ => "unavailable",
            };
            var retry = problem.Extensions.TryGetValue("retryAfter", out var seconds) ? "&retryAfter=" + seconds.GetInt32().ToString(CultureInfo.InvariantCulture) : string.Empty;
            return TypedResults.LocalRedirect($"/signin?error={error}{retry}&returnUrl={Uri.EscapeDataString(LocalOnly(returnUrl))}");
        }

        var token = issued.Value!;
        var expiresAt = time.GetUtcNow().AddSeconds(token.ExpiresIn);
        var principal = Session.Create(token.AccessToken, expiresAt, token.User.OrganisationName);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal, new AuthenticationProperties
        {
            ExpiresUtc = Session.ExpiresAt(principal),
            IsPersistent = false,
            AllowRefresh = false,
        });
        return TypedResults.LocalRedirect(LocalOnly(returnUrl));
    }

    public static async Task<IResult> SignOutAsync(HttpContext http, SignInMode mode)
    {
        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        if (!mode.Development && http.User.Identity?.IsAuthenticated == true)
        {
            return TypedResults.SignOut(new AuthenticationProperties { RedirectUri = "/signin" }, [OpenIdConnectDefaults.AuthenticationScheme]);
        }

        return TypedResults.LocalRedirect("/signin");
    }

    /// <summary>A return address on this site only (never <c>//elsewhere</c> or <c>/\elsewhere</c>): no open redirect.</summary>
    public static string LocalOnly(string? returnUrl) =>
        returnUrl is { Length: > 0 } url && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Any(char.IsControl)
            ? url
            : "/";
}

/// <summary>Development (a picker of the gateway's demo users) or production (the OIDC authority named by <c>Auth:Authority</c>).</summary>
public sealed record SignInMode(bool Development)
{
    public static SignInMode From(IConfiguration configuration)
    {
        var auth = configuration.GetAuthOptions();
        return new SignInMode(string.IsNullOrWhiteSpace(auth.Authority) && auth.DevelopmentIssuer.Enabled);
    }
}
