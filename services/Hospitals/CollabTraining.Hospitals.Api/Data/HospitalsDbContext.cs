using CollabTraining.Hospitals.Assignments;
using CollabTraining.Hospitals.Evaluations;
using CollabTraining.Hospitals.Placements;
using CollabTraining.Messaging.Data;
using CollabTraining.Organisations;
using CollabTraining.Organisations.Mentoring;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Hospitals.Data;

public class HospitalsDbContext(DbContextOptions options) : ServiceDbContext(options)
{
    public DbSet<PartnerOrganisation> Hospitals => Set<PartnerOrganisation>();

    public DbSet<PlacementOffer> PlacementOffers => Set<PlacementOffer>();

    public DbSet<HospitalAssignment> Assignments => Set<HospitalAssignment>();

    public DbSet<ClinicalMentor> ClinicalMentors => Set<ClinicalMentor>();

    public DbSet<Evaluation> Evaluations => Set<Evaluation>();

    public DbSet<HoursLog> HoursLogs => Set<HoursLog>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfiguration(new PartnerOrganisationConfiguration("Hospitals"));
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(HospitalsDbContext).Assembly);
        modelBuilder.AddMentorRequests();
    }
}

/// <summary>The SQLite model and its migrations (Data/Migrations/Sqlite).</summary>
public sealed class HospitalsSqliteDbContext(DbContextOptions<HospitalsSqliteDbContext> options) : HospitalsDbContext(options);

/// <summary>The SQL Server model and its migrations (Data/Migrations/SqlServer).</summary>
public sealed class HospitalsSqlServerDbContext(DbContextOptions<HospitalsSqlServerDbContext> options) : HospitalsDbContext(options);

public sealed class HospitalsSqliteDesignTimeFactory : SqliteDesignTimeFactory<HospitalsSqliteDbContext>;

public sealed class HospitalsSqlServerDesignTimeFactory : SqlServerDesignTimeFactory<HospitalsSqlServerDbContext>;
