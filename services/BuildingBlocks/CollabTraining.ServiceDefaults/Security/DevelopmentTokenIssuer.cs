using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CollabTraining.ServiceDefaults.Security;

/// <summary>Signs tokens with the platform's claims. Exists only where the development issuer is configured.</summary>
public sealed class DevelopmentTokenIssuer(AuthOptions options, TimeProvider timeProvider)
{
    private readonly SigningCredentials _credentials =
        new(options.DevelopmentIssuer.CreateKey(), SecurityAlgorithms.HmacSha256);

    public string Issue(Guid userId, string name, Guid organisationId, string organisationKind, IEnumerable<string> roles)
    {
        var claims = new List<Claim>
        {
            new(PlatformClaims.UserId, userId.ToString()),
            new(PlatformClaims.Name, name),
            new(PlatformClaims.OrganisationId, organisationId.ToString()),
            new(PlatformClaims.OrganisationKind, organisationKind),
        };
        claims.AddRange(roles.Select(r => new Claim(PlatformClaims.Role, r)));

        var now = timeProvider.GetUtcNow().UtcDateTime;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.DevelopmentIssuer.Issuer,
            Audience = options.Audience,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + options.DevelopmentIssuer.TokenLifetime,
            SigningCredentials = _credentials,
        });
    }
}
