using CollabTraining.Portal.Api;
using CollabTraining.Portal.Catalog;

namespace CollabTraining.Portal.Bookings;

/// <summary>Booking rules of a resource as the API writes them (<c>RulesDto</c>): minutes, days, the IANA time zone.</summary>
public sealed record BookingRulesView(
    int? MinimumMinutes, int? MaximumMinutes, int? NoticeMinutes, int? AdvanceDays, int? BufferMinutes,
    bool? ApprovalRequired, bool? CheckInRequired, int? AutoReleaseMinutes, string? TimeZone);

/// <summary>One resource with its rules (<c>GET /api/{service}/resources/{id}</c>).</summary>
public sealed record BookableResource(
    Guid Id, Guid OwnerId, string OwnerName, string Kind, string Name, string? Description, string? Model, int Capacity, BookingRulesView Rules,
    IReadOnlyList<string> RequiredQualifications, bool Retired);

/// <summary>A busy interval of a resource's calendar (<c>GET /api/{service}/resources/{id}/calendar</c>): <c>blackout</c> takes every unit.</summary>
public sealed record BusyInterval(Guid? BookingId, DateTimeOffset Start, DateTimeOffset End, int Units, string Status, string? UserName);

/// <summary>A booking (<c>BookingResponse</c>); <see cref="Service"/> is filled in by the portal (which owner's API it came from).</summary>
public sealed record BookingView(
    Guid Id, Guid ResourceId, string ResourceName, Guid UserId, string UserName, int Units, DateTimeOffset Start, DateTimeOffset End,
    string Status, string? Reason, DateTimeOffset? HoldExpiresAt, DateTimeOffset? CheckedInAt, DateTimeOffset? CheckedOutAt)
{
    public string Service { get; init; } = string.Empty;

    /// <summary>Statuses that may still be cancelled by the booker before the start.</summary>
    public bool Cancellable(DateTimeOffset now) => Start > now && Status is "confirmed" or "pendingApproval" or "held";
}

/// <summary>A waitlist entry (<c>WaitlistResponse</c>); <see cref="Service"/> and <see cref="ResourceName"/> are filled in by the portal.</summary>
public sealed record WaitlistView(Guid Id, Guid ResourceId, DateTimeOffset Start, DateTimeOffset End, int Units, string Status, Guid? OfferedHoldId, DateTimeOffset JoinedAt)
{
    public string Service { get; init; } = string.Empty;

    public string? ResourceName { get; init; }

    public bool Active => Status is "Waiting" or "Offered";
}

/// <summary>What <c>POST /api/{service}/resources/{id}/bookings</c> and <c>/waitlist</c> take for one slot (no series).</summary>
public sealed record BookingBody(DateTimeOffset Start, DateTimeOffset End, int Units);

/// <summary>What <c>POST /api/{service}/bookings/{id}/cancel</c> takes.</summary>
public sealed record CancelBody(string? Reason);

/// <summary>A calendar address just made: the secret is shown this once (<c>POST /api/{service}/feeds</c>).</summary>
public sealed record CalendarFeedCreated(Guid Id, string Secret, string BookingsUrl, string ResourceUrlTemplate, DateTimeOffset CreatedAt)
{
    public string Service { get; init; } = string.Empty;
}

/// <summary>A calendar address without its secret (<c>GET /api/{service}/feeds</c>).</summary>
public sealed record CalendarFeedView(Guid Id, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt)
{
    public string Service { get; init; } = string.Empty;
}

/// <summary>A clinical placement of the student, as their training record holds it (<c>GET /api/school/students/{id}/record</c>).</summary>
public sealed record PlacementView(Guid AssignmentId, string? Title, string? HospitalName, DateOnly? StartsOn, DateOnly? EndsOn, string Status)
{
    /// <summary>Pending and confirmed placements hold a seat: they belong in the calendar; declined and released ones do not.</summary>
    public bool Holds => Status is "Pending" or "Confirmed";
}

/// <summary>The part of a training record the calendar shows.</summary>
public sealed record TrainingRecordPlacements(IReadOnlyList<PlacementView> Placements);

/// <summary>Both lists of one user, across the services that take bookings, and what could not be read.</summary>
public sealed record MyBookings(IReadOnlyList<BookingView> Bookings, IReadOnlyList<WaitlistView> Waitlist, IReadOnlyList<ApiProblem> Problems);

/// <summary>
/// Booking shared resources: the owners' APIs (Enterprises: compute pools and devices; Research: lab equipment), each
/// under its own prefix (<c>api/enterprises</c>, <c>api/research</c>) with the same endpoints.
/// </summary>
public sealed class BookingsClient(GatewayClient gateway, CatalogClient catalog)
{
    public const string Enterprises = "enterprises";
    public const string Research = "research";

    /// <summary>The services that take bookings.</summary>
    public static readonly IReadOnlyList<string> Services = [Enterprises, Research];

    public static bool IsService(string? service) => service is Enterprises or Research;

    private static string Prefix(string service) => IsService(service) ? $"api/{service}" : throw new ArgumentOutOfRangeException(nameof(service), service, "Not a service that takes bookings.");

    /// <summary>Resources of every kind from the shared catalog, by text (the resource picker).</summary>
    public Task<ApiResult<ApiPage<CatalogEntry>>> SearchAsync(string? text, CancellationToken cancellationToken) =>
        catalog.ResourcesAsync(new ResourceFilter(CatalogClient.AnyResource, text), 1, 20, cancellationToken);

    public Task<ApiResult<BookableResource>> ResourceAsync(string service, Guid id, CancellationToken cancellationToken) =>
        gateway.GetAsync<BookableResource>($"{Prefix(service)}/resources/{id}", cancellationToken);

    public Task<ApiResult<List<BusyInterval>>> CalendarAsync(string service, Guid id, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
        gateway.GetAsync<List<BusyInterval>>(ApiQuery.Of($"{Prefix(service)}/resources/{id}/calendar", ("from", from), ("to", to)), cancellationToken);

    public Task<ApiResult<BookingView>> BookAsync(string service, Guid id, BookingBody body, CancellationToken cancellationToken) =>
        gateway.PostAsync<BookingView>($"{Prefix(service)}/resources/{id}/bookings", body, cancellationToken);

    public Task<ApiResult<WaitlistView>> JoinWaitlistAsync(string service, Guid id, BookingBody body, CancellationToken cancellationToken) =>
        gateway.PostAsync<WaitlistView>($"{Prefix(service)}/resources/{id}/waitlist", body, cancellationToken);

    public Task<ApiResult<BookingView>> CancelAsync(BookingView booking, string? reason, CancellationToken cancellationToken) =>
        gateway.PostAsync<BookingView>($"{Prefix(booking.Service)}/bookings/{booking.Id}/cancel", new CancelBody(reason), cancellationToken);

    public Task<ApiResult<BookingView>> ConfirmOfferAsync(WaitlistView entry, CancellationToken cancellationToken) =>
        gateway.PostAsync<BookingView>($"{Prefix(entry.Service)}/bookings/{entry.OfferedHoldId}/confirm", null, cancellationToken);

    public Task<ApiResult<object>> LeaveWaitlistAsync(WaitlistView entry, CancellationToken cancellationToken) =>
        gateway.DeleteAsync<object>($"{Prefix(entry.Service)}/waitlist/{entry.Id}", cancellationToken);

    /// <summary>My bookings (past ones too) and waitlist entries at every service; a service that fails is reported, the others still shown.</summary>
    public async Task<MyBookings> MineAsync(bool includePast, CancellationToken cancellationToken)
    {
        var bookings = Services.ToDictionary(s => s, s => gateway.GetAsync<List<BookingView>>(
            ApiQuery.Of($"{Prefix(s)}/bookings/mine", ("includePast", includePast ? true : null)), cancellationToken));
        var waits = Services.ToDictionary(s => s, s => gateway.GetAsync<List<WaitlistView>>($"{Prefix(s)}/waitlist/mine", cancellationToken));
        await Task.WhenAll(bookings.Values.Cast<Task>().Concat(waits.Values));

        var problems = new List<ApiProblem>();
        var allBookings = new List<BookingView>();
        var allWaits = new List<WaitlistView>();
        foreach (var service in Services)
        {
            var b = await bookings[service];
            if (b.Problem is { } bp)
            {
                problems.Add(bp);
            }
            else
            {
                allBookings.AddRange((b.Value ?? []).Select(x => x with { Service = service }));
            }

            var w = await waits[service];
            if (w.Problem is { } wp)
            {
                problems.Add(wp);
            }
            else
            {
                allWaits.AddRange((w.Value ?? []).Select(x => x with { Service = service }));
            }
        }

        // The waitlist answer names the resource by id only: take the name from a booking of it, else ask the owner.
        var names = allBookings.GroupBy(b => b.ResourceId).ToDictionary(g => g.Key, g => g.First().ResourceName);
        foreach (var missing in allWaits.Where(w => !names.ContainsKey(w.ResourceId)).DistinctBy(w => w.ResourceId).Take(20).ToList())
        {
            if ((await ResourceAsync(missing.Service, missing.ResourceId, cancellationToken)).Value is { } resource)
            {
                names[resource.Id] = resource.Name;
            }
        }

        return new MyBookings(
            [.. allBookings.OrderBy(b => b.Start)],
            [.. allWaits.Select(w => w with { ResourceName = names.GetValueOrDefault(w.ResourceId) }).OrderBy(w => w.Start)],
            problems);
    }

    /// <summary>The student's placements, from their own training record at the school.</summary>
    public Task<ApiResult<TrainingRecordPlacements>> PlacementsAsync(Guid studentId, CancellationToken cancellationToken) =>
        gateway.GetAsync<TrainingRecordPlacements>($"api/school/students/{studentId}/record", cancellationToken);

    public async Task<(List<CalendarFeedView> Feeds, List<ApiProblem> Problems)> FeedsAsync(CancellationToken cancellationToken)
    {
        var feeds = new List<CalendarFeedView>();
        var problems = new List<ApiProblem>();
        foreach (var service in Services)
        {
            var result = await gateway.GetAsync<List<CalendarFeedView>>($"{Prefix(service)}/feeds", cancellationToken);
            if (result.Problem is { } problem)
            {
                problems.Add(problem);
            }
            else
            {
                feeds.AddRange((result.Value ?? []).Select(f => f with { Service = service }));
            }
        }

        return (feeds, problems);
    }

    public async Task<ApiResult<CalendarFeedCreated>> CreateFeedAsync(string service, CancellationToken cancellationToken)
    {
        var result = await gateway.PostAsync<CalendarFeedCreated>($"{Prefix(service)}/feeds", null, cancellationToken);
        return result.Value is { } created ? ApiResult.Success(created with { Service = service }) : result;
    }

    public Task<ApiResult<object>> RevokeFeedAsync(CalendarFeedView feed, CancellationToken cancellationToken) =>
        gateway.DeleteAsync<object>($"{Prefix(feed.Service)}/feeds/{feed.Id}", cancellationToken);
}
