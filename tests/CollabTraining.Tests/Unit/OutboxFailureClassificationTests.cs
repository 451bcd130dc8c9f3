using System.Net.Sockets;
using CollabTraining.Messaging.Outbox;
using MassTransit;

namespace CollabTraining.Tests.Unit;

/// <summary>
/// Which publish failures pause the dispatcher without charging the message (the broker or the connection)
/// and which are the message's own (charged, backed off, finally dead-lettered).
/// </summary>
public sealed class OutboxFailureClassificationTests
{
    private static readonly Uri Exchange = new("rabbitmq://localhost/CollabTraining.Contracts:Probe");
    private readonly IOutboxTransport _transport = new MassTransitOutboxTransport(null!);

    public static TheoryData<string, Exception> BrokerFailures => new()
    {
        { "the channel closed under the publish", new RabbitMQ.Client.Exceptions.AlreadyClosedException(new RabbitMQ.Client.Events.ShutdownEventArgs(RabbitMQ.Client.ShutdownInitiator.Peer, 320, "CONNECTION_FORCED")) },
        { "the stall timer cancelled it", new OperationCanceledException() },
        { "socket", new SocketException((int)SocketError.ConnectionRefused) },
        { "wrapped by MassTransit", new RabbitMqConnectionException("Connect failed", new SocketException((int)SocketError.ConnectionReset)) },
    };

    public static TheoryData<string, Exception> MessageFailures => new()
    {
        { "returned: no queue bound", new MessageReturnedException("The message was returned by RabbitMQ: 312-NO_ROUTE") },
        { "nacked by the broker", new MessageNotAcknowledgedException(Exchange, "The message was not acknowledged by RabbitMQ") },
        { "returned, wrapped by MassTransit", new MassTransitException("Publish failed", new MessageReturnedException("312-NO_ROUTE")) },
        { "cannot be serialised", new System.Text.Json.JsonException("bad body") },
    };

    [Theory]
    [MemberData(nameof(BrokerFailures))]
    public void A_broker_or_connection_failure_pauses_without_charging_the_message(string why, Exception failure) =>
        Assert.True(_transport.IsTransportFailure(failure), why);

    [Theory]
    [MemberData(nameof(MessageFailures))]
    public void A_failure_of_the_message_itself_is_charged_to_it(string why, Exception failure) =>
        Assert.False(_transport.IsTransportFailure(failure), why);
}
