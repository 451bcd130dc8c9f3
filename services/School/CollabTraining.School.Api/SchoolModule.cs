using CollabTraining.School.Assignments;
using CollabTraining.School.Catalog;
using CollabTraining.School.Data;
using CollabTraining.School.Matching;
using CollabTraining.School.Records;
using CollabTraining.School.Rounds;
using CollabTraining.School.Runs;
using CollabTraining.School.Students;
using CollabTraining.School.Notifications;
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
        builder.Services.AddOwnerAvailability();
        builder.Services.AddMentorRequests<TeacherMentorDirectory>(ServiceName, RoutePrefix);

        // Every event the School subscribes to, in one place.
        builder.AddServiceMessaging(ServiceName, bus =>
        {
            bus.AddConsumer<PlacementCatalogConsumer>();
            bus.AddConsumer<AssignmentOutcomeConsumer>();
            bus.AddConsumer<TrainingRecordConsumer>();
            bus.AddConsumer<SharedResourceCatalogConsumer>();
            bus.AddConsumer<SharedResourceActivityConsumer>();
            bus.AddMentorRequestConsumers();
        });
        return builder;
    }

    public static WebApplication MapSchoolApi(this WebApplication app)
    {
        app.MapCatalogApi();
        app.MapResourceCatalogApi();
        app.MapStudentsApi();
        app.MapReferenceCodesApi();
        app.MapMatchingApi();
        app.MapRoundsApi();
        app.MapMatchRunsApi();
        app.MapRoundAssignmentsApi();
        app.MapHospitalRankingsApi();
        app.MapRecordsApi();
        app.MapNotificationsApi();
        app.MapMentorRequestsApi();
        app.MapOutboxAdministration(RoutePrefix);
        return app;
    }
}
