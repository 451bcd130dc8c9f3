using CollabTraining.Messaging.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CollabTraining.Messaging.Inbox;

/// <summary>
/// Runs every consumer inside one transaction that first records (message id, consumer). A repeat of a
/// message already handled hits the key, and is acknowledged without running the consumer again; a consumer
/// that throws rolls back its record too, so the retry runs it afresh. Delivery is at least once; the effect
/// is once.
/// </summary>
public sealed partial class InboxFilter<T>(ServiceDbContext db, TimeProvider time, ILogger<InboxFilter<T>> logger) : IFilter<ConsumeContext<T>>
    where T : class
{
    public async Task Send(ConsumeContext<T> context, IPipe<ConsumeContext<T>> next)
    {
        var messageId = context.MessageId
            ?? throw new InvalidOperationException($"A {typeof(T).Name} arrived without a message id; the inbox cannot tell repeats apart.");
        var consumer = context.ReceiveContext.InputAddress.AbsolutePath.Trim('/');
        var cancellationToken = context.CancellationToken;

        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (await db.InboxMessages.AnyAsync(m => m.MessageId == messageId && m.Consumer == consumer, cancellationToken))
            {
                // The common repeat (a redelivery after a lost acknowledgement): seen before trying the insert,
                // so the database does not log a failed command for it.
                LogDuplicate(logger, messageId, typeof(T).Name, consumer);
                return;
            }

            db.InboxMessages.Add(new InboxMessage
            {
                MessageId = messageId,
                Consumer = consumer,
                MessageType = typeof(T).Name,
                ReceivedAt = time.GetUtcNow(),
            });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                if (await db.InboxMessages.AnyAsync(m => m.MessageId == messageId && m.Consumer == consumer, cancellationToken))
                {
                    LogDuplicate(logger, messageId, typeof(T).Name, consumer);
                    return;
                }

                throw;
            }

            try
            {
                await next.Send(context);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
            catch
            {
                db.ChangeTracker.Clear();
                throw;
            }
        });
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("inbox");

    [LoggerMessage(Level = LogLevel.Information, Message = "Message {MessageId} ({MessageType}) already handled by {Consumer}; acknowledged without running it again")]
    private static partial void LogDuplicate(ILogger logger, Guid messageId, string messageType, string consumer);
}
