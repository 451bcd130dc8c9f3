using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CollabTraining.ServiceDefaults.Http;

/// <summary>The problem responses endpoints return, each with a title that says what happened and a detail that says why.</summary>
public static class Problems
{
    public static ProblemHttpResult NotFound(string what, Guid id) =>
        TypedResults.Problem(title: $"No such {what}.", detail: $"No {what} has id {id}.", statusCode: StatusCodes.Status404NotFound);

    public static ValidationProblem Invalid(string field, string error) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [error] });
}

public static class Paging
{
    /// <summary>Far beyond any real list, and small enough that (page - 1) * pageSize never overflows.</summary>
    public const int MaxPage = 100_000;
}

/// <summary>One page of a list.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, int Total);

/// <summary>Free-text search in SQL: a LIKE pattern that finds the text anywhere, its wildcards escaped with <see cref="Escape"/>.</summary>
public static class LikePatterns
{
    public const string Escape = "\\";

    public static string Containing(string text) =>
        "%" + text.Trim().Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
}
