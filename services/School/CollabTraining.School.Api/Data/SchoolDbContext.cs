using CollabTraining.School.Assignments;
using CollabTraining.School.Catalog;
using CollabTraining.School.Records;
using CollabTraining.School.Rounds;
using CollabTraining.School.Runs;
using CollabTraining.School.Students;
using CollabTraining.Messaging.Data;
using CollabTraining.Organisations.Mentoring;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Data;

public class SchoolDbContext(DbContextOptions options) : ServiceDbContext(options)
{
    public DbSet<CatalogPlacement> CatalogPlacements => Set<CatalogPlacement>();

    public DbSet<CatalogResource> CatalogResources => Set<CatalogResource>();

    public DbSet<CatalogMentor> CatalogMentors => Set<CatalogMentor>();

    public DbSet<Student> Students => Set<Student>();

    public DbSet<StudentQualification> StudentQualifications => Set<StudentQualification>();

    public DbSet<PlacementRound> PlacementRounds => Set<PlacementRound>();

    public DbSet<RoundPreference> RoundPreferences => Set<RoundPreference>();

    public DbSet<HospitalRanking> HospitalRankings => Set<HospitalRanking>();

    public DbSet<MatchRun> MatchRuns => Set<MatchRun>();

    public DbSet<PlacementAssignment> PlacementAssignments => Set<PlacementAssignment>();

    public DbSet<RecordedEvaluation> RecordedEvaluations => Set<RecordedEvaluation>();

    public DbSet<RecordedHours> RecordedHours => Set<RecordedHours>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(SchoolDbContext).Assembly);
        modelBuilder.AddMentorRequests();
    }
}

public sealed class SchoolSqliteDbContext(DbContextOptions<SchoolSqliteDbContext> options) : SchoolDbContext(options);

public sealed class SchoolSqlServerDbContext(DbContextOptions<SchoolSqlServerDbContext> options) : SchoolDbContext(options);

public sealed class SchoolSqliteDesignTimeFactory : SqliteDesignTimeFactory<SchoolSqliteDbContext>;

public sealed class SchoolSqlServerDesignTimeFactory : SqlServerDesignTimeFactory<SchoolSqlServerDbContext>;
