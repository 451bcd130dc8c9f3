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

    [Fact]
    public void The_digest_changes_with_every_input_that_can_change_the_result_and_not_with_listing_order()
    {
        var (s1, s2, o1, o2, o3) = (Id(1), Id(2), Id(11), Id(12), Id(13));
        MatchInstance Build(
            int seed = 5, int year1 = 4, IReadOnlyList<RankedOffer>? ranking1 = null, IReadOnlyList<RankedOffer>? ranking2 = null,
            int seats1 = 2, IReadOnlyList<Guid>? hospital1 = null, IReadOnlyList<Guid>? hospital2 = null, bool noHospital2 = false,
            bool thirdStudent = false, bool thirdOffer = false)
        {
            var students = new List<MatchStudent>
            {
                new(s1, year1, ranking1 ?? [new RankedOffer(o1), new RankedOffer(o2, "the mri-safety qualification is required")]),
                new(s2, 5, ranking2 ?? [new RankedOffer(o2)]),
            };
            if (thirdStudent)
            {
                students.Add(new MatchStudent(Id(3), 2, []));
            }

            var offers = new List<MatchOffer> { new(o1, seats1, hospital1), new(o2, 1, noHospital2 ? null : hospital2 ?? [s2, s1]) };
            if (thirdOffer)
            {
                offers.Add(new MatchOffer(o3, 1));
            }

            return new MatchInstance(students, offers, seed);
        }

        var variants = new Dictionary<string, MatchInstance>
        {
            ["base"] = Build(),
            ["another seed"] = Build(seed: 6),
            ["another study year"] = Build(year1: 5),
            ["choices in another order"] = Build(ranking1: [new RankedOffer(o2, "the mri-safety qualification is required"), new RankedOffer(o1)]),
            ["a requirement met"] = Build(ranking1: [new RankedOffer(o1), new RankedOffer(o2)]),
            ["another requirement unmet"] = Build(ranking1: [new RankedOffer(o1), new RankedOffer(o2, "the bls qualification is required")]),
            ["a choice becomes ineligible"] = Build(ranking2: [new RankedOffer(o2, "study year 6 or above is required")]),
            ["a choice dropped"] = Build(ranking1: [new RankedOffer(o1)]),
            ["another seat count"] = Build(seats1: 3),
            ["the hospital ranks nobody"] = Build(hospital1: []),
            ["the hospital ranks one"] = Build(hospital1: [s1]),
            ["the hospital's order reversed"] = Build(hospital2: [s1, s2]),
            ["the school's policy instead of the hospital's"] = Build(noHospital2: true),
            ["a student with no choices"] = Build(thirdStudent: true),
            ["an offer more"] = Build(thirdOffer: true),
        };

        var digests = variants.ToDictionary(v => v.Key, v => MatchEngine.Digest(v.Value));
        Assert.Equal(digests.Count, digests.Values.Distinct().Count());

        var reordered = variants["base"] with { Students = [.. variants["base"].Students.Reverse()], Offers = [.. variants["base"].Offers.Reverse()] };
        Assert.Equal(digests["base"], MatchEngine.Digest(reordered));
    }

    [Fact]
    public void A_runs_digest_is_a_stored_contract_that_does_not_change_between_versions()
    {
        // A run stores this digest and publication compares it with the round's: the canonical form must not drift.
        var instance = new MatchInstance(
            [
                new MatchStudent(Id(1), 4, [new RankedOffer(Id(11)), new RankedOffer(Id(12), "the mri-safety qualification is required")]),
                new MatchStudent(Id(2), 5, [new RankedOffer(Id(12))]),
            ],
            [new MatchOffer(Id(11), 2), new MatchOffer(Id(12), 1, [Id(2), Id(1)]), new MatchOffer(Id(13), 0, [])],
            Seed: 2026);

        Assert.Equal(PinnedDigest, MatchEngine.Digest(instance));
    }

    [Fact]
    public void Words_of_an_unmet_requirement_cannot_make_two_instances_share_a_digest()
    {
        var (a, b, x, y) = (Id(1), Id(2), Id(11), Id(12));
        var offers = new List<MatchOffer> { new(x, 1), new(y, 1) };
        var two = new MatchInstance([new MatchStudent(a, 3, [new RankedOffer(x, "q")]), new MatchStudent(b, 2, [new RankedOffer(y)])], offers, 1);
        var forged = new MatchInstance([new MatchStudent(a, 3, [new RankedOffer(x, $"q,\ns:{b:N}:2:{y:N}")])], offers, 1);

        Assert.NotEqual(MatchEngine.Digest(two), MatchEngine.Digest(forged));
    }

    [Fact]
    public void A_lower_lottery_number_is_served_first_and_every_explanation_says_so()
    {
        var offer = Guid.NewGuid();
        var students = Enumerable.Range(0, 7).Select(_ => new MatchStudent(Guid.NewGuid(), 4, [new RankedOffer(offer)])).ToList();
        var result = MatchEngine.Run(new MatchInstance(students, [new MatchOffer(offer, 3)], Seed: 77));

        var byLottery = students.OrderBy(s => PriorityPolicy.Lottery(77, s.StudentId)).Select(s => s.StudentId).ToList();
        Assert.Equal(byLottery.Take(3).Order(), result.Assignments.Select(a => a.StudentId).Order());
        var lastAdmitted = PriorityPolicy.Lottery(77, byLottery[2]);
        foreach (var refused in byLottery.Skip(3))
        {
            var why = Assert.Single(result.Explanations.Single(e => e.StudentId == refused).RankedAbove);
            Assert.Equal(RejectionReason.Full, why.Reason);
            Assert.Equal(lastAdmitted, why.LowestAdmittedPriority!.Lottery);
            Assert.Equal(PriorityPolicy.Lottery(77, refused), why.StudentPriority!.Lottery);
            Assert.True(why.LowestAdmittedPriority.Lottery < why.StudentPriority.Lottery);
            Assert.Contains($"lottery number {lastAdmitted}", why.Detail);
            Assert.Contains("a lower lottery number is served first", why.Detail);
        }
    }

    [Fact]
    public void The_lottery_numbers_a_seed_draws_never_change_so_a_stored_run_can_be_reproduced()
    {
        Assert.Equal(PinnedLotteries, new[] { PriorityPolicy.Lottery(0, Guid.Empty), PriorityPolicy.Lottery(2026, Id(1)), PriorityPolicy.Lottery(-7, Id(0x5EED)) });
    }

    [Fact]
    public void Under_a_hospitals_ranking_a_refused_student_learns_their_place_in_it_without_the_schools_order()
    {
        var offer = Guid.NewGuid();
        var (first, second, third) = (new MatchStudent(Guid.NewGuid(), 1, [new RankedOffer(offer)]), new MatchStudent(Guid.NewGuid(), 6, [new RankedOffer(offer)]), new MatchStudent(Guid.NewGuid(), 6, [new RankedOffer(offer)]));
        // A student listed twice keeps their first place.
        var result = MatchEngine.Run(new MatchInstance([third, second, first], [new MatchOffer(offer, 1, [first.StudentId, second.StudentId, third.StudentId, first.StudentId])], Seed: 3));

        Assert.Equal([new MatchAssignment(first.StudentId, offer, 1)], result.Assignments);
        var why = Assert.Single(result.Explanations.Single(e => e.StudentId == third.StudentId).RankedAbove);
        Assert.Equal(RejectionReason.Full, why.Reason);
        Assert.Equal(new Priority(null, null, 1), why.LowestAdmittedPriority);
        Assert.Equal(new Priority(null, null, 3), why.StudentPriority);
        Assert.Contains("the hospital ranked higher than you", why.Detail);
        Assert.DoesNotContain("lottery", why.Detail);
        Assert.Equal("number 3 in the hospital's ranking", why.StudentPriority!.ToString());
    }

    [Fact]
    public void The_reported_rank_is_the_students_own_place_in_their_list_in_assignments_and_explanations()
    {
        var (full, closed, open, spare) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var senior = new MatchStudent(Guid.NewGuid(), 6, [new RankedOffer(full), new RankedOffer(spare)]);
        var junior = new MatchStudent(Guid.NewGuid(), 2, [new RankedOffer(full), new RankedOffer(closed), new RankedOffer(open, "the bls qualification is required"), new RankedOffer(spare)]);
        var result = MatchEngine.Run(new MatchInstance([senior, junior], [new MatchOffer(full, 1), new MatchOffer(closed, 0), new MatchOffer(open, 2), new MatchOffer(spare, 2)], Seed: 9));

        Assert.Equal([new MatchAssignment(senior.StudentId, full, 1), new MatchAssignment(junior.StudentId, spare, 4)], result.Assignments);
        var seniorWhy = result.Explanations.Single(e => e.StudentId == senior.StudentId);
        Assert.Equal((full, 1), (seniorWhy.AssignedOfferId, seniorWhy.AssignedRank));
        Assert.Empty(seniorWhy.RankedAbove);

        var juniorWhy = result.Explanations.Single(e => e.StudentId == junior.StudentId);
        Assert.Equal((spare, 4), (juniorWhy.AssignedOfferId, juniorWhy.AssignedRank));
        Assert.Equal([(full, 1, RejectionReason.Full), (closed, 2, RejectionReason.Full), (open, 3, RejectionReason.NotEligible)],
            juniorWhy.RankedAbove.Select(r => (r.OfferId, r.Rank, r.Reason)));
        Assert.Contains("went to students who come before you", juniorWhy.RankedAbove[0].Detail);
        Assert.Contains("no seat on this offer was free", juniorWhy.RankedAbove[1].Detail);
        Assert.Equal("Not eligible: the bls qualification is required.", juniorWhy.RankedAbove[2].Detail);
        Assert.Equal([1, 0, 0, 1], result.RankDistribution.ByRank);
    }

    [Fact]
    public void A_student_the_hospital_left_out_is_told_it_did_not_include_them()
    {
        var offer = Guid.NewGuid();
        var left = new MatchStudent(Guid.NewGuid(), 6, [new RankedOffer(offer)]);
        var result = MatchEngine.Run(new MatchInstance([left], [new MatchOffer(offer, 4, [Guid.NewGuid()])], Seed: 1));

        var why = Assert.Single(result.Explanations.Single().RankedAbove);
        Assert.Equal(RejectionReason.NotRankedByHospital, why.Reason);
        Assert.Contains("did not include you", why.Detail);
        Assert.Null(result.Explanations.Single().AssignedRank);
    }

    [Theory]
    [MemberData(nameof(Seeds), 12)]
    public void Offers_with_many_seats_keep_their_highest_priority_students_as_a_plain_deferred_acceptance_does(int seed)
    {
        var instance = RandomInstances.Create(5000 + seed, students: 60, offers: 6, maxRanks: 4, maxSeats: 14);
        var problem = new MatchProblem(instance);

        var result = MatchEngine.Report(problem, DeferredAcceptance.StudentProposing(problem));
        var hospitalOptimal = MatchEngine.Report(problem, DeferredAcceptance.HospitalProposing(problem));

        Assert.Equal(Canonical(PlainDeferredAcceptance(instance)), Canonical(result.Assignments));
        Assert.True(result.Certificate.IsStable);
        Assert.True(hospitalOptimal.Certificate.IsStable);
        Assert.Equal(result.Unmatched.Order(), hospitalOptimal.Unmatched.Order());
    }

    [Fact]
    public void The_checker_reports_a_free_seat_a_student_ranked_above_her_result_and_a_seat_given_off_her_list()
    {
        var (wanted, other) = (Guid.NewGuid(), Guid.NewGuid());
        var left = new MatchStudent(Guid.NewGuid(), 3, [new RankedOffer(wanted)]);
        var placed = new MatchStudent(Guid.NewGuid(), 3, [new RankedOffer(wanted)]);
        var instance = new MatchInstance([left, placed], [new MatchOffer(wanted, 2), new MatchOffer(other, 1)], 1);

        var certificate = StabilityChecker.Check(instance, [new MatchAssignment(placed.StudentId, other, 1)]);

        Assert.Equal([new BlockingPair(left.StudentId, wanted), new BlockingPair(placed.StudentId, wanted)], certificate.BlockingPairs);
        Assert.Equal([new MatchAssignment(placed.StudentId, other, 1)], certificate.UnacceptableAssignments);
        Assert.Empty(certificate.OverCapacityOffers);
    }

    [Fact]
    public void The_checker_lists_every_overfull_offer_in_id_order()
    {
        var (low, high) = (Id(1), Id(2));
        var students = Enumerable.Range(10, 4).Select(i => new MatchStudent(Id(i), 3, [new RankedOffer(low), new RankedOffer(high)])).ToList();
        var instance = new MatchInstance(students, [new MatchOffer(high, 1), new MatchOffer(low, 1)], 1);

        var certificate = StabilityChecker.Check(instance, [
            new MatchAssignment(students[0].StudentId, high, 2), new MatchAssignment(students[1].StudentId, high, 2),
            new MatchAssignment(students[2].StudentId, low, 1), new MatchAssignment(students[3].StudentId, low, 1)]);

        Assert.Equal([low, high], certificate.OverCapacityOffers);
    }

    [Fact]
    public void An_offer_or_a_student_listed_twice_is_refused_naming_it()
    {
        var offer = Id(7);
        var error = Assert.Throws<ArgumentException>(() => MatchEngine.Run(new MatchInstance([], [new MatchOffer(offer, 1), new MatchOffer(offer, 2)], 1)));
        Assert.Contains($"Offer {offer} appears twice", error.Message);

        var student = new MatchStudent(Id(8), 3, [new RankedOffer(offer)]);
        error = Assert.Throws<ArgumentException>(() => MatchEngine.Run(new MatchInstance([student, student with { StudyYear = 4 }], [new MatchOffer(offer, 1)], 1)));
        Assert.Contains($"Student {student.StudentId} appears twice", error.Message);
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

    private const string PinnedDigest = "775ec7318a8d654fbb4c348f065f842df80072a096530f318088850d2ff6fb5d";

    private static readonly ulong[] PinnedLotteries = [12035550249420947055, 3550462539979403302, 11991949680713034429];

    private static Guid Id(int n) => new($"00000000-0000-0000-0000-{n:x12}");

    /// <summary>Deferred acceptance written the slow, obvious way: each offer keeps its best students by sorting.</summary>
    private static List<MatchAssignment> PlainDeferredAcceptance(MatchInstance instance)
    {
        var policy = new PriorityPolicy(instance);
        var seats = instance.Offers.ToDictionary(o => o.OfferId, o => o.Seats);
        var held = instance.Offers.ToDictionary(o => o.OfferId, _ => new List<MatchStudent>());
        var next = instance.Students.ToDictionary(s => s.StudentId, _ => 0);
        var free = new Queue<MatchStudent>(instance.Students);
        while (free.TryDequeue(out var student))
        {
            while (next[student.StudentId] < student.Ranking.Count)
            {
                var choice = student.Ranking[next[student.StudentId]++];
                if (choice.Ineligibility is not null || !policy.IsAcceptable(choice.OfferId, student.StudentId))
                {
                    continue;
                }

                var list = held[choice.OfferId];
                list.Add(student);
                list.Sort((a, b) => policy.Key(choice.OfferId, a.StudentId).CompareTo(policy.Key(choice.OfferId, b.StudentId)));
                if (list.Count <= seats[choice.OfferId])
                {
                    break;
                }

                var bumped = list[^1];
                list.RemoveAt(list.Count - 1);
                if (bumped != student)
                {
                    free.Enqueue(bumped);
                    break;
                }
            }
        }

        return [.. held.SelectMany(h => h.Value.Select(s => new MatchAssignment(s.StudentId, h.Key, 1 + s.Ranking.ToList().FindIndex(r => r.OfferId == h.Key))))];
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
    public static MatchInstance Create(int seed, int students, int offers, int maxRanks = 4, int maxSeats = 3)
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
            random.Next(0, maxSeats + 1),
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
