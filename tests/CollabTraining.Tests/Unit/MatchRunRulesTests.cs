using CollabTraining.School.Matching;
using CollabTraining.School.Runs;

namespace CollabTraining.Tests.Unit;

/// <summary>A stored match run: what went in and everything that came out, read back exactly as the coordinator saw it.</summary>
public sealed class MatchRunRulesTests
{
    private static readonly DateTimeOffset Now = new(2027, 1, 20, 9, 0, 0, TimeSpan.Zero);
    private static readonly Guid Ward = Guid.NewGuid();
    private static readonly Guid Senior = Guid.NewGuid();
    private static readonly Guid Junior = Guid.NewGuid();

    // One seat, two students who want it: the senior is placed and the junior is told why not.
    private static readonly MatchInstance OneSeatTwoStudents = new(
        [new MatchStudent(Senior, 5, [new RankedOffer(Ward)]), new MatchStudent(Junior, 3, [new RankedOffer(Ward)])],
        [new MatchOffer(Ward, 1)],
        20270120);

    [Fact]
    public void A_run_is_stored_with_its_inputs_its_counts_and_its_whole_result_which_reads_back_unchanged()
    {
        var (round, coordinator) = (Guid.NewGuid(), Guid.NewGuid());
        var result = MatchEngine.Run(OneSeatTwoStudents);

        var run = MatchRun.Record(round, MatchRunKind.Provisional, result, coordinator, Now);

        Assert.Equal((round, MatchRunKind.Provisional, coordinator, Now), (run.RoundId, run.Kind, run.RanBy, run.RanAt));
        Assert.Equal((20270120L, result.AlgorithmVersion, result.InputDigest), (run.Seed, run.AlgorithmVersion, run.InputDigest));
        Assert.NotEmpty(run.AlgorithmVersion);
        Assert.NotEmpty(run.InputDigest);
        Assert.Equal((true, 1, 1), (run.Stable, run.Matched, run.Unmatched));

        var read = run.ReadResult();
        Assert.Equal([new MatchAssignment(Senior, Ward, 1)], read.Assignments);
        Assert.Equal([Junior], read.Unmatched);
        Assert.Equal((result.Seed, result.InputDigest, result.AlgorithmVersion), (read.Seed, read.InputDigest, read.AlgorithmVersion));
        var why = Assert.Single(Assert.Single(read.Explanations, e => e.StudentId == Junior).RankedAbove);
        Assert.Equal((Ward, RejectionReason.Full), (why.OfferId, why.Reason));
        Assert.Equal([1], read.RankDistribution.ByRank);
        Assert.True(read.Certificate.IsStable);
    }

    [Fact]
    public void A_result_the_checker_finds_unstable_is_stored_as_unstable()
    {
        // The checker is independent of the engine: a result it finds a blocking pair in is kept, marked unstable.
        var result = MatchEngine.Run(OneSeatTwoStudents) with { Certificate = new StabilityCertificate([new BlockingPair(Junior, Ward)], [], []) };

        var run = MatchRun.Record(Guid.NewGuid(), MatchRunKind.Initial, result, Guid.NewGuid(), Now);

        Assert.Equal((false, 1, 1), (run.Stable, run.Matched, run.Unmatched));
        Assert.Equal([new BlockingPair(Junior, Ward)], run.ReadResult().Certificate.BlockingPairs);
    }
}
