using System.ComponentModel.DataAnnotations;
using CollabTraining.Bookings;
using CollabTraining.Contracts.Sharing;
using CollabTraining.Domain;
using CollabTraining.Messaging.Data;
using CollabTraining.Organisations;
using CollabTraining.ServiceDefaults.Http;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Sharing;

/// <summary>Booking rules in the units people think in; every field optional (the kernel's defaults apply).</summary>
public sealed record RulesDto(
    [property: Range(1, 60 * 24 * 31)] int? MinimumMinutes = null,
    [property: Range(1, 60 * 24 * 31)] int? MaximumMinutes = null,
    [property: Range(0, 60 * 24 * 365)] int? NoticeMinutes = null,
    [property: Range(1, 730)] int? AdvanceDays = null,
    [property: Range(0, 60 * 24)] int? BufferMinutes = null,
    bool? ApprovalRequired = null,
    bool? CheckInRequired = null,
    [property: Range(1, 60 * 24)] int? AutoReleaseMinutes = null,
    [property: StringLength(64)] string? TimeZone = null)
{
    public BookingRules ToRules()
    {
        var rules = new BookingRules();
        return rules with
        {
            MinimumDuration = MinimumMinutes is { } min ? TimeSpan.FromMinutes(min) : rules.MinimumDuration,
            MaximumDuration = MaximumMinutes is { } max ? TimeSpan.FromMinutes(max) : rules.MaximumDuration,
            MinimumNotice = NoticeMinutes is { } notice ? TimeSpan.FromMinutes(notice) : rules.MinimumNotice,
            MaximumAdvance = AdvanceDays is { } advance ? TimeSpan.FromDays(advance) : rules.MaximumAdvance,
            Buffer = BufferMinutes is { } buffer ? TimeSpan.FromMinutes(buffer) : rules.Buffer,
            ApprovalRequired = ApprovalRequired ?? rules.ApprovalRequired,
            CheckInRequired = CheckInRequired ?? rules.CheckInRequired,
            AutoReleaseAfter = AutoReleaseMinutes is { } release ? TimeSpan.FromMinutes(release) : rules.AutoReleaseAfter,
            TimeZone = TimeZone ?? rules.TimeZone,
        };
    }

    public static RulesDto From(BookingRules r) => new(
        (int)r.MinimumDuration.TotalMinutes, (int)r.MaximumDuration.TotalMinutes, (int)r.MinimumNotice.TotalMinutes, (int)r.MaximumAdvance.TotalDays,
        (int)r.Buffer.TotalMinutes, r.ApprovalRequired, r.CheckInRequired, (int)r.AutoReleaseAfter.TotalMinutes, r.TimeZone);
}

public sealed record CreateResourceRequest(
    [property: Required] ResourceKind? Kind,
    [property: Required, StringLength(200, MinimumLength = 2)] string? Name,
    [property: Required, Range(1, 10_000)] int? Capacity,
    [property: StringLength(2000)] string? Description = null,
    [property: StringLength(200)] string? Model = null,
    RulesDto? Rules = null,
    [property: MaxLength(20)] IReadOnlyList<string>? RequiredQualifications = null,
    [property: MaxLength(100)] IReadOnlyList<Guid>? AllowedOrganisations = null,
    [property: MaxLength(4)] IReadOnlyList<string>? AllowedOrganisationKinds = null,
    Guid? OwnerId = null);

public sealed record ResourceResponse(
    Guid Id, Guid OwnerId, string OwnerName, ResourceKind Kind, string Name, string Description, string? Model, int Capacity, RulesDto Rules,
    IReadOnlyList<string> RequiredQualifications, IReadOnlyList<Guid> AllowedOrganisations, IReadOnlyList<string> AllowedOrganisationKinds, bool Retired, long Version);

public sealed record AvailabilityResponse(Guid ResourceId, int Capacity, int FreeUnits);

/// <summary>A busy interval of a resource's calendar; names only for the owner's staff and the booker.</summary>
public sealed record CalendarEntry(Guid? BookingId, DateTimeOffset Start, DateTimeOffset End, int Units, string Status, string? UserName);

public sealed record BlackoutRequest(
    [property: Required] DateTimeOffset? Start,
    [property: Required] DateTimeOffset? End,
    [property: Required, StringLength(500, MinimumLength = 3)] string? Reason);

public sealed record BlackoutResponse(Guid Id, Guid ResourceId, DateTimeOffset Start, DateTimeOffset End, string Reason, IReadOnlyList<Guid> CancelledBookings);

/// <summary>A blackout as listed (<c>GET …/blackouts</c>): its id is what <c>DELETE …/blackouts/{id}</c> takes.</summary>
public sealed record BlackoutEntry(Guid Id, Guid ResourceId, DateTimeOffset Start, DateTimeOffset End, string Reason);

public sealed record QuotaRequest([property: Required, Range(0, 1_000_000)] double? UnitHours, [property: Required] QuotaPeriod? Period);

public sealed record QuotaResponse(Guid ResourceId, Guid OrganisationId, double UnitHours, QuotaPeriod Period);

public static class ResourcesApi
{
    private static readonly string[] KnownOrganisationKinds =
        [OrganisationKinds.School, OrganisationKinds.Hospital, OrganisationKinds.Institute, OrganisationKinds.Enterprise];

    public static void MapResourcesApi(this IEndpointRouteBuilder app, SharingOptions options)
    {
        var group = app.MapGroup(options.RoutePrefix + "/resources").WithTags("Shared resources");
        group.MapGet("/", ListResources).WithName($"{options.Service}-list-resources")
            .WithSummary("Resources offered here (searchable by kind, owner and text)");
        group.MapGet("/availability", Availability).WithName($"{options.Service}-availability")
            .WithSummary("Free units of resources throughout a window (the school's catalog asks this)");
        group.MapGet("/{id:guid}", GetResource).WithName($"{options.Service}-get-resource").WithSummary("One resource with its rules");
        group.MapPost("/", CreateResource).WithName($"{options.Service}-create-resource")
            .WithSummary("Offer a resource of your organisation (its staff)");
        group.MapPut("/{id:guid}", ReviseResource).WithName($"{options.Service}-revise-resource")
            .WithSummary("Change a resource (its staff): the whole description, as for creating it; units never below what bookings from now on hold")
            .WithDescription("Bookings already made keep their terms; the new rules apply to new requests.");
        group.MapPost("/{id:guid}/retire", RetireResource).WithName($"{options.Service}-retire-resource")
            .WithSummary("Stop taking bookings (its staff); existing bookings stand");
        group.MapGet("/{id:guid}/calendar", ResourceCalendar).WithName($"{options.Service}-resource-calendar")
            .WithSummary("Busy intervals over a window (at most 62 days): the bookings that hold units and the blackouts");
        group.MapPost("/{id:guid}/blackouts", PlaceBlackout).WithName($"{options.Service}-place-blackout")
            .WithSummary("Take the resource out of use (its staff): bookings over the window are cancelled and their users told");
        group.MapGet("/{id:guid}/blackouts", ListBlackouts).WithName($"{options.Service}-list-blackouts")
            .WithSummary("The resource's blackouts with their ids, soonest first: those not yet over, or those overlapping from–to");
        group.MapDelete("/{id:guid}/blackouts/{blackoutId:guid}", RemoveBlackout).WithName($"{options.Service}-remove-blackout")
            .WithSummary("Remove a blackout not yet over (its staff): its time can be booked again; the bookings it cancelled stay cancelled")
            .WithDescription("409 for a blackout already over (it frees nothing and records why bookings were cancelled). Waiting requests the freed time now fits are offered holds.");
        group.MapPut("/{id:guid}/quotas/{organisationId:guid}", SetQuota).WithName($"{options.Service}-set-quota")
            .WithSummary("Set an organisation's unit-hours per week or month on the resource (its staff)");
        group.MapGet("/{id:guid}/quotas", ListQuotas).WithName($"{options.Service}-list-quotas").WithSummary("The resource's allowances (its staff)");
    }

    public static async Task<Results<Ok<Page<ResourceResponse>>, ValidationProblem>> ListResources(
        ServiceDbContext db, CancellationToken ct, ResourceKind? kind = null, Guid? ownerId = null, string? q = null, bool includeRetired = false, int page = 1, int pageSize = 50)
    {
        if (page is < 1 or > Paging.MaxPage)
        {
            return Problems.Invalid(nameof(page), $"The page number is between 1 and {Paging.MaxPage}.");
        }

        if (pageSize is < 1 or > 200)
        {
            return Problems.Invalid(nameof(pageSize), "A page holds 1 to 200 resources.");
        }

        var resources = db.Set<Resource>().AsNoTracking();
        resources = kind is { } k ? resources.Where(r => r.Kind == k) : resources;
        resources = ownerId is { } owner ? resources.Where(r => r.OwnerOrganisationId == owner) : resources;
        resources = includeRetired ? resources : resources.Where(r => !r.Retired);
        if (!string.IsNullOrWhiteSpace(q))
        {
            var pattern = LikePatterns.Containing(q);
            resources = resources.Where(r => EF.Functions.Like(r.Name, pattern, "\\") || EF.Functions.Like(r.Description, pattern, "\\")
                || (r.Model != null && EF.Functions.Like(r.Model, pattern, "\\")));
        }

        var total = await resources.CountAsync(ct);
        var items = await resources.OrderBy(r => r.Name).ThenBy(r => r.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        var owners = await OwnerNamesAsync(db, items.Select(r => r.OwnerOrganisationId), ct);
        return TypedResults.Ok(new Page<ResourceResponse>(items.Select(r => ToResponse(r, owners)).ToList(), page, pageSize, total));
    }

    public static async Task<Ok<ResourceResponse>> GetResource(Guid id, ServiceDbContext db, CancellationToken ct)
    {
        var resource = await db.Set<Resource>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct) ?? throw DomainRuleException.NotFound("resource", id);
        return TypedResults.Ok(ToResponse(resource, await OwnerNamesAsync(db, [resource.OwnerOrganisationId], ct)));
    }

    public static async Task<Created<ResourceResponse>> CreateResource(
        CreateResourceRequest request, CurrentUser user, ServiceDbContext db, BookingDesk desk, SharingOptions options, CancellationToken ct)
    {
        var ownerId = request.OwnerId ?? user.OrganisationId;
        user.EnsureStaffOf(ownerId, "You can offer resources only for your own organisation, as its staff.");
        var owner = await db.Set<PartnerOrganisation>().AsNoTracking().SingleOrDefaultAsync(o => o.Id == ownerId, ct)
            ?? throw DomainRuleException.Forbidden($"Your organisation is not a registered partner of the {options.Service} service.");
        var qualifications = CheckLists(request, options);

        var resource = await desk.RunAsync(async work =>
        {
            var created = Resource.Create(Guid.CreateVersion7(), ownerId, request.Kind!.Value, request.Name!, request.Capacity!.Value,
                (request.Rules ?? new RulesDto()).ToRules(), qualifications, request.AllowedOrganisations, request.AllowedOrganisationKinds, request.Description, request.Model);
            work.Db.Add(created);
            await work.PublishAsync(created, ct);
            return created;
        }, ct);
        return TypedResults.Created($"{options.RoutePrefix}/resources/{resource.Id}", ToResponse(resource, new Dictionary<Guid, string> { [owner.Id] = owner.Name }));
    }

    public static async Task<Ok<ResourceResponse>> ReviseResource(Guid id, CreateResourceRequest request, CurrentUser user, ServiceDbContext db, BookingDesk desk, SharingOptions options, CancellationToken ct)
    {
        var qualifications = CheckLists(request, options);
        var resource = await desk.RunAsync(async work =>
        {
            var resource = await work.ResourceAsync(id, ct);
            user.EnsureStaffOf(resource.OwnerOrganisationId, $"Only the staff of {resource.Name}'s owner may change it.");
            if (request.Kind != resource.Kind || request.OwnerId is { } owner && owner != resource.OwnerOrganisationId)
            {
                throw DomainRuleException.Invalid("kind", "A resource keeps its kind and owner; retire it and offer a new one.");
            }

            var now = work.Now;
            var horizon = now + resource.Rules.MaximumAdvance + resource.LongestBooking;
            var ahead = await work.Db.Set<Booking>().AsNoTracking()
                .Where(b => b.ResourceId == id && b.End > now && (b.Status == BookingStatus.PendingApproval || b.Status == BookingStatus.Confirmed
                    || b.Status == BookingStatus.CheckedIn || b.Status == BookingStatus.Held))
                .Select(b => new { b.Start, b.End, b.Units }).ToListAsync(ct);
            var peak = Calendar.PeakUnits(ahead.Select(b => (b.Start, b.End, b.Units)), now, horizon > now ? horizon : now.AddDays(1));
            resource.Revise(request.Name!, request.Description, request.Model, request.Capacity!.Value, (request.Rules ?? new RulesDto()).ToRules(), qualifications,
                request.AllowedOrganisations ?? [], request.AllowedOrganisationKinds ?? [], peak);
            await work.PublishAsync(resource, ct);
            return resource;
        }, ct);
        return TypedResults.Ok(ToResponse(resource, await OwnerNamesAsync(db, [resource.OwnerOrganisationId], ct)));
    }

    /// <summary>The lists of a resource request: no nulls, the school's qualification codes, known organisation kinds, a kind this service offers.</summary>
    private static List<string> CheckLists(CreateResourceRequest request, SharingOptions options)
    {
        if (!options.Kinds.Contains(request.Kind!.Value))
        {
            throw DomainRuleException.Invalid("kind", $"The {options.Service} service offers {string.Join(", ", options.Kinds)}.");
        }

        if ((request.RequiredQualifications ?? []).Any(q => q is null) || (request.AllowedOrganisationKinds ?? []).Any(k => k is null))
        {
            throw DomainRuleException.Invalid(request.RequiredQualifications?.Any(q => q is null) == true ? "requiredQualifications" : "allowedOrganisationKinds", "A list holds codes, not nulls.");
        }

        var qualifications = (request.RequiredQualifications ?? []).Select(q => q.Trim().ToLowerInvariant()).ToList();
        if (qualifications.FirstOrDefault(q => !Contracts.School.ReferenceCodes.Qualifications.ContainsKey(q)) is { } unknown)
        {
            throw DomainRuleException.Invalid("requiredQualifications", $"'{unknown}' is not one of the school's qualifications ({string.Join(", ", Contracts.School.ReferenceCodes.Qualifications.Keys)}).");
        }

        if ((request.AllowedOrganisationKinds ?? []).FirstOrDefault(k => !KnownOrganisationKinds.Contains(k)) is { } kind)
        {
            throw DomainRuleException.Invalid("allowedOrganisationKinds", $"'{kind}' is not an organisation kind ({string.Join(", ", KnownOrganisationKinds)}).");
        }

        return qualifications;
    }

    public static async Task<Ok<ResourceResponse>> RetireResource(Guid id, CurrentUser user, ServiceDbContext db, BookingDesk desk, CancellationToken ct)
    {
        var resource = await desk.RunAsync(async work =>
        {
            var resource = await work.ResourceAsync(id, ct);
            user.EnsureStaffOf(resource.OwnerOrganisationId, $"Only the staff of {resource.Name}'s owner may retire it.");
            if (!resource.Retired)
            {
                resource.Retire();
                await work.PublishAsync(resource, ct);
            }

            return resource;
        }, ct);
        return TypedResults.Ok(ToResponse(resource, await OwnerNamesAsync(db, [resource.OwnerOrganisationId], ct)));
    }

    public static async Task<Results<Ok<List<AvailabilityResponse>>, ValidationProblem>> Availability(
        ServiceDbContext db, CancellationToken ct, DateTimeOffset? from = null, DateTimeOffset? to = null, Guid[]? ids = null)
    {
        if (Window(from, to, TimeSpan.FromDays(62)) is { } problem)
        {
            return problem;
        }

        if (ids is { Length: > 200 })
        {
            return Problems.Invalid(nameof(ids), "Ask about at most 200 resources at once.");
        }

        var resources = db.Set<Resource>().AsNoTracking().Where(r => !r.Retired);
        if (ids is { Length: > 0 })
        {
            resources = resources.Where(r => ids.Contains(r.Id));
        }

        var answer = new List<AvailabilityResponse>();
        foreach (var resource in await resources.OrderBy(r => r.Name).Take(200).ToListAsync(ct))
        {
            var bookings = await db.Set<Booking>().AsNoTracking().Around(resource, from!.Value, to!.Value).ToListAsync(ct);
            var blackouts = await db.Set<Blackout>().AsNoTracking().Around(resource, from.Value, to.Value).ToListAsync(ct);
            var calendar = new Calendar(bookings, blackouts, new Slot(from.Value, to.Value));
            var free = calendar.BlackoutOver(from.Value, to.Value) is null ? calendar.FreeUnits(resource.Capacity, from.Value, to.Value, TimeSpan.Zero) : 0;
            answer.Add(new AvailabilityResponse(resource.Id, resource.Capacity, free));
        }

        return TypedResults.Ok(answer);
    }

    public static async Task<Results<Ok<List<CalendarEntry>>, ValidationProblem>> ResourceCalendar(
        Guid id, CurrentUser user, ServiceDbContext db, CancellationToken ct, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        if (Window(from, to, TimeSpan.FromDays(62)) is { } problem)
        {
            return problem;
        }

        var resource = await db.Set<Resource>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct) ?? throw DomainRuleException.NotFound("resource", id);
        var staff = user.IsStaffOf(resource.OwnerOrganisationId);
        var bookings = await db.Set<Booking>().AsNoTracking().Around(resource, from!.Value, to!.Value).Where(b => b.Status != BookingStatus.Completed).ToListAsync(ct);
        var blackouts = await db.Set<Blackout>().AsNoTracking().Around(resource, from.Value, to.Value).ToListAsync(ct);
        var entries = bookings.Where(b => b.Start < to && b.End > from).Select(b => staff || b.UserId == user.UserId
                ? new CalendarEntry(b.Id, b.Start, b.End, b.Units, BookingWork.StatusName(b.Status), b.UserName)
                : new CalendarEntry(null, b.Start, b.End, b.Units, "busy", null))
            .Concat(blackouts.Select(b => new CalendarEntry(null, b.Start, b.End, resource.Capacity, "blackout", b.Reason)))
            .OrderBy(e => e.Start).ToList();
        return TypedResults.Ok(entries);
    }

    public static async Task<Created<BlackoutResponse>> PlaceBlackout(Guid id, BlackoutRequest request, CurrentUser user, BookingDesk desk, SharingOptions options, CancellationToken ct)
    {
        var response = await desk.RunAsync(async work =>
        {
            var resource = await work.ResourceAsync(id, ct);
            user.EnsureStaffOf(resource.OwnerOrganisationId, $"Only the staff of {resource.Name}'s owner may take it out of use.");
            var now = work.Now;
            var blackout = Blackout.Create(Guid.CreateVersion7(), resource, request.Start!.Value, request.End!.Value, request.Reason!, now);
            work.Db.Add(blackout);
            var under = await work.Db.Set<Booking>().Around(resource, blackout.Start, blackout.End).ToListAsync(ct);
            var cancelled = new List<Guid>();
            foreach (var booking in blackout.CancelBookingsUnder(resource, under, now))
            {
                work.Announce(booking, resource, startTimers: false);
                cancelled.Add(booking.Id);
            }

            // A waitlist offer cancelled by the blackout ends its entry too (the user may wait again for another slot).
            foreach (var entry in await work.Db.Set<WaitlistEntry>().Where(e => e.OfferedHoldId != null && cancelled.Contains(e.OfferedHoldId.Value)).ToListAsync(ct))
            {
                entry.Withdraw();
            }

            work.Add(new BlackoutPlaced(blackout.Id, resource.Id, resource.OwnerOrganisationId, blackout.Start, blackout.End, blackout.Reason, cancelled, 1, now));
            return new BlackoutResponse(blackout.Id, resource.Id, blackout.Start, blackout.End, blackout.Reason, cancelled);
        }, ct);
        return TypedResults.Created($"{options.RoutePrefix}/resources/{id}/calendar", response);
    }

    /// <summary>
    /// The blackouts of a resource (anyone who may see its calendar sees them there too): without a window, those not
    /// yet over; with <c>from</c> and <c>to</c>, those overlapping it. A resource has few, so the answer is not paged.
    /// </summary>
    public static async Task<Results<Ok<List<BlackoutEntry>>, ValidationProblem>> ListBlackouts(
        Guid id, ServiceDbContext db, TimeProvider time, CancellationToken ct, DateTimeOffset? from = null, DateTimeOffset? to = null)
    {
        if (from is not null || to is not null)
        {
            if (Window(from, to, Instants.Latest - Instants.Earliest) is { } problem)
            {
                return problem;
            }
        }

        var resource = await db.Set<Resource>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct) ?? throw DomainRuleException.NotFound("resource", id);
        var blackouts = from is { } start && to is { } end
            ? db.Set<Blackout>().AsNoTracking().Around(resource, start, end)
            : db.Set<Blackout>().AsNoTracking().Around(resource, time.GetUtcNow(), Instants.Latest);
        var list = await blackouts.ToListAsync(ct);
        return TypedResults.Ok(list.OrderBy(b => b.Start).ThenBy(b => b.Id)
            .Select(b => new BlackoutEntry(b.Id, b.ResourceId, b.Start, b.End, b.Reason)).ToList());
    }

    /// <summary>
    /// Removes a blackout: its time can be booked again at once, and the waiting requests it now fits are offered
    /// holds. It does not bring back the bookings it cancelled (their users were told and may have booked elsewhere).
    /// </summary>
    public static async Task<NoContent> RemoveBlackout(Guid id, Guid blackoutId, CurrentUser user, BookingDesk desk, CancellationToken ct)
    {
        await desk.RunAsync(async work =>
        {
            var resource = await work.ResourceAsync(id, ct);
            user.EnsureStaffOf(resource.OwnerOrganisationId, $"Only the staff of {resource.Name}'s owner may remove its blackouts.");
            var blackout = await work.Db.Set<Blackout>().SingleOrDefaultAsync(b => b.Id == blackoutId && b.ResourceId == id, ct)
                ?? throw DomainRuleException.NotFound("blackout of this resource", blackoutId);
            var now = work.Now;
            blackout.Remove(resource, now);
            work.Db.Remove(blackout);
            work.Add(new BlackoutRemoved(blackout.Id, resource.Id, resource.OwnerOrganisationId, blackout.Start, blackout.End, blackout.Reason, 2, now));

            // The freed time goes to those waiting for it first, as when a booking is cancelled (this saves the removal first).
            await work.OfferFreedAsync(resource, Instants.Later(blackout.Start, now), blackout.End, ct);
            return true;
        }, ct);
        return TypedResults.NoContent();
    }

    public static async Task<Ok<QuotaResponse>> SetQuota(Guid id, Guid organisationId, QuotaRequest request, CurrentUser user, BookingDesk desk, CancellationToken ct) =>
        TypedResults.Ok(await desk.RunAsync(async work =>
        {
            var resource = await work.ResourceAsync(id, ct);
            user.EnsureStaffOf(resource.OwnerOrganisationId, $"Only the staff of {resource.Name}'s owner set its quotas.");
            var quota = await work.Db.Set<QuotaAllowance>().SingleOrDefaultAsync(q => q.ResourceId == id && q.OrganisationId == organisationId, ct);
            if (quota is null)
            {
                quota = QuotaAllowance.Set(id, organisationId, request.UnitHours!.Value, request.Period!.Value);
                work.Db.Add(quota);
            }
            else
            {
                quota.Change(request.UnitHours!.Value, request.Period!.Value);
            }

            resource.Touch();
            return new QuotaResponse(id, organisationId, quota.UnitHours, quota.Period);
        }, ct));

    public static async Task<Ok<List<QuotaResponse>>> ListQuotas(Guid id, CurrentUser user, ServiceDbContext db, CancellationToken ct)
    {
        var resource = await db.Set<Resource>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct) ?? throw DomainRuleException.NotFound("resource", id);
        user.EnsureStaffOf(resource.OwnerOrganisationId, $"Only the staff of {resource.Name}'s owner see its quotas.");
        return TypedResults.Ok(await db.Set<QuotaAllowance>().AsNoTracking().Where(q => q.ResourceId == id)
            .Select(q => new QuotaResponse(q.ResourceId, q.OrganisationId, q.UnitHours, q.Period)).ToListAsync(ct));
    }

    /// <summary>A window given as <c>from</c> and <c>to</c>: both present, in order, and at most <paramref name="longest"/> long.</summary>
    public static ValidationProblem? Window(DateTimeOffset? from, DateTimeOffset? to, TimeSpan longest)
    {
        if (from is null || to is null)
        {
            return Problems.Invalid(from is null ? "from" : "to", "Give the window as from and to (ISO 8601 instants).");
        }

        if (to <= from)
        {
            return Problems.Invalid("to", "The window must end after it starts.");
        }

        if (from < Instants.Earliest || to > Instants.Latest)
        {
            return Problems.Invalid(from < Instants.Earliest ? "from" : "to", $"A window lies between {Instants.Earliest:yyyy} and {Instants.Latest:yyyy}.");
        }

        return to - from > longest ? Problems.Invalid("to", $"A window spans at most {longest.TotalDays:0} days.") : null;
    }

    internal static async Task<Dictionary<Guid, string>> OwnerNamesAsync(ServiceDbContext db, IEnumerable<Guid> ids, CancellationToken ct)
    {
        var wanted = ids.Distinct().ToList();
        return await db.Set<PartnerOrganisation>().AsNoTracking().Where(o => wanted.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
    }

    internal static ResourceResponse ToResponse(Resource r, IReadOnlyDictionary<Guid, string> owners) => new(
        r.Id, r.OwnerOrganisationId, owners.GetValueOrDefault(r.OwnerOrganisationId, string.Empty), r.Kind, r.Name, r.Description, r.Model, r.Capacity,
        RulesDto.From(r.Rules), r.RequiredQualifications, r.AllowedOrganisations, r.AllowedOrganisationKinds, r.Retired, r.Version);
}

public static class SharingAccess
{
    /// <summary>Staff of the organisation: they manage its resources, blackouts, approvals and check-ins.</summary>
    public static bool IsStaffOf(this CurrentUser user, Guid organisationId) =>
        user.BelongsTo(organisationId) && (user.IsInRole(Roles.Staff) || user.IsInRole(Roles.Coordinator) || user.IsInRole(Roles.Admin));

    public static void EnsureStaffOf(this CurrentUser user, Guid organisationId, string refusal)
    {
        if (!user.IsStaffOf(organisationId))
        {
            throw DomainRuleException.Forbidden(refusal);
        }
    }
}
