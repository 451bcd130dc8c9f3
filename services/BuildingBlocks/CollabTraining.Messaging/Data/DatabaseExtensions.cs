using CollabTraining.Messaging.Outbox;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Trace;

namespace CollabTraining.Messaging.Data;

public enum DatabaseProvider
{
    Sqlite,
    SqlServer,
}

/// <summary>Settings under <c>Database</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Where SQLite files go when no connection string names one; relative to the working directory.</summary>
    public string DataDirectory { get; set; } = ".data";

    /// <summary>Apply pending migrations at start-up. Production may turn this off and migrate from a script.</summary>
    public bool MigrateOnStartup { get; set; } = true;
}

public static class DatabaseExtensions
{
    /// <summary>
    /// Registers the service's context for the configured provider. Each provider has its own derived context
    /// type, so each has its own migrations; code asks only for <typeparamref name="TContext"/>.
    /// The connection string is <c>ConnectionStrings:{name}</c>; for SQLite it defaults to a file per service.
    /// </summary>
    public static IHostApplicationBuilder AddServiceDatabase<TContext, TSqlite, TSqlServer>(this IHostApplicationBuilder builder, string name)
        where TContext : ServiceDbContext
        where TSqlite : TContext
        where TSqlServer : TContext
    {
        var options = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        builder.Services.AddSingleton(options);
        var connectionString = builder.Configuration.GetConnectionString(name);

        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                connectionString ??= DefaultSqliteConnectionString(options.DataDirectory, name);
                builder.Services.AddDbContext<TContext, TSqlite>((sp, db) => db
                    .UseSqlite(connectionString)
                    .AddInterceptors(sp.GetRequiredService<OutboxCommitInterceptor>(), new SqliteConnectionSettings()), optionsLifetime: ServiceLifetime.Singleton);
                break;
            case DatabaseProvider.SqlServer:
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException($"Database:Provider is SqlServer but ConnectionStrings:{name} is not set.");
                }

                builder.Services.AddDbContext<TContext, TSqlServer>((sp, db) => db
                    .UseSqlServer(connectionString, sql => sql.EnableRetryOnFailure())
                    .AddInterceptors(sp.GetRequiredService<OutboxCommitInterceptor>()), optionsLifetime: ServiceLifetime.Singleton);
                break;
            default:
                throw new InvalidOperationException($"Unknown Database:Provider '{options.Provider}'.");
        }

        // Options are built once (singleton), not per scope: a consumer resolves a context for every message.
        builder.Services.AddScoped<ServiceDbContext>(sp => sp.GetRequiredService<TContext>());
        builder.Services.AddExceptionHandler<ConcurrencyConflictHandler>();
        builder.Services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddEntityFrameworkCoreInstrumentation());
        builder.Services.AddHostedService<DatabaseMigrator<TContext>>();
        builder.Services.AddHealthChecks().AddDbContextCheck<TContext>("database", tags: ["ready", "serving"]);
        return builder;
    }

    public static string DefaultSqliteConnectionString(string dataDirectory, string name)
    {
        var directory = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(directory);
        return new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(directory, name + ".db"),
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }
}
