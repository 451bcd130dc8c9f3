using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CollabTraining.Messaging.Data;

/// <summary>
/// Brings the schema up to date before anything else starts (hosted services start in registration order,
/// and this one is registered before messaging), then runs the service's seeders.
/// </summary>
internal sealed partial class DatabaseMigrator<TContext>(
    IServiceProvider services,
    DatabaseOptions options,
    ILogger<DatabaseMigrator<TContext>> logger) : IHostedService
    where TContext : DbContext
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TContext>();
        if (options.MigrateOnStartup)
        {
            if (db.Database.IsSqlite())
            {
                // WAL lets readers (the API, the dispatcher) run beside one writer instead of waiting for it.
                await db.Database.OpenConnectionAsync(cancellationToken);
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", cancellationToken);
                await db.Database.CloseConnectionAsync();
            }

            await db.Database.MigrateAsync(cancellationToken);
            LogMigrated(logger, typeof(TContext).Name);
        }

        foreach (var seeder in scope.ServiceProvider.GetServices<IDataSeeder>())
        {
            await seeder.SeedAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema of {Context} is up to date")]
    private static partial void LogMigrated(ILogger logger, string context);
}

/// <summary>Fills an empty database with demo data; runs once the schema is current.</summary>
public interface IDataSeeder
{
    Task SeedAsync(CancellationToken cancellationToken);
}
