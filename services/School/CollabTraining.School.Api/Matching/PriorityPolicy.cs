namespace CollabTraining.School.Matching;

/// <summary>
/// Who comes first at an offer. A hospital that submitted its own ranking decides for its offer (students
/// it left out are not acceptable to it). Otherwise the school's published policy decides: higher study
/// year first, then a lottery number drawn from the run's recorded seed, so the order is fixed before the
/// match and the same seed always draws the same numbers.
/// </summary>
public sealed class PriorityPolicy
{
    private readonly Dictionary<Guid, int> _schoolRank;
    private readonly Dictionary<Guid, Dictionary<Guid, int>?> _hospitalRanks;
    private readonly Dictionary<Guid, MatchStudent> _students;

    public PriorityPolicy(MatchInstance instance)
    {
        _students = instance.Students.ToDictionary(s => s.StudentId);
        _schoolRank = instance.Students
            .OrderByDescending(s => s.StudyYear)
            .ThenBy(s => (Lottery(instance.Seed, s.StudentId), s.StudentId)) // the id only breaks a 1-in-2^64 tie
            .Select((s, i) => (s.StudentId, i))
            .ToDictionary(x => x.StudentId, x => x.i);
        _hospitalRanks = instance.Offers.ToDictionary(
            o => o.OfferId,
            o => o.HospitalRanking?.Select((s, i) => (s, i)).GroupBy(x => x.s).ToDictionary(g => g.Key, g => g.Min(x => x.i)));
        Seed = instance.Seed;
    }

    public long Seed { get; }

    /// <summary>The lottery number of a student for a seed: a keyed 64-bit mix, uniform and reproducible.</summary>
    public static ulong Lottery(long seed, Guid studentId)
    {
        Span<byte> bytes = stackalloc byte[16];
        studentId.TryWriteBytes(bytes);
        var low = BitConverter.ToUInt64(bytes[..8]);
        var high = BitConverter.ToUInt64(bytes[8..]);
        return Mix(Mix((ulong)seed ^ low) ^ high);
    }

    /// <summary>The student's position in the school's order (0 = first).</summary>
    public int SchoolRank(Guid studentId) => _schoolRank[studentId];

    /// <summary>True when the offer's hospital ranking (if any) includes the student.</summary>
    public bool IsAcceptable(Guid offerId, Guid studentId) =>
        _hospitalRanks[offerId] is not { } ranking || ranking.ContainsKey(studentId);

    /// <summary>Sort key of a student at an offer: lower comes first. Only for acceptable pairs.</summary>
    public int Key(Guid offerId, Guid studentId) =>
        _hospitalRanks[offerId] is { } ranking ? ranking[studentId] : _schoolRank[studentId];

    public Priority Describe(Guid offerId, Guid studentId) =>
        _hospitalRanks[offerId] is { } ranking
            ? new Priority(null, null, ranking[studentId] + 1)
            : new Priority(_students[studentId].StudyYear, Lottery(Seed, studentId), null);

    private static ulong Mix(ulong z)
    {
        // SplitMix64's finaliser.
        // Stryker disable Bitwise : on a ulong >>> and >> are the same shift; every other bitwise mutant here would change every lottery number, which the pinned-lottery test checks
        z += 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
        // Stryker restore Bitwise
    }
}
