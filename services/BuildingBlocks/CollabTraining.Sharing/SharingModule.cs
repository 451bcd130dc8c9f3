using CollabTraining.Bookings;
using CollabTraining.Messaging.Outbox;
using CollabTraining.Messaging.Scheduling;
using CollabTraining.Organisations.Mentoring;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CollabTraining.Sharing;

public static class SharingModule
{
    /// <summary>
    /// The owner side of shared resources for one service: the desk and its unit of work, the timers, the
    /// qualification consumer (add <see cref="AddSharingConsumers"/> to the service's messaging), and the seeder.
    /// The service's context must call <c>modelBuilder.AddResourceSharing()</c>.
    /// </summary>
    public static IHostApplicationBuilder AddResourceSharing(this IHostApplicationBuilder builder, string service, string routePrefix, params ResourceKind[] kinds)
    {
        var options = new SharingOptions { Service = service, RoutePrefix = routePrefix, Kinds = kinds };
        builder.Configuration.GetSection("Sharing").Bind(options);
        builder.Services.AddValidation();
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<BookingDesk>();
        builder.Services.AddScoped<BookingWork>();
        builder.Services.AddScoped<IDueTaskHandler, HoldExpiryHandler>();
        builder.Services.AddScoped<IDueTaskHandler, NoShowHandler>();
        builder.Services.AddScoped<IDueTaskHandler, AutoCheckOutHandler>();
        builder.Services.AddScoped<IDueTaskHandler, ApprovalDeadlineHandler>();
        builder.Services.AddMentorRequests<EngineeringMentorDirectory>(service, routePrefix);
        return builder;
    }

    /// <summary>The events an owner of shared resources subscribes to.</summary>
    public static void AddSharingConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<QualificationsConsumer>();
        bus.AddConsumer<BundlePartsConsumer>();
        bus.AddMentorRequestConsumers();
    }

    public static WebApplication MapResourceSharingApi(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<SharingOptions>();
        app.MapResourcesApi(options);
        app.MapBookingsApi(options);
        app.MapCalendarFeedsApi(options);
        app.MapEngineeringMentorsApi(options);
        app.MapMentorRequestsApi();
        return app;
    }
}
