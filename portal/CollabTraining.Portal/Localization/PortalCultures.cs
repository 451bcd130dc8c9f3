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

    /// <summary>
    /// English as the portal writes it: dates as "26 Nov 2026" and times on the 24-hour clock, which partners in every
    /// country read the same way (plain <c>en</c> writes 11/26/2026 and 2:00 PM).
    /// </summary>
    public static CultureInfo EnglishCulture()
    {
        var english = (CultureInfo)CultureInfo.GetCultureInfo(English).Clone();
        english.DateTimeFormat.ShortDatePattern = "d MMM yyyy";
        english.DateTimeFormat.LongDatePattern = "dddd d MMMM yyyy";
        english.DateTimeFormat.ShortTimePattern = "HH:mm";
        english.DateTimeFormat.LongTimePattern = "HH:mm:ss";
        english.DateTimeFormat.FirstDayOfWeek = DayOfWeek.Monday;
        return CultureInfo.ReadOnly(english);
    }

    public static RequestLocalizationOptions Options()
    {
        CultureInfo[] cultures = [EnglishCulture(), CultureInfo.GetCultureInfo(Chinese)];
        var options = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(cultures[0]),
            SupportedCultures = cultures,
            SupportedUICultures = cultures,
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
