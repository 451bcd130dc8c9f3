using CollabTraining.Messaging.Outbox;
using MassTransit;

namespace CollabTraining.Tests.EndToEnd;

public sealed record NobodyListensProbe(Guid Id);

/// <summary>
/// The outbox publishes with the mandatory flag, so an event no queue is bound to yet (the subscriber has
/// not started) is refused by the broker and retried, instead of being acknowledged into nowhere.
/// This pins down the MassTransit behaviour that relies on.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class UnroutableEventTests(Platform platform)
{
    [Fact]
    public async Task A_mandatory_publish_that_no_queue_receives_fails_instead_of_vanishing()
    {
        var address = CollabTraining.Messaging.BrokerAddress.Parse(platform.Broker.ConnectionString);
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg => cfg.Host(address.Host, address.Port, address.VirtualHost, h =>
        {
            h.Username(address.UserName);
            h.Password(address.Password);
        }));
        await bus.StartAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var error = await Record.ExceptionAsync(() => bus.Publish(new NobodyListensProbe(Guid.NewGuid()), Pipe.Execute<PublishContext>(c =>
            {
                if (c.TryGetPayload<RabbitMqSendContext>(out var rabbit))
                {
                    rabbit.Mandatory = true;
                }
            }), timeout.Token));

            Assert.NotNull(error);
            Assert.False(error is OperationCanceledException, "the publish hung instead of failing");

            // A returned message is this message's failure (retried with backoff, then dead-lettered), not
            // a broker outage (which would pause every event of the service).
            IOutboxTransport transport = new MassTransitOutboxTransport(bus);
            Assert.False(transport.IsTransportFailure(error), error.ToString());
        }
        finally
        {
            await bus.StopAsync();
        }
    }
}

