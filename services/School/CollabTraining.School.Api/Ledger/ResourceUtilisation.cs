namespace CollabTraining.School.Ledger;

/// <summary>One shared resource's use over a ledger period.</summary>
/// <param name="BookedHours">Unit-hours of its bookings in a provided status (confirmed, checked in, completed), clipped to the period.</param>
/// <param name="UsedHours">Unit-hours recorded at checkout on it, clipped in proportion to the part inside the period.</param>
/// <param name="AvailableHours">Its capacity × the hours of the period (every hour of every day; opening hours and blackouts are not subtracted).</param>
/// <param name="Utilisation">Booked ÷ available, a fraction (0.25 is 25 %); 0 when nothing is available.</param>
public sealed record ResourceUtilisationLine(
    Guid ResourceId,
    string Name,
    Guid OwnerId,
    string OwnerName,
    string Kind,
    int Capacity,
    double BookedHours,
    double UsedHours,
    double AvailableHours,
    double Utilisation);

/// <summary>Every resource's line for the period [From, To), busiest first.</summary>
public sealed record ResourceUtilisationReport(DateOnly From, DateOnly To, IReadOnlyList<ResourceUtilisationLine> Resources);

/// <summary>A catalog resource as the utilisation rules need it.</summary>
public sealed record UtilisationResource(Guid ResourceId, string Name, Guid OwnerId, string OwnerName, string Kind, int Capacity, bool Retired);

/// <summary>A booking of a resource.</summary>
public sealed record UtilisationBooking(Guid ResourceId, string Status, int Units, DateTimeOffset Start, DateTimeOffset End);

/// <summary>A use of a resource recorded at checkout.</summary>
public sealed record UtilisationUsage(Guid ResourceId, double UnitHours, DateTimeOffset CheckedInAt, DateTimeOffset CheckedOutAt);

/// <summary>
/// Utilisation per resource, with no storage. Booked hours count as the ledger's hours provided (bookings confirmed,
/// checked in or completed, units × hours clipped to the period); used hours as its hours used (checkouts clipped in
/// proportion). Available is capacity × the period's hours. A retired resource is listed only when it was booked or
/// used in the period; bookings of a resource not in the catalog are left out (its capacity is not known).
/// Hours are rounded to the hundredth and utilisation to the hundredth of a percent, after dividing unrounded values.
/// </summary>
public static class ResourceUtilisation
{
    public static ResourceUtilisationReport Build(
        LedgerPeriod period,
        IReadOnlyList<UtilisationResource> resources,
        IReadOnlyList<UtilisationBooking> bookings,
        IReadOnlyList<UtilisationUsage> usage)
    {
        var periodHours = (period.End - period.Start).TotalHours;
        var booked = bookings.Where(b => KnownBooking.ProvidedStatuses.Contains(b.Status))
            .GroupBy(b => b.ResourceId).ToDictionary(g => g.Key, g => g.Sum(b => b.Units * period.HoursWithin(b.Start, b.End)));
        var used = usage.GroupBy(u => u.ResourceId)
            .ToDictionary(g => g.Key, g => g.Sum(u => period.UnitHoursWithin(u.UnitHours, u.CheckedInAt, u.CheckedOutAt)));

        var lines = resources.DistinctBy(r => r.ResourceId).Select(r =>
            {
                var b = booked.GetValueOrDefault(r.ResourceId);
                var u = used.GetValueOrDefault(r.ResourceId);
                var available = Math.Max(0, r.Capacity) * periodHours;
                var utilisation = available > 0 ? b / available : 0;
                return (Retired: r.Retired, Line: new ResourceUtilisationLine(r.ResourceId, r.Name, r.OwnerId, r.OwnerName, r.Kind, r.Capacity,
                    Math.Round(b, 2), Math.Round(u, 2), Math.Round(available, 2), Math.Round(utilisation, 4)));
            })
            .Where(x => !x.Retired || x.Line.BookedHours > 0 || x.Line.UsedHours > 0)
            .Select(x => x.Line)
            .OrderByDescending(l => l.Utilisation).ThenBy(l => l.Name, StringComparer.Ordinal).ThenBy(l => l.ResourceId)
            .ToList();
        return new ResourceUtilisationReport(period.From, period.To, lines);
    }
}
