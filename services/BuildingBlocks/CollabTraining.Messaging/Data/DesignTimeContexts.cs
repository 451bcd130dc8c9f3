using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace CollabTraining.Messaging.Data;

/// <summary>
/// Builds a provider-specific context without a host: for <c>dotnet ef</c> and for the migration tests.
/// Nothing is connected: the SQL Server connection string only names a server for script generation.
/// </summary>
public static class DesignTimeContexts
{
    /// <param name="provider">The database provider the context is built for.</param>
    /// <param name="configure">More options, e.g. a test's replaced EF service.</param>
    public static T Create<T>(DatabaseProvider provider, Action<DbContextOptionsBuilder<T>>? configure = null)
        where T : DbContext
    {
        var builder = new DbContextOptionsBuilder<T>();
        _ = provider switch
        {
            DatabaseProvider.Sqlite => builder.UseSqlite("Data Source=design-time.db"),
            DatabaseProvider.SqlServer => builder.UseSqlServer("Server=localhost;Database=CollabTraining;Integrated Security=true;TrustServerCertificate=true"),
            _ => throw new ArgumentOutOfRangeException(nameof(provider)),
        };
        configure?.Invoke(builder);
        return (T)Activator.CreateInstance(typeof(T), builder.Options)!;
    }
}

public abstract class SqliteDesignTimeFactory<T> : IDesignTimeDbContextFactory<T>
    where T : DbContext
{
    public T CreateDbContext(string[] args) => DesignTimeContexts.Create<T>(DatabaseProvider.Sqlite);
}

public abstract class SqlServerDesignTimeFactory<T> : IDesignTimeDbContextFactory<T>
    where T : DbContext
{
    public T CreateDbContext(string[] args) => DesignTimeContexts.Create<T>(DatabaseProvider.SqlServer);
}
