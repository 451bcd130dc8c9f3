using System.Data.Common;
using Microsoft.Data.Sqlite;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CollabTraining.Messaging.Data;

/// <summary>
/// Every SQLite connection a service opens runs with full durability and SQLite's own busy handler:
/// <list type="bullet">
/// <item><c>synchronous=FULL</c>: a commit is on disk (WAL fsync) before it returns, so an acknowledged message's
/// effect survives a crash. Stated, not left to the library's compile-time default.</item>
/// <item>A busy handler that retries every millisecond or so, up to the connection's timeout: a writer that finds the
/// database locked waits inside SQLite. Without one Microsoft.Data.Sqlite retries a locked statement after 150 ms
/// sleeps, and under steady writes from the API, the dispatcher and the inbox those sleeps became most of the
/// pipeline's latency. SQLite's own handler (<c>busy_timeout</c>) backs off to 100 ms between tries, so a writer
/// facing a group commit that takes the lock again microseconds after each commit (the inbox under load, the
/// booking desk) almost never found it free: the outbox dispatcher starved for seconds. Polling every
/// millisecond finds those gaps.</item>
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

    private static string Pragmas(SqliteConnection connection)
    {
        BusyHandler.Install(connection, TimeSpan.FromSeconds(Math.Max(1, connection.DefaultTimeout)));
        return "PRAGMA synchronous=FULL;";
    }
}

/// <summary>
/// SQLite's <c>sqlite3_busy_handler</c>, which SQLitePCLRaw does not wrap: called by SQLite while the database is
/// locked, it yields a few times, then sleeps about a millisecond per call, and gives up after the limit
/// (the connection's timeout), when SQLITE_BUSY reaches the caller.
/// </summary>
internal static unsafe partial class BusyHandler
{
    public static void Install(SqliteConnection connection, TimeSpan limit)
    {
        var handle = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var result = sqlite3_busy_handler(handle.DangerousGetHandle(), &OnBusy, (nint)limit.TotalMilliseconds);
        if (result != 0)
        {
            throw new InvalidOperationException($"sqlite3_busy_handler failed ({result}).");
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static int OnBusy(nint limitMilliseconds, int count)
    {
        if (count < 4)
        {
            Thread.Yield();
            return 1;
        }

        if (count > limitMilliseconds)
        {
            return 0;
        }

        Thread.Sleep(1);
        return 1;
    }

    [LibraryImport("e_sqlite3")]
    [UnmanagedCallConv(CallConvs = [typeof(CallConvCdecl)])]
    private static partial int sqlite3_busy_handler(nint db, delegate* unmanaged[Cdecl]<nint, int, int> callback, nint argument);
}
