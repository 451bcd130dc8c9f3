namespace CollabTraining.Contracts.Hospitals;

/// <summary>The hospital will host the assigned student.</summary>
/// <param name="AssignmentId">The assignment.</param>
/// <param name="OfferId">The offer.</param>
/// <param name="StudentId">The student.</param>
/// <param name="Version">The assignment's version at the hospital.</param>
/// <param name="OccurredAt">When the hospital confirmed.</param>
public sealed record PlacementAssignmentConfirmed(Guid AssignmentId, Guid OfferId, Guid StudentId, long Version, DateTimeOffset OccurredAt) : IIntegrationEvent
{
    /// <inheritdoc />
    public Guid AggregateId => AssignmentId;
}

/// <summary>The hospital cannot host the assigned student (a reasoned refusal, or fewer seats than assigned).</summary>
/// <param name="AssignmentId">The assignment.</param>
/// <param name="OfferId">The offer.</param>
/// <param name="StudentId">The student.</param>
/// <param name="Reason">Why, in the hospital's words.</param>
/// <param name="Version">The assignment's version at the hospital.</param>
/// <param name="OccurredAt">When the hospital declined.</param>
public sealed record PlacementAssignmentDeclined(Guid AssignmentId, Guid OfferId, Guid StudentId, string Reason, long Version, DateTimeOffset OccurredAt) : IIntegrationEvent
{
    /// <inheritdoc />
    public Guid AggregateId => AssignmentId;
}

/// <summary>A clinical mentor (hospital staff) was assigned to a confirmed student.</summary>
/// <param name="AssignmentId">The assignment.</param>
/// <param name="StudentId">The student.</param>
/// <param name="MentorId">The mentor's user id.</param>
/// <param name="MentorName">The mentor's name.</param>
/// <param name="Version">The assignment's version at the hospital.</param>
/// <param name="OccurredAt">When the mentor was assigned.</param>
public sealed record ClinicalMentorAssigned(Guid AssignmentId, Guid StudentId, Guid MentorId, string MentorName, long Version, DateTimeOffset OccurredAt) : IIntegrationEvent
{
    /// <inheritdoc />
    public Guid AggregateId => AssignmentId;
}
