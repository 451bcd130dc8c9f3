using CollabTraining.ServiceDefaults.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CollabTraining.ServiceDefaults.Http;

/// <summary>
/// Query parameters follow the rule bodies follow (<see cref="PlainTextJsonConverter"/>): no control or
/// bidirectional-override characters, and no value longer than <see cref="MaxValueLength"/>. A breach is a
/// 400 naming the parameter, before any endpoint runs.
/// </summary>
public static class PlainTextQueries
{
    public const int MaxValueLength = 1000;

    public static IApplicationBuilder UsePlainTextQueries(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        foreach (var (key, values) in context.Request.Query)
        {
            var problem = values.Any(v => v is { Length: > MaxValueLength })
                ? $"At most {MaxValueLength} characters."
                : values.Any(v => v is not null && v.Any(c => char.IsControl(c) || PlainText.IsForbidden(c)))
                    ? "The value holds a control or invisible formatting character."
                    : null;
            if (problem is not null)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = context,
                    ProblemDetails = new HttpValidationProblemDetails(new Dictionary<string, string[]> { [key] = [problem] })
                    {
                        Status = StatusCodes.Status400BadRequest,
                        Title = "The request is malformed.",
                        Detail = $"{key}: {problem}",
                    },
                });
                return;
            }
        }

        await next(context);
    });
}
