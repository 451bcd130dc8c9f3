using System.Security.Cryptography;
using CollabTraining.Bookings;
using CollabTraining.Domain;
using CollabTraining.Messaging.Data;
using CollabTraining.ServiceDefaults.Security;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Sharing;

/// <param name="Secret">Shown once, when the feed is made; only its hash is kept.</param>
public sealed record CalendarFeedCreated(Guid Id, string Secret, string BookingsUrl, string ResourceUrlTemplate, DateTimeOffset CreatedAt);

public sealed record CalendarFeedResponse(Guid Id, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

/// <summary>
/// Calendar feeds (iCalendar, RFC 5545, written by Ical.Net): a calendar client cannot send a bearer token, so
/// each user makes a secret address — for their own bookings, or any resource's calendar as they may see it —
/// and can revoke it, after which it answers 404. The secret is 256 random bits in the path; only its SHA-256
/// is stored, so a copy of the database does not leak working addresses.
/// </summary>
public static class CalendarFeedsApi
{
    public const string MediaType = "text/calendar; charset=utf-8";

    public static void MapCalendarFeedsApi(this IEndpointRouteBuilder app, SharingOptions options)
    {
        var feeds = app.MapGroup(options.RoutePrefix + "/feeds").WithTags("Calendar feeds");
        feeds.MapPost("/", CreateFeed).WithName($"{options.Service}-create-feed")
            .WithSummary("Make a secret calendar address for yourself (shown once); subscribe to it from any calendar client");
        feeds.MapGet("/", ListFeeds).WithName($"{options.Service}-list-feeds").WithSummary("Your calendar addresses (without their secrets)");
        feeds.MapDelete("/{id:guid}", RevokeFeed).WithName($"{options.Service}-revoke-feed").WithSummary("Revoke a calendar address: it answers 404 from now on");

        // Anonymous: the secret in the path is the credential.
        feeds.MapGet("/{secret}/bookings.ics", BookingsFeed).AllowAnonymous().WithName($"{options.Service}-bookings-feed")
            .WithSummary("Your bookings as iCalendar (no token: the secret address is the credential)");
        feeds.MapGet("/{secret}/resources/{id:guid}.ics", ResourceFeed).AllowAnonymous().WithName($"{options.Service}-resource-feed")
            .WithSummary("A resource's calendar as iCalendar: busy times, and the feed owner's own bookings by name");
    }

    public static async Task<Created<CalendarFeedCreated>> CreateFeed(CurrentUser user, ServiceDbContext db, SharingOptions options, TimeProvider time, CancellationToken ct)
    {
        if (await db.Set<CalendarFeed>().CountAsync(f => f.UserId == user.UserId && f.RevokedAt == null, ct) >= 10)
        {
            throw DomainRuleException.Conflict("You have ten calendar addresses; revoke one first.");
        }

        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var feed = CalendarFeed.Create(user.UserId, user.OrganisationId, user.Name, Hash(secret), time.GetUtcNow());
        db.Add(feed);
        await db.SaveChangesAsync(ct);
        var root = $"{options.RoutePrefix}/feeds/{secret}";
        return TypedResults.Created($"{options.RoutePrefix}/feeds",
            new CalendarFeedCreated(feed.Id, secret, $"{root}/bookings.ics", $"{root}/resources/{{resourceId}}.ics", feed.CreatedAt));
    }

    public static async Task<Ok<List<CalendarFeedResponse>>> ListFeeds(CurrentUser user, ServiceDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await db.Set<CalendarFeed>().AsNoTracking().Where(f => f.UserId == user.UserId).OrderBy(f => f.CreatedAt)
            .Select(f => new CalendarFeedResponse(f.Id, f.CreatedAt, f.RevokedAt)).ToListAsync(ct));

    public static async Task<NoContent> RevokeFeed(Guid id, CurrentUser user, ServiceDbContext db, TimeProvider time, CancellationToken ct)
    {
        var feed = await db.Set<CalendarFeed>().SingleOrDefaultAsync(f => f.Id == id && f.UserId == user.UserId, ct)
            ?? throw DomainRuleException.NotFound("calendar feed", id);
        feed.Revoke(time.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    public static async Task<IResult> BookingsFeed(string secret, ServiceDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (await FindAsync(db, secret, ct) is not { } feed)
        {
            return NotFound();
        }

        var since = time.GetUtcNow().AddDays(-30);
        var rows = await db.Set<Booking>().AsNoTracking().Where(b => b.UserId == feed.UserId && b.End > since)
            .Join(db.Set<Resource>(), b => b.ResourceId, r => r.Id, (b, r) => new { Booking = b, r.Name })
            .OrderBy(x => x.Booking.Start).Take(1000).ToListAsync(ct);
        var calendar = NewCalendar($"{feed.UserName}: bookings");
        foreach (var row in rows)
        {
            calendar.Events.Add(Event(row.Booking.Id, $"{row.Name} ({row.Booking.Units} unit{(row.Booking.Units == 1 ? string.Empty : "s")})", row.Booking.Start, row.Booking.End,
                $"Status: {BookingWork.StatusName(row.Booking.Status)}{(row.Booking.Reason is null ? string.Empty : ". " + row.Booking.Reason)}", Cancelled(row.Booking.Status)));
        }

        return Calendar(calendar);
    }

    public static async Task<IResult> ResourceFeed(string secret, Guid id, ServiceDbContext db, TimeProvider time, CancellationToken ct)
    {
        if (await FindAsync(db, secret, ct) is not { } feed
            || await db.Set<Resource>().AsNoTracking().SingleOrDefaultAsync(r => r.Id == id, ct) is not { } resource)
        {
            return NotFound();
        }

        var now = time.GetUtcNow();
        var (from, to) = (now.AddDays(-7), now.AddDays(90));
        var bookings = await db.Set<Booking>().AsNoTracking().Around(resource, from, to).Where(b => b.Status != BookingStatus.Completed).Take(5000).ToListAsync(ct);
        var blackouts = await db.Set<Blackout>().AsNoTracking().Around(resource, from, to).ToListAsync(ct);
        var calendar = NewCalendar(resource.Name);
        foreach (var b in bookings)
        {
            // A feed names only its own user's bookings: it is read without a token, and whoever made it may
            // since have left the owner's staff. Staff see names in the signed-in calendar.
            var named = b.UserId == feed.UserId;
            calendar.Events.Add(Event(b.Id, named ? $"{b.UserName}: {b.Units} of {resource.Capacity}" : $"Busy: {b.Units} of {resource.Capacity}", b.Start, b.End,
                named ? $"Status: {BookingWork.StatusName(b.Status)}" : null, cancelled: false));
        }

        foreach (var b in blackouts)
        {
            calendar.Events.Add(Event(b.Id, $"Unavailable: {b.Reason}", b.Start, b.End, b.Reason, cancelled: false));
        }

        return Calendar(calendar);
    }

    private static async Task<CalendarFeed?> FindAsync(ServiceDbContext db, string secret, CancellationToken ct)
    {
        if (secret.Length != 64 || !secret.All(char.IsAsciiHexDigitLower))
        {
            return null;
        }

        var hash = Hash(secret);
        return await db.Set<CalendarFeed>().AsNoTracking().SingleOrDefaultAsync(f => f.SecretHash == hash && f.RevokedAt == null, ct);
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(secret)));

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(title: "No such calendar.", detail: "This calendar address does not exist or was revoked.", statusCode: StatusCodes.Status404NotFound);

    private static Ical.Net.Calendar NewCalendar(string name)
    {
        var calendar = new Ical.Net.Calendar { ProductId = "-//CollabTraining//Shared resources//EN" };
        calendar.AddProperty("X-WR-CALNAME", name);
        return calendar;
    }

    private static CalendarEvent Event(Guid id, string summary, DateTimeOffset start, DateTimeOffset end, string? description, bool cancelled) => new()
    {
        Uid = $"{id}@collabtraining",
        Summary = summary,
        Description = description,
        DtStart = new CalDateTime(start.UtcDateTime),
        DtEnd = new CalDateTime(end.UtcDateTime),
        Status = cancelled ? "CANCELLED" : "CONFIRMED",
    };

    private static bool Cancelled(BookingStatus status) =>
        status is BookingStatus.Cancelled or BookingStatus.Rejected or BookingStatus.Expired or BookingStatus.NoShow;

    private static ContentHttpResult Calendar(Ical.Net.Calendar calendar) =>
        TypedResults.Text(new CalendarSerializer().SerializeToString(calendar) ?? string.Empty, MediaType);
}
