using CollabTraining.Messaging.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CollabTraining.Messaging.Scheduling;

/// <summary>
/// Something that must happen at a time (a hold lapsing, a no-show release, a qualification expiring): a row
/// saved in the same transaction as the change that made it due, so it survives a restart, and claimed under
/// a lease by one instance when its time comes (<see cref="DueTaskWorker"/>), as the outbox's rows are.
/// </summary>
public sealed class DueTask
{
    public Guid Id { get; set; }

    /// <summary>Which handler runs it (<see cref="IDueTaskHandler.Kind"/>).</summary>
    public string Kind { get; set; } = string.Empty;

    /// <summary>What it is about (a booking, a qualification): the handler reads its state and acts only if still due.</summary>
    public Guid SubjectId { get; set; }

    public DateTimeOffset DueAt { get; set; }

    public DateTimeOffset? LeasedUntil { get; set; }

    public Guid? LeaseOwner { get; set; }

    public int Attempts { get; set; }

    public DateTimeOffset? DoneAt { get; set; }

    /// <summary>Set when it failed <see cref="DueTaskOptions.MaxAttempts"/> times: it stays for an operator to read.</summary>
    public DateTimeOffset? FailedAt { get; set; }

    public string? LastError { get; set; }
}

internal sealed class DueTaskConfiguration : IEntityTypeConfiguration<DueTask>
{
    public void Configure(EntityTypeBuilder<DueTask> builder)
    {
        builder.ToTable("DueTasks");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.Kind).HasMaxLength(100);
        builder.Property(t => t.LastError).HasMaxLength(2000);

        // The claim reads the pending rows in due order: a short range of this index, not a scan of history.
        builder.HasIndex(t => new { t.DoneAt, t.FailedAt, t.DueAt });
        builder.HasIndex(t => new { t.Kind, t.SubjectId });
    }
}

/// <summary>Settings under <c>DueTasks</c>.</summary>
public sealed class DueTaskOptions
{
    public const string Section = "DueTasks";

    public bool Enabled { get; set; } = true;

    /// <summary>How often the worker looks for tasks that came due (it also wakes when one is scheduled sooner).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a claim lasts; an instance that dies mid-task leaves it to another after this.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    public int BatchSize { get; set; } = 50;

    /// <summary>A task that keeps failing is retried every <see cref="RetryDelay"/> for about an hour, then left for an operator.</summary>
    public int MaxAttempts { get; set; } = 720;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);
}

/// <summary>
/// Runs the tasks of one kind. Resolved per task in its own scope; its changes and the task's completion are
/// saved in one transaction. It must look at the subject's current state: a task may find nothing left to do
/// (the hold was confirmed meanwhile, the qualification renewed).
/// </summary>
public interface IDueTaskHandler
{
    string Kind { get; }

    Task RunAsync(DueTask task, CancellationToken cancellationToken);
}

/// <summary>Schedules due tasks in the caller's unit of work (scoped: the same context as the business change).</summary>
public sealed class DueTasks(ServiceDbContext db, DueTaskSignal signal)
{
    public void Schedule(string kind, Guid subjectId, DateTimeOffset dueAt)
    {
        db.Set<DueTask>().Add(new DueTask { Id = Guid.CreateVersion7(), Kind = kind, SubjectId = subjectId, DueAt = dueAt.ToUniversalTime() });
        signal.Due(dueAt);
    }
}
