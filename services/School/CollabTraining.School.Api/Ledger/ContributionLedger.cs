namespace CollabTraining.School.Ledger;

/// <summary>
/// One party's line in the consortium's ledger for a period: what it offered the others and what its people used.
/// </summary>
/// <param name="OrganisationId">The party; null on the grand-total line.</param>
/// <param name="OrganisationName">Its name as its offers carry it; null when none of its offers is known here ("Total" on the grand-total line).</param>
/// <param name="PlacementSeatsOffered">Seats of its published, not withdrawn placement offers whose period shares a day with the ledger's.</param>
/// <param name="PlacementSeatsFilled">Confirmed assignments of students to those offers.</param>
/// <param name="GpuHoursProvided">Unit-hours of bookings of its compute pools (confirmed, checked in or completed) inside the period.</param>
/// <param name="GpuHoursUsed">Unit-hours its people recorded on compute pools inside the period.</param>
/// <param name="EquipmentHoursProvided">As <paramref name="GpuHoursProvided"/>, for its devices and lab equipment.</param>
/// <param name="EquipmentHoursUsed">As <paramref name="GpuHoursUsed"/>, on devices and lab equipment.</param>
/// <param name="EngineeringMentorsOffered">Its engineering mentors taking projects now (the catalog's current state, not the period's).</param>
/// <param name="ProjectsMentored">Innovation projects one of its people mentors (accepted), approved before the period ends and not cancelled.</param>
/// <param name="ModuleClassesTaught">Training-module classes its people teach that start in the period.</param>
/// <param name="HoursProvided">The party's total hours provided: GPU plus equipment.</param>
/// <param name="HoursUsed">The party's total hours used: GPU plus equipment.</param>
public sealed record LedgerLine(
    Guid? OrganisationId,
    string? OrganisationName,
    int PlacementSeatsOffered,
    int PlacementSeatsFilled,
    double GpuHoursProvided,
    double GpuHoursUsed,
    double EquipmentHoursProvided,
    double EquipmentHoursUsed,
    int EngineeringMentorsOffered,
    int ProjectsMentored,
    int ModuleClassesTaught,
    double HoursProvided,
    double HoursUsed);

/// <summary>The ledger for a period [From, To): a line per party, and the grand total of the lines shown.</summary>
public sealed record LedgerReport(DateOnly From, DateOnly To, IReadOnlyList<LedgerLine> Parties, LedgerLine Total);

/// <summary>A placement offer the ledger counts, with its confirmed students.</summary>
public sealed record LedgerPlacement(Guid HospitalId, int Seats, DateOnly StartsOn, DateOnly EndsOn, int Filled);

/// <summary>A booking at an owner, with its resource's kind when known.</summary>
public sealed record LedgerBooking(Guid OwnerId, string? Kind, string Status, int Units, DateTimeOffset Start, DateTimeOffset End);

/// <summary>A use recorded at checkout, by someone of <paramref name="OrganisationId"/>.</summary>
public sealed record LedgerUsage(Guid OrganisationId, string? Kind, double UnitHours, DateTimeOffset CheckedInAt, DateTimeOffset CheckedOutAt);

/// <summary>
/// The ledger's rules, with no storage: which offers, bookings and uses count for a period and how much.
/// <list type="bullet">
/// <item>GPU hours are unit-hours on compute pools; equipment hours on devices and lab equipment. A resource whose
/// kind is not known here (never published to the catalog) counts in neither.</item>
/// <item>Hours provided are those of the owner's bookings that are confirmed, checked in or completed (a booking
/// held, pending, cancelled, rejected, expired or released never provided anything), clipped to the period:
/// units × the hours of [start, end) that fall in [From, To).</item>
/// <item>Hours used are the unit-hours recorded at checkout for the user's organisation, clipped in proportion to the
/// part of [checked in, checked out) inside the period.</item>
/// </list>
/// </summary>
public static class ContributionLedger
{
    public const string ComputePool = "computePool";

    public static bool IsGpu(string? kind) => kind == ComputePool;

    public static bool IsEquipment(string? kind) => kind is "device" or "equipment";

    public static LedgerReport Build(
        LedgerPeriod period,
        IEnumerable<Guid> parties,
        IReadOnlyDictionary<Guid, string> names,
        IReadOnlyList<LedgerPlacement> placements,
        IReadOnlyList<LedgerBooking> bookings,
        IReadOnlyList<LedgerUsage> usage,
        IReadOnlyDictionary<Guid, int> activeMentors,
        IReadOnlyDictionary<Guid, int>? projectsMentored = null,
        IReadOnlyDictionary<Guid, int>? classesTaught = null)
    {
        var provided = bookings.Where(b => KnownBooking.ProvidedStatuses.Contains(b.Status))
            .Select(b => (b.OwnerId, b.Kind, Hours: b.Units * period.HoursWithin(b.Start, b.End))).ToList();
        var used = usage.Select(u => (u.OrganisationId, u.Kind, Hours: period.UnitHoursWithin(u.UnitHours, u.CheckedInAt, u.CheckedOutAt))).ToList();
        var offers = placements.Where(p => period.Overlaps(p.StartsOn, p.EndsOn)).ToList();

        var raw = parties.Distinct().Select(id =>
        {
            var gpuProvided = provided.Where(p => p.OwnerId == id && IsGpu(p.Kind)).Sum(p => p.Hours);
            var equipmentProvided = provided.Where(p => p.OwnerId == id && IsEquipment(p.Kind)).Sum(p => p.Hours);
            var gpuUsed = used.Where(u => u.OrganisationId == id && IsGpu(u.Kind)).Sum(u => u.Hours);
            var equipmentUsed = used.Where(u => u.OrganisationId == id && IsEquipment(u.Kind)).Sum(u => u.Hours);
            var own = offers.Where(o => o.HospitalId == id).ToList();
            return new LedgerLine(id, names.GetValueOrDefault(id), own.Sum(o => o.Seats), own.Sum(o => o.Filled),
                gpuProvided, gpuUsed, equipmentProvided, equipmentUsed, activeMentors.GetValueOrDefault(id),
                projectsMentored?.GetValueOrDefault(id) ?? 0, classesTaught?.GetValueOrDefault(id) ?? 0,
                gpuProvided + equipmentProvided, gpuUsed + equipmentUsed);
        }).ToList();

        var total = new LedgerLine(null, "Total", raw.Sum(l => l.PlacementSeatsOffered), raw.Sum(l => l.PlacementSeatsFilled),
            raw.Sum(l => l.GpuHoursProvided), raw.Sum(l => l.GpuHoursUsed), raw.Sum(l => l.EquipmentHoursProvided), raw.Sum(l => l.EquipmentHoursUsed),
            raw.Sum(l => l.EngineeringMentorsOffered), raw.Sum(l => l.ProjectsMentored), raw.Sum(l => l.ModuleClassesTaught),
            raw.Sum(l => l.HoursProvided), raw.Sum(l => l.HoursUsed));
        var lines = raw.OrderBy(l => l.OrganisationName ?? "\uffff", StringComparer.Ordinal).ThenBy(l => l.OrganisationId).Select(Rounded).ToList();
        return new LedgerReport(period.From, period.To, lines, Rounded(total));
    }

    /// <summary>Hours to the hundredth (totals are summed before rounding).</summary>
    private static LedgerLine Rounded(LedgerLine l) => l with
    {
        GpuHoursProvided = Math.Round(l.GpuHoursProvided, 2),
        GpuHoursUsed = Math.Round(l.GpuHoursUsed, 2),
        EquipmentHoursProvided = Math.Round(l.EquipmentHoursProvided, 2),
        EquipmentHoursUsed = Math.Round(l.EquipmentHoursUsed, 2),
        HoursProvided = Math.Round(l.HoursProvided, 2),
        HoursUsed = Math.Round(l.HoursUsed, 2),
    };
}
