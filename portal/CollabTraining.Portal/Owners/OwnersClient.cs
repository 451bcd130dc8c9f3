using CollabTraining.Portal.Api;
using CollabTraining.Portal.SignIn;

namespace CollabTraining.Portal.Owners;

/// <summary>Booking rules as the API takes and gives them (minutes and days); every field optional on the way in.</summary>
public sealed record OwnerRules(
    int? MinimumMinutes = null, int? MaximumMinutes = null, int? NoticeMinutes = null, int? AdvanceDays = null, int? BufferMinutes = null,
    bool? ApprovalRequired = null, bool? CheckInRequired = null, int? AutoReleaseMinutes = null, string? TimeZone = null);

/// <summary>A resource the organisation offers (<c>GET {service}/resources/{id}</c>); <see cref="Kind"/> as the API names it (<c>ComputePool</c>).</summary>
public sealed record OwnedResource(
    Guid Id, Guid OwnerId, string OwnerName, string Kind, string Name, string Description, string? Model, int Capacity, OwnerRules Rules,
    IReadOnlyList<string> RequiredQualifications, IReadOnlyList<Guid> AllowedOrganisations, IReadOnlyList<string> AllowedOrganisationKinds, bool Retired, long Version);

/// <summary>
/// What creating or changing a resource sends: the whole description (<c>POST</c> and <c>PUT {service}/resources</c> take the same body).
/// Fields left null are not the API's business here; the lists the form does not edit are sent back as they were.
/// </summary>
public sealed record ResourceRequest(
    string? Kind, string? Name, int? Capacity, string? Description, string? Model, OwnerRules Rules,
    IReadOnlyList<string> RequiredQualifications, IReadOnlyList<Guid> AllowedOrganisations, IReadOnlyList<string> AllowedOrganisationKinds)
{
    public static ResourceRequest From(OwnedResource r) => new(
        r.Kind, r.Name, r.Capacity, string.IsNullOrEmpty(r.Description) ? null : r.Description, r.Model, r.Rules,
        r.RequiredQualifications, r.AllowedOrganisations, r.AllowedOrganisationKinds);
}

/// <summary>A busy interval of a resource's calendar: a booking (its id, status and user) or a blackout (status <c>blackout</c>, its reason as <see cref="UserName"/>).</summary>
public sealed record CalendarEntry(Guid? BookingId, DateTimeOffset Start, DateTimeOffset End, int Units, string Status, string? UserName)
{
    public bool IsBlackout => Status == "blackout";
}

public sealed record BlackoutRequest(DateTimeOffset? Start, DateTimeOffset? End, string? Reason);

/// <summary>A blackout with its id (<c>GET {service}/resources/{id}/blackouts</c>), which removing it takes.</summary>
public sealed record BlackoutEntry(Guid Id, Guid ResourceId, DateTimeOffset Start, DateTimeOffset End, string Reason);

public sealed record BlackoutPlaced(Guid Id, Guid ResourceId, DateTimeOffset Start, DateTimeOffset End, string Reason, IReadOnlyList<Guid> CancelledBookings);

/// <summary>A booking of one of the organisation's resources; <see cref="Status"/> camelCase as the API writes it (<c>pendingApproval</c>).</summary>
public sealed record OwnedBooking(
    Guid Id, Guid ResourceId, string ResourceName, Guid UserId, string UserName, Guid OrganisationId, int Units, DateTimeOffset Start, DateTimeOffset End,
    string Status, string? Reason, DateTimeOffset? HoldExpiresAt, DateTimeOffset? CheckedInAt, DateTimeOffset? CheckedOutAt, double UsedUnitHours, long Version);

public sealed record ReasonBody(string? Reason);

/// <summary>A school project's request for one of the organisation's mentors; <see cref="State"/> <c>Waiting</c>, <c>Accepted</c>, …</summary>
public sealed record OwnerMentorRequest(
    Guid Id, Guid ProjectId, string ProjectTitle, string Role, Guid MentorUserId, string MentorName, Guid OrganisationId,
    DateTimeOffset AnswerBy, DateTimeOffset RequestedAt, string State, string? Reason, DateTimeOffset? AnsweredAt);

public sealed record EngineeringMentor(Guid Id, Guid OrganisationId, string OrganisationName, string Name, IReadOnlyList<string> Expertise, int ProjectCapacity, bool Active, long Version);

/// <summary>The resource owner's side of the API: Enterprises (<c>api/enterprises</c>) or Research (<c>api/research</c>), by the user's organisation.</summary>
public sealed class OwnersClient(GatewayClient gateway)
{
    /// <summary>The kinds each service offers, as the API names them.</summary>
    public static IReadOnlyList<string> KindsOf(PortalUser user) =>
        user.OrganisationKind == ServiceDefaults.Security.OrganisationKinds.Institute ? ["Equipment"] : ["ComputePool", "Device"];

    /// <summary>The school's qualification codes (the API refuses others).</summary>
    public static readonly IReadOnlyList<string> Qualifications =
    [
        "infection-control", "basic-life-support", "advanced-life-support", "safeguarding", "mri-safety", "radiation-protection",
        "gpu-cluster-onboarding", "data-protection", "wet-lab-safety",
    ];

    public static string ServiceOf(PortalUser user) =>
        user.OrganisationKind == ServiceDefaults.Security.OrganisationKinds.Institute ? "api/research" : "api/enterprises";

    public Task<ApiResult<ApiPage<OwnedResource>>> ResourcesAsync(PortalUser user, string? search, int page, int pageSize, CancellationToken cancellationToken) =>
        gateway.GetAsync<ApiPage<OwnedResource>>(ApiQuery.Of($"{ServiceOf(user)}/resources",
            ("ownerId", user.OrganisationId), ("q", search), ("includeRetired", true), ("page", page), ("pageSize", pageSize)), cancellationToken);

    public Task<ApiResult<OwnedResource>> ResourceAsync(PortalUser user, Guid id, CancellationToken cancellationToken) =>
        gateway.GetAsync<OwnedResource>($"{ServiceOf(user)}/resources/{id}", cancellationToken);

    public Task<ApiResult<OwnedResource>> CreateAsync(PortalUser user, ResourceRequest request, CancellationToken cancellationToken) =>
        gateway.PostAsync<OwnedResource>($"{ServiceOf(user)}/resources", request, cancellationToken);

    public Task<ApiResult<OwnedResource>> ReviseAsync(PortalUser user, Guid id, ResourceRequest request, CancellationToken cancellationToken) =>
        gateway.PutAsync<OwnedResource>($"{ServiceOf(user)}/resources/{id}", request, cancellationToken);

    public Task<ApiResult<OwnedResource>> RetireAsync(PortalUser user, Guid id, CancellationToken cancellationToken) =>
        gateway.PostAsync<OwnedResource>($"{ServiceOf(user)}/resources/{id}/retire", null, cancellationToken);

    public Task<ApiResult<List<CalendarEntry>>> CalendarAsync(PortalUser user, Guid id, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        gateway.GetAsync<List<CalendarEntry>>(ApiQuery.Of($"{ServiceOf(user)}/resources/{id}/calendar",
            ("from", from.ToUniversalTime()), ("to", to.ToUniversalTime())), cancellationToken);

    public Task<ApiResult<BlackoutPlaced>> PlaceBlackoutAsync(PortalUser user, Guid id, BlackoutRequest request, CancellationToken cancellationToken) =>
        gateway.PostAsync<BlackoutPlaced>($"{ServiceOf(user)}/resources/{id}/blackouts", request, cancellationToken);

    /// <summary>The resource's blackouts not yet over, soonest first.</summary>
    public Task<ApiResult<List<BlackoutEntry>>> BlackoutsAsync(PortalUser user, Guid id, CancellationToken cancellationToken) =>
        gateway.GetAsync<List<BlackoutEntry>>($"{ServiceOf(user)}/resources/{id}/blackouts", cancellationToken);

    /// <summary>Removes a blackout not yet over (204): its time can be booked again; the bookings it cancelled stay cancelled.</summary>
    public Task<ApiResult<object?>> RemoveBlackoutAsync(PortalUser user, Guid resourceId, Guid blackoutId, CancellationToken cancellationToken) =>
        gateway.DeleteAsync<object?>($"{ServiceOf(user)}/resources/{resourceId}/blackouts/{blackoutId}", cancellationToken);

    /// <summary>Bookings of the organisation's resources: <paramref name="status"/> as the API's enum names it (<c>PendingApproval</c>), <c>from</c>/<c>to</c> on the start.</summary>
    public Task<ApiResult<ApiPage<OwnedBooking>>> BookingsAsync(
        PortalUser user, string? status, DateTimeOffset? from, DateTimeOffset? to, int page, int pageSize, CancellationToken cancellationToken) =>
        gateway.GetAsync<ApiPage<OwnedBooking>>(ApiQuery.Of($"{ServiceOf(user)}/bookings",
            ("status", status), ("from", from?.ToUniversalTime()), ("to", to?.ToUniversalTime()), ("page", page), ("pageSize", pageSize)), cancellationToken);

    public Task<ApiResult<OwnedBooking>> ApproveAsync(PortalUser user, Guid id, CancellationToken cancellationToken) =>
        gateway.PostAsync<OwnedBooking>($"{ServiceOf(user)}/bookings/{id}/approve", null, cancellationToken);

    public Task<ApiResult<OwnedBooking>> RejectAsync(PortalUser user, Guid id, string? reason, CancellationToken cancellationToken) =>
        gateway.PostAsync<OwnedBooking>($"{ServiceOf(user)}/bookings/{id}/reject", new ReasonBody(reason), cancellationToken);

    public Task<ApiResult<OwnedBooking>> CheckInAsync(PortalUser user, Guid id, CancellationToken cancellationToken) =>
        gateway.PostAsync<OwnedBooking>($"{ServiceOf(user)}/bookings/{id}/check-in", null, cancellationToken);

    public Task<ApiResult<OwnedBooking>> CheckOutAsync(PortalUser user, Guid id, CancellationToken cancellationToken) =>
        gateway.PostAsync<OwnedBooking>($"{ServiceOf(user)}/bookings/{id}/check-out", null, cancellationToken);

    public Task<ApiResult<List<OwnerMentorRequest>>> MentorRequestsAsync(PortalUser user, CancellationToken cancellationToken) =>
        gateway.GetAsync<List<OwnerMentorRequest>>($"{ServiceOf(user)}/mentor-requests", cancellationToken);

    /// <summary>The requests addressed to the signed-in mentor (a mentor who is not staff sees only these).</summary>
    public Task<ApiResult<List<OwnerMentorRequest>>> MyMentorRequestsAsync(PortalUser user, CancellationToken cancellationToken) =>
        gateway.GetAsync<List<OwnerMentorRequest>>($"{ServiceOf(user)}/mentor-requests/mine", cancellationToken);

    public Task<ApiResult<List<EngineeringMentor>>> MentorsAsync(PortalUser user, CancellationToken cancellationToken) =>
        gateway.GetAsync<List<EngineeringMentor>>(ApiQuery.Of($"{ServiceOf(user)}/mentors", ("organisationId", user.OrganisationId)), cancellationToken);

    public Task<ApiResult<OwnerMentorRequest>> AcceptMentorRequestAsync(PortalUser user, Guid id, CancellationToken cancellationToken) =>
        gateway.PostAsync<OwnerMentorRequest>($"{ServiceOf(user)}/mentor-requests/{id}/accept", null, cancellationToken);

    public Task<ApiResult<OwnerMentorRequest>> DeclineMentorRequestAsync(PortalUser user, Guid id, string? reason, CancellationToken cancellationToken) =>
        gateway.PostAsync<OwnerMentorRequest>($"{ServiceOf(user)}/mentor-requests/{id}/decline", new ReasonBody(reason), cancellationToken);

    /// <summary>The resource's time zone (an IANA id); UTC when this machine does not know it.</summary>
    public static TimeZoneInfo ZoneOf(OwnerRules rules)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(string.IsNullOrWhiteSpace(rules.TimeZone) ? "UTC" : rules.TimeZone);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.Utc;
        }
    }

    /// <summary>A wall-clock time in a zone as an instant (a time skipped by a clock change moves on past the gap).</summary>
    public static DateTimeOffset InZone(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }
}
