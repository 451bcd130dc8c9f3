using CollabTraining.Contracts;
using CollabTraining.Contracts.Projects;
using CollabTraining.Domain;
using CollabTraining.School.Ledger;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CollabTraining.School.Projects;

public enum BundleStatus
{
    /// <summary>Hold requests are out at the owners.</summary>
    Placing,

    /// <summary>Every part is held; the owners are confirming them.</summary>
    Confirming,

    /// <summary>Every part is a confirmed booking.</summary>
    Confirmed,

    /// <summary>A part was refused or an owner did not answer in time: every other part is released.</summary>
    Failed,
}

public enum BundlePartState
{
    Requested,
    Held,
    Confirmed,
    Refused,

    /// <summary>A release was asked of the owner; it has not said it is done yet.</summary>
    Releasing,
    Released,
}

/// <summary>One resource of a bundle, at one owner.</summary>
public sealed class BundlePart
{
    public Guid Id { get; set; }

    public Guid BundleId { get; set; }

    /// <summary>The owning service (enterprises or research).</summary>
    public string Owner { get; set; } = string.Empty;

    public Guid OwnerId { get; set; }

    public Guid ResourceId { get; set; }

    public string ResourceName { get; set; } = string.Empty;

    /// <summary>computePool (GPU-hours) or device/equipment (equipment-hours).</summary>
    public string Kind { get; set; } = string.Empty;

    public int Units { get; set; }

    public DateTimeOffset Start { get; set; }

    public DateTimeOffset End { get; set; }

    /// <summary>The team member the booking is for (the owner checks their qualifications).</summary>
    public Guid UserId { get; set; }

    public BundlePartState State { get; set; }

    public Guid? BookingId { get; set; }

    /// <summary>Why it was refused or released (the owner's reason code, or "no-answer").</summary>
    public string? Reason { get; set; }

    public string? Detail { get; set; }

    /// <summary>What it costs the budget: units times hours.</summary>
    public double UnitHours => Math.Round(Units * (End - Start).TotalHours, 4);

    public bool IsSettled => State is BundlePartState.Confirmed or BundlePartState.Refused or BundlePartState.Released;

    /// <summary>
    /// One part as asked (<paramref name="field"/> names it in refusals): a catalog resource that is still offered and
    /// takes bookings without approval one by one, units it has, a window that starts only once every hold of the
    /// bundle is confirmed (<paramref name="confirmedBy"/>: a started booking could no longer be released).
    /// </summary>
    public static BundlePart Plan(Catalog.CatalogResource? resource, Guid resourceId, int units, DateTimeOffset start, DateTimeOffset end, Guid userId, DateTimeOffset confirmedBy, string field)
    {
        if (resource is null || resource.Retired)
        {
            throw DomainRuleException.Invalid($"{field}.resourceId", $"No resource in the school's catalog has id {resourceId}.");
        }

        if (resource.ApprovalRequired)
        {
            throw DomainRuleException.Invalid($"{field}.resourceId", $"{resource.Name} is booked only with its owner's approval, one booking at a time; a bundle cannot count on it. Book it directly.");
        }

        if (units > resource.Capacity)
        {
            throw DomainRuleException.Invalid($"{field}.units", $"{resource.Name} has {resource.Capacity} unit(s).");
        }

        (start, end) = (start.ToUniversalTime(), end.ToUniversalTime());
        if (end <= start)
        {
            throw DomainRuleException.Invalid($"{field}.end", "A part ends after it starts.");
        }

        if (start.Year > 2200 || end.Year > 2200)
        {
            throw DomainRuleException.Invalid($"{field}.start", "A part starts before 2200.");
        }

        if (start < confirmedBy)
        {
            throw DomainRuleException.Invalid($"{field}.start",
                $"A bundle's holds are confirmed by {confirmedBy:yyyy-MM-dd HH:mm:ss} UTC (twice the answer time plus two minutes); its parts start after that.");
        }

        return new BundlePart
        {
            Owner = resource.Service, OwnerId = resource.OwnerId, ResourceId = resource.ResourceId, ResourceName = resource.Name, Kind = resource.Kind,
            Units = units, Start = start, End = end, UserId = userId,
        };
    }
}

/// <summary>
/// All-or-nothing resources for a project across owners, as a state machine persisted in the School's database
/// (our own rather than a MassTransit saga: the MassTransit EF saga repository is not served here, and every step
/// already runs inside the inbox transaction with its events in the outbox). Each transition takes one owner
/// answer (or the deadline) and returns the requests to publish in the same save; an answer that no longer
/// fits the state (a repeat, a late one) changes nothing, so every step is idempotent.
/// </summary>
public sealed class ResourceBundle
{
    private ResourceBundle()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    public Guid RequestedBy { get; private set; }

    public BundleStatus Status { get; private set; }

    /// <summary>Which part failed and why, in words.</summary>
    public string? FailureReason { get; private set; }

    public Guid? FailedPartId { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Holds not all answered by then: the bundle fails and every hold is released.</summary>
    public DateTimeOffset AnswerBy { get; private set; }

    /// <summary>When the owners let the holds lapse; confirmations not all in by then fail the bundle.</summary>
    public DateTimeOffset HoldUntil { get; private set; }

    public DateTimeOffset? DecidedAt { get; private set; }

    public long Version { get; private set; }

    public List<BundlePart> Parts { get; private set; } = [];

    public bool IsSettled => Parts.All(p => p.IsSettled);

    /// <summary>
    /// Long enough for every owner to confirm after the last answer, short enough to free what a lost school would
    /// leave held; every part starts after it, so nothing has begun while it can still be released.
    /// </summary>
    public static DateTimeOffset HoldsLastUntil(DateTimeOffset now, TimeSpan answerWithin) => now + answerWithin + answerWithin + TimeSpan.FromMinutes(2);

    /// <summary>
    /// Places a bundle: each resource once, within what the project's budget has left (<c>over-budget</c> names the
    /// kind and what remains), and returns the hold requests to send to the owners.
    /// </summary>
    public static (ResourceBundle Bundle, IReadOnlyList<IIntegrationEvent> Requests) Place(
        Guid projectId, Guid requestedBy, Guid organisationId, IReadOnlyList<BundlePart> parts, ProjectBudget budget, TimeSpan answerWithin, DateTimeOffset now)
    {
        if (parts.GroupBy(p => p.ResourceId).Any(g => g.Count() > 1))
        {
            throw DomainRuleException.Invalid("parts", "Each resource appears once in a bundle.");
        }

        EnsureWithin("GPU-hours", parts.Where(p => ContributionLedger.IsGpu(p.Kind)).Sum(p => p.UnitHours), budget.GpuHours);
        EnsureWithin("equipment-hours", parts.Where(p => !ContributionLedger.IsGpu(p.Kind)).Sum(p => p.UnitHours), budget.EquipmentHours);

        var bundle = new ResourceBundle
        {
            Id = Guid.CreateVersion7(now), ProjectId = projectId, RequestedBy = requestedBy, Status = BundleStatus.Placing, CreatedAt = now,
            AnswerBy = now + answerWithin,

            HoldUntil = HoldsLastUntil(now, answerWithin),
            Version = 1,
        };
        var requests = new List<IIntegrationEvent>();
        foreach (var part in parts)
        {
            part.Id = Guid.CreateVersion7(now);
            part.BundleId = bundle.Id;
            part.State = BundlePartState.Requested;
            bundle.Parts.Add(part);
            requests.Add(new BundleHoldRequested(bundle.Id, part.Id, projectId, part.Owner, part.ResourceId, part.Units, part.Start, part.End,
                part.UserId, organisationId, bundle.AnswerBy, bundle.HoldUntil, 1, now));
        }

        return (bundle, requests);
    }

    public IReadOnlyList<IIntegrationEvent> HoldAnswered(Guid partId, bool placed, Guid? bookingId, string? reason, string? detail, DateTimeOffset now)
    {
        var part = Parts.FirstOrDefault(p => p.Id == partId);
        if (part is not { State: BundlePartState.Requested })
        {
            return []; // A repeat, or an answer to a part already being released (the owner releases what it placed).
        }

        Version++;
        if (!placed)
        {
            part.State = BundlePartState.Refused;
            part.Reason = Clip(reason ?? "refused", 60);
            part.Detail = detail is null ? null : Clip(detail, 1000);
            return Status == BundleStatus.Placing
                ? Fail(part, $"{part.ResourceName} at {part.Owner} was refused ({part.Reason}){(detail is null ? string.Empty : ": " + detail)}", now)
                : [];
        }

        part.State = BundlePartState.Held;
        part.BookingId = bookingId;
        if (Status == BundleStatus.Placing && Parts.All(p => p.State == BundlePartState.Held))
        {
            Status = BundleStatus.Confirming;
            return Parts.Select(p => (IIntegrationEvent)new BundlePartConfirmRequested(Id, p.Id, p.Owner, 2, now)).ToList();
        }

        return [];
    }

    public IReadOnlyList<IIntegrationEvent> PartConfirmed(Guid partId, bool confirmed, Guid? bookingId, string? reason, DateTimeOffset now)
    {
        var part = Parts.FirstOrDefault(p => p.Id == partId);
        if (part is not { State: BundlePartState.Held } || Status != BundleStatus.Confirming)
        {
            return [];
        }

        Version++;
        if (!confirmed)
        {
            part.State = BundlePartState.Refused;
            part.Reason = Clip(reason ?? "not-confirmed", 60);
            return Fail(part, $"{part.ResourceName} at {part.Owner} could not be confirmed ({part.Reason})", now);
        }

        part.State = BundlePartState.Confirmed;
        part.BookingId = bookingId ?? part.BookingId;
        if (Parts.All(p => p.State == BundlePartState.Confirmed))
        {
            Status = BundleStatus.Confirmed;
            DecidedAt = now;
        }

        return [];
    }

    public bool PartReleased(Guid partId)
    {
        var part = Parts.FirstOrDefault(p => p.Id == partId);
        if (part is not { State: BundlePartState.Releasing })
        {
            return false;
        }

        part.State = BundlePartState.Released;
        Version++;
        return true;
    }

    /// <summary>The deadline: holds not all answered (or, later, not all confirmed) fail the bundle, naming who did not answer.</summary>
    public IReadOnlyList<IIntegrationEvent> TimeOut(DateTimeOffset now)
    {
        var silent = Status switch
        {
            BundleStatus.Placing when now >= AnswerBy => Parts.Where(p => p.State == BundlePartState.Requested).ToList(),
            BundleStatus.Confirming when now >= HoldUntil => Parts.Where(p => p.State == BundlePartState.Held).ToList(),
            _ => [],
        };
        if (silent.Count == 0)
        {
            return [];
        }

        Version++;
        foreach (var part in silent)
        {
            part.Reason = "no-answer";
            part.Detail = $"{part.Owner} did not answer in time";
        }

        var what = Status == BundleStatus.Placing ? "did not answer the hold request in time" : "did not confirm the hold in time";
        return Fail(silent[0], string.Join("; ", silent.Select(p => $"{p.Owner} {what} for {p.ResourceName}")), now);
    }

    /// <summary>
    /// The project was cancelled: a bundle still placing or confirming fails, a confirmed one gives back the bookings
    /// that have not started (one in use stays booked: the owner could not cancel it, and the bundle says so).
    /// </summary>
    public IReadOnlyList<IIntegrationEvent> Cancel(DateTimeOffset now, string why = "the project was cancelled")
    {
        if (Status == BundleStatus.Failed)
        {
            return [];
        }

        Version++;
        if (Status == BundleStatus.Confirmed && Parts.Any(p => p.Start <= now))
        {
            var releases = new List<IIntegrationEvent>();
            foreach (var part in Parts.Where(p => p.State == BundlePartState.Confirmed && p.Start > now))
            {
                part.State = BundlePartState.Releasing;
                part.Reason = "project-closed";
                releases.Add(new BundlePartReleaseRequested(Id, part.Id, part.Owner, why, 3, now));
            }

            return releases;
        }

        var first = Parts.FirstOrDefault(p => p.State is BundlePartState.Requested or BundlePartState.Held or BundlePartState.Confirmed) ?? Parts[0];
        return Fail(first, why, now);
    }

    private static void EnsureWithin(string what, double wanted, BudgetLine line)
    {
        if (wanted > line.Remaining + 1e-9)
        {
            throw DomainRuleException.Refused("over-budget",
                $"The bundle needs {wanted:0.##} {what}; the project has {line.Remaining:0.##} left of {line.Budget:0.##} ({line.Reserved:0.##} reserved, {line.Used:0.##} used).");
        }
    }

    private static string Clip(string text, int length) => text.Length > length ? text[..length] : text;

    private List<IIntegrationEvent> Fail(BundlePart failed, string why, DateTimeOffset now)
    {
        Status = BundleStatus.Failed;
        FailureReason = why.Length > 1000 ? why[..1000] : why;
        FailedPartId = failed.Id;
        DecidedAt = now;
        var releases = new List<IIntegrationEvent>();
        foreach (var part in Parts.Where(p => p.State is BundlePartState.Requested or BundlePartState.Held or BundlePartState.Confirmed))
        {
            part.State = BundlePartState.Releasing;
            releases.Add(new BundlePartReleaseRequested(Id, part.Id, part.Owner, FailureReason, 3, now));
        }

        return releases;
    }
}

internal sealed class ResourceBundleConfigurations : IEntityTypeConfiguration<ResourceBundle>, IEntityTypeConfiguration<BundlePart>
{
    public void Configure(EntityTypeBuilder<ResourceBundle> builder)
    {
        builder.ToTable("ResourceBundles");
        builder.Property(b => b.Id).ValueGeneratedNever();
        builder.Property(b => b.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(b => b.FailureReason).HasMaxLength(1000);
        builder.Property(b => b.Version).IsConcurrencyToken();
        builder.HasMany(b => b.Parts).WithOne().HasForeignKey(p => p.BundleId);
        builder.HasIndex(b => new { b.ProjectId, b.CreatedAt });
        builder.Ignore(b => b.IsSettled);
    }

    public void Configure(EntityTypeBuilder<BundlePart> builder)
    {
        builder.ToTable("BundleParts");
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Owner).HasMaxLength(20);
        builder.Property(p => p.ResourceName).HasMaxLength(200);
        builder.Property(p => p.Kind).HasMaxLength(20);
        builder.Property(p => p.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.Reason).HasMaxLength(60);
        builder.Property(p => p.Detail).HasMaxLength(1000);
        builder.HasIndex(p => p.BookingId);
        builder.Ignore(p => p.UnitHours);
        builder.Ignore(p => p.IsSettled);
    }
}
