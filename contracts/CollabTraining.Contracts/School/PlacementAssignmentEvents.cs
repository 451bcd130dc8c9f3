namespace CollabTraining.Contracts.School;

/// <summary>The school's match placed a student on a hospital's offer; the hospital is asked to confirm.</summary>
/// <param name="AssignmentId">The assignment, shared by school and hospital.</param>
/// <param name="RoundId">The placement round.</param>
/// <param name="OfferId">The hospital's placement offer.</param>
/// <param name="HospitalId">The hospital that owns the offer.</param>
/// <param name="StudentId">The student.</param>
/// <param name="StudentName">The student's name, for the hospital's list.</param>
/// <param name="StudyYear">The student's study year.</param>
/// <param name="Programme">The student's programme.</param>
/// <param name="Rank">Always 0: where a student ranked an offer is confidential to the school (kept for compatibility).</param>
/// <param name="Version">The assignment's version at the school (1 when made).</param>
/// <param name="OccurredAt">When the assignment was published.</param>
public sealed record PlacementAssigned(
    Guid AssignmentId, Guid RoundId, Guid OfferId, Guid HospitalId, Guid StudentId, string StudentName, int StudyYear, string Programme, int Rank,
    long Version, DateTimeOffset OccurredAt) : IIntegrationEvent
{
    /// <inheritdoc />
    public Guid AggregateId => AssignmentId;
}

/// <summary>The student gave up an assignment before the hospital needed it; the seat is free again.</summary>
/// <param name="AssignmentId">The assignment.</param>
/// <param name="HospitalId">The hospital concerned.</param>
/// <param name="Reason">The student's reason.</param>
/// <param name="Version">The assignment's version at the school.</param>
/// <param name="OccurredAt">When the student declined.</param>
public sealed record PlacementDeclinedByStudent(Guid AssignmentId, Guid HospitalId, string Reason, long Version, DateTimeOffset OccurredAt) : IIntegrationEvent
{
    /// <inheritdoc />
    public Guid AggregateId => AssignmentId;
}

/// <summary>
/// The school's coordinator released a student from an assignment (moved them to another placement, or
/// released the seat for them); the seat is free again and the hospital need not answer.
/// </summary>
/// <param name="AssignmentId">The assignment.</param>
/// <param name="HospitalId">The hospital concerned.</param>
/// <param name="Reason">The coordinator's reason.</param>
/// <param name="Version">The assignment's version at the school.</param>
/// <param name="OccurredAt">When the coordinator released it.</param>
public sealed record PlacementReleasedBySchool(Guid AssignmentId, Guid HospitalId, string Reason, long Version, DateTimeOffset OccurredAt) : IIntegrationEvent
{
    /// <inheritdoc />
    public Guid AggregateId => AssignmentId;
}
