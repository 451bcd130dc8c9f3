using CollabTraining.Portal.Api;

namespace CollabTraining.Portal.Notifications;

public sealed record NotificationItem(Guid Id, string Kind, string Text, Guid SubjectId, DateTimeOffset OccurredAt, DateTimeOffset? ReadAt)
{
    public bool Unread => ReadAt is null;
}

public sealed record NotificationFeed(IReadOnlyList<NotificationItem> Items, int PageNumber, int PageSize, int Total, int Unread);

public sealed record NotificationsMarkedRead(int Marked);

/// <summary>The signed-in user's notification feed (served by the School: <c>/api/notifications</c>).</summary>
public sealed class NotificationsClient(GatewayClient gateway)
{
    public Task<ApiResult<NotificationFeed>> FeedAsync(int page, int pageSize, CancellationToken cancellationToken = default) =>
        gateway.GetAsync<NotificationFeed>(ApiQuery.Of("api/notifications/me", ("page", page), ("pageSize", pageSize)), cancellationToken);

    public Task<ApiResult<NotificationItem>> MarkReadAsync(Guid id, CancellationToken cancellationToken = default) =>
        gateway.PostAsync<NotificationItem>($"api/notifications/{id}/read", null, cancellationToken);

    public Task<ApiResult<NotificationsMarkedRead>> MarkAllReadAsync(CancellationToken cancellationToken = default) =>
        gateway.PostAsync<NotificationsMarkedRead>("api/notifications/me/read-all", null, cancellationToken);
}
