using CollabTraining.Demo;
using CollabTraining.Hospitals.Assignments;
using CollabTraining.Hospitals.Data;
using CollabTraining.Hospitals.Evaluations;
using CollabTraining.Hospitals.Mentors;
using CollabTraining.Hospitals.Placements;
using CollabTraining.Messaging.Data;
using CollabTraining.Messaging;
using CollabTraining.Messaging.Outbox;
using CollabTraining.Organisations;
using CollabTraining.Organisations.Mentoring;
using CollabTraining.ServiceDefaults.Security;

namespace CollabTraining.Hospitals;

/// <summary>Marks the Hospitals service for test hosts (every service's <c>Program</c> is global).</summary>
public sealed class HospitalsApiMarker;

public static class HospitalsModule
{
    public const string ServiceName = "hospitals";
    public const string RoutePrefix = "/api/hospitals";

    public static WebApplicationBuilder AddHospitals(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidation();
        builder.AddServiceDatabase<HospitalsDbContext, HospitalsSqliteDbContext, HospitalsSqlServerDbContext>(ServiceName);
        builder.Services.AddPartnerOrganisations(DemoDirectory.Hospitals);
        builder.Services.AddScoped<IDataSeeder, ClinicalMentorsDemoSeeder>();
        builder.Services.AddScoped<IDataSeeder, HospitalsDemoSeeder>();
        builder.Services.AddMentorRequests<ClinicalMentorDirectory>(ServiceName, RoutePrefix);
        // Every event the Hospitals service subscribes to, in one place.
        builder.AddServiceMessaging(ServiceName, bus =>
        {
            bus.AddConsumer<SchoolAssignmentsConsumer>();
            bus.AddMentorRequestConsumers();
        });
        return builder;
    }

    public static WebApplication MapHospitalsApi(this WebApplication app)
    {
        app.MapPlacementOffersApi();
        app.MapAssignmentsApi();
        app.MapEvaluationsApi();
        app.MapClinicalMentorsApi();
        app.MapMentorRequestsApi();
        app.MapPartnerOrganisationsApi(RoutePrefix + "/hospitals", "Hospitals");
        app.MapOutboxAdministration(RoutePrefix);
        return app;
    }
}
