using System.Security.Claims;
using Bunit;
using CollabTraining.Portal;
using CollabTraining.Portal.Api;
using CollabTraining.Portal.Catalog;
using CollabTraining.Portal.Notifications;
using CollabTraining.Portal.SignIn;
using CollabTraining.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using MudBlazor;
using MudBlazor.Services;

namespace CollabTraining.Tests.Portal;

/// <summary>
/// A portal component rendered by bUnit as a signed-in demo user, its API calls going through the real
/// <see cref="GatewayClient"/> and <see cref="BearerTokenHandler"/> to a <see cref="FakeGateway"/>.
/// </summary>
public sealed class PortalComponentContext : BunitContext
{
    public PortalComponentContext(string userName = TestAuth.Student)
    {
        UserName = userName;
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices(o =>
        {
            o.SnackbarConfiguration.ShowTransitionDuration = 0;
            o.SnackbarConfiguration.HideTransitionDuration = 0;
        });
        Services.AddLocalization();
        Services.AddSingleton(new PortalOptions());
        Services.AddSingleton(TimeProvider.System);
        Services.AddAuthorizationCore();
        Services.AddCascadingAuthenticationState();
        var user = TestAuth.User(userName);
        Principal = Session.Create(TestAuth.TokenFor(userName), DateTimeOffset.UtcNow.AddHours(1), user.Organisation.Name);
        Services.AddSingleton<AuthenticationStateProvider>(new FixedAuthenticationState(Principal));

        // The circuit's services, as CircuitServicesHandler sets them while a circuit handles activity.
        Circuit.Services = Services;
        Services.AddSingleton(Circuit);
        Services.AddScoped(sp => new GatewayClient(
            new HttpClient(new BearerTokenHandler(Circuit, new HttpContextAccessor()) { InnerHandler = Gateway }) { BaseAddress = new Uri("http://gateway.test/") },
            sp.GetRequiredService<NavigationManager>(),
            NullLogger<GatewayClient>.Instance));
        Services.AddPortalClients();
    }

    public string UserName { get; }

    public ClaimsPrincipal Principal { get; }

    public FakeGateway Gateway { get; } = new();

    public CircuitServicesAccessor Circuit { get; } = new();

    public ISnackbar Snackbar => Services.GetRequiredService<ISnackbar>();

    /// <summary>The component with the providers its popovers and snackbars render into, as the layout has them.</summary>
    public IRenderedComponent<TComponent> RenderWithProviders<TComponent>(params (string Name, object? Value)[] parameters)
        where TComponent : IComponent
    {
        var host = Render(builder =>
        {
            builder.OpenComponent<MudPopoverProvider>(0);
            builder.CloseComponent();
            builder.OpenComponent<MudSnackbarProvider>(1);
            builder.CloseComponent();
            builder.OpenComponent<TComponent>(2);
            foreach (var (name, value) in parameters)
            {
                builder.AddComponentParameter(3, name, value);
            }

            builder.CloseComponent();
        });
        _page = host;
        return host.FindComponent<TComponent>();
    }

    private IRenderedComponent<IComponent>? _page;

    /// <summary>The whole page's markup, providers included (popovers and snackbars render there, not inside the component).</summary>
    public string PageMarkup => _page?.Markup ?? string.Empty;

    public AngleSharp.Dom.IElement FindInPage(string selector) => _page!.Find(selector);

    public IReadOnlyList<AngleSharp.Dom.IElement> FindAllInPage(string selector) => _page!.FindAll(selector);

    private sealed class FixedAuthenticationState(ClaimsPrincipal user) : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() => Task.FromResult(new AuthenticationState(user));
    }
}
