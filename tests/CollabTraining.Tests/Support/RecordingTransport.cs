using System.Collections.Concurrent;
using System.Net.Sockets;
using CollabTraining.Messaging.Outbox;

namespace CollabTraining.Tests.Support;

/// <summary>
/// Wraps the real transport to record what reaches it, in order, and to inject the two kinds of failure the
/// dispatcher must tell apart: the broker being down, and one message being refused.
/// </summary>
public sealed class RecordingTransport(IOutboxTransport? inner) : IOutboxTransport
{
    public ConcurrentQueue<OutboxEnvelope> Published { get; } = new();

    public ConcurrentDictionary<Guid, int> PublishCounts { get; } = new();

    public ConcurrentDictionary<Guid, bool> Refused { get; } = new();

    private volatile bool _brokerDown;

    public bool BrokerDown
    {
        get => _brokerDown;
        set => _brokerDown = value;
    }

    public TimeSpan Delay { get; set; }

    /// <summary>A delay per message (on top of <see cref="Delay"/>), to let later messages overtake earlier ones if nothing keeps them in line.</summary>
    public Func<OutboxEnvelope, TimeSpan>? DelayOf { get; set; }

    public async Task PublishAsync(OutboxEnvelope envelope, CancellationToken cancellationToken)
    {
        if (_brokerDown)
        {
            throw new SocketException((int)SocketError.ConnectionRefused);
        }

        if (Refused.ContainsKey(envelope.MessageId))
        {
            throw new InvalidOperationException("The broker refused this message (test fault).");
        }

        var delay = Delay + (DelayOf?.Invoke(envelope) ?? TimeSpan.Zero);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, cancellationToken);
        }

        if (inner is not null)
        {
            await inner.PublishAsync(envelope, cancellationToken);
        }

        PublishCounts.AddOrUpdate(envelope.MessageId, 1, (_, n) => n + 1);
        Published.Enqueue(envelope);
    }
}
