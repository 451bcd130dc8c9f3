using CollabTraining.School.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using CollabTraining.ServiceDefaults.Security;

namespace CollabTraining.School.Notifications;

public sealed record NotificationResponse(Guid Id, string Kind, string Text, Guid SubjectId, DateTimeOffset OccurredAt);

public static class NotificationsApi
{
    public static void MapNotificationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup(SchoolModule.RoutePrefix + "/notifications").WithTags("Notifications")
            .MapGet("/mine", Mine).WithName("MyNotifications").WithSummary("What you have been told, newest first (the last 100)");
    }

    public static async Task<Ok<List<NotificationResponse>>> Mine(CurrentUser user, SchoolDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await db.Set<Notification>().AsNoTracking().Where(n => n.UserId == user.UserId)
            .OrderByDescending(n => n.OccurredAt).ThenByDescending(n => n.Id).Take(100)
            .Select(n => new NotificationResponse(n.Id, n.Kind, n.Text, n.SubjectId, n.OccurredAt)).ToListAsync(ct));
}
