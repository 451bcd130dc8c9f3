namespace CollabTraining.Portal.Localization;

/// <summary>
/// The time zone of the user's browser, for times that belong to no single place (my bookings across resources, my
/// calendar). <c>wwwroot/time-zone.js</c> keeps it in a cookie on every page load; <c>App.razor</c> reads it and
/// <c>Routes.razor</c> cascades it to every page. UTC until the browser has said (the first page it loads).
/// </summary>
public sealed record UserTimeZone(TimeZoneInfo Zone, bool Known)
{
    public const string CookieName = "collabtraining.tz";

    public static readonly UserTimeZone Utc = new(TimeZoneInfo.Utc, false);

    /// <summary>The IANA id the browser gave, or UTC for none or an id this server does not know.</summary>
    public static UserTimeZone From(string? id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 64)
        {
            return Utc;
        }

        try
        {
            return new UserTimeZone(TimeZoneInfo.FindSystemTimeZoneById(id.Trim()), true);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return Utc;
        }
    }

    /// <summary>What the lists say their times are in: the zone's id (Europe/London), or UTC.</summary>
    public string Name => Known ? Zone.Id : "UTC";

    public DateTime Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone).DateTime;

    /// <summary>An instant as the user reads it: on their clock, or in UTC saying so.</summary>
    public string When(DateTimeOffset instant) =>
        Local(instant).ToString("g", System.Globalization.CultureInfo.CurrentCulture) + (Known ? string.Empty : " UTC");

    /// <summary>A local date and time of day the user entered, as an instant (a time skipped by a clock change moves on an hour).</summary>
    public DateTimeOffset Instant(DateTime local)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (Zone.IsInvalidTime(local))
        {
            local = local.AddHours(1);
        }

        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }

    public DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(Local(time.GetUtcNow()));

    /// <summary>Midnight at the start of a local day, as an instant.</summary>
    public DateTimeOffset StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, Zone.IsInvalidTime(local) ? Zone.GetUtcOffset(local.AddHours(1)) : Zone.GetUtcOffset(local));
    }
}
