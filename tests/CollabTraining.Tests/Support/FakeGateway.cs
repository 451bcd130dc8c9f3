using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;

namespace CollabTraining.Tests.Support;

/// <summary>A request the portal sent to the gateway, as the gateway would have seen it.</summary>
public sealed record SentRequest(HttpMethod Method, string Path, IReadOnlyDictionary<string, string> Query, string? Authorization, IReadOnlyDictionary<string, string> Headers, string? Body);

/// <summary>
/// The gateway as a portal test needs it: answers per method and path (the last matching rule wins), and every request
/// recorded, so a test asserts what the portal asked for (the page, the filter, the token).
/// </summary>
public sealed class FakeGateway : HttpMessageHandler
{
    private readonly List<(HttpMethod Method, string Path, Func<SentRequest, HttpResponseMessage> Answer)> _rules = [];

    public ConcurrentQueue<SentRequest> Requests { get; } = new();

    public IEnumerable<SentRequest> To(string path) => Requests.Where(r => r.Path == path);

    public FakeGateway On(HttpMethod method, string path, Func<SentRequest, HttpResponseMessage> answer)
    {
        lock (_rules)
        {
            _rules.Add((method, path, answer));
        }

        return this;
    }

    public FakeGateway OnJson(HttpMethod method, string path, Func<SentRequest, object> body) =>
        On(method, path, r => Json(HttpStatusCode.OK, body(r)));

    public static HttpResponseMessage Json(HttpStatusCode status, object body) =>
        new(status) { Content = JsonContent.Create(body, options: new JsonSerializerOptions(JsonSerializerDefaults.Web)) };

    public static HttpResponseMessage Problem(HttpStatusCode status, object problem)
    {
        var response = Json(status, problem);
        response.Content.Headers.ContentType = new("application/problem+json");
        return response;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var uri = request.RequestUri!;
        var sent = new SentRequest(
            request.Method,
            uri.AbsolutePath,
            QueryHelpers.ParseQuery(uri.Query).ToDictionary(q => q.Key, q => q.Value.ToString()),
            request.Headers.Authorization?.ToString(),
            request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase),
            request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken));
        Requests.Enqueue(sent);
        Func<SentRequest, HttpResponseMessage>? answer;
        lock (_rules)
        {
            answer = _rules.LastOrDefault(r => r.Method == request.Method && r.Path == sent.Path).Answer;
        }

        return answer?.Invoke(sent) ?? Problem(HttpStatusCode.NotFound, new { title = "Not found.", status = 404 });
    }
}
