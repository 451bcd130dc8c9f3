namespace CollabTraining.Domain;

/// <summary>What a broken rule means for the caller; the web layer turns each meaning into a status in one place.</summary>
public enum RuleMeaning
{
    /// <summary>What was asked is not acceptable as stated (a value out of range, a date in the past).</summary>
    Invalid,

    /// <summary>The thing asked about does not exist, or the caller may not know it exists.</summary>
    NotFound,

    /// <summary>The request is well formed but the current state does not allow it.</summary>
    Conflict,

    /// <summary>The caller may not do this to this thing.</summary>
    Forbidden,
}

/// <summary>
/// A business rule a request broke, in the user's words, with what it means (not an HTTP status): domain
/// code throws it, <c>ProblemDetailsExtensions</c> maps the meaning to a problem response.
/// </summary>
public class DomainRuleException(RuleMeaning meaning, string message, string? field = null) : Exception(message)
{
    public RuleMeaning Meaning { get; } = meaning;

    /// <summary>For <see cref="RuleMeaning.Invalid"/>: the request field at fault, in camelCase, when there is one.</summary>
    public string? Field { get; } = field;

    /// <summary>
    /// What a client can act on beyond the message (say, why a booking was refused and the next free slot), keyed
    /// in camelCase; the web layer adds each entry to the problem response as it is.
    /// </summary>
    public virtual IReadOnlyDictionary<string, object> Details => EmptyDetails;

    private static readonly IReadOnlyDictionary<string, object> EmptyDetails = new Dictionary<string, object>();

    public static DomainRuleException Invalid(string field, string message) => new(RuleMeaning.Invalid, message, field);

    public static DomainRuleException NotFound(string what, Guid id) => new(RuleMeaning.NotFound, $"No {what} has id {id}.");

    public static DomainRuleException Conflict(string message) => new(RuleMeaning.Conflict, message);

    public static DomainRuleException Forbidden(string message) => new(RuleMeaning.Forbidden, message);

    /// <summary>A 409 naming its <paramref name="reason"/> (a stable code such as <c>mentor-over-committed</c>) beside the words.</summary>
    public static DomainRuleException Refused(string reason, string message) => new ReasonedRuleException(RuleMeaning.Conflict, reason, message);
}

/// <summary>A broken rule with a stable code a client can act on (<c>reason</c> in the problem response).</summary>
public sealed class ReasonedRuleException(RuleMeaning meaning, string reason, string message) : DomainRuleException(meaning, message)
{
    public string Reason { get; } = reason;

    public override IReadOnlyDictionary<string, object> Details => new Dictionary<string, object> { ["reason"] = Reason };
}
