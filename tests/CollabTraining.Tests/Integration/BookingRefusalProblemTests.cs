using System.Net;
using System.Text.Json.Nodes;
using CollabTraining.Bookings;
using CollabTraining.ServiceDefaults.Problems;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;

namespace CollabTraining.Tests.Integration;

/// <summary>A refused booking leaves as a 409 problem that names the reason and the next free slot, through the platform's one mapping.</summary>
public sealed class BookingRefusalProblemTests
{
    [Fact]
    public async Task A_refused_booking_is_a_409_naming_the_reason_and_the_next_free_slot()
    {
        var next = new Slot(new DateTimeOffset(2027, 3, 1, 11, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 3, 1, 12, 0, 0, TimeSpan.Zero));
        await using var app = Host(() => throw new BookingRefusedException(BookingRefusal.Full, "A100 pool is fully booked.", next));
        var response = await app.GetTestClient().GetAsync("/book");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("A100 pool is fully booked.", problem["detail"]!.GetValue<string>());
        Assert.Equal("full", problem["reason"]!.GetValue<string>());
        Assert.Equal(next.Start, problem["nextFree"]!["start"]!.GetValue<DateTimeOffset>());
        Assert.Equal(next.End, problem["nextFree"]!["end"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task A_refusal_with_no_free_slot_names_only_the_reason()
    {
        await using var app = Host(() => throw new BookingRefusedException(BookingRefusal.Qualification, "Booking 3T MRI needs mri-safety."));
        var problem = JsonNode.Parse(await (await app.GetTestClient().GetAsync("/book")).Content.ReadAsStringAsync())!;
        Assert.Equal("qualification", problem["reason"]!.GetValue<string>());
        Assert.Null(problem["nextFree"]);
    }

    private static WebApplication Host(Func<string> endpoint)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.AddPlatformProblemDetails();
        var app = builder.Build();
        app.UseExceptionHandler();
        app.MapGet("/book", endpoint);
        app.StartAsync().GetAwaiter().GetResult();
        return app;
    }
}
