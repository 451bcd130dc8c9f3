using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CollabTraining.Bookings;

/// <summary>Maps the kernel into a service's model: <c>modelBuilder.ApplyConfigurationsFromAssembly(typeof(BookingModel).Assembly)</c>.</summary>
public static class BookingModel
{
    public static ModelBuilder AddBookingKernel(this ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(BookingModel).Assembly);
}

internal sealed class ResourceConfiguration : IEntityTypeConfiguration<Resource>
{
    public void Configure(EntityTypeBuilder<Resource> builder)
    {
        builder.ToTable("Resources");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Name).HasMaxLength(200);
        builder.Property(r => r.Description).HasMaxLength(2000);
        builder.Property(r => r.Model).HasMaxLength(200);
        builder.Property(r => r.Version).IsConcurrencyToken();
        // Durations as ticks: SQL Server's time(7) holds less than a day, and rules run to months.
        builder.Property(r => r.LongestBooking).HasConversion<long>();
        builder.ComplexProperty(r => r.Rules, rules =>
        {
            rules.Property(x => x.TimeZone).HasMaxLength(64);
            rules.Property(x => x.MinimumDuration).HasConversion<long>();
            rules.Property(x => x.MaximumDuration).HasConversion<long>();
            rules.Property(x => x.MinimumNotice).HasConversion<long>();
            rules.Property(x => x.MaximumAdvance).HasConversion<long>();
            rules.Property(x => x.Buffer).HasConversion<long>();
            rules.Property(x => x.AutoReleaseAfter).HasConversion<long>();
        });
        builder.HasIndex(r => r.OwnerOrganisationId);
    }
}

internal sealed class BookingConfiguration : IEntityTypeConfiguration<Booking>
{
    public void Configure(EntityTypeBuilder<Booking> builder)
    {
        builder.ToTable("Bookings");
        builder.HasKey(b => b.Id);
        builder.Property(b => b.Id).ValueGeneratedNever();
        builder.Property(b => b.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(b => b.UserName).HasMaxLength(200);
        builder.Property(b => b.Reason).HasMaxLength(500);
        builder.Property(b => b.Version).IsConcurrencyToken();
        // Stryker disable Statement : EF maps no get-only computed property by convention, so the model is the same without these
        builder.Ignore(b => b.HoldsCapacity);
        builder.Ignore(b => b.TakesUnitsUntil);
        builder.Ignore(b => b.BookedUnitHours);
        builder.Ignore(b => b.UsedUnitHours);
        // Stryker restore Statement

        // A decision reads one resource's bookings that start within the longest booking before the slot and
        // before its end (BookingQueries.Around): a short range of this index, whatever the calendar's size.
        builder.HasIndex(b => new { b.ResourceId, b.Start, b.End });
        builder.HasIndex(b => new { b.UserId, b.Start });
        builder.HasOne<Resource>().WithMany().HasForeignKey(b => b.ResourceId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class BlackoutConfiguration : IEntityTypeConfiguration<Blackout>
{
    public void Configure(EntityTypeBuilder<Blackout> builder)
    {
        builder.ToTable("Blackouts");
        builder.HasKey(b => b.Id);
        builder.Property(b => b.Id).ValueGeneratedNever();
        builder.Property(b => b.Reason).HasMaxLength(500);
        builder.HasIndex(b => new { b.ResourceId, b.End, b.Start });
        builder.HasOne<Resource>().WithMany().HasForeignKey(b => b.ResourceId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class WaitlistEntryConfiguration : IEntityTypeConfiguration<WaitlistEntry>
{
    public void Configure(EntityTypeBuilder<WaitlistEntry> builder)
    {
        builder.ToTable("WaitlistEntries");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.UserName).HasMaxLength(200);
        builder.Property(e => e.OrganisationKind).HasMaxLength(40);
        builder.Property(e => e.Version).IsConcurrencyToken();

        // When capacity frees, the resource's waiting entries are read in joining order.
        builder.HasIndex(e => new { e.ResourceId, e.Status, e.JoinedAt });
        builder.HasIndex(e => e.OfferedHoldId);
        builder.HasOne<Resource>().WithMany().HasForeignKey(e => e.ResourceId).OnDelete(DeleteBehavior.Restrict);
    }
}
