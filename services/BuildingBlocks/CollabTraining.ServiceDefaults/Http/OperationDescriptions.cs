using CollabTraining.ServiceDefaults.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace CollabTraining.ServiceDefaults.Http;

/// <summary>
/// Every operation in the API reference says what it does, who may call it and how it fails. Endpoints
/// that need more say it with <c>WithDescription</c>; this completes the rest from their summary and their
/// authorisation policy, so no operation is left undocumented and the "who" cannot drift from the code.
/// </summary>
internal static class OperationDescriptions
{
    private static readonly Dictionary<string, string> Callers = new(StringComparer.Ordinal)
    {
        [Policies.Authenticated] = "anyone signed in",
        [Policies.HospitalStaff] = "staff of a partner hospital (coordinators and mentors)",
        [Policies.HospitalCoordinator] = "a partner hospital's coordinators",
        [Policies.SchoolStaff] = "the school's staff (coordinators and teachers)",
        [Policies.SchoolCoordinator] = "the school's coordinators",
        [Policies.Student] = "students of the school",
        [Policies.Admin] = "platform administrators",
    };

    public static Task Describe(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var policies = metadata.OfType<IAuthorizeData>().Select(a => a.Policy).OfType<string>().Distinct().ToList();
        var who = anonymous
            ? "anyone, without a token"
            : policies.Count == 0 ? Callers[Policies.Authenticated] : string.Join(" and ", policies.Select(p => Callers.GetValueOrDefault(p, p)));
        var what = string.IsNullOrWhiteSpace(operation.Description) ? operation.Summary ?? string.Empty : operation.Description;
        operation.Description = $"{what.TrimEnd('.')}.\n\nWho may call it: {who}. Every error is an RFC 9457 problem: 400 names the field at fault, "
            + "401 without a valid token, 403 for someone else's resource, 404 for an unknown id, 409 when the current state does not allow it.";
        return Task.CompletedTask;
    }
}
