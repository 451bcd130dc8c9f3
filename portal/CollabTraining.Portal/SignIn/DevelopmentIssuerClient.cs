using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CollabTraining.Portal.Api;

namespace CollabTraining.Portal.SignIn;

public sealed record DemoUser(Guid Id, string UserName, string DisplayName, Guid OrganisationId, string OrganisationName, string OrganisationKind, IReadOnlyList<string> Roles);

public sealed record IssuedToken(string AccessToken, string TokenType, int ExpiresIn, DemoUser User);

/// <summary>
/// The gateway's development issuer (<c>GET /auth/users</c>, <c>POST /auth/token</c>), called from the portal's server.
/// The gateway limits sign-ins per client address; every sign-in comes from the portal's address, so the browser's address
/// goes along in <c>X-Forwarded-For</c> (the gateway believes it from its configured trusted proxies only).
/// </summary>
public sealed class DevelopmentIssuerClient(HttpClient http, ILogger<DevelopmentIssuerClient> logger)
{
    public Task<ApiResult<List<DemoUser>>> UsersAsync(CancellationToken cancellationToken) =>
        SendAsync<List<DemoUser>>(new HttpRequestMessage(HttpMethod.Get, "auth/users"), cancellationToken);

    public Task<ApiResult<IssuedToken>> IssueAsync(string userName, IPAddress? browser, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "auth/token") { Content = JsonContent.Create(new { userName }) };
        if (browser is not null)
        {
            request.Headers.Add("X-Forwarded-For", browser.ToString());
        }

        return SendAsync<IssuedToken>(request, cancellationToken);
    }

    private async Task<ApiResult<T>> SendAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            try
            {
                using var response = await http.SendAsync(request, cancellationToken);
                if (!response.IsSuccessStatusCode)
                {
                    var problem = ApiProblem.Read(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
                    if (response.Headers.RetryAfter?.Delta is { } wait)
                    {
                        problem = problem with
                        {
                            Extensions = new Dictionary<string, JsonElement>(problem.Extensions) { ["retryAfter"] = JsonSerializer.SerializeToElement((int)Math.Ceiling(wait.TotalSeconds)) },
                        };
                    }

                    return ApiResult.Failure<T>(problem);
                }

                return ApiResult.Success<T>((await response.Content.ReadFromJsonAsync<T>(GatewayClient.Json, cancellationToken))!);
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                logger.LogWarning(ex, "The development issuer at the gateway could not be asked");
                return ApiResult.Failure<T>(ApiProblem.Unreachable("The gateway's sign-in did not answer; try again in a moment."));
            }
        }
    }
}
