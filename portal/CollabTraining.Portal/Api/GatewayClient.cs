using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Components;

namespace CollabTraining.Portal.Api;

/// <summary>
/// The platform's API as the signed-in user sees it, through the gateway (<c>Portal:Gateway</c>). A typed client: the
/// <see cref="BearerTokenHandler"/> in its pipeline attaches the user's token, and every answer comes back as an
/// <see cref="ApiResult{T}"/>. A 401 means the user's token is no longer accepted: the page is sent to sign in again.
/// </summary>
public sealed class GatewayClient(HttpClient http, NavigationManager navigation, ILogger<GatewayClient> logger)
{
    /// <summary>How the API writes JSON: camelCase, enums by name.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public Task<ApiResult<T>> GetAsync<T>(string path, CancellationToken cancellationToken = default) =>
        SendAsync<T>(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    public Task<ApiResult<T>> PostAsync<T>(string path, object? body, CancellationToken cancellationToken = default) =>
        SendAsync<T>(new HttpRequestMessage(HttpMethod.Post, path) { Content = Body(body) }, cancellationToken);

    public Task<ApiResult<T>> PutAsync<T>(string path, object? body, CancellationToken cancellationToken = default) =>
        SendAsync<T>(new HttpRequestMessage(HttpMethod.Put, path) { Content = Body(body) }, cancellationToken);

    public Task<ApiResult<T>> DeleteAsync<T>(string path, CancellationToken cancellationToken = default) =>
        SendAsync<T>(new HttpRequestMessage(HttpMethod.Delete, path), cancellationToken);

    /// <summary>Sends any request (say, with an <c>If-Match</c> header); the caller's cancellation is passed on as an exception.</summary>
    public async Task<ApiResult<T>> SendAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        using (request)
        {
            try
            {
                using var response = await http.SendAsync(request, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0
                        ? ApiResult.Success<T>(default!)
                        : ApiResult.Success<T>((await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!);
                }

                var problem = ApiProblem.Read(response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    SignInAgain();
                }

                return ApiResult.Failure<T>(problem);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or JsonException or Polly.ExecutionRejectedException)
            {
                logger.LogWarning(ex, "{Method} {Path} through the gateway failed", request.Method, request.RequestUri);
                return ApiResult.Failure<T>(ex is JsonException
                    ? ApiProblem.Unreachable("The platform's answer could not be read.")
                    : ApiProblem.Unreachable("The gateway did not answer; try again in a moment."));
            }
        }
    }

    private void SignInAgain()
    {
        try
        {
            var here = navigation.ToBaseRelativePath(navigation.Uri);
            navigation.NavigateTo($"signin?expired=true&returnUrl={Uri.EscapeDataString("/" + here)}", forceLoad: true);
        }
        catch (InvalidOperationException)
        {
            // Outside a page (no navigation yet): the caller shows the 401 problem instead.
        }
    }

    private static JsonContent? Body(object? body) => body is null ? null : JsonContent.Create(body, body.GetType(), options: Json);
}
