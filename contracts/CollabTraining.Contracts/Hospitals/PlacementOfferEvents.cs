namespace CollabTraining.Contracts.Hospitals;

/// <summary>What a student must satisfy to take a placement.</summary>
/// <param name="MinimumStudyYear">The lowest study year admitted (1 to 6).</param>
/// <param name="RequiredQualifications">Qualification codes the student must hold, valid through the placement.</param>
/// <param name="AllowedProgrammes">Programme codes admitted; empty means every programme.</param>
public sealed record PlacementRequirements(
    int MinimumStudyYear,
    IReadOnlyList<string> RequiredQualifications,
    IReadOnlyList<string> AllowedProgrammes);

/// <summary>The full state of a placement offer as the hospital published it.</summary>
/// <param name="OfferId">The offer's id.</param>
/// <param name="HospitalId">The organisation id of the hospital that owns the offer.</param>
/// <param name="HospitalName">The hospital's display name.</param>
/// <param name="Department">The hosting department.</param>
/// <param name="Specialty">The clinical specialty (e.g. cardiology).</param>
/// <param name="Title">The offer's title.</param>
/// <param name="StartsOn">First day of the placement.</param>
/// <param name="EndsOn">Last day of the placement (inclusive).</param>
/// <param name="Seats">How many students the department can host.</param>
/// <param name="Requirements">Eligibility requirements.</param>
public sealed record PlacementOfferSnapshot(
    Guid OfferId,
    Guid HospitalId,
    string HospitalName,
    string Department,
    string Specialty,
    string Title,
    DateOnly StartsOn,
    DateOnly EndsOn,
    int Seats,
    PlacementRequirements Requirements);

/// <summary>A hospital published a new placement offer.</summary>
/// <param name="Offer">The offer as published.</param>
/// <param name="Version">The offer's version (1 for a new offer).</param>
/// <param name="OccurredAt">When it was published.</param>
public sealed record PlacementOfferPublished(PlacementOfferSnapshot Offer, long Version, DateTimeOffset OccurredAt)
    : IIntegrationEvent
{
    /// <inheritdoc />
    public Guid AggregateId => Offer.OfferId;
}

/// <summary>A hospital changed a published placement offer; the snapshot is the whole new state.</summary>
/// <param name="Offer">The offer after the change.</param>
/// <param name="Version">The offer's version after the change.</param>
/// <param name="OccurredAt">When it changed.</param>
public sealed record PlacementOfferUpdated(PlacementOfferSnapshot Offer, long Version, DateTimeOffset OccurredAt)
    : IIntegrationEvent
{
    /// <inheritdoc />
    public Guid AggregateId => Offer.OfferId;
}

/// <summary>A hospital withdrew a placement offer; it takes no more students.</summary>
/// <param name="OfferId">The offer's id.</param>
/// <param name="HospitalId">The owning hospital.</param>
/// <param name="Version">The offer's version after the withdrawal.</param>
/// <param name="OccurredAt">When it was withdrawn.</param>
public sealed record PlacementOfferWithdrawn(Guid OfferId, Guid HospitalId, long Version, DateTimeOffset OccurredAt)
    : IIntegrationEvent
{
    /// <inheritdoc />
    public Guid AggregateId => OfferId;
}

/// <summary>A hospital closed a published offer: it takes no new students into rounds; assignments already made stand.</summary>
/// <param name="OfferId">The offer's id.</param>
/// <param name="HospitalId">The owning hospital.</param>
/// <param name="Version">The offer's version after closing.</param>
/// <param name="OccurredAt">When it was closed.</param>
public sealed record PlacementOfferClosed(Guid OfferId, Guid HospitalId, long Version, DateTimeOffset OccurredAt)
    : IIntegrationEvent
{
    /// <inheritdoc />
    public Guid AggregateId => OfferId;
}
