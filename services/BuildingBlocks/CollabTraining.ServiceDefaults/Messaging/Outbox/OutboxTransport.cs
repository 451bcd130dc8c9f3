using System.Net.Sockets;
using System.Text.Json;
using MassTransit;
using Polly.Timeout;

namespace CollabTraining.ServiceDefaults.Messaging.Outbox;

/// <summary>One stored event on its way to the broker.</summary>
public sealed record OutboxEnvelope(long Sequence, Guid MessageId, Type MessageType, object Message, IReadOnlyDictionary<string, string> Headers);

/// <summary>Where the dispatcher hands events. MassTransit in every real process; tests may wrap it to inject faults.</summary>
public interface IOutboxTransport
{
    Task PublishAsync(OutboxEnvelope envelope, CancellationToken cancellationToken);

    /// <summary>True when the failure is the broker or the connection, not this message.</summary>
    bool IsTransportFailure(Exception exception) =>
        exception is OperationCanceledException or TimeoutRejectedException or SocketException or TimeoutException
            || exception is MassTransitException { InnerException: { } inner } && IsTransportFailure(inner)
            || exception.GetType().FullName is { } name && (
                name.StartsWith("RabbitMQ.Client.Exceptions.", StringComparison.Ordinal)
                || name.Contains("ConnectionException", StringComparison.Ordinal)
                || name.Contains("Unreachable", StringComparison.Ordinal));
}

/// <summary>Publishes with the stored message id, so a retried publish is recognisably the same message.</summary>
public sealed class MassTransitOutboxTransport(IBus bus) : IOutboxTransport
{
    public Task PublishAsync(OutboxEnvelope envelope, CancellationToken cancellationToken) =>
        bus.Publish(envelope.Message, envelope.MessageType, Pipe.Execute<PublishContext>(context =>
        {
            context.MessageId = envelope.MessageId;
            context.Headers.Set("CollabTraining-OutboxSequence", envelope.Sequence);
        }), cancellationToken);
}

internal static class OutboxHeaders
{
    public static IReadOnlyDictionary<string, string> Parse(string? json) =>
        string.IsNullOrEmpty(json)
            ? new Dictionary<string, string>()
            : JsonSerializer.Deserialize<Dictionary<string, string>>(json, MessageTypeRegistry.JsonOptions) ?? [];
}
