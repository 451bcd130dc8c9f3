using CollabTraining.Demo;
using CollabTraining.Enterprises.Data;
using CollabTraining.Messaging.Data;
using CollabTraining.Messaging;
using CollabTraining.Messaging.Outbox;
using CollabTraining.Organisations;
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
        // Publishes and consumes nothing yet: its offers (see docs/architecture.md, bookings) come in later issues.
        builder.AddServiceMessaging(ServiceName);
        return builder;
    }

    public static WebApplication MapEnterprisesApi(this WebApplication app)
    {
        app.MapPartnerOrganisationsApi(RoutePrefix + "/enterprises", "Enterprises");
        app.MapOutboxAdministration(RoutePrefix);
        return app;
    }
}
