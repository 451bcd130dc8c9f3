using System.Net;
using Bunit;
using CollabTraining.Portal.Notifications;
using CollabTraining.Portal.SignIn;
using CollabTraining.Tests.Support;

namespace CollabTraining.Tests.Portal;

public sealed class NotificationBellTests : IAsyncLifetime
{
    private readonly PortalComponentContext _context = new();
    private readonly List<NotificationItem> _feed =
    [
        new(Guid.NewGuid(), "booking-cancelled", "Your booking of the 3T MRI scanner was cancelled: maintenance.", Guid.NewGuid(), DateTimeOffset.UtcNow.AddMinutes(-5), null),
        new(Guid.NewGuid(), "placement-confirmed", "St Mary's confirmed your cardiology placement.", Guid.NewGuid(), DateTimeOffset.UtcNow.AddHours(-2), null),
        new(Guid.NewGuid(), "waitlist-offer", "A slot you waited for is held for you.", Guid.NewGuid(), DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddHours(-20)),
    ];

    public NotificationBellTests()
    {
        _context.Gateway
            .OnJson(HttpMethod.Get, "/api/notifications/me", r =>
            {
                lock (_feed)
                {
                    var size = int.Parse(r.Query["pageSize"], System.Globalization.CultureInfo.InvariantCulture);
                    return new NotificationFeed([.. _feed.Take(size)], 1, size, _feed.Count, _feed.Count(n => n.Unread));
                }
            })
            .OnJson(HttpMethod.Post, "/api/notifications/me/read-all", _ =>
            {
                lock (_feed)
                {
                    var marked = _feed.Count(n => n.Unread);
                    for (var i = 0; i < _feed.Count; i++)
                    {
                        _feed[i] = _feed[i] with { ReadAt = _feed[i].ReadAt ?? DateTimeOffset.UtcNow };
                    }

                    return new NotificationsMarkedRead(marked);
                }
            });
        foreach (var item in _feed.ToList())
        {
            _context.Gateway.OnJson(HttpMethod.Post, $"/api/notifications/{item.Id}/read", _ =>
            {
                lock (_feed)
                {
                    var index = _feed.FindIndex(n => n.Id == item.Id);
                    _feed[index] = _feed[index] with { ReadAt = DateTimeOffset.UtcNow };
                    return _feed[index];
                }
            });
        }
    }

    [Fact]
    public async Task The_bell_shows_the_unread_count_and_marking_read_lowers_it_to_nothing()
    {
        var bell = _context.RenderWithProviders<NotificationBell>();

        bell.WaitForAssertion(() => Assert.Equal("2", bell.Find(".mud-badge").TextContent.Trim()));
        Assert.Equal("Notifications, 2 unread", bell.Find("[data-testid=notification-bell]").GetAttribute("aria-label"));

        await bell.InvokeAsync(() => bell.Find("[data-testid=notification-bell]").Click());
        bell.WaitForAssertion(() => Assert.Equal(3, _context.FindAllInPage("[data-testid=notification]").Count));
        Assert.Contains("St Mary's confirmed your cardiology placement.", _context.PageMarkup, StringComparison.Ordinal);

        Assert.Equal("Mark read: " + _feed[0].Text, _context.FindAllInPage("[data-testid=notification] button")[0].GetAttribute("aria-label"));
        await bell.InvokeAsync(() => _context.FindAllInPage("[data-testid=notification] button")[0].Click());
        bell.WaitForAssertion(() => Assert.Equal("1", bell.Find(".mud-badge").TextContent.Trim()));
        Assert.Single(_context.Gateway.To($"/api/notifications/{_feed[0].Id}/read"));

        await bell.InvokeAsync(() => _context.FindAllInPage("button").Single(b => b.TextContent.Trim() == "Mark all read").Click());
        bell.WaitForAssertion(() => Assert.Equal("Notifications, 0 unread", bell.Find("[data-testid=notification-bell]").GetAttribute("aria-label")));
        Assert.Single(_context.Gateway.To("/api/notifications/me/read-all"));
        Assert.All(_context.Gateway.Requests, r => Assert.Equal("Bearer " + Session.AccessToken(_context.Principal), r.Authorization));
    }

    [Fact]
    public void A_feed_that_cannot_be_read_shows_the_problem_instead_of_an_empty_list()
    {
        _context.Gateway.On(HttpMethod.Get, "/api/notifications/me", _ => FakeGateway.Problem(HttpStatusCode.ServiceUnavailable, new { title = "The school is not answering.", status = 503 }));
        var bell = _context.RenderWithProviders<NotificationBell>();

        bell.Find("[data-testid=notification-bell]").Click();

        bell.WaitForAssertion(() => Assert.Contains("The school is not answering.", _context.PageMarkup, StringComparison.Ordinal));
        Assert.Empty(_context.FindAllInPage("[data-testid=notification-feed]"));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();
}
