using CollabTraining.Messaging.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CollabTraining.Messaging.Inbox;

/// <summary>
/// Runs every consumer inside a transaction that first records (message id, consumer). A repeat of a message
/// already handled finds the key and is acknowledged without running the consumer again; a consumer that
/// throws rolls back its record too, so the retry runs it afresh. Deliveries are applied in groups (see
/// <see cref="InboxBatcher"/>): one commit for all the deliveries that arrive while the previous commit is
/// under way, each behind its own savepoint. Delivery is at least once; the effect is once.
/// </summary>
public sealed partial class InboxFilter<T>(ServiceDbContext db, InboxBatchers batchers, TimeProvider time, ILogger<InboxFilter<T>> logger) : IFilter<ConsumeContext<T>>
    where T : class
{
    public Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException($"A {typeof(T).Name} arrived without a message id; the inbox cannot tell repeats apart.");
        var consumer = context.ReceiveContext.InputAddress.AbsolutePath.Trim('/');
        var cancellationToken = context.CancellationToken;

        return batchers.For(consumer).RunAsync(async (connection, transaction) =>
        {
            db.ChangeTracker.Clear();
            db.Database.SetDbConnection(connection, contextOwnsConnection: false);
            await db.Database.UseTransactionAsync(transaction, cancellationToken);
            try
            {
                // A repeat inside this group or from an earlier one: the key is already in the transaction's view.
                if (await db.InboxMessages.AnyAsync(m => m.MessageId == messageId && m.Consumer == consumer, cancellationToken))
                {
                    LogDuplicate(logger, messageId, typeof(T).Name, consumer);
                    return;
                }

                // The key is saved with the consumer's own changes (or alone, if the consumer changes nothing).
                db.InboxMessages.Add(new InboxMessage
                {
                    MessageId = messageId,
                    Consumer = consumer,
                    MessageType = typeof(T).Name,
                    ReceivedAt = time.GetUtcNow(),
                });
                await next.Send(context);
                await db.SaveChangesAsync(cancellationToken);
            }
            finally
            {
                db.ChangeTracker.Clear();
                await db.Database.UseTransactionAsync(null, CancellationToken.None);
            }
        }, cancellationToken);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("inbox");

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} ({MessageType}) already handled by {Consumer}; acknowledged without running it again")]
    private static partial void LogDuplicate(ILogger logger, Guid messageId, string messageType, string consumer);
}
