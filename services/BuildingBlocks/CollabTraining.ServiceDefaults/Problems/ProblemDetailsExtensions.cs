using System.Text.Json;
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
        });
        builder.Services.AddExceptionHandler<BadRequestExceptionHandler>();
        builder.Services.AddExceptionHandler<DomainRuleExceptionHandler>();
        builder.Services.AddExceptionHandler<ConcurrencyConflictHandler>();
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        // Each assembly that maps endpoints calls AddValidation() itself too: the generated validators are
        // registered per calling assembly.
        builder.Services.AddValidation();
        return builder;
    }
}

/// <summary>Turns binding failures into a 400 (or 413/415) problem with the reason.</summary>
internal sealed class BadRequestExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not BadHttpRequestException bad)
        {
            return false;
        }

        var detail = bad.InnerException is JsonException json
            ? $"{bad.Message} {json.Message}"
            : bad.Message;
        httpContext.Response.StatusCode = bad.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = bad.StatusCode,
                Title = bad.StatusCode == StatusCodes.Status400BadRequest ? "The request is malformed." : "The request was refused.",
                Detail = detail,
            },
        });
    }
}

/// <summary>A business rule the request broke; the message says which, in the user's words.</summary>
public class DomainRuleException(string message, int statusCode = StatusCodes.Status400BadRequest) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}

/// <summary>A rule a domain object enforces (the last line behind request validation) becomes a 4xx, never a 500.</summary>
internal sealed class DomainRuleExceptionHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not DomainRuleException rule)
        {
            return false;
        }

        httpContext.Response.StatusCode = rule.StatusCode;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = rule.StatusCode, Title = "The request breaks a rule.", Detail = rule.Message },
        });
    }
}

/// <summary>
/// Two people changed the same thing at the same moment (an optimistic-concurrency token moved under one of
/// them): the later one gets a 409 telling them to reload, never a 500, and nothing of theirs is saved.
/// </summary>
internal sealed class ConcurrencyConflictHandler(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is not Microsoft.EntityFrameworkCore.DbUpdateConcurrencyException && !IsDuplicateKey(exception))
        {
            return false;
        }

        httpContext.Response.StatusCode = StatusCodes.Status409Conflict;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails =
            {
                Status = StatusCodes.Status409Conflict,
                Title = "Someone else changed this at the same moment.",
                Detail = "Nothing of your request was saved; reload and try again.",
            },
        });
    }

    /// <summary>Two first-time inserts of the same key at once (the check before the insert raced).</summary>
    private static bool IsDuplicateKey(Exception exception) =>
        exception is Microsoft.EntityFrameworkCore.DbUpdateException { InnerException: var inner }
        && inner switch
        {
            Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 1555 or 2067,
            Microsoft.Data.SqlClient.SqlException sql => sql.Number is 2601 or 2627,
            _ => false,
        };
}
