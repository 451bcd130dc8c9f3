using BenchmarkDotNet.Attributes;
using CollabTraining.School.Matching;

namespace CollabTraining.Benchmarks;

/// <summary>
/// NRMP scale: 50,000 students, 6,500 offers, 43,000 seats, 15 ranks each, popularity skewed the way real
/// preferences are (a few departments are everyone's favourite). The baseline reads every ranked entry
/// once, the least any matching must do.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 2, iterationCount: 8)]
public class MatchingBenchmarks
{
    private MatchInstance _instance = null!;
    private IReadOnlyList<MatchAssignment> _assignments = null!;

    [GlobalSetup]
    public void Setup()
    {
        _instance = NrmpInstance.Create(students: 50_000, offers: 6_500, seats: 43_000, ranks: 15, seed: 2026);
        var problem = new MatchProblem(_instance);
        var matched = DeferredAcceptance.StudentProposing(problem);
        _assignments = MatchEngine.Report(problem, matched).Assignments;
    }

    [Benchmark(Baseline = true, Description = "read every ranked entry once")]
    public long ReadEveryRanking()
    {
        long sum = 0;
        foreach (var student in _instance.Students)
        {
            foreach (var ranked in student.Ranking)
            {
                sum += ranked.OfferId.GetHashCode();
            }
        }

        return sum;
    }

    [Benchmark(Description = "match (index the instance + student-proposing DA)")]
    public int[] Match() => DeferredAcceptance.StudentProposing(new MatchProblem(_instance));

    [Benchmark(Description = "stability checker")]
    public StabilityCertificate Check() => StabilityChecker.Check(_instance, _assignments);
}

public static class NrmpInstance
{
    public static MatchInstance Create(int students, int offers, int seats, int ranks, int seed)
    {
        var random = new Random(seed);
        var offerIds = Enumerable.Range(0, offers).Select(_ => NewGuid(random)).ToArray();
        var capacity = new int[offers];
        for (var i = 0; i < seats; i++)
        {
            capacity[random.Next(offers)]++;
        }

        // Zipf-like popularity: offer i is chosen with weight 1 / (i + 1)^0.8.
        var weights = Enumerable.Range(0, offers).Select(i => 1 / Math.Pow(i + 1, 0.8)).ToArray();
        var cumulative = new double[offers];
        var total = 0.0;
        for (var i = 0; i < offers; i++)
        {
            total += weights[i];
            cumulative[i] = total;
        }

        var studentList = new List<MatchStudent>(students);
        var chosen = new HashSet<int>();
        for (var s = 0; s < students; s++)
        {
            chosen.Clear();
            var ranking = new List<RankedOffer>(ranks);
            while (ranking.Count < ranks)
            {
                var pick = Array.BinarySearch(cumulative, random.NextDouble() * total);
                var offer = pick < 0 ? ~pick : pick;
                if (chosen.Add(offer))
                {
                    ranking.Add(new RankedOffer(offerIds[Math.Min(offer, offers - 1)]));
                }
            }

            studentList.Add(new MatchStudent(NewGuid(random), random.Next(1, 7), ranking));
        }

        return new MatchInstance(studentList, offerIds.Select((id, i) => new MatchOffer(id, capacity[i])).ToList(), seed);
    }

    private static Guid NewGuid(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }
}
