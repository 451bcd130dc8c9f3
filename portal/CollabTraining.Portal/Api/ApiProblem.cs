using System.Net;
using System.Text.Json;

namespace CollabTraining.Portal.Api;

/// <summary>
/// An RFC 9457 (7807) problem as the API sent it: what happened (<see cref="Title"/>), why (<see cref="Detail"/>),
/// the platform's stable <see cref="Reason"/> code where it gives one (<c>full</c>, <c>over-budget</c>, …) and, for a
/// 400, the messages per field (<see cref="Errors"/>, keyed as the JSON names fields: <c>requirements.minimumStudyYear</c>).
/// </summary>
public sealed record ApiProblem(
    int Status,
    string Title,
    string? Detail,
    string? Type,
    string? Reason,
    IReadOnlyDictionary<string, string[]> Errors,
    IReadOnlyDictionary<string, JsonElement> Extensions)
{
    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();
    private static readonly IReadOnlyDictionary<string, JsonElement> NoExtensions = new Dictionary<string, JsonElement>();
    private static readonly HashSet<string> Standard = new(StringComparer.Ordinal) { "type", "title", "status", "detail", "instance", "errors" };

    /// <summary>The messages the API gave for one field (none when it named no such field).</summary>
    public IReadOnlyList<string> For(string field) => Errors.TryGetValue(field, out var messages) ? messages : [];

    /// <summary>One line for a snackbar or an alert: the detail where there is one, else the title.</summary>
    public string Summary => string.IsNullOrWhiteSpace(Detail) ? Title : Detail;

    /// <summary>The gateway could not be reached, or did not answer in time.</summary>
    public static ApiProblem Unreachable(string detail) =>
        new((int)HttpStatusCode.ServiceUnavailable, "The platform could not be reached.", detail, null, null, NoErrors, NoExtensions);

    /// <summary>Reads a problem body; a body that is not one still gives the status and its reason phrase.</summary>
    public static ApiProblem Read(HttpStatusCode status, string? body)
    {
        var fallbackTitle = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase((int)status);
        if (string.IsNullOrWhiteSpace(body))
        {
            return new((int)status, fallbackTitle, null, null, null, NoErrors, NoExtensions);
        }

        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new((int)status, fallbackTitle, null, null, null, NoErrors, NoExtensions);
            }

            var errors = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
            if (root.TryGetProperty("errors", out var errorsElement) && errorsElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in errorsElement.EnumerateObject())
                {
                    errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                        ? [.. field.Value.EnumerateArray().Select(m => m.ValueKind == JsonValueKind.String ? m.GetString()! : m.ToString())]
                        : [field.Value.ToString()];
                }
            }

            // An "errors" that is not the per-field object (say, the student import's list of row and column) is kept as it came.
            var extensions = root.EnumerateObject().Where(p => !Standard.Contains(p.Name) || (p.Name == "errors" && p.Value.ValueKind != JsonValueKind.Object))
                .ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
            return new(
                root.TryGetProperty("status", out var s) && s.TryGetInt32(out var code) ? code : (int)status,
                Text(root, "title") ?? fallbackTitle,
                Text(root, "detail"),
                Text(root, "type"),
                Text(root, "reason"),
                errors,
                extensions);
        }
        catch (JsonException)
        {
            return new((int)status, fallbackTitle, null, null, null, NoErrors, NoExtensions);
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
