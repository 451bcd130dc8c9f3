using System.Text.Json.Serialization;

namespace CollabTraining.School.Matching;

public sealed record MatchAssignment(Guid StudentId, Guid OfferId, int Rank);

public enum RejectionReason
{
    /// <summary>The student does not meet a requirement of the offer.</summary>
    NotEligible,

    /// <summary>The hospital's own ranking leaves the student out.</summary>
    NotRankedByHospital,

    /// <summary>Every seat went to students with higher priority.</summary>
    Full,
}

/// <summary>Why a student did not get an offer they ranked above their result.</summary>
/// <param name="OfferId">The offer.</param>
/// <param name="Rank">Where the student ranked it.</param>
/// <param name="Reason">The kind of reason.</param>
/// <param name="Detail">The reason in words, e.g. the unmet requirement or the priorities compared.</param>
/// <param name="LowestAdmittedPriority">For <see cref="RejectionReason.Full"/>: the priority of the last student admitted.</param>
/// <param name="StudentPriority">For <see cref="RejectionReason.Full"/>: the student's own priority there.</param>
public sealed record RankedAboveExplanation(Guid OfferId, int Rank, RejectionReason Reason, string Detail, Priority? LowestAdmittedPriority = null, Priority? StudentPriority = null);

public sealed record StudentExplanation(Guid StudentId, Guid? AssignedOfferId, int? AssignedRank, IReadOnlyList<RankedAboveExplanation> RankedAbove);

/// <summary>
/// A student's standing at an offer: lower sorts first. Under the school policy it is (study year, lottery);
/// under a hospital's ranking it is the position in that ranking.
/// </summary>
/// <param name="StudyYear">Under the school policy: the student's study year (a higher year comes first).</param>
/// <param name="Lottery">Under the school policy: the lottery number (a lower one is served first), a string since it may exceed 2^53.</param>
/// <param name="HospitalRank">Under a hospital's ranking: the student's place in it (1 is the hospital's first choice).</param>
public sealed record Priority(
    int? StudyYear,
    [property: JsonNumberHandling(JsonNumberHandling.WriteAsString | JsonNumberHandling.AllowReadingFromString)] ulong? Lottery,
    int? HospitalRank)
{
    public override string ToString() =>
        HospitalRank is { } rank ? $"number {rank} in the hospital's ranking" : $"study year {StudyYear} with lottery number {Lottery}";
}

public sealed record BlockingPair(Guid StudentId, Guid OfferId);

/// <summary>What an independent check of a result found; <see cref="IsStable"/> only when all lists are empty.</summary>
public sealed record StabilityCertificate(
    IReadOnlyList<BlockingPair> BlockingPairs,
    IReadOnlyList<Guid> OverCapacityOffers,
    IReadOnlyList<MatchAssignment> UnacceptableAssignments)
{
    public bool IsStable => BlockingPairs.Count == 0 && OverCapacityOffers.Count == 0 && UnacceptableAssignments.Count == 0;
}

/// <summary>How many students got their first choice, their second, …; and how many got nothing.</summary>
public sealed record RankDistribution(IReadOnlyList<int> ByRank, int Unmatched);

public sealed record MatchResult(
    string AlgorithmVersion,
    [property: JsonNumberHandling(JsonNumberHandling.WriteAsString | JsonNumberHandling.AllowReadingFromString)] long Seed,
    string InputDigest,
    IReadOnlyList<MatchAssignment> Assignments,
    IReadOnlyList<Guid> Unmatched,
    IReadOnlyList<StudentExplanation> Explanations,
    StabilityCertificate Certificate,
    RankDistribution RankDistribution);
