using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using CollabTraining.School.Catalog;
using CollabTraining.School.Data;
using CollabTraining.School.Runs;
using CollabTraining.Domain;
using CollabTraining.ServiceDefaults.Http;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Rounds;

public sealed record RoundRequest(
    [property: Required, StringLength(200, MinimumLength = 3)] string? Name,
    [property: Required, MinLength(1), MaxLength(2000), Description("Catalog offers open to students, each once.")] List<Guid>? OfferIds,
    [property: Description("When students may start ranking. Optional: on creation the round opens at once; on a change the opening time stays as it was.")] DateTimeOffset? PreferencesOpenAt,
    [property: Required, Description("When ranking ends; the match that counts is run after it.")] DateTimeOffset? PreferencesCloseAt,
    [property: Range(1, RoundTerms.MaxRanksLimit), Description("How many offers a student may rank. Optional: 10 on creation; unchanged on a change.")] int? MaxRanks);

public sealed record CancelRoundRequest([property: Required, StringLength(1000, MinimumLength = 3)] string? Reason);

public sealed record DeclineDeadlineRequest([property: Required] DateTimeOffset? StudentDeclineDeadline);

public sealed record RoundOffer(Guid OfferId, string Title, Guid HospitalId, string HospitalName, DateOnly StartsOn, DateOnly EndsOn, int Seats);

public sealed record RoundResponse(
    Guid Id, string Name, IReadOnlyList<Guid> OfferIds, IReadOnlyList<RoundOffer> Offers, DateTimeOffset PreferencesOpenAt, DateTimeOffset PreferencesCloseAt,
    int MaxRanks, RoundStatus Status, Guid? PublishedRunId, DateTimeOffset? StudentDeclineDeadline, string? CancellationReason, long Version);

public sealed record PreferencesRequest([property: Required, MaxLength(RoundTerms.MaxRanksLimit)] List<Guid>? OfferIds);

public sealed record RankedOfferView(Guid OfferId, string Title, string HospitalName);

/// <summary>Whether the signed-in student may rank an offer of the round now; <c>reason</c> names the unmet requirement when not.</summary>
public sealed record OfferEligibilityView(Guid OfferId, bool Eligible, string? Reason);

public sealed record PreferencesResponse(Guid RoundId, Guid StudentId, IReadOnlyList<Guid> OfferIds, IReadOnlyList<RankedOfferView> Offers, DateTimeOffset SubmittedAt);

public static class RoundsApi
{
    public const int DefaultMaxRanks = 10;

    public static void MapRoundsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(SchoolModule.RoutePrefix + "/rounds").WithTags("Placement rounds");
        group.MapPost("/", CreateRound).WithName("CreateRound").WithSummary("Open a placement round over catalog offers")
            .WithDescription("The round's preference window opens at `preferencesOpenAt` (at once if left out) and closes at `preferencesCloseAt`. Runs made while it is open are provisional; publish a run made after it closes.")
            .RequireAuthorization(Policies.SchoolCoordinator);
        group.MapGet("/", ListRounds).WithName("ListRounds").WithSummary("Placement rounds, newest first")
            .WithDescription("`status` filters by Scheduled, Open, Closed, Published or Cancelled; Open lists the rounds students may rank in now.");
        group.MapGet("/{roundId:guid}", GetRound).WithName("GetRound").WithSummary("A placement round, its offers and where it stands");
        group.MapPut("/{roundId:guid}", ReviseRound).WithName("ReviseRound").WithSummary("Change a round")
            .WithDescription("Before the window opens everything may change; while it is open only the name and the closing time; after it closes nothing. Send `If-Match` with the ETag you read (or `*`) to refuse overwriting a colleague's change (412); cancel and the deadline honour it too.")
            .RequireAuthorization(Policies.SchoolCoordinator);
        group.MapPost("/{roundId:guid}/cancel", CancelRound).WithName("CancelRound").WithSummary("Call a round off before it is published, with a reason")
            .RequireAuthorization(Policies.SchoolCoordinator);
        group.MapPut("/{roundId:guid}/student-decline-deadline", MoveDeclineDeadline).WithName("MoveStudentDeclineDeadline")
            .WithSummary("Move the deadline until which students may give up their assignment (a future time)")
            .RequireAuthorization(Policies.SchoolCoordinator);
        group.MapPut("/{roundId:guid}/preferences/me", SubmitPreferences).WithName("SubmitPreferences")
            .WithSummary("Rank offers of the round, best first (replaces your previous ranking; an empty list takes you out of the match)")
            .WithDescription("Only while the window is open. An offer you are not eligible for is refused naming the unmet requirement.")
            .RequireAuthorization(Policies.Student);
        group.MapGet("/{roundId:guid}/preferences/me", GetMyPreferences).WithName("GetMyPreferences")
            .WithSummary("Your ranking in the round").RequireAuthorization(Policies.Student);
        group.MapGet("/{roundId:guid}/eligibility/me", GetMyEligibility).WithName("GetMyEligibility")
            .WithSummary("For each offer of the round, whether you may rank it and, if not, which requirement you do not meet")
            .WithDescription("The same check a submitted ranking gets, made now: read it before ranking.")
            .RequireAuthorization(Policies.Student);
    }

    public static async Task<Created<RoundResponse>> CreateRound(RoundRequest request, CurrentUser user, HttpContext http, SchoolDbContext db, TimeProvider time, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var terms = await TermsAsync(request, db, now, ct);
        var round = PlacementRound.Open(terms, user.UserId, now);
        db.PlacementRounds.Add(round);
        await db.SaveChangesAsync(ct);
        http.Response.Headers.ETag = ETags.Of(round.Version);
        return TypedResults.Created($"{SchoolModule.RoutePrefix}/rounds/{round.Id}", await ToResponseAsync(db, round, now, ct));
    }

    public static async Task<Results<Ok<List<RoundResponse>>, ValidationProblem>> ListRounds(SchoolDbContext db, TimeProvider time, CancellationToken ct, string? status = null)
    {
        RoundStatus? wanted = null;
        if (status is not null)
        {
            var name = Enum.GetNames<RoundStatus>().FirstOrDefault(n => string.Equals(n, status, StringComparison.OrdinalIgnoreCase));
            if (name is null)
            {
                return Problems.Invalid(nameof(status), $"The status is one of {string.Join(", ", Enum.GetNames<RoundStatus>())}.");
            }

            wanted = Enum.Parse<RoundStatus>(name);
        }

        var now = time.GetUtcNow();
        var rounds = (await db.PlacementRounds.AsNoTracking().ToListAsync(ct))
            .Where(r => wanted is null || r.StatusAt(now) == wanted).OrderByDescending(r => r.CreatedAt).ToList();
        var offers = await OffersAsync(db, rounds.SelectMany(r => r.OfferIds), ct);
        return TypedResults.Ok(rounds.Select(r => ToResponse(r, offers, now)).ToList());
    }

    public static async Task<Ok<RoundResponse>> GetRound(Guid roundId, HttpContext http, SchoolDbContext db, TimeProvider time, CancellationToken ct)
    {
        var round = await FindAsync(db, roundId, ct, tracked: false);
        http.Response.Headers.ETag = ETags.Of(round.Version);
        return TypedResults.Ok(await ToResponseAsync(db, round, time.GetUtcNow(), ct));
    }

    public static Task<Results<Ok<RoundResponse>, ProblemHttpResult>> ReviseRound(
        Guid roundId, RoundRequest request, [FromHeader(Name = "If-Match")] string? ifMatch, HttpContext http, SchoolDbContext db, TimeProvider time, CancellationToken ct) =>
        ChangeAsync(roundId, ifMatch, http, db, time, async (round, now) =>
        {
            var terms = await TermsAsync(request with { PreferencesOpenAt = request.PreferencesOpenAt ?? round.PreferencesOpenAt, MaxRanks = request.MaxRanks ?? round.MaxRanks }, db, now, ct, round);
            round.Revise(terms, now);
        }, ct);

    public static Task<Results<Ok<RoundResponse>, ProblemHttpResult>> CancelRound(
        Guid roundId, CancelRoundRequest request, [FromHeader(Name = "If-Match")] string? ifMatch, HttpContext http, SchoolDbContext db, TimeProvider time, CancellationToken ct) =>
        ChangeAsync(roundId, ifMatch, http, db, time, (round, now) =>
        {
            round.Cancel(request.Reason!, now);
            return Task.CompletedTask;
        }, ct);

    public static Task<Results<Ok<RoundResponse>, ProblemHttpResult>> MoveDeclineDeadline(
        Guid roundId, DeclineDeadlineRequest request, [FromHeader(Name = "If-Match")] string? ifMatch, HttpContext http, SchoolDbContext db, TimeProvider time, CancellationToken ct) =>
        ChangeAsync(roundId, ifMatch, http, db, time, (round, now) =>
        {
            round.MoveStudentDeclineDeadline(request.StudentDeclineDeadline!.Value, now);
            return Task.CompletedTask;
        }, ct);

    /// <summary>A coordinator's change to a round: the version they read (If-Match), the change, the save, the new ETag.</summary>
    private static async Task<Results<Ok<RoundResponse>, ProblemHttpResult>> ChangeAsync(
        Guid roundId, string? ifMatch, HttpContext http, SchoolDbContext db, TimeProvider time, Func<PlacementRound, DateTimeOffset, Task> change, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var round = await FindAsync(db, roundId, ct);
        if (!ETags.Matches(ifMatch, round.Version))
        {
            return ETags.PreconditionFailed("round", round.Version);
        }

        await change(round, now);
        await db.SaveChangesAsync(ct);
        http.Response.Headers.ETag = ETags.Of(round.Version);
        return TypedResults.Ok(await ToResponseAsync(db, round, now, ct));
    }

    public static async Task<Results<Ok<PreferencesResponse>, ValidationProblem>> SubmitPreferences(
        Guid roundId, PreferencesRequest request, CurrentUser user, SchoolDbContext db, TimeProvider time, CancellationToken ct)
    {
        var round = await FindAsync(db, roundId, ct, tracked: false);
        var now = time.GetUtcNow();
        round.EnsureOpenForPreferences(now);
        var student = await db.Students.AsNoTracking().SingleOrDefaultAsync(s => s.Id == user.UserId, ct)
            ?? throw DomainRuleException.Forbidden("You are not enrolled as a student of the school.");

        var ranking = request.OfferIds!;
        if (ranking.Count > round.MaxRanks)
        {
            return Problems.Invalid("offerIds", $"At most {round.MaxRanks} offers may be ranked in this round; you sent {ranking.Count}.");
        }

        var errors = new Dictionary<string, string[]>();
        var seen = new HashSet<Guid>();
        var placements = await db.CatalogPlacements.AsNoTracking().Where(p => ranking.Contains(p.OfferId)).ToDictionaryAsync(p => p.OfferId, ct);
        var qualifications = await db.StudentQualifications.AsNoTracking().Where(q => q.StudentId == student.Id && q.RevokedAt == null).ToListAsync(ct);
        var held = (await HeldPlacements.LoadAsync(db, [student.Id], ct))[student.Id].ToList();
        for (var i = 0; i < ranking.Count; i++)
        {
            var offerId = ranking[i];
            var field = $"offerIds[{i}]";
            if (!seen.Add(offerId))
            {
                errors[field] = ["This offer is ranked twice."];
            }
            else if (!round.OfferIds.Contains(offerId) || !placements.TryGetValue(offerId, out var placement))
            {
                errors[field] = [$"Offer {offerId} is not part of this round."];
            }
            else if (PlacementEligibility.UnmetRequirement(student, qualifications, placement, held, DateOnly.FromDateTime(now.UtcDateTime)) is { } unmet)
            {
                errors[field] = [$"You are not eligible for '{placement.Title}' at {placement.HospitalName}: {unmet}."];
            }
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "The ranking cannot be accepted.");
        }

        var preference = await db.RoundPreferences.SingleOrDefaultAsync(p => p.RoundId == roundId && p.StudentId == student.Id, ct);
        if (ranking.Count == 0)
        {
            // An empty ranking withdraws the student from the round's match.
            if (preference is not null)
            {
                db.RoundPreferences.Remove(preference);
                await db.SaveChangesAsync(ct);
            }

            return TypedResults.Ok(new PreferencesResponse(roundId, student.Id, [], [], now));
        }

        if (preference is null)
        {
            preference = RoundPreference.Start(roundId, student.Id);
            db.RoundPreferences.Add(preference);
        }

        preference.Replace(ranking, now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToResponse(preference, placements));
    }

    public static async Task<Results<Ok<PreferencesResponse>, ProblemHttpResult>> GetMyPreferences(Guid roundId, CurrentUser user, SchoolDbContext db, CancellationToken ct)
    {
        var preference = await db.RoundPreferences.AsNoTracking().SingleOrDefaultAsync(p => p.RoundId == roundId && p.StudentId == user.UserId, ct);
        if (preference is null)
        {
            return TypedResults.Problem(title: "No ranking yet.", detail: "You have not ranked any offer in this round.", statusCode: StatusCodes.Status404NotFound);
        }

        var placements = await db.CatalogPlacements.AsNoTracking().Where(p => preference.OfferIds.Contains(p.OfferId)).ToDictionaryAsync(p => p.OfferId, ct);
        return TypedResults.Ok(ToResponse(preference, placements));
    }

    public static async Task<Ok<List<OfferEligibilityView>>> GetMyEligibility(Guid roundId, CurrentUser user, SchoolDbContext db, TimeProvider time, CancellationToken ct)
    {
        var round = await FindAsync(db, roundId, ct, tracked: false);
        var student = await db.Students.AsNoTracking().SingleOrDefaultAsync(s => s.Id == user.UserId, ct)
            ?? throw DomainRuleException.Forbidden("You are not enrolled as a student of the school.");
        var placements = await OffersAsync(db, round.OfferIds, ct);
        var qualifications = await db.StudentQualifications.AsNoTracking().Where(q => q.StudentId == student.Id && q.RevokedAt == null).ToListAsync(ct);
        var held = (await HeldPlacements.LoadAsync(db, [student.Id], ct))[student.Id].ToList();
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        return TypedResults.Ok(round.OfferIds.Where(placements.ContainsKey).Select(o =>
            PlacementEligibility.UnmetRequirement(student, qualifications, placements[o], held, today) is { } unmet
                ? new OfferEligibilityView(o, false, unmet)
                : new OfferEligibilityView(o, true, null)).ToList());
    }

    public static async Task<PlacementRound> FindAsync(SchoolDbContext db, Guid roundId, CancellationToken ct, bool tracked = true)
    {
        var rounds = tracked ? db.PlacementRounds : db.PlacementRounds.AsNoTracking();
        return await rounds.SingleOrDefaultAsync(r => r.Id == roundId, ct) ?? throw DomainRuleException.NotFound("placement round", roundId);
    }

    /// <summary>The request as round terms: offers must be open catalog offers, each named once (those already in the round may stay).</summary>
    private static async Task<RoundTerms> TermsAsync(RoundRequest request, SchoolDbContext db, DateTimeOffset now, CancellationToken ct, PlacementRound? existing = null)
    {
        var offerIds = request.OfferIds!;
        var duplicate = offerIds.GroupBy(o => o).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw DomainRuleException.Invalid("offerIds", $"Offer {duplicate.Key} is listed twice.");
        }

        var open = await db.CatalogPlacements.Where(p => offerIds.Contains(p.OfferId) && !p.Withdrawn && !p.Closed && p.Title != string.Empty)
            .Select(p => p.OfferId).ToListAsync(ct);
        var unknown = offerIds.Except(open).Except(existing?.OfferIds ?? []).ToList();
        if (unknown.Count > 0)
        {
            throw DomainRuleException.Invalid("offerIds", $"Not open offers in the catalog: {string.Join(", ", unknown)}.");
        }

        var closes = request.PreferencesCloseAt!.Value;
        var starts = await db.CatalogPlacements.Where(p => offerIds.Contains(p.OfferId)).ToDictionaryAsync(p => p.OfferId, p => p.StartsOn, ct);
        return new RoundTerms(request.Name!, offerIds, request.PreferencesOpenAt ?? now, closes, request.MaxRanks ?? DefaultMaxRanks, starts);
    }

    private static async Task<Dictionary<Guid, CatalogPlacement>> OffersAsync(SchoolDbContext db, IEnumerable<Guid> offerIds, CancellationToken ct)
    {
        var ids = offerIds.Distinct().ToList();
        return await db.CatalogPlacements.AsNoTracking().Where(p => ids.Contains(p.OfferId)).ToDictionaryAsync(p => p.OfferId, ct);
    }

    private static async Task<RoundResponse> ToResponseAsync(SchoolDbContext db, PlacementRound round, DateTimeOffset now, CancellationToken ct) =>
        ToResponse(round, await OffersAsync(db, round.OfferIds, ct), now);

    private static RoundResponse ToResponse(PlacementRound r, Dictionary<Guid, CatalogPlacement> offers, DateTimeOffset now) =>
        new(r.Id, r.Name, r.OfferIds,
            r.OfferIds.Where(offers.ContainsKey).Select(o => offers[o]).Select(p => new RoundOffer(p.OfferId, p.Title, p.HospitalId, p.HospitalName, p.StartsOn, p.EndsOn, p.Seats)).ToList(),
            r.PreferencesOpenAt, r.PreferencesCloseAt, r.MaxRanks, r.StatusAt(now), r.PublishedRunId, r.StudentDeclineDeadline, r.CancellationReason, r.Version);

    private static PreferencesResponse ToResponse(RoundPreference p, Dictionary<Guid, CatalogPlacement> placements) =>
        new(p.RoundId, p.StudentId, p.OfferIds,
            p.OfferIds.Select(o => placements.TryGetValue(o, out var x) ? new RankedOfferView(o, x.Title, x.HospitalName) : new RankedOfferView(o, "(no longer in the catalog)", string.Empty)).ToList(),
            p.SubmittedAt);
}
