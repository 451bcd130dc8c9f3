using System.Globalization;
using System.Text;

namespace CollabTraining.Portal.Api;

/// <summary>One page of a list, as every paged API answers (<c>items</c>, <c>pageNumber</c>, <c>pageSize</c>, <c>total</c>).</summary>
public sealed record ApiPage<T>(IReadOnlyList<T> Items, int PageNumber, int PageSize, int Total);

/// <summary>A path with its query: parameters without a value are left out, dates and numbers written as the API reads them.</summary>
public static class ApiQuery
{
    public static string Of(string path, params (string Name, object? Value)[] parameters)
    {
        var query = new StringBuilder(path);
        var first = !path.Contains('?', StringComparison.Ordinal);
        foreach (var (name, value) in parameters)
        {
            var text = value switch
            {
                null => null,
                string s => string.IsNullOrWhiteSpace(s) ? null : s.Trim(),
                bool b => b ? "true" : "false",
                DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                DateTimeOffset t => t.ToString("O", CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => value.ToString(),
            };
            if (text is null)
            {
                continue;
            }

            query.Append(first ? '?' : '&').Append(Uri.EscapeDataString(name)).Append('=').Append(Uri.EscapeDataString(text));
            first = false;
        }

        return query.ToString();
    }
}
