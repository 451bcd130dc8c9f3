using CollabTraining.Contracts.Sharing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CollabTraining.School.Catalog;

/// <summary>
/// The school's copy of an engineering mentor an enterprise or institute offers to innovation projects. Like
/// <see cref="CatalogResource"/>, each publication is the whole state and only a newer one replaces it.
/// </summary>
public sealed class CatalogMentor
{
    private CatalogMentor()
    {
    }

    public Guid MentorId { get; private set; }

    public string Service { get; private set; } = string.Empty;

    public Guid OrganisationId { get; private set; }

    public string OrganisationName { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    public List<string> Expertise { get; private set; } = [];

    public int ProjectCapacity { get; private set; }

    /// <summary>Takes projects now; inactive mentors are kept but not listed.</summary>
    public bool Active { get; private set; }

    public long Version { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public static CatalogMentor From(EngineeringMentorPublished published)
    {
        var mentor = new CatalogMentor { MentorId = published.MentorId };
        mentor.Copy(published);
        return mentor;
    }

    /// <summary>Takes the publication if it is newer than what is held; false (nothing changed) otherwise.</summary>
    public bool Apply(EngineeringMentorPublished published)
    {
        if (published.Version <= Version)
        {
            return false;
        }

        Copy(published);
        return true;
    }

    private void Copy(EngineeringMentorPublished published)
    {
        Service = published.Service;
        OrganisationId = published.OrganisationId;
        OrganisationName = published.OrganisationName;
        Name = published.Name;
        Expertise = [.. published.Expertise];
        ProjectCapacity = published.ProjectCapacity;
        Active = published.Active;
        Version = published.Version;
        UpdatedAt = published.OccurredAt;
    }
}

internal sealed class CatalogMentorConfiguration : IEntityTypeConfiguration<CatalogMentor>
{
    public void Configure(EntityTypeBuilder<CatalogMentor> builder)
    {
        builder.HasKey(m => m.MentorId);
        builder.Property(m => m.MentorId).ValueGeneratedNever();
        builder.Property(m => m.Service).HasMaxLength(40);
        builder.Property(m => m.OrganisationName).HasMaxLength(200);
        builder.Property(m => m.Name).HasMaxLength(200);
        builder.Property(m => m.Version).IsConcurrencyToken();
        builder.HasIndex(m => new { m.Active, m.Name });
        builder.HasIndex(m => m.OrganisationId);
    }
}
