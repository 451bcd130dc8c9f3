namespace CollabTraining.School.Matching;

/// <summary>One student's entry to a match: their ranked offers, best first.</summary>
/// <param name="StudentId">The student.</param>
/// <param name="StudyYear">Used by the school's priority policy (seniors first).</param>
/// <param name="Ranking">Offers in the student's order of preference, each with why the student may not take it, if so.</param>
public sealed record MatchStudent(Guid StudentId, int StudyYear, IReadOnlyList<RankedOffer> Ranking);

/// <param name="OfferId">The offer the student ranked.</param>
/// <param name="Ineligibility">Null when the student may take the offer; otherwise the unmet requirement, in words.</param>
public sealed record RankedOffer(Guid OfferId, string? Ineligibility = null);

/// <summary>An offer's seats, and the hospital's own order of students when it submitted one.</summary>
/// <param name="OfferId">The offer.</param>
/// <param name="Seats">How many students it can take.</param>
/// <param name="HospitalRanking">
/// The hospital's ranking of students, best first; students it leaves out are not acceptable to it. Null:
/// the school's published policy decides (study year, then the lottery).
/// </param>
public sealed record MatchOffer(Guid OfferId, int Seats, IReadOnlyList<Guid>? HospitalRanking = null);

/// <summary>Everything a match depends on. The same instance and seed always give the same result.</summary>
public sealed record MatchInstance(IReadOnlyList<MatchStudent> Students, IReadOnlyList<MatchOffer> Offers, long Seed);
