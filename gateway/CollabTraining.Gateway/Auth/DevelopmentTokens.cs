using System.ComponentModel.DataAnnotations;
using CollabTraining.Demo;
using CollabTraining.ServiceDefaults.Http;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CollabTraining.Gateway.Auth;

public sealed record TokenRequest([property: Required, StringLength(200)] string? UserName);

public sealed record TokenResponse(string AccessToken, string TokenType, int ExpiresIn, DemoUserResponse User);

public sealed record DemoUserResponse(Guid Id, string UserName, string DisplayName, Guid OrganisationId, string OrganisationName, string OrganisationKind, IReadOnlyList<string> Roles)
{
    public static DemoUserResponse From(DemoUser u) =>
        new(u.Id, u.UserName, u.DisplayName, u.Organisation.Id, u.Organisation.Name, u.Organisation.Kind, u.Roles);
}

/// <summary>
/// The development issuer: <c>POST /auth/token</c> signs a token for a seeded demo user. Mapped only when
/// <c>Auth:DevelopmentIssuer:SigningKey</c> is set; with an OIDC authority the route does not exist.
/// </summary>
public static class DevelopmentTokens
{
    public static WebApplicationBuilder AddDevelopmentTokens(this WebApplicationBuilder builder)
    {
        var auth = builder.Configuration.GetAuthOptions();
        if (auth.DevelopmentIssuer.Enabled && string.IsNullOrWhiteSpace(auth.Authority))
        {
            builder.Services.AddSingleton(sp => new DevelopmentTokenIssuer(auth, sp.GetRequiredService<TimeProvider>()));
        }

        return builder;
    }

    public static void MapDevelopmentTokens(this WebApplication app)
    {
        if (app.Services.GetService<DevelopmentTokenIssuer>() is null)
        {
            return;
        }

        var group = app.MapGroup("/auth").WithTags("Development sign-in").AllowAnonymous();
        group.MapPost("/token", IssueToken).WithName("IssueDevelopmentToken").WithSummary("Sign a token for a demo user")
            .WithDescription("Rate limited per client address (Gateway:RateLimit:SignInPermitLimit per SignInWindow); a refusal is a 429 with Retry-After.")
            .RequireRateLimiting(RateLimiting.PerUserRateLimiting.SignInPolicyName);
        group.MapGet("/users", () => TypedResults.Ok(DemoDirectory.Users.Where(u => !u.Roles.Contains(Roles.Student) || u.UserName.StartsWith("student00", StringComparison.Ordinal)).Select(DemoUserResponse.From)))
            .WithName("ListDemoUsers").WithSummary("Demo users (students: the first nine of 200 shown)");
    }

    public static Results<Ok<TokenResponse>, ProblemHttpResult> IssueToken(TokenRequest request, DevelopmentTokenIssuer issuer, IConfiguration configuration)
    {
        var user = DemoDirectory.FindUser(request.UserName!.Trim());
        if (user is null)
        {
            return TypedResults.Problem(
                title: "No such demo user.",
                detail: $"'{request.UserName}' is not a demo user; GET /auth/users lists them.",
                statusCode: StatusCodes.Status400BadRequest);
        }

        var lifetime = configuration.GetAuthOptions().DevelopmentIssuer.TokenLifetime;
        return TypedResults.Ok(new TokenResponse(issuer.Issue(user), "Bearer", (int)lifetime.TotalSeconds, DemoUserResponse.From(user)));
    }
}
