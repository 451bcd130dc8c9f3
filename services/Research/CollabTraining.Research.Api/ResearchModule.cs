using CollabTraining.Demo;
using CollabTraining.Research.Data;
using CollabTraining.Messaging.Data;
using CollabTraining.Messaging;
using CollabTraining.Messaging.Outbox;
using CollabTraining.Organisations;
using CollabTraining.Bookings;
using CollabTraining.Sharing;
using CollabTraining.ServiceDefaults.Security;

namespace CollabTraining.Research;

/// <summary>Marks the Research service for test hosts (every service's <c>Program</c> is global).</summary>
public sealed class ResearchApiMarker;

public static class ResearchModule
{
    public const string ServiceName = "research";
    public const string RoutePrefix = "/api/research";

    public static WebApplicationBuilder AddResearch(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidation();
        builder.AddServiceDatabase<ResearchDbContext, ResearchSqliteDbContext, ResearchSqlServerDbContext>(ServiceName);
        builder.Services.AddPartnerOrganisations(DemoDirectory.Institutes);
        builder.AddResourceSharing(ServiceName, RoutePrefix, ResourceKind.Equipment);
        builder.Services.AddScoped<IDataSeeder>(sp => ActivatorUtilities.CreateInstance<SharingDemoSeeder>(sp, DemoDirectory.Institutes));
        builder.AddServiceMessaging(ServiceName, bus => bus.AddSharingConsumers());
        return builder;
    }

    public static WebApplication MapResearchApi(this WebApplication app)
    {
        app.MapPartnerOrganisationsApi(RoutePrefix + "/institutes", "Institutes");
        app.MapResourceSharingApi();
        app.MapOutboxAdministration(RoutePrefix);
        return app;
    }
}
