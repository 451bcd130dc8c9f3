using CollabTraining.Messaging.Data;
using CollabTraining.Organisations;
using CollabTraining.Sharing;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Research.Data;

public class ResearchDbContext(DbContextOptions options) : ServiceDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfiguration(new PartnerOrganisationConfiguration("Institutes"));
        modelBuilder.AddResourceSharing();
    }
}

public sealed class ResearchSqliteDbContext(DbContextOptions<ResearchSqliteDbContext> options) : ResearchDbContext(options);

public sealed class ResearchSqlServerDbContext(DbContextOptions<ResearchSqlServerDbContext> options) : ResearchDbContext(options);

public sealed class ResearchSqliteDesignTimeFactory : SqliteDesignTimeFactory<ResearchSqliteDbContext>;

public sealed class ResearchSqlServerDesignTimeFactory : SqlServerDesignTimeFactory<ResearchSqlServerDbContext>;
