namespace CollabTraining.Contracts.Projects;

/// <summary>The services that answer mentor requests and hold bundle parts, as they name themselves.</summary>
public static class ProjectParties
{
    public const string School = "school";
    public const string Hospitals = "hospitals";
    public const string Enterprises = Sharing.ResourceOwners.Enterprises;
    public const string Research = Sharing.ResourceOwners.Research;
}

/// <summary>The two mentors every innovation project has.</summary>
public static class MentorRoles
{
    /// <summary>A school teacher or a hospital's clinical mentor.</summary>
    public const string Clinical = "clinical";

    /// <summary>An institute's or enterprise's engineering mentor.</summary>
    public const string Engineering = "engineering";
}

/// <summary>
/// The school asks a mentor to take an innovation project. Every service hears it; the one named by
/// <paramref name="Service"/> keeps it for the mentor, who accepts or declines there before
/// <paramref name="AnswerBy"/>; that service answers with <see cref="MentorRequestAnswered"/>.
/// </summary>
public sealed record MentorRequested(
    Guid RequestId,
    Guid ProjectId,
    string ProjectTitle,
    string Role,
    string Service,
    Guid MentorUserId,
    string MentorName,
    Guid OrganisationId,
    DateTimeOffset AnswerBy,
    long Version,
    DateTimeOffset OccurredAt) : IIntegrationEvent
{
    /// <inheritdoc />
    public Guid AggregateId => RequestId;
}

/// <summary>The school no longer needs an answer (the project was cancelled, or the deadline passed).</summary>
public sealed record MentorRequestWithdrawn(
    Guid RequestId,
    Guid ProjectId,
    string Service,
    Guid MentorUserId,
    string Reason,
    long Version,
    DateTimeOffset OccurredAt) : IIntegrationEvent
{
    /// <inheritdoc />
    public Guid AggregateId => RequestId;
}

/// <summary>
/// The mentor answered at their organisation's service. <paramref name="Reason"/> says why a request was
/// declined (the mentor's words, or e.g. "not a mentor here", "the deadline passed").
/// </summary>
public sealed record MentorRequestAnswered(
    Guid RequestId,
    Guid ProjectId,
    Guid MentorUserId,
    bool Accepted,
    string? Reason,
    long Version,
    DateTimeOffset OccurredAt) : IIntegrationEvent
{
    /// <inheritdoc />
    public Guid AggregateId => RequestId;
}

/// <summary>
/// The school asks an owner (<paramref name="Owner"/>: enterprises or research) to hold units of a resource
/// for one part of a project's bundle, for <paramref name="UserId"/> of <paramref name="OrganisationId"/>,
/// the hold lasting until <paramref name="HoldUntil"/>. The owner answers once per part with
/// <see cref="BundleHoldAnswered"/> (repeats get the same answer); a request still unanswered at
/// <paramref name="AnswerBy"/> is refused by the owner, since the school has given up on it.
/// </summary>
public sealed record BundleHoldRequested(
    Guid BundleId,
    Guid PartId,
    Guid ProjectId,
    string Owner,
    Guid ResourceId,
    int Units,
    DateTimeOffset Start,
    DateTimeOffset End,
    Guid UserId,
    Guid OrganisationId,
    DateTimeOffset AnswerBy,
    DateTimeOffset HoldUntil,
    long Version,
    DateTimeOffset OccurredAt) : IIntegrationEvent
{
    /// <inheritdoc />
    public Guid AggregateId => PartId;
}

/// <summary>
/// An owner placed the hold (<paramref name="BookingId"/>) or refused it: <paramref name="Reason"/> is the
/// booking kernel's (full, blackout, quota, qualification, rule, not-found, released, late) and
/// <paramref name="Detail"/> its words.
/// </summary>
public sealed record BundleHoldAnswered(
    Guid BundleId,
    Guid PartId,
    bool Placed,
    Guid? BookingId,
    string? Reason,
    string? Detail,
    long Version,
    DateTimeOffset OccurredAt) : IIntegrationEvent
{
    /// <inheritdoc />
    public Guid AggregateId => PartId;
}

/// <summary>Every part is held: the school asks the owner to confirm its hold as a booking.</summary>
public sealed record BundlePartConfirmRequested(
    Guid BundleId,
    Guid PartId,
    string Owner,
    long Version,
    DateTimeOffset OccurredAt) : IIntegrationEvent
{
    /// <inheritdoc />
    public Guid AggregateId => PartId;
}

/// <summary>The owner confirmed the part's hold as a booking, or could not (e.g. the hold had lapsed).</summary>
public sealed record BundlePartConfirmed(
    Guid BundleId,
    Guid PartId,
    bool Confirmed,
    Guid? BookingId,
    string? Reason,
    long Version,
    DateTimeOffset OccurredAt) : IIntegrationEvent
{
    /// <inheritdoc />
    public Guid AggregateId => PartId;
}

/// <summary>
/// The bundle failed: the owner releases whatever it holds or booked for the part. A release that arrives
/// before its hold request makes the owner refuse that request when it comes.
/// </summary>
public sealed record BundlePartReleaseRequested(
    Guid BundleId,
    Guid PartId,
    string Owner,
    string Reason,
    long Version,
    DateTimeOffset OccurredAt) : IIntegrationEvent
{
    /// <inheritdoc />
    public Guid AggregateId => PartId;
}

/// <summary>The owner released the part (its hold or booking cancelled, or nothing was ever held).</summary>
public sealed record BundlePartReleased(
    Guid BundleId,
    Guid PartId,
    Guid? BookingId,
    long Version,
    DateTimeOffset OccurredAt) : IIntegrationEvent
{
    /// <inheritdoc />
    public Guid AggregateId => PartId;
}
