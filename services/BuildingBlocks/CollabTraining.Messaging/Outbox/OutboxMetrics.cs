using System.Diagnostics.Metrics;
using CollabTraining.ServiceDefaults.Telemetry;

namespace CollabTraining.Messaging.Outbox;

/// <summary>What an operator watches: backlog, its oldest age, publications, failures and dead letters.</summary>
public sealed class OutboxMetrics
{
    private readonly Counter<long> _published;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _deadLettered;
    private long _backlog;
    private long _deadLetters;
    private readonly TimeProvider _time;
    private long _oldestPendingTicks;

    public OutboxMetrics(IMeterFactory meterFactory, TimeProvider time)
    {
        _time = time;
        var meter = meterFactory.Create(TelemetryExtensions.SourceName);
        _published = meter.CreateCounter<long>("collabtraining.outbox.published", "{message}", "Events published from the outbox.");
        _failures = meter.CreateCounter<long>("collabtraining.outbox.publish_failures", "{attempt}", "Failed publish attempts, by kind (transport or message).");
        _deadLettered = meter.CreateCounter<long>("collabtraining.outbox.dead_lettered", "{message}", "Events moved to the dead letters after too many failures.");
        meter.CreateObservableGauge("collabtraining.outbox.backlog", () => Interlocked.Read(ref _backlog), "{message}", "Events waiting to be published.");
        meter.CreateObservableGauge("collabtraining.outbox.oldest_pending_age", () => OldestPendingAgeSeconds, "s", "Age of the oldest event waiting to be published.");
        meter.CreateObservableGauge("collabtraining.outbox.dead_letters", () => Interlocked.Read(ref _deadLetters), "{message}", "Dead-lettered events awaiting an operator.");
    }

    public long Backlog => Interlocked.Read(ref _backlog);

    /// <summary>Computed when read, so the age keeps growing while the dispatcher waits out an outage.</summary>
    public double OldestPendingAgeSeconds
    {
        get
        {
            var ticks = Interlocked.Read(ref _oldestPendingTicks);
            return ticks == 0 ? 0 : Math.Max(0, (_time.GetUtcNow() - new DateTimeOffset(ticks, TimeSpan.Zero)).TotalSeconds);
        }
    }

    public void Published(int count) => _published.Add(count);

    public void Failed(bool transport) => _failures.Add(1, new KeyValuePair<string, object?>("kind", transport ? "transport" : "message"));

    public void DeadLettered() => _deadLettered.Add(1);

    public void Observe(long backlog, DateTimeOffset? oldestPending, long deadLetters)
    {
        Interlocked.Exchange(ref _backlog, backlog);
        Interlocked.Exchange(ref _oldestPendingTicks, oldestPending?.UtcTicks ?? 0);
        Interlocked.Exchange(ref _deadLetters, deadLetters);
    }
}
