using System.Text.Json;
using CollabTraining.School.Matching;
using CollabTraining.ServiceDefaults.Messaging;
using CollabTraining.ServiceDefaults.Problems;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CollabTraining.School.Rounds;

public enum RoundStatus
{
    /// <summary>Students may rank offers.</summary>
    Open,

    /// <summary>A match has run; preferences are frozen.</summary>
    Matched,

    /// <summary>Assignments went to the hospitals; declines are re-matched from here on.</summary>
    Published,
}

/// <summary>A placement round: which offers are in it, until when students may rank, and how many ranks each.</summary>
public sealed class PlacementRound
{
    public Guid Id { get; set; }

    public required string Name { get; set; }

    public List<Guid> OfferIds { get; set; } = [];

    public DateTimeOffset PreferencesCloseAt { get; set; }

    public int MaxRanks { get; set; }

    public RoundStatus Status { get; set; }

    /// <summary>The run whose assignments went to the hospitals; later re-match runs build on it.</summary>
    public Guid? PublishedRunId { get; set; }

    /// <summary>Until when a student may give up their assignment; set when the first run is published.</summary>
    public DateTimeOffset? StudentDeclineDeadline { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public long Version { get; set; }

    public void EnsureOpenForPreferences(DateTimeOffset now)
    {
        if (Status != RoundStatus.Open)
        {
            throw new DomainRuleException("The round has been matched; preferences can no longer change.", StatusCodes.Status409Conflict);
        }

        if (now > PreferencesCloseAt)
        {
            throw new DomainRuleException($"The preference window closed at {PreferencesCloseAt:u}.", StatusCodes.Status409Conflict);
        }
    }
}

/// <summary>One student's ranking in one round, best first. Replaced whole on every change.</summary>
public sealed class RoundPreference
{
    public Guid RoundId { get; set; }

    public Guid StudentId { get; set; }

    public List<Guid> OfferIds { get; set; } = [];

    public DateTimeOffset SubmittedAt { get; set; }
}

/// <summary>
/// A hospital's own order of the students who ranked one of its offers in a round, best first. Students it
/// leaves out are not acceptable to it; without a ranking the school's published policy decides.
/// </summary>
public sealed class HospitalRanking
{
    public Guid RoundId { get; set; }

    public Guid OfferId { get; set; }

    public List<Guid> StudentIds { get; set; } = [];

    public Guid SubmittedBy { get; set; }

    public DateTimeOffset SubmittedAt { get; set; }
}

/// <summary>A stored match run: what went in (digest, seed, algorithm) and everything that came out.</summary>
public sealed class MatchRun
{
    public Guid Id { get; set; }

    public Guid RoundId { get; set; }

    public long Seed { get; set; }

    public required string AlgorithmVersion { get; set; }

    public required string InputDigest { get; set; }

    public DateTimeOffset RanAt { get; set; }

    public Guid RanBy { get; set; }

    public bool Stable { get; set; }

    /// <summary>Initial (the whole round) or Rematch (freed seats and displaced students only).</summary>
    public string Kind { get; set; } = "Initial";

    public int Matched { get; set; }

    public int Unmatched { get; set; }

    /// <summary>The whole <see cref="MatchResult"/> as JSON.</summary>
    public required string Result { get; set; }

    public static MatchRun Record(Guid roundId, string kind, MatchResult result, Guid ranBy, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now),
        RoundId = roundId,
        Seed = result.Seed,
        Kind = kind,
        AlgorithmVersion = result.AlgorithmVersion,
        InputDigest = result.InputDigest,
        RanAt = now,
        RanBy = ranBy,
        Stable = result.Certificate.IsStable,
        Matched = result.Assignments.Count,
        Unmatched = result.Unmatched.Count,
        Result = JsonSerializer.Serialize(result, MessageTypeRegistry.JsonOptions),
    };

    public MatchResult ReadResult() => JsonSerializer.Deserialize<MatchResult>(Result, MessageTypeRegistry.JsonOptions)!;
}

internal sealed class RoundConfigurations :
    IEntityTypeConfiguration<HospitalRanking>,
    IEntityTypeConfiguration<PlacementRound>,
    IEntityTypeConfiguration<RoundPreference>,
    IEntityTypeConfiguration<MatchRun>
{
    public void Configure(EntityTypeBuilder<PlacementRound> builder)
    {
        builder.Property(r => r.Name).HasMaxLength(200);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Version).IsConcurrencyToken();
    }

    public void Configure(EntityTypeBuilder<HospitalRanking> builder)
    {
        builder.HasKey(r => new { r.RoundId, r.OfferId });
        builder.HasOne<PlacementRound>().WithMany().HasForeignKey(r => r.RoundId);
    }

    public void Configure(EntityTypeBuilder<RoundPreference> builder)
    {
        builder.HasKey(p => new { p.RoundId, p.StudentId });
        builder.HasOne<PlacementRound>().WithMany().HasForeignKey(p => p.RoundId);
    }

    public void Configure(EntityTypeBuilder<MatchRun> builder)
    {
        builder.Property(r => r.AlgorithmVersion).HasMaxLength(100);
        builder.Property(r => r.Kind).HasMaxLength(20);
        builder.Property(r => r.InputDigest).HasMaxLength(64);
        builder.HasOne<PlacementRound>().WithMany().HasForeignKey(r => r.RoundId);
        builder.HasIndex(r => new { r.RoundId, r.RanAt });
    }
}
