using System.ComponentModel.DataAnnotations;
using CollabTraining.Contracts.Projects;
using CollabTraining.Domain;
using CollabTraining.Messaging.Outbox;
using CollabTraining.Messaging.Scheduling;
using CollabTraining.School.Data;
using CollabTraining.School.Ledger;
using CollabTraining.School.Notifications;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Projects;

/// <param name="UserId">The team member the booking is for (the owner checks their qualifications); the requester when they are on the team.</param>
public sealed record BundlePartRequest([property: Required] Guid? ResourceId, [property: Required, Range(1, 10_000)] int? Units, [property: Required] DateTimeOffset? Start, [property: Required] DateTimeOffset? End, Guid? UserId = null);

/// <param name="AnswerWithinSeconds">How long the owners have to answer before the bundle fails and every hold is released (5 s to an hour; a minute by default).</param>
public sealed record PlaceBundleRequest([property: Required, MinLength(1), MaxLength(10)] IReadOnlyList<BundlePartRequest>? Parts, [property: Range(5, 3600)] int AnswerWithinSeconds = 60);

public sealed record BundlePartResponse(
    Guid Id, string Owner, Guid ResourceId, string ResourceName, string Kind, int Units, DateTimeOffset Start, DateTimeOffset End, Guid UserId,
    string State, Guid? BookingId, string? Reason, string? Detail, double UnitHours);

/// <param name="Settled">Every part is where it ends: all confirmed, or each refused or released at its owner (no capacity left held).</param>
public sealed record BundleResponse(
    Guid Id, Guid ProjectId, string Status, bool Settled, string? FailureReason, Guid? FailedPartId, DateTimeOffset CreatedAt, DateTimeOffset AnswerBy,
    DateTimeOffset? DecidedAt, IReadOnlyList<BundlePartResponse> Parts);

/// <summary>A project's all-or-nothing requests for several resources from different owners.</summary>
public static class BundlesApi
{
    public static void MapBundlesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(SchoolModule.RoutePrefix + "/projects/{projectId:guid}/bundles").WithTags("Innovation projects");
        group.MapPost("/", Place).WithName("PlaceBundle")
            .WithSummary("Ask for several resources at once (the team or a coordinator): all are booked or none")
            .WithDescription("202: holds are requested at each owner; poll the bundle. Refused at once (409 `over-budget`) when it needs more GPU-hours or equipment-hours than the project has left.");
        group.MapGet("/", List).WithName("ListBundles").WithSummary("The project's bundles, newest first");
        group.MapGet("/{bundleId:guid}", Get).WithName("GetBundle").WithSummary("Where a bundle stands, part by part, and why it failed");
    }

    public static async Task<Accepted<BundleResponse>> Place(
        Guid projectId, PlaceBundleRequest request, CurrentUser user, SchoolDbContext db, Outbox outbox, DueTasks dueTasks, TimeProvider time, CancellationToken ct)
    {
        var access = await ProjectAccess.LoadAsync(db, projectId, user, ct, tracked: true);
        var project = access.Project;
        if (!access.IsMember && !access.IsCoordinator)
        {
            throw DomainRuleException.Forbidden("Only the project's team and the school's coordinators ask for its resources.");
        }

        if (project.Status != ProjectStatus.Approved)
        {
            throw DomainRuleException.Refused("not-approved", $"Only an approved project books resources; this one is {project.Status.ToString().ToLowerInvariant()}.");
        }

        var now = time.GetUtcNow();
        var answerWithin = TimeSpan.FromSeconds(request.AnswerWithinSeconds);
        var confirmedBy = ResourceBundle.HoldsLastUntil(now, answerWithin);
        var requested = request.Parts!;
        var resourceIds = requested.Where(p => p?.ResourceId is not null).Select(p => p.ResourceId!.Value).Distinct().ToList();
        var resources = await db.CatalogResources.AsNoTracking().Where(r => resourceIds.Contains(r.ResourceId)).ToDictionaryAsync(r => r.ResourceId, ct);
        var parts = new List<BundlePart>();
        for (var i = 0; i < requested.Count; i++)
        {
            var p = requested[i] ?? throw DomainRuleException.Invalid($"parts[{i}]", "A part names a resource, units, start and end.");
            var field = $"parts[{i}]";
            var forUser = p.UserId ?? (access.IsMember ? user.UserId : throw DomainRuleException.Invalid($"{field}.userId", "Name the team member the booking is for."));
            if (!access.IsCoordinator && forUser != user.UserId)
            {
                throw DomainRuleException.Forbidden("A student asks for resources in their own name; a coordinator may name another member of the team.");
            }

            if (!project.IsMember(forUser))
            {
                throw DomainRuleException.Invalid($"{field}.userId", "A bundle books for a member of the project's team.");
            }

            parts.Add(BundlePart.Plan(resources.GetValueOrDefault(p.ResourceId!.Value), p.ResourceId.Value, p.Units!.Value, p.Start!.Value, p.End!.Value, forUser, confirmedBy, field));
        }

        // Refused before any hold is placed. The project's version is bumped in the same save, so two bundles racing
        // for the last hours cannot both pass this check.
        var budget = (await BudgetLedger.ForAsync(db, [project.Id], ct)).For(project);
        project.Touch();
        var (bundle, holds) = ResourceBundle.Place(project.Id, user.UserId, user.OrganisationId, parts, budget, answerWithin, now);
        BundleSagaSteps.Start(db, outbox, dueTasks, bundle, holds);
        await db.SaveChangesAsync(ct);
        return TypedResults.Accepted($"{SchoolModule.RoutePrefix}/projects/{project.Id}/bundles/{bundle.Id}", ToResponse(bundle));
    }

    public static async Task<Ok<List<BundleResponse>>> List(Guid projectId, CurrentUser user, SchoolDbContext db, CancellationToken ct)
    {
        await ProjectAccess.LoadAsync(db, projectId, user, ct);
        var bundles = await db.Set<ResourceBundle>().AsNoTracking().Include(b => b.Parts).Where(b => b.ProjectId == projectId)
            .OrderByDescending(b => b.CreatedAt).Take(200).ToListAsync(ct);
        return TypedResults.Ok(bundles.Select(ToResponse).ToList());
    }

    public static async Task<Ok<BundleResponse>> Get(Guid projectId, Guid bundleId, CurrentUser user, SchoolDbContext db, CancellationToken ct)
    {
        await ProjectAccess.LoadAsync(db, projectId, user, ct);
        var bundle = await db.Set<ResourceBundle>().AsNoTracking().Include(b => b.Parts).SingleOrDefaultAsync(b => b.Id == bundleId && b.ProjectId == projectId, ct)
            ?? throw DomainRuleException.NotFound("bundle", bundleId);
        return TypedResults.Ok(ToResponse(bundle));
    }

    public static BundleResponse ToResponse(ResourceBundle b) => new(
        b.Id, b.ProjectId, b.Status.ToString().ToLowerInvariant(), b.IsSettled, b.FailureReason, b.FailedPartId, b.CreatedAt, b.AnswerBy, b.DecidedAt,
        b.Parts.OrderBy(p => p.Start).ThenBy(p => p.Id).Select(p => new BundlePartResponse(
            p.Id, p.Owner, p.ResourceId, p.ResourceName, p.Kind, p.Units, p.Start, p.End, p.UserId, p.State.ToString().ToLowerInvariant(), p.BookingId, p.Reason, p.Detail, p.UnitHours)).ToList());
}

/// <summary>
/// What a project's budget has committed: a part of a bundle still placing, confirming or confirmed reserves its
/// unit-hours until the owner records usage for its booking; recorded usage counts instead (what was really used,
/// more or less than planned). Failed bundles hold nothing.
/// </summary>
public sealed class BudgetLedger(Dictionary<Guid, (double GpuReserved, double GpuUsed, double EqReserved, double EqUsed)> spent)
{
    private static readonly List<string> HoldingStatuses = ["held", "pendingApproval", "confirmed", "checkedIn", "completed"];

    public static async Task<BudgetLedger> ForAsync(SchoolDbContext db, IReadOnlyList<Guid> projectIds, CancellationToken ct)
    {
        var parts = (await db.Set<ResourceBundle>().AsNoTracking().Include(b => b.Parts).Where(b => projectIds.Contains(b.ProjectId)).ToListAsync(ct))
            .SelectMany(b => b.Parts.Select(p => new { b.ProjectId, b.Status, Part = p })).ToList();
        var bookingIds = parts.Where(p => p.Part.BookingId != null).Select(p => p.Part.BookingId!.Value).ToList();
        var usage = await db.Set<ResourceUsage>().AsNoTracking().Where(u => bookingIds.Contains(u.BookingId)).ToDictionaryAsync(u => u.BookingId, u => u.UnitHours, ct);

        // A booking the owner reports gone (cancelled by its user or a blackout, rejected, lapsed, a no-show) reserves nothing more.
        var gone = await db.Set<Ledger.KnownBooking>().AsNoTracking().Where(k => bookingIds.Contains(k.BookingId) && !HoldingStatuses.Contains(k.Status))
            .Select(k => k.BookingId).ToListAsync(ct);
        var result = new Dictionary<Guid, (double, double, double, double)>();
        foreach (var group in parts.GroupBy(p => p.ProjectId))
        {
            double gr = 0, gu = 0, er = 0, eu = 0;
            foreach (var p in group)
            {
                var used = p.Part.BookingId is { } booking && usage.TryGetValue(booking, out var hours) ? hours : (double?)null;
                var reserved = used is null && p.Status != BundleStatus.Failed && !(p.Part.BookingId is { } id && gone.Contains(id))
                    && p.Part.State is BundlePartState.Requested or BundlePartState.Held or BundlePartState.Confirmed ? p.Part.UnitHours : 0;
                if (ContributionLedger.IsGpu(p.Part.Kind))
                {
                    gr += reserved;
                    gu += used ?? 0;
                }
                else
                {
                    er += reserved;
                    eu += used ?? 0;
                }
            }

            result[group.Key] = (gr, gu, er, eu);
        }

        return new BudgetLedger(result);
    }

    public ProjectBudget For(Project project)
    {
        var (gr, gu, er, eu) = spent.GetValueOrDefault(project.Id);
        return new ProjectBudget(Line(project.GpuHoursBudget, gr, gu), Line(project.EquipmentHoursBudget, er, eu));
    }

    private static BudgetLine Line(double budget, double reserved, double used) =>
        new(budget, Math.Round(reserved, 2), Math.Round(used, 2), Math.Round(Math.Max(0, budget - reserved - used), 2));
}
