namespace CollabTraining.School.Matching;

/// <summary>
/// Checks a matching against its instance without using the engine: every assignment acceptable to both
/// sides, no offer over its seats, and no blocking pair (a student and an offer they ranked above their
/// result, where the offer has a free seat or holds someone it ranks below them).
/// </summary>
public static class StabilityChecker
{
    public static StabilityCertificate Check(MatchInstance instance, IReadOnlyList<MatchAssignment> assignments)
    {
        var policy = new PriorityPolicy(instance);
        var seats = instance.Offers.ToDictionary(o => o.OfferId, o => o.Seats);
        var students = instance.Students.ToDictionary(s => s.StudentId);
        var taken = new Dictionary<Guid, int>();
        var worstAdmitted = new Dictionary<Guid, int>();
        var assignedTo = new Dictionary<Guid, Guid>();
        var unacceptable = new List<MatchAssignment>();

        foreach (var assignment in assignments)
        {
            assignedTo.Add(assignment.StudentId, assignment.OfferId);
            taken[assignment.OfferId] = taken.GetValueOrDefault(assignment.OfferId) + 1;
            var ranked = students[assignment.StudentId].Ranking.FirstOrDefault(r => r.OfferId == assignment.OfferId);
            if (ranked is null || ranked.Ineligibility is not null || !policy.IsAcceptable(assignment.OfferId, assignment.StudentId))
            {
                // A seat held by someone the offer should not take is worse than any acceptable student.
                unacceptable.Add(assignment);
                worstAdmitted[assignment.OfferId] = int.MaxValue;
                continue;
            }

            var key = policy.Key(assignment.OfferId, assignment.StudentId);
            worstAdmitted[assignment.OfferId] = Math.Max(worstAdmitted.GetValueOrDefault(assignment.OfferId, int.MinValue), key);
        }

        var overCapacity = taken.Where(t => t.Value > seats[t.Key]).Select(t => t.Key).Order().ToList();
        var blocking = new List<BlockingPair>();
        foreach (var student in instance.Students)
        {
            var hasMatch = assignedTo.TryGetValue(student.StudentId, out var matchedOffer);
            foreach (var ranked in student.Ranking)
            {
                if (hasMatch && ranked.OfferId == matchedOffer)
                {
                    break;
                }

                if (ranked.Ineligibility is not null || seats[ranked.OfferId] == 0 || !policy.IsAcceptable(ranked.OfferId, student.StudentId))
                {
                    continue;
                }

                var freeSeat = taken.GetValueOrDefault(ranked.OfferId) < seats[ranked.OfferId];
                // Stryker disable once Equality : the student is not admitted there and keys at one offer are distinct, so < and <= agree (the reversed comparison, its sibling, is killed by the tests)
                var prefersStudent = worstAdmitted.TryGetValue(ranked.OfferId, out var worst) && policy.Key(ranked.OfferId, student.StudentId) < worst;
                if (freeSeat || prefersStudent)
                {
                    blocking.Add(new BlockingPair(student.StudentId, ranked.OfferId));
                }
            }
        }

        return new StabilityCertificate(blocking, overCapacity, unacceptable);
    }
}
