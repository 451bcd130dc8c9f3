namespace CollabTraining.Messaging.Outbox;

/// <summary>Settings under <c>Outbox</c>.</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    public bool DispatcherEnabled { get; set; } = true;

    /// <summary>Rows claimed and published per round, all in flight at once (one aggregate's in order).</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Fallback poll when no commit wakes the dispatcher.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a claimed batch belongs to one dispatcher before another may take it over.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Failures of one message (not of the broker connection) before it is dead-lettered.</summary>
    public int MaxAttempts { get; set; } = 10;

    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest pause while the broker is unreachable.</summary>
    public TimeSpan TransportMaxDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long publishes may go without any confirm from the broker before the dispatcher treats it as down.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan ProcessedRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a handled message id is remembered; redeliveries older than this are not expected.</summary>
    public TimeSpan InboxRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often the backlog gauges are recounted.</summary>
    public TimeSpan ObserveInterval { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan HousekeepingInterval { get; set; } = TimeSpan.FromHours(1);
}
