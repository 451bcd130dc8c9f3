using System.Globalization;
using System.Text;
using CollabTraining.Contracts.School;
using CollabTraining.Domain;
using CollabTraining.School.Data;
using CollabTraining.School.Modules;
using CollabTraining.School.Projects;
using CollabTraining.School.Notifications;
using CollabTraining.ServiceDefaults.Http;
using CollabTraining.ServiceDefaults.Security;
using CsvHelper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Ledger;

/// <summary>A ledger line as a spreadsheet row; CsvHelper's source generator writes its mapping.</summary>
[CsvRecord]
public sealed partial record LedgerCsvRow(
    string OrganisationId, string Organisation, int PlacementSeatsOffered, int PlacementSeatsFilled, double GpuHoursProvided, double GpuHoursUsed,
    double EquipmentHoursProvided, double EquipmentHoursUsed, int EngineeringMentorsOffered, int ProjectsMentored, int ModuleClassesTaught,
    double HoursProvided, double HoursUsed)
{
    public static LedgerCsvRow From(LedgerLine l) => new(
        l.OrganisationId?.ToString() ?? string.Empty, l.OrganisationName ?? string.Empty, l.PlacementSeatsOffered, l.PlacementSeatsFilled,
        l.GpuHoursProvided, l.GpuHoursUsed, l.EquipmentHoursProvided, l.EquipmentHoursUsed, l.EngineeringMentorsOffered, l.ProjectsMentored,
        l.ModuleClassesTaught, l.HoursProvided, l.HoursUsed);
}

/// <summary>A resource's utilisation as a spreadsheet row.</summary>
[CsvRecord]
public sealed partial record ResourceUtilisationCsvRow(
    string ResourceId, string Resource, string OwnerId, string Owner, string Kind, int Capacity, double BookedHours, double UsedHours, double AvailableHours,
    double Utilisation)
{
    public static ResourceUtilisationCsvRow From(ResourceUtilisationLine l) => new(
        l.ResourceId.ToString(), l.Name, l.OwnerId.ToString(), l.OwnerName, l.Kind, l.Capacity, l.BookedHours, l.UsedHours, l.AvailableHours, l.Utilisation);
}

public static class LedgerApi
{
    private static readonly CsvWriterOptions CsvOptions = new() { Injection = CsvInjection.Escape };

    public static void MapLedgerApi(this IEndpointRouteBuilder app)
    {
        app.MapGet(SchoolModule.RoutePrefix + "/ledger", GetLedger).WithTags("Ledger").WithName("GetLedger")
            .WithSummary("Each party's contribution and usage over a period (school staff: every party; anyone else: their own organisation); format=csv for a spreadsheet");
        app.MapGet(SchoolModule.RoutePrefix + "/ledger/resources", GetResourceUtilisation).WithTags("Ledger").WithName("GetResourceUtilisation")
            .WithSummary("Each shared resource's booked and used unit-hours and utilisation (booked ÷ capacity × the period's hours) over a period (school staff: every party's; anyone else: their own organisation's); format=csv for a spreadsheet");
    }

    /// <param name="from">First day of the period (UTC); with <paramref name="to"/>, or neither for the current month.</param>
    /// <param name="to">The day after the period's last (exclusive), after <paramref name="from"/> and at most two years on.</param>
    /// <param name="organisationId">Only this party's line (anyone but school staff may name only their own).</param>
    /// <param name="format">json (the default) or csv.</param>
    public static async Task<Results<Ok<LedgerReport>, FileContentHttpResult, ValidationProblem>> GetLedger(
        CurrentUser user, SchoolDbContext db, TimeProvider time, CancellationToken ct,
        DateOnly? from = null, DateOnly? to = null, Guid? organisationId = null, string? format = null)
    {
        if (format is not (null or "json" or "csv"))
        {
            return Problems.Invalid(nameof(format), "The format is json or csv.");
        }

        if (ParsePeriod(from, to, time) is not { } period)
        {
            return PeriodProblem(from, to);
        }

        var scope = Scope(user, organisationId, "Only the school's staff see other parties' lines of the ledger.");
        var report = await BuildAsync(db, period, scope, ct);
        if (format == "csv")
        {
            return TypedResults.File(await WriteCsvAsync(report, ct), "text/csv",
                string.Create(CultureInfo.InvariantCulture, $"ledger-{period.From:yyyy-MM-dd}-to-{period.To:yyyy-MM-dd}.csv"));
        }

        return TypedResults.Ok(report);
    }

    /// <param name="from">First day of the period (UTC); with <paramref name="to"/>, or neither for the current month.</param>
    /// <param name="to">The day after the period's last (exclusive), after <paramref name="from"/> and at most two years on.</param>
    /// <param name="organisationId">Only this party's resources (anyone but school staff may name only their own).</param>
    /// <param name="format">json (the default) or csv.</param>
    public static async Task<Results<Ok<ResourceUtilisationReport>, FileContentHttpResult, ValidationProblem>> GetResourceUtilisation(
        CurrentUser user, SchoolDbContext db, TimeProvider time, CancellationToken ct,
        DateOnly? from = null, DateOnly? to = null, Guid? organisationId = null, string? format = null)
    {
        if (format is not (null or "json" or "csv"))
        {
            return Problems.Invalid(nameof(format), "The format is json or csv.");
        }

        if (ParsePeriod(from, to, time) is not { } period)
        {
            return PeriodProblem(from, to);
        }

        var scope = Scope(user, organisationId, "Only the school's staff see other parties' resources.");
        var (start, end) = (period.Start, period.End);
        var resources = await db.CatalogResources.AsNoTracking().Where(r => scope == null || r.OwnerId == scope)
            .Select(r => new UtilisationResource(r.ResourceId, r.Name, r.OwnerId, r.OwnerName, r.Kind, r.Capacity, r.Retired)).ToListAsync(ct);
        var resourceIds = resources.Select(r => r.ResourceId).ToList();
        var statuses = KnownBooking.ProvidedStatuses.ToList();
        var bookings = await db.Set<KnownBooking>().AsNoTracking()
            .Where(b => resourceIds.Contains(b.ResourceId) && statuses.Contains(b.Status) && b.Start < end && b.End > start)
            .Select(b => new UtilisationBooking(b.ResourceId, b.Status, b.Units, b.Start, b.End)).ToListAsync(ct);
        var usage = await db.Set<ResourceUsage>().AsNoTracking()
            .Where(u => resourceIds.Contains(u.ResourceId) && u.CheckedInAt < end && u.CheckedOutAt >= start)
            .Select(u => new UtilisationUsage(u.ResourceId, u.UnitHours, u.CheckedInAt, u.CheckedOutAt)).ToListAsync(ct);

        var report = ResourceUtilisation.Build(period, resources, bookings, usage);
        if (format == "csv")
        {
            await using var text = new StringWriter(CultureInfo.InvariantCulture);
            await using (var csv = CsvWriter.Create(text, CsvOptions, leaveOpen: true))
            {
                csv.WriteHeader<ResourceUtilisationCsvRow>();
                await csv.WriteRecordsAsync(report.Resources.Select(ResourceUtilisationCsvRow.From).ToList(), ct);
            }

            return TypedResults.File(Encoding.UTF8.GetBytes(text.ToString()), "text/csv",
                string.Create(CultureInfo.InvariantCulture, $"utilisation-{period.From:yyyy-MM-dd}-to-{period.To:yyyy-MM-dd}.csv"));
        }

        return TypedResults.Ok(report);
    }

    /// <summary>The period asked for, the current month when neither end is given; null when it is not a valid period.</summary>
    private static LedgerPeriod? ParsePeriod(DateOnly? from, DateOnly? to, TimeProvider time)
    {
        if ((from, to) is (null, not null) or (not null, null))
        {
            return null;
        }

        var period = from is { } f && to is { } t ? new LedgerPeriod(f, t) : LedgerPeriod.MonthOf(time.GetUtcNow());
        return period.To <= period.From || period.To.DayNumber - period.From.DayNumber > LedgerPeriod.MaxDays ? null : period;
    }

    /// <summary>Why <see cref="ParsePeriod"/> refused the period, at the field to change.</summary>
    private static ValidationProblem PeriodProblem(DateOnly? from, DateOnly? to) => (from, to) switch
    {
        (null, not null) => Problems.Invalid(nameof(from), "Give the period's first day with its end, or neither for the current month."),
        (not null, null) => Problems.Invalid(nameof(to), "Give the period's end with its first day, or neither for the current month."),
        ({ } f, { } t) when t <= f => Problems.Invalid(nameof(to), "The period ends after it starts (to is the day after its last)."),
        _ => Problems.Invalid(nameof(to), $"A ledger covers at most {LedgerPeriod.MaxDays} days."),
    };

    /// <summary>Staff see every party (or the one they name); anyone else sees their own organisation and nothing of any other.</summary>
    private static Guid? Scope(CurrentUser user, Guid? organisationId, string refusal)
    {
        if (user.IsSchoolStaff)
        {
            return organisationId;
        }

        if (organisationId is { } asked && asked != user.OrganisationId)
        {
            throw DomainRuleException.Forbidden(refusal);
        }

        return user.OrganisationId;
    }

    private static async Task<LedgerReport> BuildAsync(SchoolDbContext db, LedgerPeriod period, Guid? scope, CancellationToken ct)
    {
        var (start, end) = (period.Start, period.End);
        var offers = await db.CatalogPlacements.AsNoTracking()
            .Where(p => p.Title != string.Empty && !p.Withdrawn && p.StartsOn < period.To && p.EndsOn >= period.From && (scope == null || p.HospitalId == scope))
            .Select(p => new { p.OfferId, p.HospitalId, p.Seats, p.StartsOn, p.EndsOn }).ToListAsync(ct);
        var offerIds = offers.Select(o => o.OfferId).ToList();
        var filled = (await db.PlacementAssignments.AsNoTracking()
                .Where(a => offerIds.Contains(a.OfferId) && a.Status == PlacementAssignmentStatus.Confirmed).Select(a => a.OfferId).ToListAsync(ct))
            .CountBy(id => id).ToDictionary();

        var statuses = KnownBooking.ProvidedStatuses.ToList();
        var bookings = await db.Set<KnownBooking>().AsNoTracking()
            .Where(b => statuses.Contains(b.Status) && b.Start < end && b.End > start && (scope == null || b.OwnerId == scope)).ToListAsync(ct);
        var usage = await db.Set<ResourceUsage>().AsNoTracking()
            .Where(u => u.CheckedInAt < end && u.CheckedOutAt >= start && (scope == null || u.OrganisationId == scope)).ToListAsync(ct);

        // The kind comes from the catalog; a booking remembers it from when it arrived, in case the catalog is behind.
        var resourceIds = bookings.Select(b => b.ResourceId).Concat(usage.Select(u => u.ResourceId)).Distinct().ToList();
        var kinds = await db.CatalogResources.AsNoTracking().Where(r => resourceIds.Contains(r.ResourceId)).ToDictionaryAsync(r => r.ResourceId, r => r.Kind, ct);
        var usedBookingIds = usage.Select(u => u.BookingId).ToList();
        var usedBookingKinds = await db.Set<KnownBooking>().AsNoTracking().Where(b => usedBookingIds.Contains(b.BookingId) && b.ResourceKind != null)
            .ToDictionaryAsync(b => b.BookingId, b => b.ResourceKind!, ct);

        var mentors = (await db.CatalogMentors.AsNoTracking().Where(m => m.Active && (scope == null || m.OrganisationId == scope))
            .Select(m => m.OrganisationId).ToListAsync(ct)).CountBy(id => id).ToDictionary();
        var providers = await db.CatalogResources.AsNoTracking().Where(r => !r.Retired && (scope == null || r.OwnerId == scope))
            .Select(r => r.OwnerId).Distinct().ToListAsync(ct);

        // Projects: each accepted mentor's organisation counts the project once for every period it ran in (approved
        // before the period ends, not closed before it starts), cancelled ones included for the months they ran.
        var mentored = (await db.Set<ProjectMentor>().AsNoTracking()
                .Where(m => m.Answer == MentorAnswer.Accepted && (scope == null || m.OrganisationId == scope))
                .Join(db.Set<Project>().Where(p => p.ApprovedAt != null), m => m.ProjectId, p => p.Id, (m, p) => new { m.OrganisationId, p.Id, p.ApprovedAt, p.ClosedAt })
                .ToListAsync(ct))
            .Where(m => m.ApprovedAt < end && (m.ClosedAt == null || m.ClosedAt >= start))
            .DistinctBy(m => (m.OrganisationId, m.Id)).CountBy(m => m.OrganisationId).ToDictionary();

        // Classes: those starting in the period, counted for the organisation of the module teacher who teaches them.
        var classes = await db.Set<ModuleClass>().AsNoTracking().Where(c => c.StartsAt >= start && c.StartsAt < end)
            .Select(c => new { c.ModuleId, c.TeacherId }).ToListAsync(ct);
        var moduleIds = classes.Select(c => c.ModuleId).Distinct().ToList();
        var teachers = (await db.Set<TrainingModule>().AsNoTracking().Where(m => moduleIds.Contains(m.Id)).ToListAsync(ct))
            .SelectMany(m => m.Teachers.Select(t => (m.Id, t.UserId, t.OrganisationId))).ToDictionary(t => (t.Id, t.UserId), t => t.OrganisationId);
        var taught = classes.Select(c => teachers.TryGetValue((c.ModuleId, c.TeacherId), out var org) ? org : (Guid?)null)
            .Where(org => org is { } o && (scope == null || o == scope)).CountBy(org => org!.Value).ToDictionary();

        var parties = scope is { } only
            ? [only]
            : offers.Select(o => o.HospitalId).Concat(bookings.Select(b => b.OwnerId)).Concat(usage.Select(u => u.OrganisationId))
                .Concat(mentors.Keys).Concat(providers).Concat(mentored.Keys).Concat(taught.Keys).Distinct().ToList();
        var names = await NamesAsync(db, parties, ct);

        return ContributionLedger.Build(
            period,
            parties,
            names,
            [.. offers.Select(o => new LedgerPlacement(o.HospitalId, o.Seats, o.StartsOn, o.EndsOn, filled.GetValueOrDefault(o.OfferId)))],
            [.. bookings.Select(b => new LedgerBooking(b.OwnerId, kinds.GetValueOrDefault(b.ResourceId) ?? b.ResourceKind, b.Status, b.Units, b.Start, b.End))],
            [.. usage.Select(u => new LedgerUsage(u.OrganisationId, kinds.GetValueOrDefault(u.ResourceId) ?? usedBookingKinds.GetValueOrDefault(u.BookingId), u.UnitHours, u.CheckedInAt, u.CheckedOutAt))],
            mentors,
            mentored,
            taught);
    }

    /// <summary>Each party's name as its offers (placements, resources, mentors) carry it.</summary>
    private static async Task<Dictionary<Guid, string>> NamesAsync(SchoolDbContext db, List<Guid> parties, CancellationToken ct)
    {
        var names = new Dictionary<Guid, string>();
        void Take(IEnumerable<(Guid Id, string Name)> found)
        {
            foreach (var (id, name) in found.Where(n => n.Name.Length > 0))
            {
                names.TryAdd(id, name);
            }
        }

        Take((await db.CatalogResources.AsNoTracking().Where(r => parties.Contains(r.OwnerId)).OrderByDescending(r => r.UpdatedAt)
            .Select(r => new { r.OwnerId, r.OwnerName }).ToListAsync(ct)).Select(r => (r.OwnerId, r.OwnerName)));
        Take((await db.CatalogPlacements.AsNoTracking().Where(p => parties.Contains(p.HospitalId)).OrderByDescending(p => p.UpdatedAt)
            .Select(p => new { p.HospitalId, p.HospitalName }).ToListAsync(ct)).Select(p => (p.HospitalId, p.HospitalName)));
        Take((await db.CatalogMentors.AsNoTracking().Where(m => parties.Contains(m.OrganisationId)).OrderByDescending(m => m.UpdatedAt)
            .Select(m => new { m.OrganisationId, m.OrganisationName }).ToListAsync(ct)).Select(m => (m.OrganisationId, m.OrganisationName)));
        return names;
    }

    /// <summary>One row per party, then the grand total; text cells a spreadsheet would run as a formula are escaped.</summary>
    private static async Task<byte[]> WriteCsvAsync(LedgerReport report, CancellationToken ct)
    {
        await using var text = new StringWriter(CultureInfo.InvariantCulture);
        await using (var csv = CsvWriter.Create(text, CsvOptions, leaveOpen: true))
        {
            csv.WriteHeader<LedgerCsvRow>();
            await csv.WriteRecordsAsync(report.Parties.Append(report.Total).Select(LedgerCsvRow.From).ToList(), ct);
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
