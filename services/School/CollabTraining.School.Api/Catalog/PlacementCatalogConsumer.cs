using CollabTraining.Contracts.Hospitals;
using CollabTraining.Messaging.Inbox;
using CollabTraining.School.Data;
using Microsoft.EntityFrameworkCore;
using MassTransit;

namespace CollabTraining.School.Catalog;

/// <summary>
/// Keeps the catalog in step with the hospitals' offers. Runs inside the inbox transaction, either one
/// message at a time or, under load, a run of messages of one type together (one read of the rows they
/// touch); both paths apply the same rule per message, in delivery order.
/// </summary>
public sealed partial class PlacementCatalogConsumer(SchoolDbContext db, ILogger<PlacementCatalogConsumer> logger) :
    IConsumer<PlacementOfferPublished>,
    IConsumer<PlacementOfferUpdated>,
    IConsumer<PlacementOfferWithdrawn>,
    IConsumer<PlacementOfferClosed>,
    IInboxBatchConsumer<PlacementOfferPublished>,
    IInboxBatchConsumer<PlacementOfferUpdated>,
    IInboxBatchConsumer<PlacementOfferWithdrawn>,
    IInboxBatchConsumer<PlacementOfferClosed>
{
    public Task Consume(ConsumeContext<PlacementOfferClosed> context) => SavedAsync(ApplyAsync([context.Message], context.CancellationToken), context.CancellationToken);

    public Task Consume(ConsumeContext<PlacementOfferPublished> context) => SavedAsync(ApplyAsync([context.Message], context.CancellationToken), context.CancellationToken);

    public Task Consume(ConsumeContext<PlacementOfferUpdated> context) => SavedAsync(ApplyAsync([context.Message], context.CancellationToken), context.CancellationToken);

    public Task Consume(ConsumeContext<PlacementOfferWithdrawn> context) => SavedAsync(ApplyAsync([context.Message], context.CancellationToken), context.CancellationToken);

    public Task ApplyAsync(IReadOnlyList<PlacementOfferClosed> messages, CancellationToken cancellationToken) =>
        ApplyAsync(messages.Select(m => new Change(m.OfferId, m.HospitalId, m.Version, p => p.Close(m.Version, m.OccurredAt))), cancellationToken);

    public Task ApplyAsync(IReadOnlyList<PlacementOfferPublished> messages, CancellationToken cancellationToken) =>
        ApplyAsync(messages.Select(m => new Change(m.Offer.OfferId, m.Offer.HospitalId, m.Version, p => p.Apply(m.Offer, m.Version, m.OccurredAt), m.Offer)), cancellationToken);

    public Task ApplyAsync(IReadOnlyList<PlacementOfferUpdated> messages, CancellationToken cancellationToken) =>
        ApplyAsync(messages.Select(m => new Change(m.Offer.OfferId, m.Offer.HospitalId, m.Version, p => p.Apply(m.Offer, m.Version, m.OccurredAt), m.Offer)), cancellationToken);

    public Task ApplyAsync(IReadOnlyList<PlacementOfferWithdrawn> messages, CancellationToken cancellationToken) =>
        ApplyAsync(messages.Select(m => new Change(m.OfferId, m.HospitalId, m.Version, p => p.Withdraw(m.Version, m.OccurredAt))), cancellationToken);

    /// <summary>One message's effect on its catalog row. <paramref name="Terms"/> is what a publication or update carries.</summary>
    private sealed record Change(Guid OfferId, Guid HospitalId, long Version, Action<CatalogPlacement> Apply, PlacementOfferSnapshot? Terms = null);

    private async Task ApplyAsync(IEnumerable<Change> messages, CancellationToken ct)
    {
        var changes = messages.ToList();
        var ids = changes.Select(c => c.OfferId).Distinct().ToList();
        var rows = (await db.CatalogPlacements.Where(p => ids.Contains(p.OfferId)).ToListAsync(ct)).ToDictionary(p => p.OfferId);
        foreach (var change in changes)
        {
            if (!rows.TryGetValue(change.OfferId, out var placement))
            {
                // A withdrawal may overtake its publication; the row then holds the withdrawal and the
                // older publication is ignored when it arrives.
                placement = rows[change.OfferId] = CatalogPlacement.Empty(change.OfferId, change.HospitalId);
                db.CatalogPlacements.Add(placement);
            }
            else if (!placement.IsNewer(change.Version))
            {
                // An older event is ignored, except that its terms fill a row a closure or withdrawal created bare.
                if (change.Terms is null || !placement.FillMissingTerms(change.Terms))
                {
                    LogStale(logger, change.OfferId, change.Version, placement.Version);
                }

                continue;
            }

            change.Apply(placement);
        }

    }

    /// <summary>A single delivery: the same rule, saved at once (a run's changes are saved by the inbox with every message's key).</summary>
    private async Task SavedAsync(Task applying, CancellationToken ct)
    {
        await applying;
        await db.SaveChangesAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ignored version {Version} of offer {OfferId}: the catalog already holds version {Held}")]
    private static partial void LogStale(ILogger logger, Guid offerId, long version, long held);
}
