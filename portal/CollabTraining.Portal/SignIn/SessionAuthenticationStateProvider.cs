using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;

namespace CollabTraining.Portal.SignIn;

/// <summary>
/// A circuit outlives the request that started it, so its user is checked again while the page is open: once the access
/// token has expired the page is signed out (and sent to sign in) instead of calling the API with a dead token.
/// </summary>
public sealed class SessionAuthenticationStateProvider(ILoggerFactory loggers, PortalOptions options, TimeProvider time)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => options.SessionCheckInterval;

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        Task.FromResult(Session.IsValid(authenticationState.User, time.GetUtcNow()));
}
