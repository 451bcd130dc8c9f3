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
    /// <summary>
    /// <see cref="Around(IQueryable{Booking}, Resource, DateTimeOffset, DateTimeOffset)"/> as a compiled query, read
    /// without tracking: the decision path runs it for every request, and EF would otherwise walk the expression
    /// tree each time to find its parameters.
    /// </summary>
    public static IAsyncEnumerable<Booking> ReadAround(this DbContext db, Resource resource, DateTimeOffset start, DateTimeOffset end)
    {
        var buffer = resource.Rules.Buffer;
        (start, end) = (start.ToUniversalTime(), end.ToUniversalTime());
        return Compiled.For(db).BookingsAround(db, resource.Id, start - buffer - resource.LongestBooking, end + buffer, start - buffer);
    }

    /// <summary>The resource's blackouts overlapping [start, end), compiled and untracked.</summary>
    public static IAsyncEnumerable<Blackout> ReadBlackoutsAround(this DbContext db, Resource resource, DateTimeOffset start, DateTimeOffset end) =>
        Compiled.For(db).BlackoutsAround(db, resource.Id, start.ToUniversalTime(), end.ToUniversalTime());

    /// <summary>One resource by its id, tracked (its version guards the decision), compiled.</summary>
    public static Task<Resource?> FindResourceAsync(this DbContext db, Guid id) => Compiled.For(db).ResourceById(db, id);

    /// <summary>Compiled queries belong to one model: one set per model (a test process hosts several services).</summary>
    private sealed class Compiled
    {
        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Microsoft.EntityFrameworkCore.Metadata.IModel, Compiled> PerModel = new();

        public static Compiled For(DbContext db) => PerModel.GetValue(db.Model, _ => new Compiled());

        public readonly Func<DbContext, Guid, DateTimeOffset, DateTimeOffset, DateTimeOffset, IAsyncEnumerable<Booking>> BookingsAround =
            EF.CompileAsyncQuery((DbContext db, Guid id, DateTimeOffset earliest, DateTimeOffset latest, DateTimeOffset from) =>
                db.Set<Booking>().AsNoTracking().Where(b => b.ResourceId == id && b.Start >= earliest && b.Start < latest && b.End > from
                    && (b.Status == BookingStatus.PendingApproval || b.Status == BookingStatus.Confirmed || b.Status == BookingStatus.CheckedIn
                        || b.Status == BookingStatus.Held || b.Status == BookingStatus.Completed)));

        public readonly Func<DbContext, Guid, DateTimeOffset, DateTimeOffset, IAsyncEnumerable<Blackout>> BlackoutsAround =
            EF.CompileAsyncQuery((DbContext db, Guid id, DateTimeOffset start, DateTimeOffset end) =>
                db.Set<Blackout>().AsNoTracking().Where(b => b.ResourceId == id && b.End > start && b.Start < end));

        public readonly Func<DbContext, Guid, Task<Resource?>> ResourceById =
            EF.CompileAsyncQuery((DbContext db, Guid id) => db.Set<Resource>().SingleOrDefault(r => r.Id == id));
    }

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
