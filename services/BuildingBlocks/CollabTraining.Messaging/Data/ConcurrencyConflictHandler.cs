using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace CollabTraining.Messaging.Data;

/// <summary>
/// Two people changed the same thing at the same moment (an optimistic-concurrency token moved under one of
/// them): the later one gets a 409 telling them to reload, never a 500, and nothing of theirs is saved.
/// </summary>
public sealed class ConcurrencyConflictHandler(IProblemDetailsService problems) : IExceptionHandler
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
