using CollabTraining.Contracts.Hospitals;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CollabTraining.School.Catalog;

/// <summary>
/// The school's copy of a hospital's placement offer. It only ever moves forward: an event whose version is
/// not newer than the one held is ignored, so late, repeated or reordered events never undo a change.
/// </summary>
public sealed class CatalogPlacement
{
    public Guid OfferId { get; private set; }

    public Guid HospitalId { get; private set; }

    public string HospitalName { get; private set; } = string.Empty;

    public string Department { get; private set; } = string.Empty;

    public string Specialty { get; private set; } = string.Empty;

    public string Title { get; private set; } = string.Empty;

    public DateOnly StartsOn { get; private set; }

    public DateOnly EndsOn { get; private set; }

    public int Seats { get; private set; }

    public int MinimumStudyYear { get; private set; }

    public List<string> RequiredQualifications { get; private set; } = [];

    public List<string> AllowedProgrammes { get; private set; } = [];

    public bool Withdrawn { get; private set; }

    /// <summary>The hospital takes no new students on it.</summary>
    public bool Closed { get; private set; }

    /// <summary>Open to new students: published, neither closed nor withdrawn.</summary>
    public bool TakesStudents => !Withdrawn && !Closed && Title.Length > 0;

    public long Version { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static CatalogPlacement Empty(Guid offerId, Guid hospitalId) => new() { OfferId = offerId, HospitalId = hospitalId };

    public bool IsNewer(long version) => version > Version;

    public void Apply(PlacementOfferSnapshot offer, long version, DateTimeOffset occurredAt)
    {
        HospitalId = offer.HospitalId;
        HospitalName = offer.HospitalName;
        Department = offer.Department;
        Specialty = offer.Specialty;
        Title = offer.Title;
        StartsOn = offer.StartsOn;
        EndsOn = offer.EndsOn;
        Seats = offer.Seats;
        MinimumStudyYear = offer.Requirements.MinimumStudyYear;
        RequiredQualifications = [.. offer.Requirements.RequiredQualifications];
        AllowedProgrammes = [.. offer.Requirements.AllowedProgrammes];
        Version = version;
        UpdatedAt = occurredAt;
    }

    /// <summary>
    /// Terms that arrive after a newer closure or withdrawal (which carry none) still fill a row that has no
    /// terms yet, without undoing the newer state: the catalog then knows what was closed or withdrawn.
    /// </summary>
    public bool FillMissingTerms(PlacementOfferSnapshot offer)
    {
        if (Title.Length > 0)
        {
            return false;
        }

        var (version, updatedAt, withdrawn, closed) = (Version, UpdatedAt, Withdrawn, Closed);
        Apply(offer, version, updatedAt);
        (Withdrawn, Closed) = (withdrawn, closed);
        return true;
    }

    public void Close(long version, DateTimeOffset occurredAt)
    {
        Closed = true;
        Version = version;
        UpdatedAt = occurredAt;
    }

    public void Withdraw(long version, DateTimeOffset occurredAt)
    {
        Withdrawn = true;
        Version = version;
        UpdatedAt = occurredAt;
    }
}

internal sealed class CatalogPlacementConfiguration : IEntityTypeConfiguration<CatalogPlacement>
{
    public void Configure(EntityTypeBuilder<CatalogPlacement> builder)
    {
        builder.HasKey(p => p.OfferId);
        builder.Property(p => p.OfferId).ValueGeneratedNever();
        builder.Property(p => p.HospitalName).HasMaxLength(200);
        builder.Property(p => p.Department).HasMaxLength(120);
        builder.Property(p => p.Specialty).HasMaxLength(120);
        builder.Property(p => p.Title).HasMaxLength(200);
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.HasIndex(p => new { p.Withdrawn, p.StartsOn });
        builder.HasIndex(p => p.Specialty);
        builder.HasIndex(p => p.HospitalId);
    }
}
