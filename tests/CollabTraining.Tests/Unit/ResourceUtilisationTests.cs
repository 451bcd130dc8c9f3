using CollabTraining.School.Ledger;

namespace CollabTraining.Tests.Unit;

public sealed class ResourceUtilisationTests
{
    // January 2031: 31 days, 744 hours.
    private static readonly LedgerPeriod January = new(new DateOnly(2031, 1, 1), new DateOnly(2031, 2, 1));
    private static readonly Guid Owner = Guid.NewGuid();
    private static readonly UtilisationResource Pool = new(Guid.NewGuid(), "GPU pool", Owner, "Helix", "computePool", 4, false);

    private static DateTimeOffset At(int month, int day, int hour) => new(2031, month, day, hour, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Capacity_four_booked_two_units_for_half_the_period_is_a_quarter()
    {
        var report = ResourceUtilisation.Build(January, [Pool],
            [new UtilisationBooking(Pool.ResourceId, "confirmed", 2, At(1, 1, 0), At(1, 1, 0).AddHours(372))], []);

        var line = Assert.Single(report.Resources);
        Assert.Equal((744.0, 2976.0, 0.25), (line.BookedHours, line.AvailableHours, line.Utilisation));
        Assert.Equal((Pool.Name, Pool.OwnerName, Pool.Kind, Pool.Capacity), (line.Name, line.OwnerName, line.Kind, line.Capacity));
    }

    [Fact]
    public void Bookings_and_uses_across_the_periods_edges_count_only_their_hours_inside()
    {
        var report = ResourceUtilisation.Build(January, [Pool],
            [
                new UtilisationBooking(Pool.ResourceId, "completed", 2, new DateTimeOffset(2030, 12, 31, 20, 0, 0, TimeSpan.Zero), At(1, 1, 4)), // 4 h inside × 2
                new UtilisationBooking(Pool.ResourceId, "checkedIn", 1, At(1, 31, 22), At(2, 1, 6)), // 2 h inside
                new UtilisationBooking(Pool.ResourceId, "confirmed", 3, At(2, 1, 0), At(2, 1, 5)), // after the period
            ],
            [new UtilisationUsage(Pool.ResourceId, 8, At(1, 31, 20), At(2, 1, 4))]); // half inside: 4

        var line = Assert.Single(report.Resources);
        Assert.Equal(10, line.BookedHours, 2);
        Assert.Equal(4, line.UsedHours, 2);
        Assert.Equal(Math.Round(10 / 2976.0, 4), line.Utilisation);
    }

    [Theory]
    [InlineData("cancelled")]
    [InlineData("pending")]
    [InlineData("held")]
    [InlineData("rejected")]
    [InlineData("released")]
    public void A_booking_that_never_provided_anything_is_not_counted(string status)
    {
        var report = ResourceUtilisation.Build(January, [Pool],
            [
                new UtilisationBooking(Pool.ResourceId, status, 4, At(1, 2, 0), At(1, 3, 0)),
                new UtilisationBooking(Pool.ResourceId, "confirmed", 1, At(1, 2, 0), At(1, 2, 6)),
            ], []);

        Assert.Equal(6, Assert.Single(report.Resources).BookedHours);
    }

    [Fact]
    public void No_capacity_is_zero_utilisation_a_quiet_retired_resource_is_left_out_and_the_busiest_come_first()
    {
        var empty = Pool with { ResourceId = Guid.NewGuid(), Name = "Broken", Capacity = 0 };
        var retired = Pool with { ResourceId = Guid.NewGuid(), Name = "Old", Retired = true };
        var busy = Pool with { ResourceId = Guid.NewGuid(), Name = "Busy", Capacity = 1 };
        var report = ResourceUtilisation.Build(January, [Pool, empty, retired, busy],
            [
                new UtilisationBooking(empty.ResourceId, "confirmed", 1, At(1, 2, 0), At(1, 2, 6)),
                new UtilisationBooking(busy.ResourceId, "confirmed", 1, At(1, 2, 0), At(1, 3, 0)),
            ], []);

        Assert.Equal(["Busy", "Broken", "GPU pool"], report.Resources.Select(r => r.Name));
        Assert.Equal((6.0, 0.0, 0.0), (report.Resources[1].BookedHours, report.Resources[1].AvailableHours, report.Resources[1].Utilisation));
        Assert.Equal((January.From, January.To), (report.From, report.To));
    }
}
