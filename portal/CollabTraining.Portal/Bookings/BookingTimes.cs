using System.Globalization;

namespace CollabTraining.Portal.Bookings;

/// <summary>How booking lists show times: in UTC, said so, in the user's culture.</summary>
public static class BookingTimes
{
    public static string Period(DateTimeOffset start, DateTimeOffset end)
    {
        var (s, e) = (start.UtcDateTime, end.UtcDateTime);
        var to = s.Date == e.Date ? e.ToString("t", CultureInfo.CurrentCulture) : e.ToString("g", CultureInfo.CurrentCulture);
        return $"{s.ToString("g", CultureInfo.CurrentCulture)} – {to} UTC";
    }
}
