using System.Security.Cryptography;
using System.Text;

namespace CollabTraining.School.Matching;

/// <summary>Runs a match and reports it: assignments, explanations, an independent stability certificate, rank distribution.</summary>
public static class MatchEngine
{
    public static MatchResult Run(MatchInstance instance)
    {
        var problem = new MatchProblem(instance);
        var matched = DeferredAcceptance.StudentProposing(problem);
        return Report(problem, matched);
    }

    public static MatchResult Report(MatchProblem problem, int[] matched)
    {
        var instance = problem.Instance;
        var assignments = new List<MatchAssignment>();
        var unmatched = new List<Guid>();
        var byRank = new int[Math.Max(1, instance.Students.Max(s => (int?)s.Ranking.Count) ?? 1)];
        var worstAdmitted = new int[problem.OfferCount];
        var worstStudent = new int[problem.OfferCount];
        Array.Fill(worstAdmitted, int.MinValue);
        // Stryker disable once Statement,Unary : never read as -1: a student refused by an acceptable offer with seats means it is full, so it has a worst admitted student; -1 only makes a broken invariant fail loudly
        Array.Fill(worstStudent, -1);

        for (var s = 0; s < problem.StudentCount; s++)
        {
            var student = instance.Students[s];
            var p = matched[s];
            if (p < 0)
            {
                unmatched.Add(student.StudentId);
                continue;
            }

            var rank = p - problem.ListStart[s] + 1;
            byRank[rank - 1]++;
            var o = problem.Offer[p];
            assignments.Add(new MatchAssignment(student.StudentId, instance.Offers[o].OfferId, rank));
            // Stryker disable once Equality : two students never share a key at one offer (the school's order and a hospital's ranking are strict), so > and >= pick the same student (the reversed comparison, its sibling, is killed by the tests)
            if (problem.Key[p] > worstAdmitted[o])
            {
                worstAdmitted[o] = problem.Key[p];
                worstStudent[o] = s;
            }
        }

        var explanations = new List<StudentExplanation>(problem.StudentCount);
        for (var s = 0; s < problem.StudentCount; s++)
        {
            var student = instance.Students[s];
            var end = matched[s] >= 0 ? matched[s] : problem.ListStart[s + 1];
            // Stryker disable once Arithmetic : only the list's initial capacity
            var above = new List<RankedAboveExplanation>(end - problem.ListStart[s]);
            for (var p = problem.ListStart[s]; p < end; p++)
            {
                above.Add(Explain(problem, s, p, worstStudent));
            }

            explanations.Add(new StudentExplanation(
                student.StudentId,
                matched[s] >= 0 ? instance.Offers[problem.Offer[matched[s]]].OfferId : null,
                matched[s] >= 0 ? matched[s] - problem.ListStart[s] + 1 : null,
                above));
        }

        return new MatchResult(
            DeferredAcceptance.AlgorithmVersion,
            instance.Seed,
            Digest(instance),
            assignments,
            unmatched,
            explanations,
            StabilityChecker.Check(instance, assignments),
            new RankDistribution(byRank, unmatched.Count));
    }

    private static RankedAboveExplanation Explain(MatchProblem problem, int s, int p, int[] worstStudent)
    {
        var instance = problem.Instance;
        var student = instance.Students[s];
        var ranked = student.Ranking[p - problem.ListStart[s]];
        var offer = instance.Offers[problem.Offer[p]];
        var rank = p - problem.ListStart[s] + 1;
        if (ranked.Ineligibility is { } requirement)
        {
            return new RankedAboveExplanation(offer.OfferId, rank, RejectionReason.NotEligible, $"Not eligible: {requirement}.");
        }

        if (offer.Seats == 0)
        {
            return new RankedAboveExplanation(offer.OfferId, rank, RejectionReason.Full,
                "Full: no seat on this offer was free for this run (every seat was already taken, or the hospital stopped taking students).");
        }

        if (!problem.Policy.IsAcceptable(offer.OfferId, student.StudentId))
        {
            return new RankedAboveExplanation(offer.OfferId, rank, RejectionReason.NotRankedByHospital, "The hospital ranked its applicants for this offer and did not include you, so it could not take you.");
        }

        var lowest = problem.Policy.Describe(offer.OfferId, instance.Students[worstStudent[problem.Offer[p]]].StudentId);
        var yours = problem.Policy.Describe(offer.OfferId, student.StudentId);
        return new RankedAboveExplanation(offer.OfferId, rank, RejectionReason.Full,
            (offer.HospitalRanking is null
                ? $"Full: all {offer.Seats} seat(s) went to students who come before you. Here the school's order applies: a higher study year comes first, and within a year a lower lottery number is served first. The last student admitted is in {lowest}; you are in {yours}."
                : $"Full: all {offer.Seats} seat(s) went to students the hospital ranked higher than you (a hospital's ranking is confidential, as a student's is)."),
            lowest, yours);
    }

    /// <summary>
    /// SHA-256 of the instance in a canonical order, so a stored run names exactly what it matched: students and
    /// offers by id, each student's choices in their order with any unmet requirement (its length first, so no
    /// words can imitate the form), each offer's seats and the hospital's ranking or the school's policy.
    /// The form is a stored contract: a run's digest is compared with its round's at publication.
    /// </summary>
    public static string Digest(MatchInstance instance)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text));
        Add($"seed:{instance.Seed}\n");
        foreach (var student in instance.Students.OrderBy(s => s.StudentId))
        {
            Add($"s:{student.StudentId:N}:{student.StudyYear}:");
            foreach (var ranked in student.Ranking)
            {
                Add(ranked.Ineligibility is { } unmet ? $"{ranked.OfferId:N}!{unmet.Length}:{unmet}," : $"{ranked.OfferId:N},");
            }

            Add("\n");
        }

        foreach (var offer in instance.Offers.OrderBy(o => o.OfferId))
        {
            Add($"o:{offer.OfferId:N}:{offer.Seats}:");
            foreach (var student in offer.HospitalRanking ?? [])
            {
                Add($"{student:N},");
            }

            Add(offer.HospitalRanking is null ? "policy\n" : "\n");
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
