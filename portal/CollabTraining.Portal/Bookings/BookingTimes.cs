using System.Globalization;
using CollabTraining.Portal.Localization;

namespace CollabTraining.Portal.Bookings;

/// <summary>How booking lists show times: in the browser's time zone (UTC until it is known), in the user's culture.</summary>
public static class BookingTimes
{
    public static string Period(DateTimeOffset start, DateTimeOffset end, UserTimeZone zone)
    {
        var (s, e) = (zone.Local(start), zone.Local(end));
        var to = s.Date == e.Date ? e.ToString("t", CultureInfo.CurrentCulture) : e.ToString("g", CultureInfo.CurrentCulture);
        return zone.Known
            ? $"{s.ToString("g", CultureInfo.CurrentCulture)} – {to}"
            : $"{s.ToString("g", CultureInfo.CurrentCulture)} – {to} UTC";
    }
}
