namespace CollabTraining.Contracts.Sharing;

/// <summary>The services that own shared resources, as they name themselves in events and URLs.</summary>
public static class ResourceOwners
{
    public const string Enterprises = "enterprises";
    public const string Research = "research";
}

/// <summary>A shared resource as its owner publishes it: enough for the school's catalog to list and search it.</summary>
/// <param name="ResourceId">The resource's id.</param>
/// <param name="Service">The owning service (<see cref="ResourceOwners"/>), which answers availability questions.</param>
/// <param name="OwnerId">The owner organisation's id.</param>
/// <param name="OwnerName">The owner organisation's name.</param>
/// <param name="Kind">computePool, device or equipment.</param>
/// <param name="Name">Its name.</param>
/// <param name="Description">What it is for, in the owner's words.</param>
/// <param name="Model">The GPU, device or instrument model, when the owner gave one.</param>
/// <param name="Capacity">Units (GPUs in a pool, devices of a model, 1 for most instruments).</param>
/// <param name="RequiredQualifications">Qualification codes a booker must hold.</param>
/// <param name="ApprovalRequired">Bookings wait for the owner's approval.</param>
/// <param name="MaximumHours">The longest booking, in hours.</param>
/// <param name="TimeZone">The resource's IANA time zone.</param>
/// <param name="Retired">It takes no more bookings.</param>
public sealed record SharedResourceSnapshot(
    Guid ResourceId,
    string Service,
    Guid OwnerId,
    string OwnerName,
    string Kind,
    string Name,
    string Description,
    string? Model,
    int Capacity,
    IReadOnlyList<string> RequiredQualifications,
    bool ApprovalRequired,
    double MaximumHours,
    string TimeZone,
    bool Retired);

/// <summary>An owner published a resource, or changed or retired it: the snapshot is its whole state.</summary>
public sealed record SharedResourcePublished(SharedResourceSnapshot Resource, long Version, DateTimeOffset OccurredAt) : IIntegrationEvent
{
    /// <inheritdoc />
    public Guid AggregateId => Resource.ResourceId;
}

/// <summary>An engineering mentor an enterprise or institute offers to innovation projects.</summary>
/// <param name="MentorId">The mentor's user id.</param>
/// <param name="Service">The owning service.</param>
/// <param name="OrganisationId">Their organisation.</param>
/// <param name="OrganisationName">Its name.</param>
/// <param name="Name">The mentor's name.</param>
/// <param name="Expertise">What they can mentor (e.g. computer vision, embedded devices).</param>
/// <param name="ProjectCapacity">How many projects they take at once.</param>
/// <param name="Active">Whether they take projects now.</param>
/// <param name="Version">Its version after the change; strictly increasing.</param>
/// <param name="OccurredAt">When it happened (UTC).</param>
public sealed record EngineeringMentorPublished(
    Guid MentorId,
    string Service,
    Guid OrganisationId,
    string OrganisationName,
    string Name,
    IReadOnlyList<string> Expertise,
    int ProjectCapacity,
    bool Active,
    long Version,
    DateTimeOffset OccurredAt) : IIntegrationEvent
{
    /// <inheritdoc />
    public Guid AggregateId => MentorId;
}

/// <summary>
/// A booking was made or changed: held, waiting for approval, confirmed, rejected, cancelled (by its user, its
/// owner or a blackout, with the reason), checked in, completed, released as a no-show, or a hold expired. The
/// user it belongs to is named, so a notification can tell them.
/// </summary>
/// <param name="BookingId">The booking's id.</param>
/// <param name="ResourceId">The resource booked.</param>
/// <param name="ResourceName">Its name.</param>
/// <param name="OwnerId">The owner organisation.</param>
/// <param name="UserId">Whose booking it is.</param>
/// <param name="OrganisationId">The user's organisation.</param>
/// <param name="Status">pendingApproval, confirmed, rejected, cancelled, checkedIn, completed, noShow, held or expired.</param>
/// <param name="Start">Start (UTC), inclusive.</param>
/// <param name="End">End (UTC), exclusive.</param>
/// <param name="Units">Units booked.</param>
/// <param name="Reason">Why it was rejected, cancelled or released, when it was.</param>
/// <param name="HoldExpiresAt">For a hold: when it lapses unless confirmed.</param>
/// <param name="Version">Its version after the change; strictly increasing.</param>
/// <param name="OccurredAt">When it happened (UTC).</param>
public sealed record BookingChanged(
    Guid BookingId,
    Guid ResourceId,
    string ResourceName,
    Guid OwnerId,
    Guid UserId,
    Guid OrganisationId,
    string Status,
    DateTimeOffset Start,
    DateTimeOffset End,
    int Units,
    string? Reason,
    DateTimeOffset? HoldExpiresAt,
    long Version,
    DateTimeOffset OccurredAt) : IIntegrationEvent
{
    /// <inheritdoc />
    public Guid AggregateId => BookingId;
}

/// <summary>An owner took a resource out of use over [Start, End); the bookings it cancelled are named (each also has its own <see cref="BookingChanged"/>).</summary>
public sealed record BlackoutPlaced(
    Guid BlackoutId,
    Guid ResourceId,
    Guid OwnerId,
    DateTimeOffset Start,
    DateTimeOffset End,
    string Reason,
    IReadOnlyList<Guid> CancelledBookings,
    long Version,
    DateTimeOffset OccurredAt) : IIntegrationEvent
{
    /// <inheritdoc />
    public Guid AggregateId => BlackoutId;
}

/// <summary>
/// An owner removed a blackout (<see cref="BlackoutPlaced"/> with the same id, version 1) before it was over: the
/// resource takes bookings over [Start, End) again. The bookings it cancelled stay cancelled.
/// </summary>
/// <param name="BlackoutId">The blackout's id.</param>
/// <param name="ResourceId">The resource.</param>
/// <param name="OwnerId">The owner organisation.</param>
/// <param name="Start">The window it covered (UTC), inclusive.</param>
/// <param name="End">The window's end (UTC), exclusive.</param>
/// <param name="Reason">Why it had been placed.</param>
/// <param name="Version">2: after its <see cref="BlackoutPlaced"/>.</param>
/// <param name="OccurredAt">When it was removed (UTC).</param>
public sealed record BlackoutRemoved(
    Guid BlackoutId,
    Guid ResourceId,
    Guid OwnerId,
    DateTimeOffset Start,
    DateTimeOffset End,
    string Reason,
    long Version,
    DateTimeOffset OccurredAt) : IIntegrationEvent
{
    /// <inheritdoc />
    public Guid AggregateId => BlackoutId;
}

/// <summary>Capacity came free for someone on the waitlist: a hold was made for them, to claim before it lapses.</summary>
public sealed record WaitlistSlotOffered(
    Guid EntryId,
    Guid ResourceId,
    string ResourceName,
    Guid UserId,
    Guid HoldId,
    DateTimeOffset Start,
    DateTimeOffset End,
    int Units,
    DateTimeOffset ClaimBy,
    long Version,
    DateTimeOffset OccurredAt) : IIntegrationEvent
{
    /// <inheritdoc />
    public Guid AggregateId => EntryId;
}

/// <summary>A booking was checked out: what was actually used, for the owner's and the consortium's accounts.</summary>
public sealed record UsageRecorded(
    Guid BookingId,
    Guid ResourceId,
    Guid OwnerId,
    Guid UserId,
    Guid OrganisationId,
    DateTimeOffset CheckedInAt,
    DateTimeOffset CheckedOutAt,
    int Units,
    double UnitHours,
    long Version,
    DateTimeOffset OccurredAt) : IIntegrationEvent
{
    /// <inheritdoc />
    public Guid AggregateId => BookingId;
}
