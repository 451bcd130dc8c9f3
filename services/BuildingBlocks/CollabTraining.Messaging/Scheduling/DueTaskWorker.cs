using CollabTraining.Messaging.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CollabTraining.Messaging.Scheduling;

/// <summary>Wakes the worker early when a task is scheduled sooner than its next look.</summary>
public sealed class DueTaskSignal : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(0, 1);
    private long _nextLookTicks = long.MaxValue;

    internal void WillLookAt(DateTimeOffset at) => Interlocked.Exchange(ref _nextLookTicks, at.UtcTicks);

    public void Due(DateTimeOffset dueAt)
    {
        if (dueAt.UtcTicks < Interlocked.Read(ref _nextLookTicks) && _semaphore.CurrentCount == 0)
        {
            try
            {
                _semaphore.Release();
            }
            catch (SemaphoreFullException)
            {
            }
        }
    }

    internal Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _semaphore.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _semaphore.Dispose();
}

/// <summary>
/// Runs due tasks: claims the rows that came due under a lease (a conditional update, so of two instances
/// only one gets each row), runs each one's handler and marks it done in the same transaction. A task whose
/// handler throws is retried after <see cref="DueTaskOptions.RetryDelay"/>; one whose instance died is
/// claimed again when its lease ends. Rows are in the database, so nothing due is lost across a restart.
/// </summary>
public sealed partial class DueTaskWorker(IServiceScopeFactory scopes, DueTaskOptions options, DueTaskSignal signal, TimeProvider time, ILogger<DueTaskWorker> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            var claimed = 0;
            try
            {
                claimed = await RunDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogLoopFailed(logger, ex);
            }

            if (claimed < options.BatchSize)
            {
                signal.WillLookAt(time.GetUtcNow() + options.PollInterval);
                try
                {
                    await signal.WaitAsync(options.PollInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Claims and runs the tasks due now; returns how many it claimed.</summary>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        List<DueTask> claimed;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ServiceDbContext>();
            var now = time.GetUtcNow();
            var tasks = db.Set<DueTask>();
            var ids = await tasks.Where(t => t.DoneAt == null && t.FailedAt == null && t.DueAt <= now && (t.LeasedUntil == null || t.LeasedUntil < now))
                .OrderBy(t => t.DueAt).Select(t => t.Id).Take(options.BatchSize).ToListAsync(cancellationToken);
            if (ids.Count == 0)
            {
                return 0;
            }

            var owner = Guid.NewGuid();
            var until = now + options.LeaseDuration;
            await tasks.Where(t => ids.Contains(t.Id) && t.DoneAt == null && (t.LeasedUntil == null || t.LeasedUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(t => t.LeasedUntil, until).SetProperty(t => t.LeaseOwner, owner).SetProperty(t => t.Attempts, t => t.Attempts + 1), cancellationToken);
            claimed = await tasks.AsNoTracking().Where(t => t.LeaseOwner == owner && ids.Contains(t.Id)).OrderBy(t => t.DueAt).ToListAsync(cancellationToken);
        }

        foreach (var task in claimed)
        {
            await RunOneAsync(task, cancellationToken);
        }

        return claimed.Count;
    }

    private async Task RunOneAsync(DueTask claimed, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var handler = scope.ServiceProvider.GetServices<IDueTaskHandler>().FirstOrDefault(h => h.Kind == claimed.Kind)
                ?? throw new InvalidOperationException($"No handler runs due tasks of kind '{claimed.Kind}'.");
            var db = scope.ServiceProvider.GetRequiredService<ServiceDbContext>();
            await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);

                // Completed first, conditionally, in the transaction that runs it: if our lease ran out and another
                // instance took the task over, this touches no row (or waits for that instance's commit and then
                // touches none), and nothing runs twice.
                var now = time.GetUtcNow();
                var owner = claimed.LeaseOwner;
                var ours = await db.Set<DueTask>().Where(t => t.Id == claimed.Id && t.LeaseOwner == owner && t.DoneAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(t => t.DoneAt, now).SetProperty(t => t.LeasedUntil, (DateTimeOffset?)null), cancellationToken);
                if (ours == 0)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    return;
                }

                await handler.RunAsync(claimed, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            });
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            LogTaskFailed(logger, claimed.Kind, claimed.SubjectId, claimed.Attempts, ex);
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ServiceDbContext>();
            var now = time.GetUtcNow();
            var failed = claimed.Attempts >= options.MaxAttempts;
            var error = ex.Message.Length > 2000 ? ex.Message[..2000] : ex.Message;
            await db.Set<DueTask>().Where(t => t.Id == claimed.Id && t.LeaseOwner == claimed.LeaseOwner)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(t => t.LeasedUntil, failed ? null : now + options.RetryDelay)
                    .SetProperty(t => t.FailedAt, failed ? now : null)
                    .SetProperty(t => t.LastError, error), CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The due-task worker's loop failed; it looks again shortly")]
    private static partial void LogLoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Due task {Kind} for {SubjectId} failed on attempt {Attempt}")]
    private static partial void LogTaskFailed(ILogger logger, string kind, Guid subjectId, int attempt, Exception exception);
}

public static class DueTaskExtensions
{
    /// <summary>Durable due tasks for a service: the scheduler, the worker, and the handlers it registers.</summary>
    public static IServiceCollection AddDueTasks(this IServiceCollection services, IConfiguration configuration)
    {
        if (services.Any(s => s.ServiceType == typeof(DueTaskSignal)))
        {
            return services;
        }

        var options = configuration.GetSection(DueTaskOptions.Section).Get<DueTaskOptions>() ?? new DueTaskOptions();
        services.AddSingleton(options);
        services.AddSingleton<DueTaskSignal>();
        services.AddScoped<DueTasks>();
        if (options.Enabled)
        {
            services.AddHostedService<DueTaskWorker>();
        }

        return services;
    }
}
