using CollabTraining.Bookings;
using CollabTraining.Domain;
using CollabTraining.Organisations.Mentoring;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CollabTraining.Sharing;

/// <summary>
/// A user's qualification as the school last told this owner (kept from <c>QualificationChanged</c> events):
/// a booking that needs it is refused unless it is held, not revoked, and valid through the booking's last day.
/// </summary>
public sealed class HeldQualification
{
    private HeldQualification()
    {
    }

    public Guid Id { get; private set; }

    public Guid UserId { get; private set; }

    public string Code { get; private set; } = string.Empty;

    /// <summary>The last day it is valid; null once revoked.</summary>
    public DateOnly? ExpiresOn { get; private set; }

    public long Version { get; private set; }

    public static HeldQualification Learn(Guid id, Guid userId, string code, DateOnly? expiresOn, long version) =>
        new() { Id = id, UserId = userId, Code = code, ExpiresOn = expiresOn, Version = version };

    /// <summary>Applies a later state; an older or repeated one changes nothing.</summary>
    public bool Apply(DateOnly? expiresOn, long version)
    {
        if (version <= Version)
        {
            return false;
        }

        ExpiresOn = expiresOn;
        Version = version;
        return true;
    }

    /// <summary>Valid on every day up to and including <paramref name="lastDay"/>.</summary>
    public bool ValidThrough(DateOnly lastDay) => ExpiresOn is { } expires && expires >= lastDay;
}

public enum QuotaPeriod
{
    Week,
    Month,
}

/// <summary>
/// How many unit-hours a consumer organisation may book on a resource per period (a calendar week or month in
/// the resource's time zone). What it has used is counted from its bookings at decision time, so a new period
/// starts by itself, across restarts, with nothing to run.
/// </summary>
public sealed class QuotaAllowance
{
    private QuotaAllowance()
    {
    }

    public Guid ResourceId { get; private set; }

    public Guid OrganisationId { get; private set; }

    public double UnitHours { get; private set; }

    public QuotaPeriod Period { get; private set; }

    public static QuotaAllowance Set(Guid resourceId, Guid organisationId, double unitHours, QuotaPeriod period)
    {
        var quota = new QuotaAllowance { ResourceId = resourceId, OrganisationId = organisationId };
        quota.Change(unitHours, period);
        return quota;
    }

    public void Change(double unitHours, QuotaPeriod period)
    {
        if (unitHours is < 0 or > 1_000_000 || double.IsNaN(unitHours))
        {
            throw DomainRuleException.Invalid("unitHours", "An allowance is between 0 and 1,000,000 unit-hours.");
        }

        if (!Enum.IsDefined(period))
        {
            throw DomainRuleException.Invalid("period", "The period is Week or Month.");
        }

        UnitHours = unitHours;
        Period = period;
    }

    /// <summary>The period (in the resource's time zone) that <paramref name="at"/> falls in, as UTC instants.</summary>
    public (DateTimeOffset Start, DateTimeOffset End) PeriodOf(DateTimeOffset at, string timeZone)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
        var local = TimeZoneInfo.ConvertTime(at, zone).DateTime.Date;
        var first = Period == QuotaPeriod.Month ? new DateTime(local.Year, local.Month, 1) : local.AddDays(-(((int)local.DayOfWeek + 6) % 7));
        var next = Period == QuotaPeriod.Month ? first.AddMonths(1) : first.AddDays(7);
        return (ToUtc(first, zone), ToUtc(next, zone));
    }

    private static DateTimeOffset ToUtc(DateTime local, TimeZoneInfo zone)
    {
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime();
    }
}

/// <summary>
/// A secret address at which a calendar client (which cannot send a bearer token) reads one user's bookings,
/// or a resource's calendar as that user may see it. Only a hash of the secret is kept; revoking it makes the
/// address answer 404.
/// </summary>
public sealed class CalendarFeed
{
    private CalendarFeed()
    {
    }

    public Guid Id { get; private set; }

    public Guid UserId { get; private set; }

    public Guid OrganisationId { get; private set; }

    public string UserName { get; private set; } = string.Empty;

    /// <summary>SHA-256 of the secret, hex.</summary>
    public string SecretHash { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    public static CalendarFeed Create(Guid userId, Guid organisationId, string userName, string secretHash, DateTimeOffset now) =>
        new() { Id = Guid.CreateVersion7(), UserId = userId, OrganisationId = organisationId, UserName = userName, SecretHash = secretHash, CreatedAt = now };

    public void Revoke(DateTimeOffset now) => RevokedAt ??= now;
}

/// <summary>An engineer an enterprise or institute offers to mentor innovation projects.</summary>
public sealed class EngineeringMentor
{
    private EngineeringMentor()
    {
    }

    /// <summary>The mentor's user id.</summary>
    public Guid Id { get; private set; }

    public Guid OrganisationId { get; private set; }

    public string Name { get; private set; } = string.Empty;

    public List<string> Expertise { get; private set; } = [];

    public int ProjectCapacity { get; private set; }

    public bool Active { get; private set; }

    public long Version { get; private set; }

    public static EngineeringMentor Register(Guid userId, Guid organisationId, string name, IEnumerable<string> expertise, int projectCapacity)
    {
        var mentor = new EngineeringMentor { Id = userId, OrganisationId = organisationId };
        mentor.Change(name, expertise, projectCapacity, active: true);
        return mentor;
    }

    public void Change(string name, IEnumerable<string> expertise, int projectCapacity, bool active)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw DomainRuleException.Invalid("name", "A mentor needs a name.");
        }

        if (projectCapacity is < 0 or > 50)
        {
            throw DomainRuleException.Invalid("projectCapacity", "A mentor takes between 0 and 50 projects at once.");
        }

        var areas = expertise.Select(e => e.Trim()).Where(e => e.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (areas.Count == 0 || areas.Count > 20 || areas.Any(a => a.Length > 100))
        {
            throw DomainRuleException.Invalid("expertise", "Name between one and twenty areas of expertise, each at most 100 characters.");
        }

        Name = name.Trim();
        Expertise = areas;
        ProjectCapacity = projectCapacity;
        Active = active;
        Version++;
    }
}

public static class SharingModel
{
    /// <summary>The kernel's tables and the owner-side ones (qualifications, quotas, feeds, mentors) in a service's model.</summary>
    public static ModelBuilder AddResourceSharing(this ModelBuilder modelBuilder)
    {
        modelBuilder.AddBookingKernel();
        modelBuilder.AddMentorRequests();
        modelBuilder.AddBundleParts();
        modelBuilder.Entity<HeldQualification>(b =>
        {
            b.ToTable("HeldQualifications");
            b.HasKey(q => q.Id);
            b.Property(q => q.Id).ValueGeneratedNever();
            b.Property(q => q.Code).HasMaxLength(60);
            b.HasIndex(q => q.UserId);
        });
        modelBuilder.Entity<QuotaAllowance>(b =>
        {
            b.ToTable("QuotaAllowances");
            b.HasKey(q => new { q.ResourceId, q.OrganisationId });
            b.Property(q => q.Period).HasConversion<string>().HasMaxLength(10);
            b.HasOne<Resource>().WithMany().HasForeignKey(q => q.ResourceId).OnDelete(DeleteBehavior.Restrict);
        });
        modelBuilder.Entity<CalendarFeed>(b =>
        {
            b.ToTable("CalendarFeeds");
            b.HasKey(f => f.Id);
            b.Property(f => f.Id).ValueGeneratedNever();
            b.Property(f => f.SecretHash).HasMaxLength(64);
            b.Property(f => f.UserName).HasMaxLength(200);
            b.HasIndex(f => f.SecretHash).IsUnique();
            b.HasIndex(f => f.UserId);
        });
        modelBuilder.Entity<EngineeringMentor>(b =>
        {
            b.ToTable("EngineeringMentors");
            b.HasKey(m => m.Id);
            b.Property(m => m.Id).ValueGeneratedNever();
            b.Property(m => m.Name).HasMaxLength(200);
            b.Property(m => m.Version).IsConcurrencyToken();
            b.HasIndex(m => m.OrganisationId);
        });
        return modelBuilder;
    }
}
