using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CollabTraining.Messaging.Data;

/// <summary>
/// Every SQLite connection a service opens runs with full durability and SQLite's own busy handler:
/// <list type="bullet">
/// <item><c>synchronous=FULL</c>: a commit is on disk (WAL fsync) before it returns, so an acknowledged message's
/// effect survives a crash. Stated, not left to the library's compile-time default.</item>
/// <item><c>busy_timeout</c>: a writer that finds the database locked waits inside SQLite, which retries within a
/// millisecond or so. Without it Microsoft.Data.Sqlite retries a locked statement after 150 ms sleeps, and
/// under steady writes from the API, the dispatcher and the inbox those sleeps became most of the pipeline's latency.</item>
/// </list>
/// </summary>
public sealed class SqliteConnectionSettings : DbConnectionInterceptor
{
    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (connection is SqliteConnection sqlite)
        {
            await using var command = sqlite.CreateCommand();
            command.CommandText = Pragmas(sqlite);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static void Apply(DbConnection connection)
    {
        if (connection is SqliteConnection sqlite)
        {
            using var command = sqlite.CreateCommand();
            command.CommandText = Pragmas(sqlite);
            command.ExecuteNonQuery();
        }
    }

    private static string Pragmas(SqliteConnection connection) =>
        $"PRAGMA synchronous=FULL; PRAGMA busy_timeout={Math.Max(1, connection.DefaultTimeout) * 1000};";
}
