using System.Text.Json;
using CollabTraining.Domain;
using CollabTraining.ServiceDefaults.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CollabTraining.ServiceDefaults.Problems;

public static class ProblemDetailsExtensions
{
    /// <summary>
    /// Every error leaves as RFC 9457 problem details. Requests the framework cannot bind (malformed JSON,
    /// wrong types) become a 400 naming what was wrong, never a 500 or an empty body.
    /// </summary>
    public static IHostApplicationBuilder AddPlatformProblemDetails(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            ctx.ProblemDetails.Extensions.TryAdd("traceId", System.Diagnostics.Activity.Current?.TraceId.ToString() ?? ctx.HttpContext.TraceIdentifier);
            ctx.ProblemDetails.Type ??= TypeOf(ctx.ProblemDetails.Status ?? ctx.HttpContext.Response.StatusCode);
            if (ctx.ProblemDetails is HttpValidationProblemDetails validation)
            {
                CamelCaseKeys(validation.Errors);
            }
        });
        builder.Services.ConfigureHttpJsonOptions(o => StrictJson.Apply(o.SerializerOptions));
        builder.Services.AddSingleton<IProblemDetailsWriter, JsonProblemDetailsWriter>();
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddExceptionHandler<DomainRuleExceptionHandler>();
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        // Each assembly that maps endpoints calls AddValidation() itself too: the generated validators are
        // registered per calling assembly.
        builder.Services.AddValidation();
        return builder;
    }

    /// <summary>
    /// Error keys name fields as the JSON does (<c>requirements.minimumStudyYear</c>, not
    /// <c>Requirements.MinimumStudyYear</c>): the built-in validation uses the C# member names (README, decision
    /// notes), so every key is camel-cased here, once, for every service.
    /// </summary>
    public static void CamelCaseKeys(IDictionary<string, string[]> errors)
    {
        foreach (var key in errors.Keys.ToList())
        {
            var camel = string.Join('.', key.Split('.').Select(part => part.Length > 0 && char.IsUpper(part[0]) ? char.ToLowerInvariant(part[0]) + part[1..] : part));
            if (camel != key)
            {
                var messages = errors[key];
                errors.Remove(key);
                errors[camel] = errors.TryGetValue(camel, out var existing) ? [.. existing, .. messages] : messages;
            }
        }
    }

    /// <summary>
    /// The RFC section each status is defined in, for the statuses ASP.NET Core leaves without a <c>type</c>
    /// (it fills in the common ones itself).
    /// </summary>
    public static string? TypeOf(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "https://tools.ietf.org/html/rfc9110#section-15.5.1",
        StatusCodes.Status401Unauthorized => "https://tools.ietf.org/html/rfc9110#section-15.5.2",
        StatusCodes.Status403Forbidden => "https://tools.ietf.org/html/rfc9110#section-15.5.4",
        StatusCodes.Status404NotFound => "https://tools.ietf.org/html/rfc9110#section-15.5.5",
        StatusCodes.Status409Conflict => "https://tools.ietf.org/html/rfc9110#section-15.5.10",
        StatusCodes.Status412PreconditionFailed => "https://tools.ietf.org/html/rfc9110#section-15.5.13",
        StatusCodes.Status413PayloadTooLarge => "https://tools.ietf.org/html/rfc9110#section-15.5.14",
        StatusCodes.Status414UriTooLong => "https://tools.ietf.org/html/rfc9110#section-15.5.15",
        StatusCodes.Status415UnsupportedMediaType => "https://tools.ietf.org/html/rfc9110#section-15.5.16",
        StatusCodes.Status429TooManyRequests => "https://tools.ietf.org/html/rfc6585#section-4",
        StatusCodes.Status431RequestHeaderFieldsTooLarge => "https://tools.ietf.org/html/rfc6585#section-5",
        StatusCodes.Status503ServiceUnavailable => "https://tools.ietf.org/html/rfc9110#section-15.6.4",
        _ => null,
    };
}

/// <summary>
/// Turns binding failures into a 400 (or 413/415) problem with the reason. A body that is not valid JSON,
/// holds a wrong type, a forbidden character or the all-zero id names the field (JSON path, camelCase) in
/// <c>errors</c>, like any validation problem.
/// </summary>
internal sealed partial class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        var (field, reason) = bad.InnerException is JsonException json
            ? (FieldOf(json.Path), CutPath(json.Message))
            : bad.Message.Contains("was not provided from body", StringComparison.Ordinal) || bad.Message.Contains("no body was provided", StringComparison.Ordinal)
                ? ("body", "A JSON body is required.")
                : (ParameterOf(bad.Message), bad.Message);
        httpContext.Response.StatusCode = bad.StatusCode;
        var details = bad.StatusCode == StatusCodes.Status400BadRequest && field is not null
            ? new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [reason] })
            : new ProblemDetails();
        details.Status = bad.StatusCode;
        details.Title = bad.StatusCode == StatusCodes.Status400BadRequest ? "The request is malformed." : "The request was refused.";
        details.Detail = field is null ? reason : $"{field}: {reason}";
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, Exception = exception, ProblemDetails = details });
    }

    /// <summary><c>$.requirements.allowedProgrammes[0]</c> becomes <c>requirements.allowedProgrammes[0]</c>; the body itself is <c>body</c>.</summary>
    private static string? FieldOf(string? path) => path switch
    {
        null => null,
        "$" => "body",
        _ => path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$'),
    };

    private static string CutPath(string message)
    {
        var at = message.IndexOf(" Path:", StringComparison.Ordinal);
        return at > 0 ? message[..at] : message;
    }

    /// <summary>The parameter named in a route or query binding failure (<c>Failed to bind parameter "int page" from "x"</c>).</summary>
    private static string? ParameterOf(string message) =>
        ParameterPattern().Match(message) is { Success: true } m ? m.Groups["name"].Value : null;

    [System.Text.RegularExpressions.GeneratedRegex("parameter \"(?:[^\"]* )?(?<name>[A-Za-z_][A-Za-z0-9_]*)\"")]
    private static partial System.Text.RegularExpressions.Regex ParameterPattern();
}

/// <summary>A domain rule's meaning becomes its status here, and nowhere else.</summary>
internal sealed class DomainRuleExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not DomainRuleException rule)
        {
            return false;
        }

        var (status, title) = rule.Meaning switch
        {
            RuleMeaning.NotFound => (StatusCodes.Status404NotFound, "Not found."),
            RuleMeaning.Conflict => (StatusCodes.Status409Conflict, "The request conflicts with the current state."),
            RuleMeaning.Forbidden => (StatusCodes.Status403Forbidden, "You may not do this."),
            _ => (StatusCodes.Status400BadRequest, "The request breaks a rule."),
        };
        var details = rule.Meaning == RuleMeaning.Invalid && rule.Field is { } field
            ? new HttpValidationProblemDetails(new Dictionary<string, string[]> { [field] = [rule.Message] })
            : new ProblemDetails();
        details.Status = status;
        details.Title = title;
        details.Detail = rule.Message;
        foreach (var (key, value) in rule.Details)
        {
            details.Extensions[key] = value;
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = httpContext, Exception = exception, ProblemDetails = details });
    }
}

