namespace CollabTraining.Contracts;

/// <summary>
/// A fact one party publishes for the others. Every event names the aggregate it is about and
/// that aggregate's version after the change, so a consumer can ignore stale or repeated events.
/// </summary>
public interface IIntegrationEvent
{
    /// <summary>The id of the aggregate that changed.</summary>
    Guid AggregateId { get; }

    /// <summary>The aggregate's version after the change; strictly increasing per aggregate.</summary>
    long Version { get; }

    /// <summary>When the change happened (UTC).</summary>
    DateTimeOffset OccurredAt { get; }
}
