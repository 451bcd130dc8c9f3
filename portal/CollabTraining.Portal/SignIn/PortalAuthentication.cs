using System.Globalization;
using System.Net;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.HttpOverrides;

namespace CollabTraining.Portal.SignIn;

/// <summary>
/// Cookie sessions holding the user's access token. In development the token comes from the gateway's development issuer
/// (a picker of demo users); in production from the OIDC authority (<c>Auth:Authority</c>, client <c>Portal:Oidc</c>), with
/// the tokens saved and the access token kept in the session principal. Either way the session ends when the token does.
/// </summary>
public static class PortalAuthentication
{
    public const string CookieName = "collabtraining.portal";

    public static WebApplicationBuilder AddPortalSignIn(this WebApplicationBuilder builder, PortalOptions options)
    {
        var mode = SignInMode.From(builder.Configuration);
        var auth = builder.Configuration.GetAuthOptions();
        builder.Services.AddSingleton(mode);

        // The shared defaults registered JWT bearer for APIs; the portal's users carry a cookie instead.
        var authentication = builder.Services.AddAuthentication(o =>
        {
            o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            o.DefaultAuthenticateScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            o.DefaultChallengeScheme = mode.Development ? CookieAuthenticationDefaults.AuthenticationScheme : OpenIdConnectDefaults.AuthenticationScheme;
            o.DefaultForbidScheme = CookieAuthenticationDefaults.AuthenticationScheme;
        });
        authentication.AddCookie(o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = "/signin";
            o.AccessDeniedPath = "/forbidden";
            o.ReturnUrlParameter = "returnUrl";
            o.SlidingExpiration = false;
            o.Events.OnValidatePrincipal = EndExpiredSessionAsync;
        });

        if (!mode.Development)
        {
            authentication.AddOpenIdConnect(o =>
            {
                o.Authority = auth.Authority;
                o.ClientId = options.Oidc.ClientId;
                o.ClientSecret = options.Oidc.ClientSecret;
                o.ResponseType = "code";
                o.UsePkce = true;
                o.SaveTokens = true;
                o.MapInboundClaims = false;
                o.GetClaimsFromUserInfoEndpoint = false;
                o.TokenValidationParameters.NameClaimType = PlatformClaims.Name;
                o.TokenValidationParameters.RoleClaimType = PlatformClaims.Role;
                foreach (var scope in options.Oidc.Scopes)
                {
                    o.Scope.Add(scope);
                }

                o.Events.OnTokenValidated = KeepAccessToken;
                o.Events.OnRemoteFailure = ShowSignInFailed;
            });
        }
        else
        {
#pragma warning disable EXTEXP0001 // a refused sign-in (429) must be shown, not retried behind the user's back
            builder.Services.AddHttpClient<DevelopmentIssuerClient>(c =>
            {
                c.BaseAddress = options.Gateway;
                c.Timeout = TimeSpan.FromSeconds(15);
            }).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        }

        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<AuthenticationStateProvider, SessionAuthenticationStateProvider>();
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            // The gateway in front says who the browser is, and which scheme and host it used (redirects and the OIDC
            // callback must name the gateway's address, not the portal's own).
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            o.ForwardLimit = 1;
            foreach (var proxy in options.KnownProxies)
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }
        });
        return builder;
    }

    private static async Task EndExpiredSessionAsync(CookieValidatePrincipalContext context)
    {
        var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        if (context.Principal is null || !Session.IsValid(context.Principal, now))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    /// <summary>
    /// The authority's answer could not be used (a refused sign-in, a stale or forged callback, no access token): back to
    /// the sign-in page with a message, instead of the error page.
    /// </summary>
    private static Task ShowSignInFailed(Microsoft.AspNetCore.Authentication.RemoteFailureContext context)
    {
        context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(PortalAuthentication))
            .LogWarning(context.Failure, "An OIDC sign-in did not complete");
        context.Response.Redirect("/signin?error=oidc-failed");
        context.HandleResponse();
        return Task.CompletedTask;
    }

    private static Task KeepAccessToken(Microsoft.AspNetCore.Authentication.OpenIdConnect.TokenValidatedContext context)
    {
        var accessToken = context.TokenEndpointResponse?.AccessToken;
        if (string.IsNullOrEmpty(accessToken))
        {
            context.Fail("The authority issued no access token; the portal cannot call the API without one.");
            return Task.CompletedTask;
        }

        var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        var lifetime = int.TryParse(context.TokenEndpointResponse!.ExpiresIn, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromHours(1);
        context.Principal = Session.Create(accessToken, now + lifetime, organisationName: null, fallback: context.Principal);
        context.Properties!.ExpiresUtc = Session.ExpiresAt(context.Principal);
        context.Properties.IsPersistent = false;
        return Task.CompletedTask;
    }
}
