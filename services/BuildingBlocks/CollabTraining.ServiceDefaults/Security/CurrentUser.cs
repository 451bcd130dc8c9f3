using System.Security.Claims;
using CollabTraining.Domain;
using Microsoft.AspNetCore.Http;

namespace CollabTraining.ServiceDefaults.Security;

/// <summary>
/// Who is calling, read from the validated token once per request: an endpoint takes a <c>CurrentUser</c>
/// parameter and minimal APIs bind it through <see cref="BindAsync"/>. The checks of who may act on what
/// live here too, so every service asks the same questions the same way.
/// </summary>
public sealed record CurrentUser(Guid UserId, string Name, Guid OrganisationId, string OrganisationKind, IReadOnlySet<string> Roles)
{
    public bool IsInRole(string role) => Roles.Contains(role);

    public bool BelongsTo(Guid organisationId) => OrganisationId == organisationId;

    /// <summary>School staff as the <c>school-staff</c> policy defines them: the school's coordinators, teachers and staff.</summary>
    public bool IsSchoolStaff => OrganisationKind == OrganisationKinds.School && Policies.SchoolStaffRoles.Any(IsInRole);

    /// <summary>A coordinator of a hospital: offers, rankings and answers to the school are theirs.</summary>
    public bool IsHospitalCoordinator => OrganisationKind == OrganisationKinds.Hospital && IsInRole(Security.Roles.Coordinator);

    /// <summary>Refuses (403) unless the caller belongs to the organisation that owns the thing.</summary>
    public void EnsureMemberOf(Guid ownerOrganisationId, string refusal)
    {
        if (!BelongsTo(ownerOrganisationId))
        {
            throw DomainRuleException.Forbidden(refusal);
        }
    }

    /// <summary>Refuses (403) unless the caller is the person named.</summary>
    public void EnsureIs(Guid? userId, string refusal)
    {
        if (userId != UserId)
        {
            throw DomainRuleException.Forbidden(refusal);
        }
    }

    /// <summary>Refuses (403) unless the caller is that person or school staff (a student's own records).</summary>
    public void EnsureSelfOrSchoolStaff(Guid studentId, string refusal)
    {
        if (!IsSchoolStaff && UserId != studentId)
        {
            throw DomainRuleException.Forbidden(refusal);
        }
    }

    /// <summary>Minimal-API binding: the endpoint's <c>CurrentUser</c> parameter, or a 403 when the token lacks the platform claims.</summary>
    public static ValueTask<CurrentUser?> BindAsync(HttpContext context) =>
        ValueTask.FromResult<CurrentUser?>(From(context.User)
            ?? throw DomainRuleException.Forbidden("Your token does not carry the user and organisation the platform needs."));

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
