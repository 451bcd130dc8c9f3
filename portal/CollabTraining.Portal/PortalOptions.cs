namespace CollabTraining.Portal;

/// <summary>Settings under <c>Portal</c>.</summary>
public sealed class PortalOptions
{
    public const string Section = "Portal";

    /// <summary>Where the gateway answers; every API call and the development sign-in go there.</summary>
    public Uri Gateway { get; set; } = new("http://127.0.0.1:5100");

    /// <summary>
    /// Addresses of the proxies in front of the portal (the gateway) whose <c>X-Forwarded-*</c> headers are believed,
    /// besides the loopback addresses: the browser's address, scheme and host come from them.
    /// </summary>
    public IList<string> KnownProxies { get; } = [];

    /// <summary>How often the notification bell asks for the unread count.</summary>
    public TimeSpan NotificationPollInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often an open page checks that the signed-in user's token is still valid.</summary>
    public TimeSpan SessionCheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    public PortalOidcOptions Oidc { get; set; } = new();
}

/// <summary>
/// The portal as a client of the OIDC authority (<c>Auth:Authority</c>), used when no development issuer is configured:
/// <c>Portal:Oidc:ClientId</c>, <c>Portal:Oidc:ClientSecret</c>, <c>Portal:Oidc:Scopes</c>.
/// </summary>
public sealed class PortalOidcOptions
{
    public string ClientId { get; set; } = "collabtraining-portal";

    public string? ClientSecret { get; set; }

    /// <summary>Scopes asked for besides <c>openid</c> and <c>profile</c>; the API's audience usually needs one.</summary>
    public IList<string> Scopes { get; } = [];
}
