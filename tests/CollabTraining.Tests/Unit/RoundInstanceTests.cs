using CollabTraining.Contracts.Hospitals;
using CollabTraining.School.Assignments;
using CollabTraining.School.Catalog;
using CollabTraining.School.Data;
using CollabTraining.School.Matching;
using CollabTraining.School.Rounds;
using CollabTraining.School.Runs;
using CollabTraining.School.Students;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Tests.Unit;

/// <summary>
/// What a match run is given, read from the School's database (SQLite in memory): who takes part, why an offer is
/// out of a student's reach, how many seats each offer still has across rounds, and what a re-match leaves alone.
/// </summary>
public sealed class RoundInstanceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Opens = new(2027, 1, 4, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2027, 1, 20);

    private readonly SqliteConnection _connection = new("Data Source=:memory:");
    private readonly CatalogPlacement _ward = Placement("Cardiology ward", seats: 2, requires: ["bls"]);
    private readonly CatalogPlacement _clinic = Placement("Paediatric clinic", seats: 1, minimumYear: 4);
    private readonly CatalogPlacement _theatre = Placement("Surgical theatre", seats: 3);
    private PlacementRound _round = null!;

    private static Guid Id(int n) => new($"00000000-0000-0000-0000-{n:D12}");

    private static CatalogPlacement Placement(string title, int seats, int minimumYear = 3, string[]? requires = null, DateOnly? starts = null)
    {
        var placement = CatalogPlacement.Empty(Guid.NewGuid(), Guid.NewGuid());
        var from = starts ?? new DateOnly(2027, 3, 1);
        placement.Apply(new PlacementOfferSnapshot(placement.OfferId, placement.HospitalId, "St Mary's", "Ward", "cardiology", title,
            from, from.AddDays(27), seats, new PlacementRequirements(minimumYear, requires ?? [], [])), 1, Opens);
        return placement;
    }

    private SchoolSqliteDbContext Db() => new SchoolSqliteDbContext(new DbContextOptionsBuilder<SchoolSqliteDbContext>().UseSqlite(_connection).Options);

    public async Task InitializeAsync()
    {
        await _connection.OpenAsync();
        await using var db = Db();
        await db.Database.EnsureCreatedAsync();
        _round = PlacementRound.Open(new RoundTerms("Spring", [_ward.OfferId, _clinic.OfferId, _theatre.OfferId], Opens, Opens.AddDays(7), 3), Guid.NewGuid(), Opens);
        db.AddRange(_ward, _clinic, _theatre, _round);
        await db.SaveChangesAsync();
    }

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    private async Task SaveAsync(params object[] entities)
    {
        await using var db = Db();
        db.AddRange(entities);
        await db.SaveChangesAsync();
    }

    private static Student Enrol(int n, int year = 4) => Student.Enrol(Id(n), $"S{n}", $"Student {n}", "medicine", year);

    private RoundPreference Ranks(Student student, params CatalogPlacement[] offers)
    {
        var preference = RoundPreference.Start(_round.Id, student.Id);
        preference.Replace([.. offers.Select(o => o.OfferId)], Opens.AddDays(1));
        return preference;
    }

    private PlacementAssignment Placed(Student student, CatalogPlacement offer, PlacementRound? round = null) =>
        PlacementAssignment.Make((round ?? _round).Id, null, offer.OfferId, offer.HospitalId, student, 1, Opens.AddDays(8)).Assignment;

    private async Task<MatchInstance> BuildAsync(bool rematch = false)
    {
        await using var db = Db();
        return await RoundInstance.BuildAsync(db, _round, 42, rematch, Today, CancellationToken.None);
    }

    private static Dictionary<Guid, string?> Reach(MatchInstance instance, Student student) =>
        instance.Students.Single(s => s.StudentId == student.Id).Ranking.ToDictionary(r => r.OfferId, r => r.Ineligibility);

    [Fact]
    public async Task Every_student_who_ranked_takes_part_in_a_fixed_order_with_their_ranking_and_why_an_offer_is_out_of_reach()
    {
        var (first, second, third) = (Enrol(1, year: 5), Enrol(2, year: 3), Enrol(3));
        var (bls, _) = StudentQualification.Grant(first.Id, "bls", new DateOnly(2028, 1, 1), Opens);
        var (revoked, _) = StudentQualification.Grant(second.Id, "bls", new DateOnly(2028, 1, 1), Opens);
        revoked.Revoke(Opens);
        // Saved in reverse order: the instance is the same whatever order the rankings arrived in.
        await SaveAsync(third, second, first, bls, revoked, Ranks(third), Ranks(second, _clinic, _ward), Ranks(first, _ward, _clinic));

        var instance = await BuildAsync();

        Assert.Equal([first.Id, second.Id, third.Id], instance.Students.Select(s => s.StudentId));
        Assert.Equal([5, 3, 4], instance.Students.Select(s => s.StudyYear));
        Assert.Equal([_ward.OfferId, _clinic.OfferId], instance.Students[0].Ranking.Select(r => r.OfferId));
        Assert.Equal([_clinic.OfferId, _ward.OfferId], instance.Students[1].Ranking.Select(r => r.OfferId));
        Assert.Empty(instance.Students[2].Ranking);
        Assert.All(instance.Students[0].Ranking, r => Assert.Null(r.Ineligibility));
        Assert.Equal("study year 4 or above is required (you are in year 3)", Reach(instance, second)[_clinic.OfferId]);
        Assert.Equal("the bls qualification is required and you do not hold it", Reach(instance, second)[_ward.OfferId]);
        Assert.Equal(42L, instance.Seed);
    }

    [Fact]
    public async Task Offers_come_in_the_rounds_order_with_the_seats_still_free_across_rounds_and_the_hospitals_own_ranking()
    {
        var (first, second, third, fourth) = (Enrol(1), Enrol(2), Enrol(3), Enrol(4));
        var other = PlacementRound.Open(new RoundTerms("Winter", [_ward.OfferId, _clinic.OfferId], Opens, Opens.AddDays(7), 3), Guid.NewGuid(), Opens);
        var confirmed = Placed(first, _ward, other);
        confirmed.ApplyConfirmation();
        var declined = Placed(second, _clinic, other);
        declined.ApplyHospitalDecline("The clinic is closed in March.");
        var ranking = HospitalRanking.Start(_round.Id, _theatre.OfferId);
        ranking.Replace(_round, [fourth.Id, third.Id], new HashSet<Guid> { third.Id, fourth.Id }, Guid.NewGuid(), Opens.AddDays(2));
        await SaveAsync(first, second, third, fourth, other, confirmed, declined, Ranks(third, _theatre), Ranks(fourth, _theatre), ranking);

        var instance = await BuildAsync();

        Assert.Equal([_ward.OfferId, _clinic.OfferId, _theatre.OfferId], instance.Offers.Select(o => o.OfferId));
        Assert.Equal([1, 1, 3], instance.Offers.Select(o => o.Seats));
        Assert.Null(instance.Offers[0].HospitalRanking);
        Assert.Equal([fourth.Id, third.Id], instance.Offers[2].HospitalRanking);
    }

    [Fact]
    public async Task A_placement_held_in_the_same_weeks_puts_an_offer_out_of_reach_but_one_given_up_does_not()
    {
        var (holder, quitter) = (Enrol(1), Enrol(2));
        var elsewhere = Placement("Night ward", seats: 1);
        var other = PlacementRound.Open(new RoundTerms("Winter", [elsewhere.OfferId], Opens, Opens.AddDays(7), 3), Guid.NewGuid(), Opens);
        var held = Placed(holder, elsewhere, other);
        var givenUp = Placed(quitter, elsewhere, other);
        givenUp.DeclineForStudent("Changed my mind.", quitter.Id, Opens.AddDays(9));
        await SaveAsync(holder, quitter, elsewhere, other, held, givenUp, Ranks(holder, _theatre), Ranks(quitter, _theatre));

        var instance = await BuildAsync();

        Assert.Equal("you already hold 'Night ward' at St Mary's from 2027-03-01 to 2027-03-28, which overlaps it", Reach(instance, holder)[_theatre.OfferId]);
        Assert.Null(Reach(instance, quitter)[_theatre.OfferId]);
    }

    [Fact]
    public async Task A_rematch_leaves_placed_and_withdrawn_students_alone_and_tells_a_declined_student_why_that_hospital_is_out_of_reach()
    {
        var (placed, confirmed, gaveUp, refused, unplaced, unexplained) = (Enrol(1), Enrol(2), Enrol(3), Enrol(4), Enrol(5), Enrol(6));
        var pending = Placed(placed, _theatre);
        var sure = Placed(confirmed, _theatre);
        sure.ApplyConfirmation();
        var declinedByStudent = Placed(gaveUp, _theatre);
        declinedByStudent.DeclineForStudent("Moving abroad.", gaveUp.Id, Opens.AddDays(9));
        var declinedByHospital = Placed(refused, _ward);
        declinedByHospital.ApplyHospitalDecline("The ward closed for refurbishment.");
        var withoutReason = Placed(unexplained, _ward);
        withoutReason.ApplyHospitalDecline("placeholder");
        await SaveAsync(placed, confirmed, gaveUp, refused, unplaced, unexplained, pending, sure, declinedByStudent, declinedByHospital, withoutReason,
            Ranks(placed, _theatre), Ranks(confirmed, _theatre), Ranks(gaveUp, _theatre), Ranks(refused, _ward, _theatre), Ranks(unplaced, _theatre), Ranks(unexplained, _ward));
        await using (var db = Db())
        {
            // A decline stored without a reason (the column allows it).
            await db.PlacementAssignments.Where(a => a.Id == withoutReason.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.DeclineReason, (string?)null));
        }

        var rematch = await BuildAsync(rematch: true);

        Assert.Equal([refused.Id, unplaced.Id, unexplained.Id], rematch.Students.Select(s => s.StudentId));
        Assert.Equal("the hospital declined you for this placement (The ward closed for refurbishment.)", Reach(rematch, refused)[_ward.OfferId]);
        Assert.Null(Reach(rematch, refused)[_theatre.OfferId]);
        Assert.Equal("the hospital declined you for this placement (no reason given)", Reach(rematch, unexplained)[_ward.OfferId]);
        Assert.Null(Reach(rematch, unplaced)[_theatre.OfferId]);
        Assert.Equal([2, 1, 1], rematch.Offers.Select(o => o.Seats));

        // An initial run takes every student who ranked and knows nothing of the hospitals' declines.
        var initial = await BuildAsync(rematch: false);
        Assert.Equal(6, initial.Students.Count);
        Assert.Equal("the bls qualification is required and you do not hold it", Reach(initial, refused)[_ward.OfferId]);
    }

    [Fact]
    public async Task Free_seats_are_none_for_a_closed_withdrawn_unknown_or_overfilled_offer()
    {
        var closed = Placement("Closed ward", seats: 2);
        closed.Close(2, Opens);
        var withdrawn = Placement("Withdrawn ward", seats: 2);
        withdrawn.Withdraw(2, Opens);
        var announced = CatalogPlacement.Empty(Guid.NewGuid(), Guid.NewGuid());
        var (a, b) = (Enrol(1), Enrol(2));
        await SaveAsync(closed, withdrawn, announced, a, b, Placed(a, _clinic), Placed(b, _clinic));

        await using var db = Db();
        var seats = await SeatBook.LoadAsync(db, [closed.OfferId, withdrawn.OfferId, announced.OfferId, _clinic.OfferId, _ward.OfferId], CancellationToken.None);

        Assert.Equal(0, seats.Free(closed.OfferId));
        Assert.Equal(0, seats.Free(withdrawn.OfferId));
        Assert.Equal(0, seats.Free(announced.OfferId));
        Assert.Equal(0, seats.Free(Guid.NewGuid()));
        Assert.Equal(0, seats.Free(_clinic.OfferId)); // one seat, two students on it: none free, never fewer
        Assert.Equal(2, seats.Free(_ward.OfferId));
        Assert.Equal("Cardiology ward", seats.Placements[_ward.OfferId].Title);
    }

    [Fact]
    public async Task The_placement_a_student_is_moved_from_does_not_count_against_the_move()
    {
        var student = Enrol(1);
        var (current, other) = (Placed(student, _ward), Placed(student, _theatre));
        var gone = Placement("Gone from the catalog", seats: 1);
        var unknown = PlacementAssignment.Make(_round.Id, null, gone.OfferId, gone.HospitalId, student, 1, Opens).Assignment;
        await SaveAsync(student, current, other, unknown);

        await using var db = Db();
        var all = await HeldPlacements.LoadAsync(db, [student.Id], CancellationToken.None);
        var exceptCurrent = await HeldPlacements.LoadAsync(db, [student.Id], CancellationToken.None, exceptAssignment: current.Id);

        Assert.Equal(["Cardiology ward", "Surgical theatre"], all[student.Id].Select(p => p.Title).Order());
        Assert.Equal(["Surgical theatre"], exceptCurrent[student.Id].Select(p => p.Title));
    }

    [Fact]
    public async Task A_run_names_its_students_and_offers_once_each()
    {
        var (first, second) = (Enrol(1), Enrol(2));
        await SaveAsync(first, second);

        await using var db = Db();
        var (students, offers) = await RoundInstance.NamesAsync(db, [first.Id, second.Id, first.Id], [_ward.OfferId, _ward.OfferId, _clinic.OfferId], CancellationToken.None);

        Assert.Equal(["Student 1", "Student 2"], students.Values.Select(s => s.Name).Order());
        Assert.Equal(["Cardiology ward", "Paediatric clinic"], offers.Values.Select(o => o.Title).Order());
    }
}
