using CollabTraining.School.Assignments;
using CollabTraining.School.Catalog;
using CollabTraining.School.Data;
using CollabTraining.School.Matching;
using CollabTraining.School.Modules;
using CollabTraining.School.Records;
using CollabTraining.School.Rounds;
using CollabTraining.School.Runs;
using CollabTraining.School.Showcase;
using CollabTraining.School.Students;
using CollabTraining.School.Notifications;
using CollabTraining.School.Projects;
using CollabTraining.School.Ledger;
using CollabTraining.Messaging.Data;
using CollabTraining.Messaging;
using CollabTraining.Messaging.Outbox;
using CollabTraining.Messaging.Scheduling;
using CollabTraining.Organisations.Mentoring;
using CollabTraining.School.Mentoring;

namespace CollabTraining.School;

/// <summary>Marks the School service for test hosts (every service's <c>Program</c> is global).</summary>
public sealed class SchoolApiMarker;

public static class SchoolModule
{
    public const string ServiceName = "school";
    public const string RoutePrefix = "/api/school";

    public static WebApplicationBuilder AddSchool(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidation();
        builder.AddServiceDatabase<SchoolDbContext, SchoolSqliteDbContext, SchoolSqlServerDbContext>(ServiceName);
        builder.Services.AddScoped<IDataSeeder, SchoolDemoSeeder>();
        builder.Services.AddScoped<IDataSeeder, QualificationAnnouncer>();
        builder.Services.AddScoped<IDueTaskHandler, QualificationExpiryHandler>();
        builder.Services.AddScoped<IDueTaskHandler, QualificationExpiringHandler>();
        builder.Services.AddScoped<QualificationGrants>();
        builder.Services.AddScoped<IDataSeeder, ModulesDemoSeeder>();
        builder.Services.AddOwnerAvailability();
        builder.Services.AddScoped<IDueTaskHandler, MentorDeadlineHandler>();
        builder.Services.AddScoped<IDueTaskHandler, BundleDeadlineHandler>();
        builder.Services.AddScoped<IDataSeeder, ProjectsDemoSeeder>();
        builder.Services.AddScoped<IDueTaskHandler, DemoBundlesHandler>();
        builder.Services.AddSingleton<ShowcaseStore>();
        builder.Services.AddMentorRequests<TeacherMentorDirectory>(ServiceName, RoutePrefix);

        // Every event the School subscribes to, in one place.
        builder.AddServiceMessaging(ServiceName, bus =>
        {
            bus.AddConsumer<PlacementCatalogConsumer>();
            bus.AddConsumer<AssignmentOutcomeConsumer>();
            bus.AddConsumer<TrainingRecordConsumer>();
            bus.AddConsumer<SharedResourceCatalogConsumer>();
            bus.AddConsumer<SharedResourceActivityConsumer>();
            bus.AddConsumer<MentorAnswerConsumer>();
            bus.AddConsumer<BundleSaga>();
            bus.AddMentorRequestConsumers();
        });
        return builder;
    }

    public static WebApplication MapSchoolApi(this WebApplication app)
    {
        app.MapCatalogApi();
        app.MapResourceCatalogApi();
        app.MapStudentsApi();
        app.MapStudentImportApi();
        app.MapModulesApi();
        app.MapReferenceCodesApi();
        app.MapMatchingApi();
        app.MapRoundsApi();
        app.MapMatchRunsApi();
        app.MapRoundAssignmentsApi();
        app.MapHospitalRankingsApi();
        app.MapRecordsApi();
        app.MapNotificationsApi();
        app.MapProjectsApi();
        app.MapBundlesApi();
        app.MapLedgerApi();
        app.MapShowcaseApi();
        app.MapMentorRequestsApi();
        app.MapOutboxAdministration(RoutePrefix);
        return app;
    }
}
