using MudBlazor;

namespace CollabTraining.Portal.Api;

/// <summary>
/// The API's problem shown on one form: each message at the field it names, the rest in a snackbar.
/// A MudBlazor field takes its error with <c>@attributes="problems.At(&quot;title&quot;)"</c> (that sets <c>Error</c> and
/// <c>ErrorText</c>) and clears it when the user changes the value with <c>@bind-Value:after="() =&gt; problems.Clear(&quot;title&quot;)"</c>.
/// A field named <c>requirements</c> also shows the messages for <c>requirements.minimumStudyYear</c> and <c>requirements[0]</c>.
/// </summary>
public sealed class FormProblems
{
    private readonly HashSet<string> _fields = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, string[]> _errors = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="fields">The fields the form shows; <see cref="At"/> adds any it is asked about.</param>
    public FormProblems(params string[] fields)
    {
        foreach (var field in fields)
        {
            _fields.Add(field);
        }
    }

    /// <summary>The problem being shown, if any.</summary>
    public ApiProblem? Current { get; private set; }

    /// <summary>Whether a message is shown at this field.</summary>
    public bool HasError(string field) => Messages(field).Any();

    /// <summary>The messages at this field, one per line.</summary>
    public string? ErrorText(string field) => Messages(field).ToList() is { Count: > 0 } m ? string.Join(" ", m) : null;

    /// <summary>The parameters that show this field's messages on a MudBlazor input (<c>Error</c>, <c>ErrorText</c>).</summary>
    public IReadOnlyDictionary<string, object> At(string field)
    {
        _fields.Add(field);
        return new Dictionary<string, object>
        {
            [nameof(MudTextField<string>.Error)] = HasError(field),
            [nameof(MudTextField<string>.ErrorText)] = ErrorText(field) ?? string.Empty,
        };
    }

    /// <summary>
    /// Shows a problem: keeps the messages for the form's fields and returns what no field on the form shows (the
    /// problem's summary when it names no field, and the messages for fields not on the form), for a snackbar.
    /// </summary>
    public IReadOnlyList<string> Show(ApiProblem problem)
    {
        Current = problem;
        _errors.Clear();
        var elsewhere = new List<string>();
        foreach (var (field, messages) in problem.Errors)
        {
            if (FieldShowing(field) is not null)
            {
                _errors[field] = messages;
            }
            else
            {
                elsewhere.AddRange(messages.Select(m => string.IsNullOrEmpty(field) ? m : $"{field}: {m}"));
            }
        }

        if (_errors.Count == 0)
        {
            elsewhere.Insert(0, problem.Summary);
        }

        return elsewhere;
    }

    /// <summary>Forgets the messages at one field (the user changed it).</summary>
    public void Clear(string field)
    {
        foreach (var key in _errors.Keys.Where(k => Covers(field, k)).ToList())
        {
            _errors.Remove(key);
        }
    }

    /// <summary>Forgets the whole problem (before the form is sent again).</summary>
    public void Clear()
    {
        Current = null;
        _errors.Clear();
    }

    private IEnumerable<string> Messages(string field) => _errors.Where(e => Covers(field, e.Key)).SelectMany(e => e.Value);

    private string? FieldShowing(string key) => _fields.Where(f => Covers(f, key)).OrderByDescending(f => f.Length).FirstOrDefault();

    /// <summary>A field covers its own key and the keys of its members and elements.</summary>
    private static bool Covers(string field, string key) =>
        key.Equals(field, StringComparison.OrdinalIgnoreCase)
        || (key.Length > field.Length && key.StartsWith(field, StringComparison.OrdinalIgnoreCase) && key[field.Length] is '.' or '[');
}
