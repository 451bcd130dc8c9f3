using CollabTraining.Demo;
using CollabTraining.Enterprises.Data;
using CollabTraining.Messaging.Data;
using CollabTraining.Messaging;
using CollabTraining.Messaging.Outbox;
using CollabTraining.Organisations;
using CollabTraining.Bookings;
using CollabTraining.Sharing;
using CollabTraining.ServiceDefaults.Security;

namespace CollabTraining.Enterprises;

/// <summary>Marks the Enterprises service for test hosts (every service's <c>Program</c> is global).</summary>
public sealed class EnterprisesApiMarker;

public static class EnterprisesModule
{
    public const string ServiceName = "enterprises";
    public const string RoutePrefix = "/api/enterprises";

    public static WebApplicationBuilder AddEnterprises(this WebApplicationBuilder builder)
    {
        builder.Services.AddValidation();
        builder.AddServiceDatabase<EnterprisesDbContext, EnterprisesSqliteDbContext, EnterprisesSqlServerDbContext>(ServiceName);
        builder.Services.AddPartnerOrganisations(DemoDirectory.Enterprises);
        builder.AddResourceSharing(ServiceName, RoutePrefix, ResourceKind.ComputePool, ResourceKind.Device);
        builder.Services.AddScoped<IDataSeeder>(sp => ActivatorUtilities.CreateInstance<SharingDemoSeeder>(sp, DemoDirectory.Enterprises));
        builder.AddServiceMessaging(ServiceName, bus => bus.AddSharingConsumers());
        return builder;
    }

    public static WebApplication MapEnterprisesApi(this WebApplication app)
    {
        app.MapPartnerOrganisationsApi(RoutePrefix + "/enterprises", "Enterprises");
        app.MapResourceSharingApi();
        app.MapOutboxAdministration(RoutePrefix);
        return app;
    }
}
