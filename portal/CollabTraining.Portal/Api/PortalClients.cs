using CollabTraining.Portal.Bookings;
using CollabTraining.Portal.Catalog;
using CollabTraining.Portal.Hospital;
using CollabTraining.Portal.Notifications;
using CollabTraining.Portal.Student;
using CollabTraining.Portal.Owners;

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
        services.AddScoped<BookingsClient>();
        services.AddScoped<NotificationsClient>();
        services.AddScoped<StudentClient>();
        services.AddScoped<OwnersClient>();
        services.AddScoped<HospitalClient>();
        services.AddScoped<School.SchoolClient>();
        return services;
    }
}
