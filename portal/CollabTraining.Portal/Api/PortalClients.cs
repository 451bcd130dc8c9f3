using CollabTraining.Portal.Catalog;
using CollabTraining.Portal.Notifications;

namespace CollabTraining.Portal.Api;

/// <summary>
/// The portal's API clients, one per area, each a thin typed wrapper over <see cref="GatewayClient"/>. The portal and
/// the component tests register them from here, so a new area's client is added in one place.
/// </summary>
public static class PortalClients
{
    public static IServiceCollection AddPortalClients(this IServiceCollection services)
    {
        services.AddScoped<CatalogClient>();
        services.AddScoped<NotificationsClient>();
        services.AddScoped<School.SchoolClient>();
        return services;
    }
}
