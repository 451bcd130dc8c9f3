using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace CollabTraining.ServiceDefaults.Problems;

/// <summary>
/// Writes problem details as JSON whatever the request's <c>Accept</c> says. The built-in writer declines when
/// a client asks only for, say, <c>text/html</c>; an exception handler or middleware that then cannot write its
/// 404 or 429 turns into an empty 500. A client that cannot read JSON still gets the right status.
/// Registered after the built-in writer, so it only answers where that one declines.
/// </summary>
internal sealed class JsonProblemDetailsWriter(IOptions<ProblemDetailsOptions> problemOptions, IOptions<JsonOptions> jsonOptions) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) => true;

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        var details = context.ProblemDetails;
        details.Status ??= context.HttpContext.Response.StatusCode;

        // The built-in writer fills in the title from the status; a status-code page written here would have none.
        details.Title ??= Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(details.Status.Value) is { Length: > 0 } phrase ? phrase : null;
        problemOptions.Value.CustomizeProblemDetails?.Invoke(context);
        context.HttpContext.Response.ContentType = "application/problem+json";
        return new ValueTask(JsonSerializer.SerializeAsync(
            context.HttpContext.Response.Body, details, details.GetType(), jsonOptions.Value.SerializerOptions, context.HttpContext.RequestAborted));
    }
}
