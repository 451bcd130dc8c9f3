using CollabTraining.School.Matching;
using CollabTraining.School.Runs;
using CollabTraining.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CollabTraining.School.Rounds;

/// <summary>Where a round stands. Scheduled, Open and Closed follow from the clock; the rest from what the coordinator did.</summary>
public enum RoundStatus
{
    /// <summary>The preference window has not opened yet; the coordinator may still change everything.</summary>
    Scheduled,

    /// <summary>Students rank offers; hospitals rank their applicants. Runs made now are provisional.</summary>
    Open,

    /// <summary>The window closed: preferences are final, and a run made now can be published.</summary>
    Closed,

    /// <summary>Assignments went to the hospitals; declines are re-matched from here on.</summary>
    Published,

    /// <summary>The coordinator called the round off before publishing it.</summary>
    Cancelled,
}

/// <summary>What a coordinator states about a round; valid terms are the only ones a round can hold.</summary>
/// <param name="OfferStarts">When each offer starts, as the catalog says (offers it does not list are not checked).</param>
public sealed record RoundTerms(
    string Name, IReadOnlyList<Guid> OfferIds, DateTimeOffset PreferencesOpenAt, DateTimeOffset PreferencesCloseAt, int MaxRanks,
    IReadOnlyDictionary<Guid, DateOnly>? OfferStarts = null)
{
    public const int MaxRanksLimit = 30;

    public void EnsureValid()
    {
        if (PreferencesCloseAt <= PreferencesOpenAt)
        {
            throw DomainRuleException.Invalid("preferencesCloseAt", "The preference window must close after it opens.");
        }

        if (PreferencesCloseAt - PreferencesOpenAt > TimeSpan.FromDays(366))
        {
            throw DomainRuleException.Invalid("preferencesCloseAt", "A preference window lasts at most a year.");
        }

        if (MaxRanks is < 1 or > MaxRanksLimit)
        {
            throw DomainRuleException.Invalid("maxRanks", $"Students may rank between 1 and {MaxRanksLimit} offers.");
        }

        // Students are placed after the window closes: a placement that has begun by then cannot take them in time.
        var closingDay = DateOnly.FromDateTime(PreferencesCloseAt.UtcDateTime);
        for (var i = 0; i < OfferIds.Count; i++)
        {
            if (OfferStarts?.TryGetValue(OfferIds[i], out var start) == true && start < closingDay)
            {
                throw DomainRuleException.Invalid($"offerIds[{i}]", $"This placement starts on {start:yyyy-MM-dd}, before the day the preference window closes; students could not be placed in time.");
            }
        }
    }
}

/// <summary>
/// A placement round: which offers are in it, when students may rank them and how many, and what happened
/// to it. Every change is a method here that enforces its rule; endpoints load, call and save.
/// </summary>
public sealed class PlacementRound
{
    private PlacementRound()
    {
    }

    public Guid Id { get; private set; }

    // Stryker disable once String : every round is made by Open, which sets the name (as does loading one)
    public string Name { get; private set; } = string.Empty;

    public List<Guid> OfferIds { get; private set; } = [];

    public DateTimeOffset PreferencesOpenAt { get; private set; }

    public DateTimeOffset PreferencesCloseAt { get; private set; }

    public int MaxRanks { get; private set; }

    /// <summary>The run whose assignments went to the hospitals; later re-match runs build on it.</summary>
    public Guid? PublishedRunId { get; private set; }

    public DateTimeOffset? PublishedAt { get; private set; }

    /// <summary>Until when a student may give up their assignment; set at publication, movable by the coordinator.</summary>
    public DateTimeOffset? StudentDeclineDeadline { get; private set; }

    public DateTimeOffset? CancelledAt { get; private set; }

    public string? CancellationReason { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public Guid CreatedBy { get; private set; }

    public long Version { get; private set; }

    public static PlacementRound Open(RoundTerms terms, Guid coordinatorId, DateTimeOffset now)
    {
        EnsureCloseAhead(terms, now);

        var round = new PlacementRound { Id = Guid.CreateVersion7(now), CreatedAt = now, CreatedBy = coordinatorId, Version = 1 };
        round.Apply(terms);
        return round;
    }

    public RoundStatus StatusAt(DateTimeOffset now) =>
        CancelledAt is not null ? RoundStatus.Cancelled
        : PublishedRunId is not null ? RoundStatus.Published
        : now < PreferencesOpenAt ? RoundStatus.Scheduled
        : now < PreferencesCloseAt ? RoundStatus.Open
        : RoundStatus.Closed;

    /// <summary>
    /// Before the window opens everything may change. While it is open only the name and the closing time may
    /// (students have ranked these offers under these rules); after it closes nothing may.
    /// </summary>
    public void Revise(RoundTerms terms, DateTimeOffset now)
    {
        var status = StatusAt(now);
        if (status == RoundStatus.Open)
        {
            // The stored opening time may have lost sub-millisecond precision (SQLite): compare at a millisecond.
            if (!terms.OfferIds.Order().SequenceEqual(OfferIds.Order()) || terms.MaxRanks != MaxRanks
                || Math.Abs((terms.PreferencesOpenAt - PreferencesOpenAt).TotalMilliseconds) >= 1)
            {
                throw DomainRuleException.Conflict("Students are ranking already: only the name and the closing time may change while the window is open.");
            }
        }
        else if (status != RoundStatus.Scheduled)
        {
            throw DomainRuleException.Conflict($"The round is {status}; it can no longer be changed.");
        }

        EnsureCloseAhead(terms, now);
        Apply(terms);
        Version++;
    }

    /// <summary>Rounds are planned months ahead, not decades: the window closes in the future, within two years.</summary>
    private static void EnsureCloseAhead(RoundTerms terms, DateTimeOffset now)
    {
        if (terms.PreferencesCloseAt <= now)
        {
            throw DomainRuleException.Invalid("preferencesCloseAt", "The preference window must close in the future.");
        }

        if (terms.PreferencesCloseAt > now.AddYears(2))
        {
            throw DomainRuleException.Invalid("preferencesCloseAt", "The preference window closes at most two years ahead.");
        }
    }

    public void Cancel(string reason, DateTimeOffset now)
    {
        var status = StatusAt(now);
        if (status is RoundStatus.Published or RoundStatus.Cancelled)
        {
            throw DomainRuleException.Conflict(status == RoundStatus.Published
                ? "The round's assignments were published; decline or move assignments instead of cancelling the round."
                : "The round is cancelled already.");
        }

        CancelledAt = now;
        CancellationReason = reason;
        Version++;
    }

    public void EnsureOpenForPreferences(DateTimeOffset now)
    {
        switch (StatusAt(now))
        {
            case RoundStatus.Open:
                return;
            case RoundStatus.Scheduled:
                throw DomainRuleException.Conflict($"The preference window opens at {PreferencesOpenAt:u}.");
            case RoundStatus.Cancelled:
                throw DomainRuleException.Conflict("The round was cancelled.");
            default:
                throw DomainRuleException.Conflict($"The preference window closed at {PreferencesCloseAt:u}; preferences are final.");
        }
    }

    /// <summary>What a match run made now is: provisional while students may still rank, initial once the window has closed.</summary>
    public MatchRunKind KindOfRunAt(DateTimeOffset now) => StatusAt(now) switch
    {
        RoundStatus.Scheduled or RoundStatus.Open => MatchRunKind.Provisional,
        RoundStatus.Closed => MatchRunKind.Initial,
        RoundStatus.Published => throw DomainRuleException.Conflict("The round's assignments were published; declines are handled by re-matching, not by a new match."),
        _ => throw DomainRuleException.Conflict("The round was cancelled."),
    };

    /// <summary>Marks the run whose assignments go to the hospitals, with the deadline for students to give theirs up.</summary>
    public void Publish(MatchRun run, string currentDigest, DateTimeOffset studentDeclineDeadline, DateTimeOffset now)
    {
        var status = StatusAt(now);
        if (status != RoundStatus.Closed)
        {
            throw DomainRuleException.Conflict(status switch
            {
                RoundStatus.Published => "The round's assignments were already published; declines are handled by re-matching.",
                RoundStatus.Cancelled => "The round was cancelled.",
                _ => $"Students may rank until {PreferencesCloseAt:u}; publish a run made after the window closes.",
            });
        }

        if (run.Kind != MatchRunKind.Initial)
        {
            throw DomainRuleException.Conflict("This run was made while students could still rank (it is provisional); run the match again now that preferences are final, and publish that run.");
        }

        // A run of an earlier matching version holds a digest in an earlier form: saying "inputs changed" would send the
        // coordinator looking for a change nobody made.
        if (run.AlgorithmVersion != DeferredAcceptance.AlgorithmVersion)
        {
            throw DomainRuleException.Conflict($"This run was made by an earlier version of the matching ({run.AlgorithmVersion}); its inputs cannot be compared with today's. Run the match again (nothing else changes) and publish the new run.");
        }

        // Publishing needs a run on the inputs as they are now: the same rankings, seats and eligibility.
        if (currentDigest != run.InputDigest)
        {
            throw DomainRuleException.Conflict("Something the match depends on changed since this run (seats, eligibility or rankings); run the match again and publish the new run.");
        }

        EnsureFutureDeadline(studentDeclineDeadline, now);
        PublishedRunId = run.Id;
        PublishedAt = now;
        StudentDeclineDeadline = studentDeclineDeadline;
        Version++;
    }

    public void MoveStudentDeclineDeadline(DateTimeOffset deadline, DateTimeOffset now)
    {
        if (StatusAt(now) != RoundStatus.Published)
        {
            throw DomainRuleException.Conflict("The decline deadline is set when the round is published.");
        }

        EnsureFutureDeadline(deadline, now);
        StudentDeclineDeadline = deadline;
        Version++;
    }

    /// <summary>
    /// A re-match or a coordinator's move is about to hand out the round's free seats. It moves the version (a
    /// concurrency token), so two of them at once cannot both hand out the same seats: the later save is a 409.
    /// </summary>
    public void ChangeAssignments(DateTimeOffset now)
    {
        if (StatusAt(now) != RoundStatus.Published)
        {
            throw DomainRuleException.Conflict("The round's assignments have not been published.");
        }

        Version++;
    }

    /// <summary>A student's own decline: allowed until the deadline (the coordinator may act for them after it).</summary>
    public void EnsureStudentMayDecline(DateTimeOffset now)
    {
        if (StudentDeclineDeadline is { } deadline && now > deadline)
        {
            throw DomainRuleException.Conflict($"The deadline to decline was {deadline:u}; ask the school coordinator, who can decline for you.");
        }
    }

    private static void EnsureFutureDeadline(DateTimeOffset deadline, DateTimeOffset now)
    {
        if (deadline <= now)
        {
            throw DomainRuleException.Invalid("studentDeclineDeadline", "The deadline for students to decline must be in the future.");
        }

        if (deadline > now.AddYears(1))
        {
            throw DomainRuleException.Invalid("studentDeclineDeadline", "The deadline for students to decline is at most a year ahead.");
        }
    }

    private void Apply(RoundTerms terms)
    {
        terms.EnsureValid();
        Name = terms.Name;
        OfferIds = [.. terms.OfferIds];
        PreferencesOpenAt = terms.PreferencesOpenAt;
        PreferencesCloseAt = terms.PreferencesCloseAt;
        MaxRanks = terms.MaxRanks;
    }
}

/// <summary>One student's ranking in one round, best first. Replaced whole on every change.</summary>
public sealed class RoundPreference
{
    private RoundPreference()
    {
    }

    public Guid RoundId { get; private set; }

    public Guid StudentId { get; private set; }

    public List<Guid> OfferIds { get; private set; } = [];

    public DateTimeOffset SubmittedAt { get; private set; }

    public static RoundPreference Start(Guid roundId, Guid studentId) => new() { RoundId = roundId, StudentId = studentId };

    public void Replace(IReadOnlyList<Guid> offerIds, DateTimeOffset now)
    {
        OfferIds = [.. offerIds];
        SubmittedAt = now;
    }
}

/// <summary>
/// A hospital's own order of the students who ranked one of its offers in a round, best first. Students it
/// leaves out are not acceptable to it; without a ranking the school's published policy decides.
/// </summary>
public sealed class HospitalRanking
{
    private HospitalRanking()
    {
    }

    public Guid RoundId { get; private set; }

    public Guid OfferId { get; private set; }

    public List<Guid> StudentIds { get; private set; } = [];

    public Guid SubmittedBy { get; private set; }

    public DateTimeOffset SubmittedAt { get; private set; }

    public static HospitalRanking Start(Guid roundId, Guid offerId) => new() { RoundId = roundId, OfferId = offerId };

    /// <summary>
    /// The hospital's new order of its applicants, while the round's window is open: each student once, and only
    /// students who applied to this offer.
    /// </summary>
    public void Replace(PlacementRound round, IReadOnlyList<Guid> studentIds, IReadOnlySet<Guid> applicants, Guid submittedBy, DateTimeOffset now)
    {
        if (round.StatusAt(now) != RoundStatus.Open)
        {
            throw DomainRuleException.Conflict($"Hospitals rank their applicants while the preference window is open; this round is {round.StatusAt(now)}.");
        }

        if (studentIds.Distinct().Count() != studentIds.Count)
        {
            throw DomainRuleException.Invalid("studentIds", "A student is ranked twice.");
        }

        var strangers = studentIds.Where(s => !applicants.Contains(s)).ToList();
        if (strangers.Count > 0)
        {
            throw DomainRuleException.Invalid("studentIds", $"These students did not apply to your offer: {string.Join(", ", strangers)}.");
        }

        StudentIds = [.. studentIds];
        SubmittedBy = submittedBy;
        SubmittedAt = now;
    }
}

internal sealed class RoundConfigurations :
    IEntityTypeConfiguration<HospitalRanking>,
    IEntityTypeConfiguration<PlacementRound>,
    IEntityTypeConfiguration<RoundPreference>
{
    public void Configure(EntityTypeBuilder<PlacementRound> builder)
    {
        builder.Property(r => r.Name).HasMaxLength(200);
        builder.Property(r => r.CancellationReason).HasMaxLength(1000);
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
}
