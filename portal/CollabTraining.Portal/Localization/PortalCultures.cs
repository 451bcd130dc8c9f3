using System.Globalization;
using CollabTraining.Portal.SignIn;
using Microsoft.AspNetCore.Localization;

namespace CollabTraining.Portal.Localization;

/// <summary>
/// English and Simplified Chinese, chosen from the culture cookie (the language switch) or else the browser's
/// <c>Accept-Language</c> (<c>zh-CN</c>, <c>zh-SG</c> and <c>zh-Hans</c> all mean Simplified Chinese).
/// </summary>
public static class PortalCultures
{
    public const string English = "en";
    public const string Chinese = "zh-Hans";

    public static readonly IReadOnlyList<string> Supported = [English, Chinese];

    public static RequestLocalizationOptions Options()
    {
        var options = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(English),
            SupportedCultures = [.. Supported.Select(CultureInfo.GetCultureInfo)],
            SupportedUICultures = [.. Supported.Select(CultureInfo.GetCultureInfo)],
            FallBackToParentCultures = true,
            FallBackToParentUICultures = true,
        };

        // The query string is not a way in: only the switch (cookie) and the browser's preference.
        options.RequestCultureProviders = [.. options.RequestCultureProviders.Where(p => p is not QueryStringRequestCultureProvider)];
        return options;
    }

    /// <summary><c>GET /culture?name=zh-Hans&amp;returnUrl=/catalog</c>: remembers the language in a cookie and goes back.</summary>
    public static void MapCultureSwitch(this WebApplication app) =>
        app.MapGet("/culture", (string? name, string? returnUrl, HttpContext http) =>
            {
                if (name is not null && Supported.Contains(name))
                {
                    http.Response.Cookies.Append(
                        CookieRequestCultureProvider.DefaultCookieName,
                        CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(name)),
                        new CookieOptions { MaxAge = TimeSpan.FromDays(365), IsEssential = true, SameSite = SameSiteMode.Lax, HttpOnly = true });
                }

                return TypedResults.LocalRedirect(SignInEndpoints.LocalOnly(returnUrl));
            })
            .AllowAnonymous()
            .ExcludeFromDescription();
}
