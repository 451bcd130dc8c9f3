namespace CollabTraining.School.Matching;

/// <summary>
/// Deferred acceptance for the hospitals/residents problem: many-to-one, seats as capacities, strict
/// priorities. The student-proposing run gives the student-optimal stable matching, the one the school
/// uses; the hospital-proposing run gives the hospital-optimal one, used to check the rural-hospitals
/// theorem. Both return, per student, the index of their matched list entry, or -1.
/// </summary>
public static class DeferredAcceptance
{
    /// <remarks>
    /// Bumped whenever the same inputs could give another result or another input digest, so a stored run says which
    /// rules made it. <c>/2</c>: the digest length-prefixes the words of ineligibility reasons (a run of <c>/1</c> holds a
    /// digest today's inputs can no longer reproduce).
    /// </remarks>
    public const string AlgorithmVersion = "student-proposing-deferred-acceptance/2";

    public static int[] StudentProposing(MatchProblem problem)
    {
        var matched = new int[problem.StudentCount];
        Array.Fill(matched, -1);
        var next = new int[problem.StudentCount];
        Array.Copy(problem.ListStart, next, problem.StudentCount);

        // Each offer holds its tentative students in a max-heap on priority key: the root is the one to
        // bump when a better student proposes to a full offer.
        var heapStart = new int[problem.OfferCount + 1];
        for (var o = 0; o < problem.OfferCount; o++)
        {
            heapStart[o + 1] = heapStart[o] + problem.Capacity[o];
        }

        var heapEntry = new int[heapStart[problem.OfferCount]];
        var heapSize = new int[problem.OfferCount];
        var keys = problem.Key;
        var offers = problem.Offer;
        var acceptable = problem.Acceptable;
        var listStart = problem.ListStart;
        var owner = StudentOfEntry(problem);

        for (var student = problem.StudentCount - 1; student >= 0; student--)
        {
            var s = student;
            while (s >= 0)
            {
                var end = listStart[s + 1];
                var proposer = s;
                s = -1;
                while (next[proposer] < end)
                {
                    var p = next[proposer]++;
                    if (!acceptable[p])
                    {
                        continue;
                    }

                    var o = offers[p];
                    var start = heapStart[o];
                    if (heapSize[o] < problem.Capacity[o])
                    {
                        HeapPush(heapEntry, start, ref heapSize[o], p, keys);
                        matched[proposer] = p;
                        break;
                    }

                    var worst = heapEntry[start];
                    // Stryker disable once Equality : two students never share a key at one offer, so < and <= agree (the reversed comparison, its sibling, is killed by the tests)
                    if (keys[p] < keys[worst])
                    {
                        heapEntry[start] = p;
                        SiftDown(heapEntry, start, heapSize[o], 0, keys);
                        matched[proposer] = p;
                        s = owner[worst];
                        matched[s] = -1;
                        break;
                    }
                }
            }
        }

        return matched;
    }

    public static int[] HospitalProposing(MatchProblem problem)
    {
        // Each offer's candidates: the students who find it acceptable, in its priority order.
        var owner = StudentOfEntry(problem);
        var candidates = new List<int>[problem.OfferCount];
        for (var o = 0; o < problem.OfferCount; o++)
        {
            candidates[o] = [];
        }

        for (var p = 0; p < problem.Offer.Length; p++)
        {
            if (problem.Acceptable[p])
            {
                candidates[problem.Offer[p]].Add(p);
            }
        }

        foreach (var list in candidates)
        {
            list.Sort((a, b) => problem.Key[a].CompareTo(problem.Key[b]));
        }

        var matched = new int[problem.StudentCount];
        Array.Fill(matched, -1);
        var filled = new int[problem.OfferCount];
        var next = new int[problem.OfferCount];
        var queue = new Queue<int>(Enumerable.Range(0, problem.OfferCount));
        // Stryker disable once Boolean : queued only avoids queueing an offer twice; an offer queued twice finds nothing to do the second time
        var queued = Enumerable.Repeat(true, problem.OfferCount).ToArray();
        while (queue.TryDequeue(out var o))
        {
            queued[o] = false;
            while (filled[o] < problem.Capacity[o] && next[o] < candidates[o].Count)
            {
                var p = candidates[o][next[o]++];
                var s = owner[p];
                if (matched[s] == -1)
                {
                    matched[s] = p;
                    filled[o]++;
                }
                // Stryker disable once Equality : an entry is proposed once, so p never equals the student's current entry (the reversed comparison, its sibling, is killed by the tests)
                else if (p < matched[s])
                {
                    // The student prefers this offer (earlier in their list): the old one gets its seat back.
                    var previous = problem.Offer[matched[s]];
                    filled[previous]--;
                    if (!queued[previous])
                    {
                        // Stryker disable once Boolean : see queued above: a second queueing is only extra work
                        queued[previous] = true;
                        queue.Enqueue(previous);
                    }

                    matched[s] = p;
                    filled[o]++;
                }
            }
        }

        return matched;
    }

    /// <summary>Which student each list entry belongs to.</summary>
    public static int[] StudentOfEntry(MatchProblem problem)
    {
        var owner = new int[problem.Offer.Length];
        for (var s = 0; s < problem.StudentCount; s++)
        {
            for (var p = problem.ListStart[s]; p < problem.ListStart[s + 1]; p++)
            {
                owner[p] = s;
            }
        }

        return owner;
    }

    private static void HeapPush(int[] heap, int start, ref int size, int entry, int[] keys)
    {
        var i = size++;
        heap[start + i] = entry;
        while (i != 0)
        {
            var parent = (i - 1) / 2;
            // Stryker disable once Equality : keys in one offer's heap are distinct, so >= and > agree (the reversed comparison, its sibling, is killed by the tests)
            if (keys[heap[start + parent]] >= keys[heap[start + i]])
            {
                break;
            }

            (heap[start + parent], heap[start + i]) = (heap[start + i], heap[start + parent]);
            i = parent;
        }
    }

    private static void SiftDown(int[] heap, int start, int size, int i, int[] keys)
    {
        while (true)
        {
            var left = (2 * i) + 1;
            if (left >= size)
            {
                return;
            }

            var largest = left;
            var right = left + 1;
            if (right < size)
            {
                // Stryker disable once Equality : keys in one offer's heap are distinct, so > and >= agree (the reversed comparison, its sibling, is killed by the tests)
                largest = keys[heap[start + right]] > keys[heap[start + left]] ? right : left;
            }

            // Stryker disable once Equality : as above, >= and > agree (the reversed comparison is killed by the tests)
            if (keys[heap[start + i]] >= keys[heap[start + largest]])
            {
                return;
            }

            (heap[start + i], heap[start + largest]) = (heap[start + largest], heap[start + i]);
            i = largest;
        }
    }
}
