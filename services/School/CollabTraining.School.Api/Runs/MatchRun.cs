using System.Text.Json;
using CollabTraining.School.Matching;
using CollabTraining.School.Rounds;
using CollabTraining.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CollabTraining.School.Runs;

public enum MatchRunKind
{
    /// <summary>Made while students could still rank: a preview for the coordinator, never published, invisible to students.</summary>
    Provisional,

    /// <summary>The whole round, on the final preferences: the run a coordinator publishes.</summary>
    Initial,

    /// <summary>Freed seats and displaced students only, after publication.</summary>
    Rematch,
}

/// <summary>A stored match run: what went in (digest, seed, algorithm) and everything that came out, never changed afterwards.</summary>
public sealed class MatchRun
{
    private MatchRun()
    {
    }

    public Guid Id { get; private set; }

    public Guid RoundId { get; private set; }

    public long Seed { get; private set; }

    // Stryker disable once String : every run is made by Record, which sets it (as does loading one)
    public string AlgorithmVersion { get; private set; } = string.Empty;

    // Stryker disable once String : every run is made by Record, which sets it (as does loading one)
    public string InputDigest { get; private set; } = string.Empty;

    public DateTimeOffset RanAt { get; private set; }

    public Guid RanBy { get; private set; }

    public bool Stable { get; private set; }

    public MatchRunKind Kind { get; private set; }

    public int Matched { get; private set; }

    public int Unmatched { get; private set; }

    /// <summary>The whole <see cref="MatchResult"/> as JSON.</summary>
    // Stryker disable once String : every run is made by Record, which sets it (as does loading one)
    public string Result { get; private set; } = string.Empty;

    public static MatchRun Record(Guid roundId, MatchRunKind kind, MatchResult result, Guid ranBy, DateTimeOffset now) => new()
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

internal sealed class MatchRunConfiguration : IEntityTypeConfiguration<MatchRun>
{
    public void Configure(EntityTypeBuilder<MatchRun> builder)
    {
        builder.Property(r => r.AlgorithmVersion).HasMaxLength(100);
        builder.Property(r => r.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.InputDigest).HasMaxLength(64);
        builder.HasOne<PlacementRound>().WithMany().HasForeignKey(r => r.RoundId);
        builder.HasIndex(r => new { r.RoundId, r.RanAt });
    }
}
