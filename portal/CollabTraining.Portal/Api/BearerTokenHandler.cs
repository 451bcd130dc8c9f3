using System.Net.Http.Headers;
using System.Security.Claims;
using CollabTraining.Portal.SignIn;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace CollabTraining.Portal.Api;

/// <summary>
/// Attaches the signed-in user's access token to every call to the gateway. The token lives in the user's principal
/// (a claim of the sign-in cookie). Inside a Blazor circuit there is no <c>HttpContext</c> and the HTTP client's handlers
/// run in a scope of their own, so the principal is read from the circuit's <see cref="AuthenticationStateProvider"/>,
/// reached through <see cref="CircuitServicesAccessor"/>; outside a circuit (a portal endpoint) from the request's user.
/// </summary>
public sealed class BearerTokenHandler(CircuitServicesAccessor circuit, IHttpContextAccessor http) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (await UserAsync() is { } user && Session.AccessToken(user) is { } token)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await base.SendAsync(request, cancellationToken);
    }

    private async Task<ClaimsPrincipal?> UserAsync()
    {
        if (circuit.Services?.GetService<AuthenticationStateProvider>() is { } state)
        {
            return (await state.GetAuthenticationStateAsync()).User;
        }

        return http.HttpContext?.User;
    }
}

/// <summary>The services of the circuit whose inbound activity (an event, a render, JS interop) is running now.</summary>
public sealed class CircuitServicesAccessor
{
    private static readonly AsyncLocal<IServiceProvider?> Current = new();

    public IServiceProvider? Services
    {
        get => Current.Value;
        set => Current.Value = value;
    }
}

/// <summary>Makes the circuit's services visible to <see cref="CircuitServicesAccessor"/> while the circuit handles activity.</summary>
public sealed class CircuitServicesHandler(IServiceProvider services, CircuitServicesAccessor accessor) : CircuitHandler
{
    public override Func<CircuitInboundActivityContext, Task> CreateInboundActivityHandler(Func<CircuitInboundActivityContext, Task> next) =>
        async context =>
        {
            accessor.Services = services;
            try
            {
                await next(context);
            }
            finally
            {
                accessor.Services = null;
            }
        };
}
