using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CollabTraining.Messaging.Inbox;

/// <summary>A message some consumer of this service has already applied. Its key makes a repeat a no-op.</summary>
public sealed class InboxMessage
{
    public Guid MessageId { get; set; }

    /// <summary>The receive endpoint (queue) that handled it: one message may be handled once per consumer.</summary>
    public required string Consumer { get; set; }

    public required string MessageType { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }
}

internal sealed class InboxMessageConfiguration : IEntityTypeConfiguration<InboxMessage>
{
    public void Configure(EntityTypeBuilder<InboxMessage> builder)
    {
        builder.ToTable("InboxMessages");
        builder.HasKey(m => new { m.MessageId, m.Consumer });
        builder.Property(m => m.Consumer).HasMaxLength(200);
        builder.Property(m => m.MessageType).HasMaxLength(300);
        builder.HasIndex(m => m.ReceivedAt);
    }
}
