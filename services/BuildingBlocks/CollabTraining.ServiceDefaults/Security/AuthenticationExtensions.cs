using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.Tokens;

namespace CollabTraining.ServiceDefaults.Security;

/// <summary>
/// Settings under <c>Auth</c>. Production names an OIDC <see cref="Authority"/>; local runs and tests use
/// the development issuer, a symmetric key shared by the gateway (which signs) and the services (which verify).
/// </summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    public string? Authority { get; set; }

    public string Audience { get; set; } = "collabtraining";

    public DevelopmentIssuerOptions DevelopmentIssuer { get; set; } = new();
}

public sealed class DevelopmentIssuerOptions
{
    /// <summary>At least 32 characters. Setting it enables the development issuer.</summary>
    public string? SigningKey { get; set; }

    public string Issuer { get; set; } = "collabtraining-dev";

    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(8);

    public bool Enabled => !string.IsNullOrEmpty(SigningKey);

    public SymmetricSecurityKey CreateKey()
    {
        if (SigningKey is null || Encoding.UTF8.GetByteCount(SigningKey) < 32)
        {
            throw new InvalidOperationException("Auth:DevelopmentIssuer:SigningKey must be at least 32 characters.");
        }

        return new SymmetricSecurityKey(Encoding.UTF8.GetBytes(SigningKey));
    }
}

public static class AuthenticationExtensions
{
    public static AuthOptions GetAuthOptions(this IConfiguration configuration) =>
        configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();

    /// <summary>JWT bearer authentication and the platform's authorisation policies.</summary>
    public static IHostApplicationBuilder AddPlatformAuthentication(this IHostApplicationBuilder builder)
    {
        var options = builder.Configuration.GetAuthOptions();
        if (string.IsNullOrWhiteSpace(options.Authority) && !options.DevelopmentIssuer.Enabled)
        {
            throw new InvalidOperationException(
                "No token issuer is configured: set Auth:Authority (OIDC) or Auth:DevelopmentIssuer:SigningKey (local runs).");
        }

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(jwt =>
            {
                jwt.MapInboundClaims = false;
                jwt.Audience = options.Audience;
                jwt.TokenValidationParameters.NameClaimType = PlatformClaims.Name;
                jwt.TokenValidationParameters.RoleClaimType = PlatformClaims.Role;
                jwt.TokenValidationParameters.ValidAudience = options.Audience;
                jwt.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30);
                if (!string.IsNullOrWhiteSpace(options.Authority))
                {
                    jwt.Authority = options.Authority;
                }
                else
                {
                    jwt.RequireHttpsMetadata = false;
                    jwt.TokenValidationParameters.ValidIssuer = options.DevelopmentIssuer.Issuer;
                    jwt.TokenValidationParameters.IssuerSigningKey = options.DevelopmentIssuer.CreateKey();
                }
            });

        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Authenticated, p => p.RequireAuthenticatedUser())
            .AddPolicy(Policies.HospitalStaff, p => p.RequireAuthenticatedUser()
                .RequireClaim(PlatformClaims.OrganisationKind, OrganisationKinds.Hospital)
                .RequireRole(Policies.HospitalStaffRoles))
            .AddPolicy(Policies.HospitalCoordinator, p => p.RequireAuthenticatedUser()
                .RequireClaim(PlatformClaims.OrganisationKind, OrganisationKinds.Hospital)
                .RequireRole(Roles.Coordinator))
            .AddPolicy(Policies.SchoolStaff, p => p.RequireAuthenticatedUser()
                .RequireClaim(PlatformClaims.OrganisationKind, OrganisationKinds.School)
                .RequireRole(Policies.SchoolStaffRoles))
            .AddPolicy(Policies.SchoolCoordinator, p => p.RequireAuthenticatedUser()
                .RequireClaim(PlatformClaims.OrganisationKind, OrganisationKinds.School)
                .RequireRole(Roles.Coordinator))
            .AddPolicy(Policies.Student, p => p.RequireAuthenticatedUser()
                .RequireClaim(PlatformClaims.OrganisationKind, OrganisationKinds.School)
                .RequireRole(Roles.Student))
            .AddPolicy(Policies.Admin, p => p.RequireAuthenticatedUser().RequireRole(Roles.Admin))
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());

        return builder;
    }
}
