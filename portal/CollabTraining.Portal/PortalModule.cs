using CollabTraining.Portal.Api;
using CollabTraining.Portal.Components;
using CollabTraining.Portal.Localization;
using CollabTraining.Portal.SignIn;
using CollabTraining.ServiceDefaults;
using MudBlazor.Services;
using OpenTelemetry.Trace;

namespace CollabTraining.Portal;

/// <summary>Marks the portal for test hosts.</summary>
public sealed class PortalMarker;

public static class PortalModule
{
    public const string ServiceName = "portal";

    public static WebApplicationBuilder AddPortal(this WebApplicationBuilder builder)
    {
        // run.sh and the end-to-end tests run the build output as it is: its static files (the framework's, MudBlazor's)
        // are found through the build's manifest, which only development would read by itself.
        builder.WebHost.UseStaticWebAssets();

        var options = builder.Configuration.GetSection(PortalOptions.Section).Get<PortalOptions>() ?? new PortalOptions();
        builder.Services.AddSingleton(options);
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddMudServices();
        builder.Services.AddLocalization();
        // Chinese text is sent as text, not as numeric character references (a third of the page's size otherwise).
        builder.Services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        builder.AddPortalSignIn(options);
        builder.AddGatewayClient(options);
        builder.Services.AddPortalClients();

        // A user's action in a page (an event, a navigation) is the root of its trace; the API calls it makes are its children.
        builder.Services.ConfigureOpenTelemetryTracerProvider(t => t
            .AddSource("Microsoft.AspNetCore.Components")
            .AddSource("Microsoft.AspNetCore.Components.Server.Circuits"));
        return builder;
    }

    public static WebApplication MapPortal(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseExceptionHandler("/error", createScopeForErrors: true);
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseRequestLocalization(PortalCultures.Options());
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapPlatformHealth();
        app.MapStaticAssets().AllowAnonymous();
        app.MapSignIn();
        app.MapCultureSwitch();
        School.SchoolExports.MapSchoolExports(app);
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
