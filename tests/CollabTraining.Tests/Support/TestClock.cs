namespace CollabTraining.Tests.Support;

/// <summary>
/// The system clock moved forward by whatever a test asks: a preference window can close, a deadline pass,
/// without waiting. Timers stay on real time, so the outbox dispatcher and MassTransit run as usual.
/// </summary>
public sealed class TestClock : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    /// <summary>Moves the clock just past <paramref name="moment"/> (never backwards).</summary>
    public void MovePast(DateTimeOffset moment)
    {
        var behind = moment - GetUtcNow();
        if (behind >= TimeSpan.Zero)
        {
            Advance(behind + TimeSpan.FromSeconds(1));
        }
    }
}
