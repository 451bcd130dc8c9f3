using CollabTraining.Contracts.Hospitals;
using CollabTraining.School.Data;
using MassTransit;

namespace CollabTraining.School.Catalog;

/// <summary>Keeps the catalog in step with the hospitals' offers. Runs inside the inbox transaction.</summary>
public sealed partial class PlacementCatalogConsumer(SchoolDbContext db, ILogger<PlacementCatalogConsumer> logger) :
    IConsumer<PlacementOfferPublished>,
    IConsumer<PlacementOfferUpdated>,
    IConsumer<PlacementOfferWithdrawn>,
    IConsumer<PlacementOfferClosed>
{
    public Task Consume(ConsumeContext<PlacementOfferClosed> context) =>
        ApplyAsync(context.Message.OfferId, context.Message.HospitalId, context.Message.Version,
            p => p.Close(context.Message.Version, context.Message.OccurredAt), context.CancellationToken);

    public Task Consume(ConsumeContext<PlacementOfferPublished> context) =>
        ApplyAsync(context.Message.Offer.OfferId, context.Message.Offer.HospitalId, context.Message.Version,
            p => p.Apply(context.Message.Offer, context.Message.Version, context.Message.OccurredAt), context.CancellationToken, context.Message.Offer);

    public Task Consume(ConsumeContext<PlacementOfferUpdated> context) =>
        ApplyAsync(context.Message.Offer.OfferId, context.Message.Offer.HospitalId, context.Message.Version,
            p => p.Apply(context.Message.Offer, context.Message.Version, context.Message.OccurredAt), context.CancellationToken, context.Message.Offer);

    public Task Consume(ConsumeContext<PlacementOfferWithdrawn> context) =>
        ApplyAsync(context.Message.OfferId, context.Message.HospitalId, context.Message.Version,
            p => p.Withdraw(context.Message.Version, context.Message.OccurredAt), context.CancellationToken);

    private async Task ApplyAsync(Guid offerId, Guid hospitalId, long version, Action<CatalogPlacement> apply, CancellationToken ct, PlacementOfferSnapshot? terms = null)
    {
        var placement = await db.CatalogPlacements.FindAsync([offerId], ct);
        if (placement is null)
        {
            // A withdrawal may overtake its publication; the row then holds the withdrawal and the
            // older publication is ignored when it arrives.
            placement = CatalogPlacement.Empty(offerId, hospitalId);
            db.CatalogPlacements.Add(placement);
        }
        else if (!placement.IsNewer(version))
        {
            // An older event is ignored, except that its terms fill a row a closure or withdrawal created bare.
            if (terms is not null && placement.FillMissingTerms(terms))
            {
                await db.SaveChangesAsync(ct);
                return;
            }

            LogStale(logger, offerId, version, placement.Version);
            return;
        }

        apply(placement);
        await db.SaveChangesAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ignored version {Version} of offer {OfferId}: the catalog already holds version {Held}")]
    private static partial void LogStale(ILogger logger, Guid offerId, long version, long held);
}
