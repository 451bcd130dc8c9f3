using CollabTraining.Domain;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CollabTraining.ServiceDefaults.Http;

/// <summary>
/// Query parameters and route values follow the rules bodies follow (<see cref="PlainTextJsonConverter"/>,
/// <see cref="IdJsonConverter"/>): no control or invisible formatting characters, no value longer than
/// <see cref="MaxValueLength"/>, and the all-zero GUID is not an id. A breach is a 400 naming the parameter,
/// before any endpoint runs.
/// </summary>
public static class PlainTextQueries
{
    public const int MaxValueLength = 1000;

    public static IApplicationBuilder UsePlainTextQueries(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var values = context.Request.Query.SelectMany(q => q.Value.Select(v => (q.Key, Value: v)))
            .Concat(context.Request.RouteValues.Select(r => (r.Key, Value: r.Value as string)));
        foreach (var (key, value) in values)
        {
            var problem = value is null ? null
                : value.Length > MaxValueLength ? $"At most {MaxValueLength} characters."
                : value.Any(c => char.IsControl(c) || PlainText.IsForbidden(c)) ? "The value holds a control or invisible formatting character."
                : Guid.TryParse(value, out var id) && id == Guid.Empty ? "The all-zero GUID is not an id."
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
