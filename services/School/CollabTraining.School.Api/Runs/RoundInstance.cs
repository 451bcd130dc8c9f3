using CollabTraining.School.Assignments;
using CollabTraining.School.Catalog;
using CollabTraining.School.Data;
using CollabTraining.School.Matching;
using CollabTraining.School.Rounds;
using CollabTraining.School.Students;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Runs;

/// <summary>
/// Seats an offer still has, counted across every round: its seats less every pending or confirmed
/// assignment on it, whichever round made it. A withdrawn or closed offer has none.
/// </summary>
public sealed class SeatBook(IReadOnlyDictionary<Guid, CatalogPlacement> placements, IReadOnlyDictionary<Guid, int> held)
{
    public static async Task<SeatBook> LoadAsync(SchoolDbContext db, IReadOnlyCollection<Guid> offerIds, CancellationToken ct)
    {
        var placements = await db.CatalogPlacements.AsNoTracking().Where(p => offerIds.Contains(p.OfferId)).ToDictionaryAsync(p => p.OfferId, ct);
        var held = await db.PlacementAssignments.AsNoTracking()
            .Where(a => offerIds.Contains(a.OfferId) && (a.Status == Contracts.School.PlacementAssignmentStatus.Pending || a.Status == Contracts.School.PlacementAssignmentStatus.Confirmed))
            .GroupBy(a => a.OfferId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        return new SeatBook(placements, held);
    }

    public IReadOnlyDictionary<Guid, CatalogPlacement> Placements => placements;

    public int Free(Guid offerId) =>
        placements.TryGetValue(offerId, out var p) && p.TakesStudents ? Math.Max(0, p.Seats - held.GetValueOrDefault(offerId)) : 0;
}

/// <summary>What each student already holds (pending or confirmed, in any round), as placements, for the overlap rule.</summary>
public static class HeldPlacements
{
    public static async Task<ILookup<Guid, CatalogPlacement>> LoadAsync(SchoolDbContext db, IReadOnlyCollection<Guid> studentIds, CancellationToken ct, Guid? exceptAssignment = null)
    {
        var holding = await db.PlacementAssignments.AsNoTracking()
            .Where(a => studentIds.Contains(a.StudentId) && a.Id != exceptAssignment
                && (a.Status == Contracts.School.PlacementAssignmentStatus.Pending || a.Status == Contracts.School.PlacementAssignmentStatus.Confirmed))
            .Select(a => new { a.StudentId, a.OfferId }).ToListAsync(ct);
        // Stryker disable once Linq : the ids only feed an IN list, where a repeated id changes nothing
        var offerIds = holding.Select(h => h.OfferId).Distinct().ToList();
        var placements = await db.CatalogPlacements.AsNoTracking().Where(p => offerIds.Contains(p.OfferId)).ToDictionaryAsync(p => p.OfferId, ct);
        return holding.Where(h => placements.ContainsKey(h.OfferId)).ToLookup(h => h.StudentId, h => placements[h.OfferId]);
    }
}

/// <summary>
/// Turns a round's stored rankings into a match instance, re-checking eligibility as of now. An initial run
/// takes every student who ranked; a re-match keeps every placement that holds a seat and takes only the
/// students the hospitals declined or who were never placed, into the seats still free.
/// </summary>
public static class RoundInstance
{
    public static async Task<MatchInstance> BuildAsync(SchoolDbContext db, PlacementRound round, long seed, bool rematch, DateOnly today, CancellationToken ct)
    {
        var inRound = rematch
            ? await db.PlacementAssignments.AsNoTracking().Where(a => a.RoundId == round.Id).ToListAsync(ct)
            : [];
        var fixedOrGone = inRound.Where(a => a.HoldsSeat || a.Status == Contracts.School.PlacementAssignmentStatus.DeclinedByStudent)
            .Select(a => a.StudentId).ToHashSet();
        var refusedBy = inRound.Where(a => a.Status == Contracts.School.PlacementAssignmentStatus.DeclinedByHospital)
            .ToLookup(a => a.StudentId, a => (a.OfferId, Reason: a.DeclineReason ?? "no reason given"));

        var preferences = (await db.RoundPreferences.AsNoTracking().Where(p => p.RoundId == round.Id).OrderBy(p => p.StudentId).ToListAsync(ct))
            .Where(p => !fixedOrGone.Contains(p.StudentId))
            .ToList();
        var studentIds = preferences.Select(p => p.StudentId).ToList();
        var students = await db.Students.AsNoTracking().Where(s => studentIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        // Stryker disable once Logical : with || the extra rows are other students' (the lookup is by student) or revoked ones (eligibility ignores those); only the query's cost changes
        var qualifications = (await db.StudentQualifications.AsNoTracking().Where(q => studentIds.Contains(q.StudentId) && q.RevokedAt == null).ToListAsync(ct))
            .ToLookup(q => q.StudentId);
        var held = await HeldPlacements.LoadAsync(db, studentIds, ct);
        var seats = await SeatBook.LoadAsync(db, round.OfferIds, ct);

        string? Unmet(Guid studentId, Guid offerId) =>
            refusedBy[studentId].Where(r => r.OfferId == offerId).Select(r => $"the hospital declined you for this placement ({r.Reason})").FirstOrDefault()
            ?? PlacementEligibility.UnmetRequirement(students[studentId], qualifications[studentId], seats.Placements[offerId], held[studentId], today);

        var matchStudents = preferences.Select(p => new MatchStudent(
            p.StudentId,
            students[p.StudentId].StudyYear,
            p.OfferIds.Select(o => new RankedOffer(o, Unmet(p.StudentId, o))).ToList())).ToList();
        var rankings = await db.HospitalRankings.AsNoTracking().Where(r => r.RoundId == round.Id).ToDictionaryAsync(r => r.OfferId, r => r.StudentIds, ct);
        var offers = round.OfferIds.Select(o => new MatchOffer(o, seats.Free(o), rankings.GetValueOrDefault(o))).ToList();
        return new MatchInstance(matchStudents, offers, seed);
    }

    /// <summary>Students of the run, with their names; the run's offers with titles and hospitals: what a reader needs next to the ids.</summary>
    public static async Task<(Dictionary<Guid, Student> Students, Dictionary<Guid, CatalogPlacement> Offers)> NamesAsync(
        SchoolDbContext db, IEnumerable<Guid> studentIds, IEnumerable<Guid> offerIds, CancellationToken ct)
    {
        // Stryker disable Linq : the ids only feed IN lists, where a repeated id changes nothing
        var s = studentIds.Distinct().ToList();
        var o = offerIds.Distinct().ToList();
        // Stryker restore Linq
        return (await db.Students.AsNoTracking().Where(x => s.Contains(x.Id)).ToDictionaryAsync(x => x.Id, ct),
            await db.CatalogPlacements.AsNoTracking().Where(x => o.Contains(x.OfferId)).ToDictionaryAsync(x => x.OfferId, ct));
    }
}
