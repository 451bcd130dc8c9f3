using System.Globalization;
using System.Security.Claims;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.IdentityModel.JsonWebTokens;

namespace CollabTraining.Portal.SignIn;

/// <summary>The claims the portal keeps in its sign-in cookie beside the platform's own (<see cref="PlatformClaims"/>).</summary>
public static class PortalClaims
{
    /// <summary>The access token the API is called with.</summary>
    public const string AccessToken = "access_token";

    /// <summary>When the access token expires, in Unix seconds; the session ends then.</summary>
    public const string AccessTokenExpires = "access_token_expires";

    /// <summary>The organisation's name, for the app bar (tokens carry only its id).</summary>
    public const string OrganisationName = "org_name";

    public const string AuthenticationType = "portal";
}

/// <summary>The signed-in session: a principal with the platform's claims and the access token with its expiry.</summary>
public static class Session
{
    /// <summary>
    /// The session principal for an access token: the platform's claims read from the token itself (the API trusts those,
    /// so the portal shows the same user the API sees) or, for a token that is not a JWT, from <paramref name="fallback"/>
    /// (the OIDC identity token's claims).
    /// </summary>
    public static ClaimsPrincipal Create(string accessToken, DateTimeOffset expiresAt, string? organisationName, ClaimsPrincipal? fallback = null)
    {
        IEnumerable<Claim> source;
        var handler = new JsonWebTokenHandler();
        if (handler.CanReadToken(accessToken))
        {
            var jwt = handler.ReadJsonWebToken(accessToken);
            source = jwt.Claims;
            if (jwt.ValidTo > DateTime.MinValue && jwt.ValidTo < expiresAt.UtcDateTime)
            {
                expiresAt = new DateTimeOffset(jwt.ValidTo, TimeSpan.Zero);
            }
        }
        else
        {
            source = fallback?.Claims ?? [];
        }

        string[] kept = [PlatformClaims.UserId, PlatformClaims.Name, PlatformClaims.OrganisationId, PlatformClaims.OrganisationKind, PlatformClaims.Role];
        var claims = source.Where(c => kept.Contains(c.Type)).Select(c => new Claim(c.Type, c.Value)).ToList();
        organisationName ??= (fallback ?? new ClaimsPrincipal()).FindFirstValue(PortalClaims.OrganisationName);
        if (!string.IsNullOrWhiteSpace(organisationName))
        {
            claims.Add(new Claim(PortalClaims.OrganisationName, organisationName));
        }

        claims.Add(new Claim(PortalClaims.AccessToken, accessToken));
        claims.Add(new Claim(PortalClaims.AccessTokenExpires, expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, PortalClaims.AuthenticationType, PlatformClaims.Name, PlatformClaims.Role));
    }

    public static string? AccessToken(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true ? user.FindFirstValue(PortalClaims.AccessToken) : null;

    public static DateTimeOffset? ExpiresAt(ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(PortalClaims.AccessTokenExpires), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    /// <summary>Signed in with a token that has not expired.</summary>
    public static bool IsValid(ClaimsPrincipal user, DateTimeOffset now) =>
        AccessToken(user) is { Length: > 0 } && ExpiresAt(user) is { } expires && expires > now;
}

/// <summary>The signed-in user as pages see them.</summary>
public sealed record PortalUser(Guid Id, string Name, Guid OrganisationId, string OrganisationName, string OrganisationKind, IReadOnlySet<string> Roles)
{
    public bool IsInRole(string role) => Roles.Contains(role);

    public bool IsStudent => OrganisationKind == OrganisationKinds.School && IsInRole(ServiceDefaults.Security.Roles.Student);

    /// <summary>School staff as the API's <c>school-staff</c> policy counts them.</summary>
    public bool IsSchoolStaff => OrganisationKind == OrganisationKinds.School && Policies.SchoolStaffRoles.Any(IsInRole);

    /// <summary>School staff who may run rounds, projects, imports and modules (the API's <c>school-coordinator</c> policy).</summary>
    public bool IsSchoolCoordinator => IsSchoolStaff && IsInRole(ServiceDefaults.Security.Roles.Coordinator);

    public bool IsHospitalStaff => OrganisationKind == OrganisationKinds.Hospital && Policies.HospitalStaffRoles.Any(IsInRole);

    /// <summary>Staff of an enterprise or an institute: the owners of shared resources.</summary>
    public bool IsResourceOwnerStaff => OrganisationKind is OrganisationKinds.Enterprise or OrganisationKinds.Institute;

    public static PortalUser? From(ClaimsPrincipal principal) =>
        CurrentUser.From(principal) is { } user
            ? new PortalUser(user.UserId, user.Name, user.OrganisationId, principal.FindFirstValue(PortalClaims.OrganisationName) ?? string.Empty, user.OrganisationKind, user.Roles)
            : null;
}
