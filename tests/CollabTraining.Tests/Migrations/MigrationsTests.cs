using CollabTraining.Enterprises.Data;
using CollabTraining.Hospitals.Data;
using CollabTraining.Research.Data;
using CollabTraining.School.Data;
using CollabTraining.Messaging.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace CollabTraining.Tests.Migrations;

/// <summary>
/// No SQL Server runs here, so the SQL Server migrations are checked the way a DBA would read them: the
/// generated script must parse as T-SQL. Both providers' models must match their migrations.
/// </summary>
public sealed class MigrationsTests
{
    public static TheoryData<string> Contexts => new(
        nameof(HospitalsSqliteDbContext), nameof(HospitalsSqlServerDbContext),
        nameof(SchoolSqliteDbContext), nameof(SchoolSqlServerDbContext),
        nameof(EnterprisesSqliteDbContext), nameof(EnterprisesSqlServerDbContext),
        nameof(ResearchSqliteDbContext), nameof(ResearchSqlServerDbContext));

    public static TheoryData<string> SqlServerContexts => new(
        nameof(HospitalsSqlServerDbContext), nameof(SchoolSqlServerDbContext),
        nameof(EnterprisesSqlServerDbContext), nameof(ResearchSqlServerDbContext));

    [Theory]
    [MemberData(nameof(Contexts))]
    public void The_model_has_no_changes_missing_from_its_migrations(string context)
    {
        // A model of its own, built in this test: EF otherwise builds a context type's model once per process,
        // and the mapping code would run (for Stryker's per-test coverage) in whichever test came first.
        using var db = Create(context, freshModel: true);
        Assert.NotEmpty(db.Database.GetMigrations());
        Assert.False(db.Database.HasPendingModelChanges(), $"{context} has model changes without a migration: run dotnet ef migrations add");
    }

    [Theory]
    [MemberData(nameof(SqlServerContexts))]
    public void The_SQL_Server_migration_script_parses_as_T_SQL(string context)
    {
        using var db = Create(context);
        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        var parser = new TSql170Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(script);
        var fragment = parser.Parse(reader, out var errors);

        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors.Select(e => $"line {e.Line}: {e.Message}")));

        // Every table the script creates is a real CREATE TABLE statement in the parse tree, outbox and inbox among them.
        var tables = new CreatedTables();
        fragment.Accept(tables);
        Assert.Equal(script.Split("CREATE TABLE [").Length - 1, tables.Names.Count);
        Assert.Contains("OutboxMessages", tables.Names);
        Assert.Contains("InboxMessages", tables.Names);
    }

    private sealed class CreatedTables : TSqlFragmentVisitor
    {
        public List<string> Names { get; } = [];

        public override void Visit(CreateTableStatement node) => Names.Add(node.SchemaObjectName.BaseIdentifier.Value);
    }

    [Fact]
    public async Task The_SQLite_migrations_create_a_working_database()
    {
        var path = Path.Combine(Path.GetTempPath(), $"collabtraining-migrate-{Guid.NewGuid():N}.db");
        try
        {
            var options = new DbContextOptionsBuilder<HospitalsSqliteDbContext>().UseSqlite($"Data Source={path}").Options;
            await using var db = new HospitalsSqliteDbContext(options);
            await db.Database.MigrateAsync();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.Equal(0, await db.OutboxMessages.CountAsync());
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(path);
        }
    }

    private static DbContext Create(string name, bool freshModel = false) => name switch
    {
        nameof(HospitalsSqliteDbContext) => Make<HospitalsSqliteDbContext>(DatabaseProvider.Sqlite, freshModel),
        nameof(HospitalsSqlServerDbContext) => Make<HospitalsSqlServerDbContext>(DatabaseProvider.SqlServer, freshModel),
        nameof(SchoolSqliteDbContext) => Make<SchoolSqliteDbContext>(DatabaseProvider.Sqlite, freshModel),
        nameof(SchoolSqlServerDbContext) => Make<SchoolSqlServerDbContext>(DatabaseProvider.SqlServer, freshModel),
        nameof(EnterprisesSqliteDbContext) => Make<EnterprisesSqliteDbContext>(DatabaseProvider.Sqlite, freshModel),
        nameof(EnterprisesSqlServerDbContext) => Make<EnterprisesSqlServerDbContext>(DatabaseProvider.SqlServer, freshModel),
        nameof(ResearchSqliteDbContext) => Make<ResearchSqliteDbContext>(DatabaseProvider.Sqlite, freshModel),
        nameof(ResearchSqlServerDbContext) => Make<ResearchSqlServerDbContext>(DatabaseProvider.SqlServer, freshModel),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    private static T Make<T>(DatabaseProvider provider, bool freshModel)
        where T : DbContext =>
        DesignTimeContexts.Create<T>(provider, freshModel ? o => o.ReplaceService<IModelCacheKeyFactory, EveryContextItsOwnModel>() : null);

    private sealed class EveryContextItsOwnModel : IModelCacheKeyFactory
    {
        public object Create(DbContext context, bool designTime) => new();
    }
}
