using System.Diagnostics;
using CollabTraining.Messaging.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CollabTraining.Messaging.Inbox;

/// <summary>
/// Runs every consumer inside a transaction that first records (message id, consumer). A repeat of a message
/// already handled finds the key and is acknowledged without running the consumer again; a consumer that
/// throws rolls back its record too, so the retry runs it afresh. Deliveries are applied in groups (see
/// <see cref="InboxBatcher"/>): one commit for all the deliveries that arrive while the previous commit is
/// under way, and runs of one message type applied together when the consumer is an
/// <see cref="IInboxBatchConsumer{T}"/>. Delivery is at least once; the effect is once.
/// </summary>
public sealed class InboxFilter<T>(IServiceProvider services, InboxBatchers batchers, InboxBatchConsumers batchConsumers, TimeProvider time) : IFilter<ConsumeContext<T>>
    where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException($"A {typeof(T).Name} arrived without a message id; the inbox cannot tell repeats apart.");
        var address = context.ReceiveContext.InputAddress;
        var consumer = address.AbsolutePath.Trim('/');
        var cancellationToken = context.CancellationToken;
        var consumerRan = false;

        var delivery = new InboxDelivery(messageId, async (connection, transaction) =>
        {
            // Resolved only when the delivery is applied alone; a run uses the batch's context.
            var db = services.GetRequiredService<ServiceDbContext>();
            db.ChangeTracker.Clear();
            db.Database.SetDbConnection(connection, contextOwnsConnection: false);
            await db.Database.UseTransactionAsync(transaction, cancellationToken);
            try
            {
                // Repeats never get here: the batcher acknowledges a known key, or a second copy in the group,
                // without applying it. The key is saved with the consumer's own changes (or alone, if the consumer changes nothing).
                db.InboxMessages.Add(new InboxMessage
                {
                    MessageId = messageId,
                    Consumer = consumer,
                    MessageType = typeof(T).Name,
                    ReceivedAt = time.GetUtcNow(),
                });
                consumerRan = true;
                await next.Send(context);
                await db.SaveChangesAsync(cancellationToken);
            }
            finally
            {
                db.ChangeTracker.Clear();
                await db.Database.UseTransactionAsync(null, CancellationToken.None);
            }
        }, batchConsumers.Find(address.Segments[^1].Trim('/'), typeof(T)), context.Message);

        var started = Stopwatch.GetTimestamp();
        await batchers.For(consumer).RunAsync(delivery, cancellationToken);
        if (!consumerRan)
        {
            // Applied in a run, or a repeat acknowledged without running anything: either way the message was
            // consumed. Without this MassTransit would count it as skipped and copy it to the _skipped queue.
            await context.NotifyConsumed(context, Stopwatch.GetElapsedTime(started), consumer);
        }
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("inbox");
}
