using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CollabTraining.Messaging.Outbox;

/// <summary>An event waiting to be published, saved in the same transaction as the change that raised it.</summary>
public sealed class OutboxMessage
{
    /// <summary>Sequence: publish order.</summary>
    public long Id { get; set; }

    /// <summary>The broker message id, the same on every attempt, so consumers can drop repeats.</summary>
    public Guid MessageId { get; set; }

    public required string MessageType { get; set; }

    public required string Body { get; set; }

    /// <summary>JSON object of headers captured at write time: traceparent, tracestate.</summary>
    public string? Headers { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset NextAttemptAt { get; set; }

    public string? LastError { get; set; }

    public string? LeaseOwner { get; set; }

    public DateTimeOffset? LeaseExpiresAt { get; set; }

    public DateTimeOffset? ProcessedAt { get; set; }

    public DateTimeOffset? DeadLetteredAt { get; set; }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("OutboxMessages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedOnAdd();
        builder.HasIndex(m => m.MessageId).IsUnique();
        builder.Property(m => m.MessageType).HasMaxLength(300);
        builder.Property(m => m.LeaseOwner).HasMaxLength(200);
        builder.Property(m => m.LastError).HasMaxLength(2000);
        // Pending rows in claim order: the claim walks this index and stops after a batch, instead of sorting every pending row.
        builder.HasIndex(m => new { m.ProcessedAt, m.DeadLetteredAt, m.Id });
        builder.HasIndex(m => m.LeaseOwner);
    }
}
