using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;

namespace CollabTraining.ServiceDefaults.Http;

/// <summary>Entity tags from versions, and <c>If-Match</c> as RFC 9110 reads it.</summary>
public static class ETags
{
    public static string Of(long version) => $"\"{version}\"";

    /// <summary>
    /// True when there is no <c>If-Match</c>, when it is <c>*</c> (the resource exists, any version), or when one of
    /// its tags is the current version, compared strongly as RFC 9110 requires for If-Match (a weak tag never matches).
    /// </summary>
    public static bool Matches(string? ifMatch, long version)
    {
        if (string.IsNullOrWhiteSpace(ifMatch))
        {
            return true;
        }

        if (ifMatch.Trim() == "*")
        {
            return true;
        }

        return EntityTagHeaderValue.TryParseList(ifMatch.Split(','), out var tags)
            && tags.Any(t => !t.IsWeak && t.Tag.Equals(Of(version), StringComparison.Ordinal));
    }

    public static ProblemHttpResult PreconditionFailed(string what, long version) =>
        TypedResults.Problem(
            title: $"The {what} has changed since you read it.",
            detail: $"It is now at version {version} (ETag {Of(version)}); reload it and apply your change again.",
            statusCode: StatusCodes.Status412PreconditionFailed);
}
