using System.Security.Claims;

namespace CollabTraining.ServiceDefaults.Security;

/// <summary>Who is calling, read from the validated token.</summary>
public sealed record CurrentUser(Guid UserId, string Name, Guid OrganisationId, string OrganisationKind, IReadOnlySet<string> Roles)
{
    public bool IsInRole(string role) => Roles.Contains(role);

    public bool BelongsTo(Guid organisationId) => OrganisationId == organisationId;

    /// <summary>Reads the platform claims; null when a claim is missing or malformed.</summary>
    public static CurrentUser? From(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        if (!Guid.TryParse(principal.FindFirstValue(PlatformClaims.UserId), out var userId)
            || !Guid.TryParse(principal.FindFirstValue(PlatformClaims.OrganisationId), out var organisationId))
        {
            return null;
        }

        var roles = principal.FindAll(PlatformClaims.Role).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        return new CurrentUser(
            userId,
            principal.FindFirstValue(PlatformClaims.Name) ?? string.Empty,
            organisationId,
            principal.FindFirstValue(PlatformClaims.OrganisationKind) ?? string.Empty,
            roles);
    }
}
