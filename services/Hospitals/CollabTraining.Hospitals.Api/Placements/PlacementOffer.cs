using CollabTraining.Contracts.Hospitals;
using CollabTraining.Contracts.School;
using CollabTraining.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CollabTraining.Hospitals.Placements;

/// <summary>Draft (only the hospital sees it) → Published (in the school's catalog) → Closed (no new students) → Withdrawn.</summary>
public enum PlacementOfferStatus
{
    Draft,
    Published,
    Closed,
    Withdrawn,
}

/// <summary>Seats a hospital department offers students for a period, with who may take them.</summary>
public sealed class PlacementOffer
{
    private PlacementOffer()
    {
    }

    public Guid Id { get; private set; }

    public Guid HospitalId { get; private set; }

    // Stryker disable once String : every factory method and EF's load of the row overwrite it; the initialiser only satisfies the nullable analysis
    public string Department { get; private set; } = string.Empty;

    // Stryker disable once String : every factory method and EF's load of the row overwrite it; the initialiser only satisfies the nullable analysis
    public string Specialty { get; private set; } = string.Empty;

    // Stryker disable once String : every factory method and EF's load of the row overwrite it; the initialiser only satisfies the nullable analysis
    public string Title { get; private set; } = string.Empty;

    public DateOnly StartsOn { get; private set; }

    public DateOnly EndsOn { get; private set; }

    public int Seats { get; private set; }

    public int MinimumStudyYear { get; private set; }

    public List<string> RequiredQualifications { get; private set; } = [];

    public List<string> AllowedProgrammes { get; private set; } = [];

    public PlacementOfferStatus Status { get; private set; }

    /// <summary>Increases with every change; the concurrency token and the version events carry.</summary>
    public long Version { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>
    /// Moves with every confirmation of a student on this offer. It is a concurrency token, so two
    /// coordinators confirming the last seat at the same moment cannot both succeed.
    /// </summary>
    public long ConfirmationCount { get; private set; }

    public static PlacementOffer Publish(Guid hospitalId, PlacementOfferTerms terms, DateTimeOffset now) =>
        Create(hospitalId, terms, now, PlacementOfferStatus.Published);

    public static PlacementOffer Draft(Guid hospitalId, PlacementOfferTerms terms, DateTimeOffset now) =>
        Create(hospitalId, terms, now, PlacementOfferStatus.Draft);

    /// <summary>True while the school's catalog holds the offer: its changes are then events.</summary>
    public bool IsPublic => Status is PlacementOfferStatus.Published or PlacementOfferStatus.Closed;

    public DateTimeOffset? PublishedAt { get; private set; }

    /// <summary>The offer's current terms.</summary>
    public PlacementOfferTerms Terms => new(Department, Specialty, Title, StartsOn, EndsOn, Seats, MinimumStudyYear, RequiredQualifications, AllowedProgrammes);

    /// <summary>
    /// Changes the terms (seats included) of a draft, published or closed offer. A withdrawn offer is final.
    /// A new start date must not lie in the past; an unchanged one may (the placement is under way). The
    /// period stays fixed while students hold seats: they were placed for these weeks, around their other
    /// placements, and may have logged hours in them.
    /// </summary>
    public void Revise(PlacementOfferTerms terms, int studentsHoldingSeats, DateTimeOffset now)
    {
        EnsureNotWithdrawn("changed");
        if ((terms.StartsOn != StartsOn || terms.EndsOn != EndsOn) && studentsHoldingSeats > 0)
        {
            throw DomainRuleException.Conflict(
                $"{studentsHoldingSeats} student(s) hold seats on this placement for {StartsOn:yyyy-MM-dd} to {EndsOn:yyyy-MM-dd}; the period cannot move under them. Decline them first, or withdraw this offer and publish a new one.");
        }

        if (terms.StartsOn != StartsOn)
        {
            terms.EnsureStartsAhead(now);
        }

        Apply(terms, now);
        Version++;
    }

    public void CountConfirmation() => ConfirmationCount++;

    /// <summary>Puts a draft into the school's catalog.</summary>
    public void PublishDraft(DateTimeOffset now)
    {
        if (Status != PlacementOfferStatus.Draft)
        {
            throw DomainRuleException.Conflict($"Only a draft can be published; this offer is {Status}.");
        }

        Terms.EnsureStartsAhead(now);

        Status = PlacementOfferStatus.Published;
        PublishedAt = now;
        UpdatedAt = now;
        Version++;
    }

    /// <summary>Stops taking new students; assignments already made stand.</summary>
    public void Close(DateTimeOffset now)
    {
        if (Status != PlacementOfferStatus.Published)
        {
            throw DomainRuleException.Conflict($"Only a published offer can be closed; this offer is {Status}.");
        }

        Status = PlacementOfferStatus.Closed;
        UpdatedAt = now;
        Version++;
    }

    public void Withdraw(DateTimeOffset now)
    {
        EnsureNotWithdrawn("withdrawn again");
        Status = PlacementOfferStatus.Withdrawn;
        UpdatedAt = now;
        Version++;
    }

    private static PlacementOffer Create(Guid hospitalId, PlacementOfferTerms terms, DateTimeOffset now, PlacementOfferStatus status)
    {
        terms.EnsureStartsAhead(now);
        var offer = new PlacementOffer
        {
            Id = Guid.CreateVersion7(now),
            HospitalId = hospitalId,
            Status = status,
            PublishedAt = status == PlacementOfferStatus.Published ? now : null,
            Version = 1,
            CreatedAt = now,
        };
        offer.Apply(terms, now);
        return offer;
    }

    public PlacementOfferSnapshot Snapshot(string hospitalName) => new(
        Id, HospitalId, hospitalName, Department, Specialty, Title, StartsOn, EndsOn, Seats,
        new PlacementRequirements(MinimumStudyYear, [.. RequiredQualifications], [.. AllowedProgrammes]));

    private void EnsureNotWithdrawn(string action)
    {
        if (Status == PlacementOfferStatus.Withdrawn)
        {
            throw DomainRuleException.Conflict($"The offer was withdrawn and cannot be {action}.");
        }
    }

    private void Apply(PlacementOfferTerms terms, DateTimeOffset now)
    {
        terms.EnsureValid();
        Department = terms.Department;
        Specialty = terms.Specialty;
        Title = terms.Title;
        StartsOn = terms.StartsOn;
        EndsOn = terms.EndsOn;
        Seats = terms.Seats;
        MinimumStudyYear = terms.MinimumStudyYear;
        RequiredQualifications = [.. terms.RequiredQualifications];
        AllowedProgrammes = [.. terms.AllowedProgrammes];
        UpdatedAt = now;
    }
}

/// <summary>What a hospital states about an offer; valid terms are the only ones an offer can hold.</summary>
public sealed record PlacementOfferTerms(
    string Department,
    string Specialty,
    string Title,
    DateOnly StartsOn,
    DateOnly EndsOn,
    int Seats,
    int MinimumStudyYear,
    IReadOnlyList<string> RequiredQualifications,
    IReadOnlyList<string> AllowedProgrammes)
{
    public const int MaxSeats = 500;
    public const int MaxCodes = 20;
    public static readonly TimeSpan LongestPlacement = TimeSpan.FromDays(366);

    /// <summary>How far ahead an offer may start: placements are planned a few terms ahead, not decades.</summary>
    public const int MaxYearsAhead = 3;

    public void EnsureValid()
    {
        if (EndsOn < StartsOn)
        {
            throw new PlacementOfferRuleException("A placement cannot end before it starts.", "endsOn");
        }

        if (EndsOn.DayNumber - StartsOn.DayNumber > LongestPlacement.Days)
        {
            throw new PlacementOfferRuleException($"A placement lasts at most {LongestPlacement.Days} days.", "endsOn");
        }

        if (Seats is < 1 or > MaxSeats)
        {
            throw new PlacementOfferRuleException($"Seats must be between 1 and {MaxSeats}.", "seats");
        }

        if (MinimumStudyYear is < 1 or > 6)
        {
            throw new PlacementOfferRuleException("The minimum study year must be between 1 and 6.", "requirements.minimumStudyYear");
        }

        EnsureKnownCodes(RequiredQualifications, ReferenceCodes.Qualifications, "requirements.requiredQualifications", "qualification");
        EnsureKnownCodes(AllowedProgrammes, ReferenceCodes.Programmes, "requirements.allowedProgrammes", "programme");
    }

    /// <summary>A new placement starts today or later, and within <see cref="MaxYearsAhead"/> years.</summary>
    public void EnsureStartsAhead(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (StartsOn < today)
        {
            throw new PlacementOfferRuleException($"A placement cannot start in the past (today is {today:yyyy-MM-dd}).", "startsOn");
        }

        if (StartsOn > today.AddYears(MaxYearsAhead))
        {
            throw new PlacementOfferRuleException($"A placement starts at most {MaxYearsAhead} years ahead.", "startsOn");
        }
    }

    /// <summary>Every code is one the school knows, named once; the school owns the lists (<see cref="ReferenceCodes"/>).</summary>
    private static void EnsureKnownCodes(IReadOnlyList<string> codes, IReadOnlyDictionary<string, string> known, string field, string what)
    {
        if (codes.Count > MaxCodes)
        {
            throw new PlacementOfferRuleException($"At most {MaxCodes} codes.", field);
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < codes.Count; i++)
        {
            var code = codes[i];
            if (string.IsNullOrEmpty(code))
            {
                throw new PlacementOfferRuleException("An entry is empty.", $"{field}[{i}]");
            }

            if (!seen.Add(code))
            {
                throw new PlacementOfferRuleException($"'{code}' is listed twice.", $"{field}[{i}]");
            }

            if (!known.ContainsKey(code))
            {
                throw new PlacementOfferRuleException(
                    $"'{(code.Length > 60 ? code[..60] + "…" : code)}' is not a {what} the school knows; the codes are {string.Join(", ", known.Keys)}.", $"{field}[{i}]");
            }
        }
    }
}

/// <summary>Terms a placement offer cannot hold, naming the field at fault.</summary>
public sealed class PlacementOfferRuleException(string message, string field) : DomainRuleException(RuleMeaning.Invalid, message, field);

internal sealed class PlacementOfferConfiguration : IEntityTypeConfiguration<PlacementOffer>
{
    public void Configure(EntityTypeBuilder<PlacementOffer> builder)
    {
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Department).HasMaxLength(120);
        builder.Property(o => o.Specialty).HasMaxLength(120);
        builder.Property(o => o.Title).HasMaxLength(200);
        builder.Property(o => o.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(o => o.Version).IsConcurrencyToken();
        builder.Property(o => o.ConfirmationCount).IsConcurrencyToken();
        builder.HasIndex(o => new { o.HospitalId, o.Status });
    }
}

