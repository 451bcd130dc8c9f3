namespace CollabTraining.Contracts.School;

/// <summary>What happened to a student's qualification.</summary>
public enum QualificationChange
{
    Granted,
    Renewed,
    Revoked,
    Expired,
}

/// <summary>
/// The school granted, renewed, revoked a student's qualification, or it expired. Resource owners keep what
/// they need of these to refuse a booking whose user lacks a qualification valid for the booking's dates.
/// </summary>
/// <param name="QualificationId">The id of the student's holding of this code (stable across renewals).</param>
/// <param name="StudentId">The student (their user id).</param>
/// <param name="Code">The qualification code (<see cref="ReferenceCodes.Qualifications"/>).</param>
/// <param name="Change">What happened.</param>
/// <param name="ExpiresOn">The last day it is valid, or null once revoked.</param>
/// <param name="Version">Its version after the change; strictly increasing.</param>
/// <param name="OccurredAt">When it happened (UTC).</param>
public sealed record QualificationChanged(
    Guid QualificationId,
    Guid StudentId,
    string Code,
    QualificationChange Change,
    DateOnly? ExpiresOn,
    long Version,
    DateTimeOffset OccurredAt) : IIntegrationEvent
{
    /// <inheritdoc />
    public Guid AggregateId => QualificationId;
}
