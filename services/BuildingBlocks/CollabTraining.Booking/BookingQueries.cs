using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Bookings;

/// <summary>The reads a decision needs, shaped for the kernel's indexes.</summary>
public static class BookingQueries
{
    /// <summary>
    /// The resource's bookings that may hold capacity in [start, end) once its buffer counts: those starting
    /// before the end plus the buffer and less than the longest booking (plus the buffer) before the start.
    /// Bounding the start on both sides makes this a short range of the (ResourceId, Start, End) index, not a
    /// scan of every later booking, so a check costs the same on a calendar of 100 or 100,000 bookings.
    /// Read the resource first (its version guards the decision), then build
    /// <c>new Calendar(bookings, blackouts, new Slot(start, end))</c>: it decides, and offers next slots, inside [start, end).
    /// To offer a next free slot beyond the request, read a wider window than the request.
    /// </summary>
    public static IQueryable<Booking> Around(this IQueryable<Booking> bookings, Resource resource, DateTimeOffset start, DateTimeOffset end)
    {
        var buffer = resource.Rules.Buffer;
        (start, end) = (start.ToUniversalTime(), end.ToUniversalTime());
        var (earliest, latest, from) = (start - buffer - resource.LongestBooking, end + buffer, start - buffer);
        var id = resource.Id;
        var active = new[] { BookingStatus.PendingApproval, BookingStatus.Confirmed, BookingStatus.CheckedIn, BookingStatus.Held, BookingStatus.Completed };
        return bookings.Where(b => b.ResourceId == id && b.Start >= earliest && b.Start < latest && b.End > from && active.Contains(b.Status));
    }

    /// <summary>The resource's blackouts overlapping [start, end) (few per resource: read by their own index).</summary>
    public static IQueryable<Blackout> Around(this IQueryable<Blackout> blackouts, Resource resource, DateTimeOffset start, DateTimeOffset end)
    {
        var id = resource.Id;
        (start, end) = (start.ToUniversalTime(), end.ToUniversalTime());
        return blackouts.Where(b => b.ResourceId == id && b.End > start && b.Start < end);
    }
}
