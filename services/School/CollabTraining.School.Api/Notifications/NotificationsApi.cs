using CollabTraining.School.Data;
using CollabTraining.ServiceDefaults.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using CollabTraining.ServiceDefaults.Security;

namespace CollabTraining.School.Notifications;

public sealed record NotificationResponse(Guid Id, string Kind, string Text, Guid SubjectId, DateTimeOffset OccurredAt, DateTimeOffset? ReadAt);

/// <summary>One page of a user's notifications (the fields of <see cref="Page{T}"/>) and how many of all of theirs are unread.</summary>
public sealed record NotificationFeed(IReadOnlyList<NotificationResponse> Items, int PageNumber, int PageSize, int Total, int Unread);

public sealed record NotificationsMarkedRead(int Marked);

/// <summary>
/// Every user's notifications, platform-wide, at <c>/api/notifications</c> (the gateway routes that prefix here).
/// The School serves them because it already consumes every party's events about people (bookings, waitlists,
/// placement answers, qualifications) and knows every student, so no other service needs a copy. A user only
/// ever sees and changes their own: anyone else's notification is indistinguishable from one that does not exist.
/// </summary>
public static class NotificationsApi
{
    public const string RoutePrefix = "/api/notifications";

    public static void MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup(SchoolModule.RoutePrefix + "/notifications").WithTags("Notifications")
            .MapGet("/mine", Mine).WithName("MyNotifications").WithSummary("What you have been told, newest first (the last 100)");

        var feed = app.MapGroup(RoutePrefix).WithTags("Notifications");
        feed.MapGet("/me", Feed).WithName("MyNotificationFeed").WithSummary("Your notifications, newest first, a page at a time, with how many are unread");
        feed.MapPost("/{id:guid}/read", MarkRead).WithName("MarkNotificationRead").WithSummary("Marks one of your notifications read (again: no change)");
        feed.MapPost("/me/read-all", MarkAllRead).WithName("MarkAllNotificationsRead").WithSummary("Marks every unread notification of yours read");
    }

    public static async Task<Ok<List<NotificationResponse>>> Mine(CurrentUser user, SchoolDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await db.Set<Notification>().AsNoTracking().Where(n => n.UserId == user.UserId)
            .OrderByDescending(n => n.OccurredAt).ThenByDescending(n => n.Id).Take(100)
            .Select(n => new NotificationResponse(n.Id, n.Kind, n.Text, n.SubjectId, n.OccurredAt, n.ReadAt)).ToListAsync(ct));

    /// <param name="unread">true: only unread ones; false: only read ones; absent: all.</param>
    public static async Task<Results<Ok<NotificationFeed>, ValidationProblem>> Feed(
        CurrentUser user, SchoolDbContext db, CancellationToken ct, int page = 1, int pageSize = 20, bool? unread = null)
    {
        if (page is < 1 or > Paging.MaxPage)
        {
            return Problems.Invalid(nameof(page), $"The page number is between 1 and {Paging.MaxPage}.");
        }

        if (pageSize is < 1 or > 100)
        {
            return Problems.Invalid(nameof(pageSize), "A page holds 1 to 100 notifications.");
        }

        var mine = db.Set<Notification>().AsNoTracking().Where(n => n.UserId == user.UserId);
        var unreadCount = await mine.CountAsync(n => n.ReadAt == null, ct);
        var shown = unread switch
        {
            true => mine.Where(n => n.ReadAt == null),
            false => mine.Where(n => n.ReadAt != null),
            null => mine,
        };
        var total = unread == true ? unreadCount : await shown.CountAsync(ct);
        var items = await shown.OrderByDescending(n => n.OccurredAt).ThenByDescending(n => n.Id).Skip((page - 1) * pageSize).Take(pageSize)
            .Select(n => new NotificationResponse(n.Id, n.Kind, n.Text, n.SubjectId, n.OccurredAt, n.ReadAt)).ToListAsync(ct);
        return TypedResults.Ok(new NotificationFeed(items, page, pageSize, total, unreadCount));
    }

    public static async Task<Results<Ok<NotificationResponse>, ProblemHttpResult>> MarkRead(
        Guid id, CurrentUser user, SchoolDbContext db, TimeProvider time, CancellationToken ct)
    {
        // Someone else's notification is a 404 like an unknown one: its existence is not theirs to learn.
        var notification = await db.Set<Notification>().SingleOrDefaultAsync(n => n.Id == id && n.UserId == user.UserId, ct);
        if (notification is null)
        {
            return Problems.NotFound("notification", id);
        }

        if (notification.MarkRead(time.GetUtcNow()))
        {
            await db.SaveChangesAsync(ct);
        }

        return TypedResults.Ok(new NotificationResponse(notification.Id, notification.Kind, notification.Text, notification.SubjectId, notification.OccurredAt, notification.ReadAt));
    }

    /// <summary>One statement for however many there are; a notification already read keeps its first read time.</summary>
    public static async Task<Ok<NotificationsMarkedRead>> MarkAllRead(CurrentUser user, SchoolDbContext db, TimeProvider time, CancellationToken ct)
    {
        var now = Notification.ToStoredPrecision(time.GetUtcNow());
        var marked = await db.Set<Notification>().Where(n => n.UserId == user.UserId && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
        return TypedResults.Ok(new NotificationsMarkedRead(marked));
    }
}
