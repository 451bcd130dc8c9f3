using System.Net.Http.Headers;
using CollabTraining.Demo;
using CollabTraining.ServiceDefaults.Security;

namespace CollabTraining.Tests.Support;

/// <summary>Tokens for tests, signed exactly as the gateway's development issuer signs them.</summary>
public static class TestAuth
{
    public const string SigningKey = "test-signing-key-0123456789-abcdefghijklmnop";

    private static readonly DevelopmentTokenIssuer Issuer = new(
        new AuthOptions { DevelopmentIssuer = new DevelopmentIssuerOptions { SigningKey = SigningKey } },
        TimeProvider.System);

    public static DemoUser User(string userName) =>
        DemoDirectory.FindUser(userName) ?? throw new ArgumentException($"No demo user {userName}", nameof(userName));

    public static string TokenFor(string userName) => Issuer.Issue(User(userName));

    /// <summary>A client with a token for someone outside the demo directory (odd role sets a real identity provider may send).</summary>
    public static HttpClient AsSomeone(this HttpClient client, Guid organisationId, string organisationKind, params string[] roles)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Issuer.Issue(Guid.NewGuid(), "Someone", organisationId, organisationKind, roles));
        return client;
    }

    public static HttpClient As(this HttpClient client, string userName)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TokenFor(userName));
        return client;
    }

    public const string StMarysCoordinator = "coordinator@st-marys.demo";
    public const string RiversideCoordinator = "coordinator@riverside.demo";
    public const string SchoolCoordinator = "coordinator@northbridge.demo";
    public const string PlatformAdmin = "admin@northbridge.demo";
    public const string Student = "student001@northbridge.demo";
}
