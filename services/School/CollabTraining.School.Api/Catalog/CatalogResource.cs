using CollabTraining.Contracts.Sharing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CollabTraining.School.Catalog;

/// <summary>
/// The school's copy of a resource an enterprise or institute shares (a compute pool, a device, equipment).
/// Each publication carries the whole state, so a newer one replaces it and an older or repeated one is
/// ignored: the copy only moves forward whatever order events arrive in. Availability is not copied; the
/// owner is asked when someone searches a window.
/// </summary>
public sealed class CatalogResource
{
    private CatalogResource()
    {
    }

    public Guid ResourceId { get; private set; }

    /// <summary>The owning service (<see cref="ResourceOwners"/>): where availability is asked.</summary>
    public string Service { get; private set; } = string.Empty;

    public Guid OwnerId { get; private set; }

    public string OwnerName { get; private set; } = string.Empty;

    /// <summary>computePool, device or equipment.</summary>
    public string Kind { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    public string Description { get; private set; } = string.Empty;

    public string? Model { get; private set; }

    public int Capacity { get; private set; }

    public List<string> RequiredQualifications { get; private set; } = [];

    public bool ApprovalRequired { get; private set; }

    public double MaximumHours { get; private set; }

    public string TimeZone { get; private set; } = string.Empty;

    public bool Retired { get; private set; }

    public long Version { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static CatalogResource From(SharedResourcePublished published)
    {
        var resource = new CatalogResource { ResourceId = published.Resource.ResourceId };
        resource.Copy(published);
        return resource;
    }

    /// <summary>Takes the publication if it is newer than what is held; false (nothing changed) otherwise.</summary>
    public bool Apply(SharedResourcePublished published)
    {
        if (published.Version <= Version)
        {
            return false;
        }

        Copy(published);
        return true;
    }

    private void Copy(SharedResourcePublished published)
    {
        var r = published.Resource;
        Service = r.Service;
        OwnerId = r.OwnerId;
        OwnerName = r.OwnerName;
        Kind = r.Kind;
        Name = r.Name;
        Description = r.Description;
        Model = r.Model;
        Capacity = r.Capacity;
        RequiredQualifications = [.. r.RequiredQualifications];
        ApprovalRequired = r.ApprovalRequired;
        MaximumHours = r.MaximumHours;
        TimeZone = r.TimeZone;
        Retired = r.Retired;
        Version = published.Version;
        UpdatedAt = published.OccurredAt;
    }
}

internal sealed class CatalogResourceConfiguration : IEntityTypeConfiguration<CatalogResource>
{
    public void Configure(EntityTypeBuilder<CatalogResource> builder)
    {
        builder.HasKey(r => r.ResourceId);
        builder.Property(r => r.ResourceId).ValueGeneratedNever();
        builder.Property(r => r.Service).HasMaxLength(40);
        builder.Property(r => r.OwnerName).HasMaxLength(200);
        builder.Property(r => r.Kind).HasMaxLength(40);
        builder.Property(r => r.Name).HasMaxLength(200);
        builder.Property(r => r.Description).HasMaxLength(2000);
        builder.Property(r => r.Model).HasMaxLength(200);
        builder.Property(r => r.TimeZone).HasMaxLength(100);
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.HasIndex(r => new { r.Retired, r.Kind, r.Name });
        builder.HasIndex(r => r.OwnerId);
    }
}
