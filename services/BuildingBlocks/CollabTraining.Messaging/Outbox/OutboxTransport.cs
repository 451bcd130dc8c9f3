using System.Net.Sockets;
using System.Text.Json;
using MassTransit;
using Polly.Timeout;

namespace CollabTraining.Messaging.Outbox;

/// <summary>One stored event on its way to the broker.</summary>
public sealed record OutboxEnvelope(long Sequence, Guid MessageId, Type MessageType, object Message, IReadOnlyDictionary<string, string> Headers);

/// <summary>Where the dispatcher hands events. MassTransit in every real process; tests may wrap it to inject faults.</summary>
public interface IOutboxTransport
{
    Task PublishAsync(OutboxEnvelope envelope, CancellationToken cancellationToken);

    /// <summary>
    /// True when the failure is the broker or the connection, not this message. A message the broker returned
    /// (no queue bound yet) or refused (a nack) is the message's own failure; a publish cut off because the
    /// channel closed under it, or by the dispatcher's stall timer, is the broker's, so an outage charges no
    /// attempt to the batch in flight.
    /// </summary>
    bool IsTransportFailure(Exception exception) =>
        !IsRefusedOrReturned(exception)
        && (exception is OperationCanceledException or TimeoutRejectedException or SocketException or TimeoutException
            || exception.GetType().Name is "BrokerUnreachableException" or "AlreadyClosedException"
                or "ConnectFailureException" or "OperationInterruptedException" or "RabbitMqConnectionException" or "ConnectionException"
            || exception is MassTransitException { InnerException: { } inner } && IsTransportFailure(inner));

    /// <summary>The broker answered about this message: it returned it (mandatory, unroutable) or nacked it.</summary>
    private static bool IsRefusedOrReturned(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is MessageReturnedException || e.GetType().Name is "PublishReturnException" or "PublishException" or "MessageNotAcknowledgedException")
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>
/// Publishes with the stored message id, so a retried publish is recognisably the same message, and with
/// RabbitMQ's mandatory flag: an event that no queue is bound to yet (its subscriber has never started) is
/// returned by the broker and retried like any failed message, instead of being confirmed into nowhere.
/// </summary>
public sealed class MassTransitOutboxTransport(IBus bus) : IOutboxTransport
{
    public Task PublishAsync(OutboxEnvelope envelope, CancellationToken cancellationToken) =>
        bus.Publish(envelope.Message, envelope.MessageType, Pipe.Execute<PublishContext>(context =>
        {
            context.MessageId = envelope.MessageId;
            context.Headers.Set("CollabTraining-OutboxSequence", envelope.Sequence);
            if (context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
            {
                rabbit.Mandatory = true;
            }
        }), cancellationToken);
}

internal static class OutboxHeaders
{
    public static IReadOnlyDictionary<string, string> Parse(string? json) =>
        string.IsNullOrEmpty(json)
            ? new Dictionary<string, string>()
            : JsonSerializer.Deserialize<Dictionary<string, string>>(json, MessageTypeRegistry.JsonOptions) ?? [];
}
