using System.Data.Common;
using CollabTraining.Messaging.Data;
using CollabTraining.Messaging.Inbox;
using CollabTraining.Messaging.Outbox;
using CollabTraining.School;
using CollabTraining.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CollabTraining.Tests.Integration;

/// <summary>Group commit of deliveries: batch-mates commit together, a failing delivery fails alone, nothing is half applied.</summary>
public sealed class InboxBatchTests(ServiceFactory<SchoolApiMarker> factory) : IClassFixture<ServiceFactory<SchoolApiMarker>>
{
    [Fact]
    public async Task A_delivery_that_throws_fails_alone_and_its_batch_mates_commit()
    {
        await using var batcher = new InboxBatcher("test", factory.Services.GetRequiredService<IServiceScopeFactory>(), factory.Services.GetRequiredService<OutboxSignal>(), new InboxOptions());
        var ids = Enumerable.Range(0, 40).Select(_ => Guid.NewGuid()).ToList();
        var poison = ids[17];

        var outcomes = ids.Select(id => batcher.RunAsync((connection, transaction) => RecordAsync(id, connection, transaction, fail: id == poison), CancellationToken.None)).ToList();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => outcomes[17]);
        Assert.Contains("poison", error.Message);
        await Task.WhenAll(outcomes.Where((_, i) => i != 17));

        var stored = await factory.InScopeAsync<ServiceDbContext, List<Guid>>(db => db.InboxMessages.Where(m => ids.Contains(m.MessageId)).Select(m => m.MessageId).ToListAsync());
        Assert.Equal(ids.Where(id => id != poison).Order(), stored.Order());
    }

    [Fact]
    public async Task The_same_message_handed_in_repeatedly_is_applied_once_within_and_across_batches()
    {
        await using var batcher = new InboxBatcher("test", factory.Services.GetRequiredService<IServiceScopeFactory>(), factory.Services.GetRequiredService<OutboxSignal>(), new InboxOptions());
        var id = Guid.NewGuid();
        var applied = 0;
        InboxDelivery Delivery() => new(id, async (connection, transaction) =>
        {
            await RecordAsync(id, connection, transaction, fail: false);
            Interlocked.Increment(ref applied);
        });

        // Five copies at once (however the batcher groups them), then two more later: every copy is
        // acknowledged, the work runs once (a second insert of the key would fail on its primary key).
        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => batcher.RunAsync(Delivery(), CancellationToken.None)));
        await Task.WhenAll(batcher.RunAsync(Delivery(), CancellationToken.None), batcher.RunAsync(Delivery(), CancellationToken.None));

        Assert.Equal(1, applied);
        Assert.Equal(1, await factory.InScopeAsync<ServiceDbContext, int>(db => db.InboxMessages.CountAsync(m => m.MessageId == id)));
    }

    /// <summary>What the inbox filter does for one delivery applied alone: record its key (and here, maybe fail after).</summary>
    private async Task RecordAsync(Guid id, DbConnection connection, DbTransaction transaction, bool fail)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ServiceDbContext>();
        db.Database.SetDbConnection(connection, contextOwnsConnection: false);
        await db.Database.UseTransactionAsync(transaction);
        db.InboxMessages.Add(new InboxMessage { MessageId = id, Consumer = "test", MessageType = "Test", ReceivedAt = DateTimeOffset.UtcNow });
        await db.SaveChangesAsync();
        if (fail)
        {
            throw new InvalidOperationException("A poison message (test fault).");
        }
    }
}
