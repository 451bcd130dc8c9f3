using CollabTraining.Messaging.Data;
using CollabTraining.Organisations;
using CollabTraining.Sharing;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Enterprises.Data;

public class EnterprisesDbContext(DbContextOptions options) : ServiceDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfiguration(new PartnerOrganisationConfiguration("Enterprises"));
        modelBuilder.AddResourceSharing();
    }
}

public sealed class EnterprisesSqliteDbContext(DbContextOptions<EnterprisesSqliteDbContext> options) : EnterprisesDbContext(options);

public sealed class EnterprisesSqlServerDbContext(DbContextOptions<EnterprisesSqlServerDbContext> options) : EnterprisesDbContext(options);

public sealed class EnterprisesSqliteDesignTimeFactory : SqliteDesignTimeFactory<EnterprisesSqliteDbContext>;

public sealed class EnterprisesSqlServerDesignTimeFactory : SqlServerDesignTimeFactory<EnterprisesSqlServerDbContext>;
