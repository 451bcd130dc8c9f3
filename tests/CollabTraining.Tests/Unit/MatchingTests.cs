using CollabTraining.School.Matching;

namespace CollabTraining.Tests.Unit;

public sealed class MatchingTests
{
    [Theory]
    [MemberData(nameof(Seeds), 300)]
    public void On_small_random_instances_the_result_is_the_student_optimal_stable_matching_found_by_brute_force(int seed)
    {
        var instance = RandomInstances.Create(seed, students: 1 + (seed % 6), offers: 1 + (seed % 4));
        var result = MatchEngine.Run(instance);

        var stable = AllMatchings(instance).Where(m => StabilityChecker.Check(instance, m).IsStable).ToList();
        Assert.NotEmpty(stable);
        var best = instance.Students.ToDictionary(
            s => s.StudentId,
            s => stable.Min(m => RankOf(m, s.StudentId)));
        var studentOptimal = Assert.Single(stable, m => instance.Students.All(s => RankOf(m, s.StudentId) == best[s.StudentId]));

        Assert.Equal(Canonical(studentOptimal), Canonical(result.Assignments));
        Assert.True(result.Certificate.IsStable);
    }

    [Theory]
    [MemberData(nameof(Seeds), 8)]
    public void On_hundreds_of_students_the_match_is_stable_within_capacity_acceptable_and_keeps_the_rural_hospitals_invariants(int seed)
    {
        var instance = RandomInstances.Create(1000 + seed, students: 400, offers: 60, maxRanks: 8);
        var problem = new MatchProblem(instance);
        var studentOptimal = MatchEngine.Report(problem, DeferredAcceptance.StudentProposing(problem));
        var hospitalOptimal = MatchEngine.Report(problem, DeferredAcceptance.HospitalProposing(problem));

        foreach (var result in new[] { studentOptimal, hospitalOptimal })
        {
            Assert.Empty(result.Certificate.BlockingPairs);
            Assert.Empty(result.Certificate.OverCapacityOffers);
            Assert.Empty(result.Certificate.UnacceptableAssignments);
        }

        // Rural hospitals theorem: the same students are placed, every offer fills the same number of
        // seats, and an offer left with free seats gets exactly the same students in every stable matching.
        Assert.Equal(studentOptimal.Unmatched.Order(), hospitalOptimal.Unmatched.Order());
        var studentSide = studentOptimal.Assignments.ToLookup(a => a.OfferId, a => a.StudentId);
        var hospitalSide = hospitalOptimal.Assignments.ToLookup(a => a.OfferId, a => a.StudentId);
        foreach (var offer in instance.Offers)
        {
            Assert.Equal(studentSide[offer.OfferId].Count(), hospitalSide[offer.OfferId].Count());
            if (studentSide[offer.OfferId].Count() < offer.Seats)
            {
                Assert.Equal(studentSide[offer.OfferId].Order(), hospitalSide[offer.OfferId].Order());
            }
        }

        // And every student does at least as well proposing as being proposed to.
        var hospitalRank = hospitalOptimal.Assignments.ToDictionary(a => a.StudentId, a => a.Rank);
        Assert.All(studentOptimal.Assignments, a => Assert.True(a.Rank <= hospitalRank[a.StudentId]));
    }

    [Fact]
    public void The_same_inputs_and_seed_give_the_same_result_and_a_recorded_digest()
    {
        var first = MatchEngine.Run(RandomInstances.Create(42, students: 300, offers: 30));
        var again = MatchEngine.Run(RandomInstances.Create(42, students: 300, offers: 30));

        Assert.Equal(first.InputDigest, again.InputDigest);
        Assert.Equal(first.Assignments, again.Assignments);
        Assert.Equal(first.Unmatched, again.Unmatched);
        Assert.Equal(DeferredAcceptance.AlgorithmVersion, first.AlgorithmVersion);

        var otherSeed = RandomInstances.Create(42, students: 300, offers: 30) with { Seed = 43 };
        Assert.NotEqual(first.InputDigest, MatchEngine.Run(otherSeed).InputDigest);
    }

    [Fact]
    public void With_fewer_seats_than_students_the_policy_places_seniors_first_and_explains_to_the_rest()
    {
        var offer = Guid.NewGuid();
        var senior = new MatchStudent(Guid.NewGuid(), 6, [new RankedOffer(offer)]);
        var junior = new MatchStudent(Guid.NewGuid(), 3, [new RankedOffer(offer)]);
        var instance = new MatchInstance([junior, senior], [new MatchOffer(offer, 1)], Seed: 7);

        var result = MatchEngine.Run(instance);

        Assert.Equal([new MatchAssignment(senior.StudentId, offer, 1)], result.Assignments);
        Assert.Equal([junior.StudentId], result.Unmatched);
        Assert.Equal([1], result.RankDistribution.ByRank);
        Assert.Equal(1, result.RankDistribution.Unmatched);
        var why = Assert.Single(result.Explanations.Single(e => e.StudentId == junior.StudentId).RankedAbove);
        Assert.Equal(RejectionReason.Full, why.Reason);
        Assert.Equal(6, why.LowestAdmittedPriority!.StudyYear);
        Assert.Equal(3, why.StudentPriority!.StudyYear);
        Assert.Contains("study year 6", why.Detail);
    }

    [Fact]
    public void Within_a_study_year_the_recorded_lottery_decides()
    {
        var offer = Guid.NewGuid();
        var students = Enumerable.Range(0, 20).Select(_ => new MatchStudent(Guid.NewGuid(), 4, [new RankedOffer(offer)])).ToList();
        var instance = new MatchInstance(students, [new MatchOffer(offer, 1)], Seed: 2026);

        var winner = Assert.Single(MatchEngine.Run(instance).Assignments).StudentId;

        Assert.Equal(students.MinBy(s => PriorityPolicy.Lottery(2026, s.StudentId))!.StudentId, winner);
    }

    [Fact]
    public void A_hospital_ranking_overrides_the_policy_and_students_it_leaves_out_are_told_so()
    {
        var offer = Guid.NewGuid();
        var senior = new MatchStudent(Guid.NewGuid(), 6, [new RankedOffer(offer)]);
        var junior = new MatchStudent(Guid.NewGuid(), 2, [new RankedOffer(offer)]);
        var unranked = new MatchStudent(Guid.NewGuid(), 6, [new RankedOffer(offer)]);
        var instance = new MatchInstance([senior, junior, unranked], [new MatchOffer(offer, 2, [junior.StudentId, senior.StudentId])], Seed: 1);

        var result = MatchEngine.Run(instance);

        Assert.Equal(new[] { junior.StudentId, senior.StudentId }.Order(), result.Assignments.Select(a => a.StudentId).Order());
        Assert.Equal([unranked.StudentId], result.Unmatched);
        Assert.Equal(RejectionReason.NotRankedByHospital, result.Explanations.Single(e => e.StudentId == unranked.StudentId).RankedAbove.Single().Reason);
    }

    [Fact]
    public void An_ineligible_choice_is_explained_with_the_unmet_requirement_and_the_next_choice_is_taken()
    {
        var cardiology = Guid.NewGuid();
        var radiology = Guid.NewGuid();
        var student = new MatchStudent(Guid.NewGuid(), 5, [new RankedOffer(cardiology, "the MRI safety qualification expires before the placement ends"), new RankedOffer(radiology)]);
        var instance = new MatchInstance([student], [new MatchOffer(cardiology, 3), new MatchOffer(radiology, 3)], Seed: 1);

        var result = MatchEngine.Run(instance);

        Assert.Equal([new MatchAssignment(student.StudentId, radiology, 2)], result.Assignments);
        var why = Assert.Single(result.Explanations.Single().RankedAbove);
        Assert.Equal(RejectionReason.NotEligible, why.Reason);
        Assert.Contains("MRI safety", why.Detail);
    }

    [Fact]
    public void A_malformed_instance_is_refused_with_the_reason()
    {
        var offer = Guid.NewGuid();
        var twice = new MatchStudent(Guid.NewGuid(), 3, [new RankedOffer(offer), new RankedOffer(offer)]);
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => MatchEngine.Run(new MatchInstance([twice], [new MatchOffer(offer, 1)], 1))).Message);

        var unknown = new MatchStudent(Guid.NewGuid(), 3, [new RankedOffer(Guid.NewGuid())]);
        Assert.Contains("not in the match", Assert.Throws<ArgumentException>(() => MatchEngine.Run(new MatchInstance([unknown], [new MatchOffer(offer, 1)], 1))).Message);
    }

    [Fact]
    public void The_checker_finds_blocking_pairs_overfull_offers_and_unacceptable_assignments()
    {
        var a = Guid.NewGuid();
        var b = Guid.NewGuid();
        var senior = new MatchStudent(Guid.NewGuid(), 6, [new RankedOffer(a), new RankedOffer(b)]);
        var junior = new MatchStudent(Guid.NewGuid(), 1, [new RankedOffer(a, "year 1 students are not admitted")]);
        var instance = new MatchInstance([senior, junior], [new MatchOffer(a, 1), new MatchOffer(b, 1)], 1);

        var certificate = StabilityChecker.Check(instance, [new MatchAssignment(senior.StudentId, b, 2), new MatchAssignment(junior.StudentId, a, 1)]);

        Assert.False(certificate.IsStable);
        Assert.Equal([new BlockingPair(senior.StudentId, a)], certificate.BlockingPairs);
        Assert.Equal([new MatchAssignment(junior.StudentId, a, 1)], certificate.UnacceptableAssignments);
    }

    public static TheoryData<int> Seeds(int count)
    {
        var data = new TheoryData<int>();
        foreach (var seed in Enumerable.Range(1, count))
        {
            data.Add(seed);
        }

        return data;
    }

    private static int RankOf(IReadOnlyList<MatchAssignment> matching, Guid student) =>
        matching.FirstOrDefault(a => a.StudentId == student)?.Rank ?? int.MaxValue;

    private static List<string> Canonical(IEnumerable<MatchAssignment> matching) =>
        matching.Select(a => $"{a.StudentId}->{a.OfferId}").Order().ToList();

    /// <summary>Every matching within capacity where each student gets one of their ranked offers or nothing.</summary>
    private static IEnumerable<List<MatchAssignment>> AllMatchings(MatchInstance instance)
    {
        var seats = instance.Offers.ToDictionary(o => o.OfferId, o => o.Seats);
        var current = new List<MatchAssignment>();
        var taken = new Dictionary<Guid, int>();

        IEnumerable<List<MatchAssignment>> Extend(int index)
        {
            if (index == instance.Students.Count)
            {
                yield return [.. current];
                yield break;
            }

            foreach (var m in Extend(index + 1))
            {
                yield return m;
            }

            var student = instance.Students[index];
            for (var r = 0; r < student.Ranking.Count; r++)
            {
                var offer = student.Ranking[r].OfferId;
                if (taken.GetValueOrDefault(offer) >= seats[offer])
                {
                    continue;
                }

                taken[offer] = taken.GetValueOrDefault(offer) + 1;
                current.Add(new MatchAssignment(student.StudentId, offer, r + 1));
                foreach (var m in Extend(index + 1))
                {
                    yield return m;
                }

                current.RemoveAt(current.Count - 1);
                taken[offer]--;
            }
        }

        return Extend(0);
    }
}

/// <summary>Reproducible random instances: ineligible choices, empty offers and hospital rankings included.</summary>
public static class RandomInstances
{
    public static MatchInstance Create(int seed, int students, int offers, int maxRanks = 4)
    {
        var random = new Random(seed);
        var offerIds = Enumerable.Range(0, offers).Select(_ => NewGuid(random)).ToList();
        var studentList = Enumerable.Range(0, students).Select(_ =>
        {
            var ranking = offerIds.OrderBy(_ => random.Next()).Take(random.Next(0, Math.Min(maxRanks, offers) + 1))
                .Select(o => new RankedOffer(o, random.NextDouble() < 0.1 ? "a required qualification is missing" : null))
                .ToList();
            return new MatchStudent(NewGuid(random), random.Next(1, 7), ranking);
        }).ToList();
        var offerList = offerIds.Select(o => new MatchOffer(
            o,
            random.Next(0, 4),
            random.NextDouble() < 0.3
                ? studentList.Where(_ => random.NextDouble() < 0.8).Select(s => s.StudentId).OrderBy(_ => random.Next()).ToList()
                : null)).ToList();
        return new MatchInstance(studentList, offerList, seed);
    }

    private static Guid NewGuid(Random random)
    {
        var bytes = new byte[16];
        random.NextBytes(bytes);
        return new Guid(bytes);
    }
}
