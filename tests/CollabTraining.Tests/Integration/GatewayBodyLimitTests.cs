using System.Net;
using CollabTraining.Gateway;
using CollabTraining.Tests.Support;

namespace CollabTraining.Tests.Integration;

/// <summary>
/// The gateway's body limits per route: 1 MiB for the APIs, about 22 MB for the showcase upload; a body declared larger
/// is refused by the gateway itself, as a 413 problem, before anything is proxied.
/// </summary>
public sealed class GatewayBodyLimitTests(ServiceFactory<GatewayMarker> gateway) : IClassFixture<ServiceFactory<GatewayMarker>>
{
    private const int MiB = 1024 * 1024;

    [Fact]
    public async Task A_body_over_the_school_routes_1_MiB_is_a_413_problem()
    {
        var response = await gateway.ClientAs(TestAuth.Student).PostAsync("/api/school/rounds", Body(2 * MiB));

        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task The_showcase_upload_route_takes_a_report_sized_body_and_refuses_one_over_its_limit()
    {
        var url = $"/api/school/projects/{Guid.CreateVersion7()}/showcase";

        // No School runs behind this gateway: passing the limit shows as a proxy error, not as a 413.
        var passed = await gateway.ClientAs(TestAuth.Student).PostAsync(url, Body(2 * MiB));
        Assert.True(passed.StatusCode is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout,
            $"the body reached the proxy (no School behind it): {passed.StatusCode}");

        var refused = await gateway.ClientAs(TestAuth.Student).PostAsync(url, Body((22 * MiB) + 1));
        await refused.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    private static ByteArrayContent Body(int length) => new(new byte[length]) { Headers = { ContentType = new("multipart/form-data") { Parameters = { new("boundary", "x") } } } };
}
