namespace CollabTraining.School.Matching;

/// <summary>
/// The instance in the engine's own form: students and offers by index, every student's list as one flat
/// array (CSR), each entry already carrying whether the pair is acceptable and the student's priority key
/// at that offer. Built once; the algorithms then touch only arrays.
/// </summary>
public sealed class MatchProblem
{
    public MatchProblem(MatchInstance instance)
    {
        Instance = instance;
        var offerIndex = new Dictionary<Guid, int>(instance.Offers.Count);
        Capacity = new int[instance.Offers.Count];
        for (var o = 0; o < instance.Offers.Count; o++)
        {
            if (!offerIndex.TryAdd(instance.Offers[o].OfferId, o))
            {
                throw new ArgumentException($"Offer {instance.Offers[o].OfferId} appears twice.", nameof(instance));
            }

            Capacity[o] = instance.Offers[o].Seats;
        }

        var students = new HashSet<Guid>();
        foreach (var student in instance.Students)
        {
            if (!students.Add(student.StudentId))
            {
                throw new ArgumentException($"Student {student.StudentId} appears twice.", nameof(instance));
            }
        }

        // After the checks above: the policy indexes students and offers by id.
        Policy = new PriorityPolicy(instance);

        var total = instance.Students.Sum(s => s.Ranking.Count);
        ListStart = new int[instance.Students.Count + 1];
        Offer = new int[total];
        Acceptable = new bool[total];
        Key = new int[total];
        var seen = new HashSet<Guid>();
        var p = 0;
        for (var s = 0; s < instance.Students.Count; s++)
        {
            var student = instance.Students[s];
            ListStart[s] = p;
            seen.Clear();
            foreach (var ranked in student.Ranking)
            {
                if (!offerIndex.TryGetValue(ranked.OfferId, out var o))
                {
                    throw new ArgumentException($"Student {student.StudentId} ranks offer {ranked.OfferId}, which is not in the match.", nameof(instance));
                }

                if (!seen.Add(ranked.OfferId))
                {
                    throw new ArgumentException($"Student {student.StudentId} ranks offer {ranked.OfferId} twice.", nameof(instance));
                }

                Offer[p] = o;
                Acceptable[p] = ranked.Ineligibility is null && Capacity[o] > 0 && Policy.IsAcceptable(ranked.OfferId, student.StudentId);
                Key[p] = Acceptable[p] ? Policy.Key(ranked.OfferId, student.StudentId) : int.MaxValue;
                p++;
            }
        }

        ListStart[instance.Students.Count] = p;
    }

    public MatchInstance Instance { get; }

    public PriorityPolicy Policy { get; }

    public int StudentCount => Instance.Students.Count;

    public int OfferCount => Instance.Offers.Count;

    public int[] Capacity { get; }

    /// <summary>Student s's list is entries [ListStart[s], ListStart[s+1]).</summary>
    public int[] ListStart { get; }

    public int[] Offer { get; }

    public bool[] Acceptable { get; }

    public int[] Key { get; }
}
