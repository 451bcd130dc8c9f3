using CollabTraining.Portal.Api;
using CollabTraining.Portal.SignIn;
using CollabTraining.ServiceDefaults.Security;

namespace CollabTraining.Portal.Owners;

public static class OwnerAccess
{
    /// <summary>Staff of an enterprise or institute (staff, coordinators, administrators): they manage its resources, as the API's <c>IsStaffOf</c> counts them.</summary>
    public static bool CanManage(PortalUser? user) =>
        user is { IsResourceOwnerStaff: true } && (user.IsInRole(Roles.Staff) || user.IsInRole(Roles.Coordinator) || user.IsInRole(Roles.Admin));

    /// <summary>The parameters that show the messages of several of the API's names for one field (a DTO's name and the domain's).</summary>
    public static IReadOnlyDictionary<string, object> AtAny(this FormProblems problems, params string[] fields)
    {
        foreach (var field in fields)
        {
            problems.At(field);
        }

        var messages = fields.Select(problems.ErrorText).Where(m => m is not null).ToList();
        return new Dictionary<string, object>
        {
            ["Error"] = messages.Count > 0,
            ["ErrorText"] = string.Join(" ", messages),
        };
    }

    /// <summary>The API's kind (<c>ComputePool</c>) as the shared texts key it (<c>Kind_computePool</c>).</summary>
    public static string KindKey(string kind) => string.IsNullOrEmpty(kind) ? "Kind" : $"Kind_{char.ToLowerInvariant(kind[0])}{kind[1..]}";

    /// <summary>A booking status as the texts key it (<c>Owner_Status_pendingApproval</c>).</summary>
    public static string StatusKey(string status) => $"Owner_Status_{status}";
}
