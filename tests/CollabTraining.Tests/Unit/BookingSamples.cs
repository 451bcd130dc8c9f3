using CollabTraining.Bookings;

namespace CollabTraining.Tests.Unit;

/// <summary>The people, resources and instants the booking kernel's rule tests share.</summary>
internal static class BookingSamples
{
    /// <summary>Monday 1 March 2027, 08:00 UTC.</summary>
    public static readonly DateTimeOffset Now = new(2027, 3, 1, 8, 0, 0, TimeSpan.Zero);

    public static readonly DateTimeOffset Ten = Now.AddHours(2);

    public static readonly Guid Owner = Guid.NewGuid();

    public static readonly Guid School = Guid.NewGuid();

    public static Booker Student(params string[] qualifications) =>
        new(Guid.NewGuid(), "Ada Student", School, "school", qualifications.ToHashSet(StringComparer.Ordinal));

    public static Resource Pool(int capacity = 1, BookingRules? rules = null, string name = "A100 pool") =>
        Resource.Create(Guid.NewGuid(), Owner, ResourceKind.ComputePool, name, capacity, rules ?? new BookingRules());

    public static BookingRequest Request(DateTimeOffset start, DateTimeOffset end, int units = 1, Booker? booker = null) =>
        new(booker ?? Student(), start, end, units);

    /// <summary>Books on a complete calendar holding <paramref name="calendar"/>.</summary>
    public static Booking Book(Resource resource, DateTimeOffset start, DateTimeOffset end, int units = 1, IEnumerable<Booking>? calendar = null, DateTimeOffset? now = null) =>
        resource.Book(Guid.NewGuid(), Request(start, end, units), new Calendar(calendar ?? [], []), now ?? Now);

    public static BookingRefusedException Refusal(Resource resource, DateTimeOffset start, DateTimeOffset end, int units = 1, IEnumerable<Booking>? calendar = null, IEnumerable<Blackout>? blackouts = null) =>
        Assert.Throws<BookingRefusedException>(() => resource.Book(Guid.NewGuid(), Request(start, end, units), new Calendar(calendar ?? [], blackouts ?? []), Now));
}
