using CollabTraining.Contracts.Hospitals;
using CollabTraining.Contracts.School;
using CollabTraining.Hospitals.Assignments;
using CollabTraining.Hospitals.Data;
using CollabTraining.Domain;
using CollabTraining.ServiceDefaults.Http;
using CollabTraining.Messaging.Outbox;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Hospitals.Placements;

public sealed record PlacementOfferResponse(
    Guid Id,
    Guid HospitalId,
    string HospitalName,
    string Department,
    string Specialty,
    string Title,
    DateOnly StartsOn,
    DateOnly EndsOn,
    int Seats,
    PlacementRequirements Requirements,
    PlacementOfferStatus Status,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <param name="Refusal">Why the change would be refused (fewer seats than confirmed students), or null when it would be made.</param>
public sealed record SeatReductionPreview(Guid OfferId, int Seats, int NewSeats, int Confirmed, int Pending, IReadOnlyList<HospitalAssignmentResponse> WouldDecline, string? Refusal);

public static class PlacementOffersApi
{
    public static void MapPlacementOffersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(HospitalsModule.RoutePrefix + "/placement-offers").WithTags("Placement offers");

        group.MapGet("/", ListOffers).WithName("ListPlacementOffers").WithSummary("Placement offers, newest first");
        group.MapGet("/{id:guid}", GetOffer).WithName("GetPlacementOffer").WithSummary("One placement offer");
        group.MapPost("/", PublishOffer).WithName("PublishPlacementOffer")
            .WithSummary("Publish a placement offer for your hospital (or keep it as a draft with `publish: false`)")
            .RequireAuthorization(Policies.HospitalCoordinator);
        group.MapPut("/{id:guid}", ReviseOffer).WithName("RevisePlacementOffer")
            .WithSummary("Change an offer; fewer seats than assigned students declines the newest pending ones")
            .WithDescription("Send `If-Match` with the ETag you read (or `*`) to refuse overwriting someone else's change (412).")
            .RequireAuthorization(Policies.HospitalCoordinator);
        group.MapGet("/{id:guid}/seat-reduction", PreviewSeatReduction).WithName("PreviewSeatReduction")
            .WithSummary("Which students a change to `seats` would decline, before you make it").RequireAuthorization(Policies.HospitalCoordinator);
        group.MapPost("/{id:guid}/publish", PublishDraft).WithName("PublishDraftPlacementOffer")
            .WithSummary("Publish a draft into the school's catalog (honours If-Match)").RequireAuthorization(Policies.HospitalCoordinator);
        group.MapPost("/{id:guid}/close", CloseOffer).WithName("ClosePlacementOffer")
            .WithSummary("Close an offer to new students; students already assigned stay, and pending ones still await your answer (honours If-Match)")
            .RequireAuthorization(Policies.HospitalCoordinator);
        group.MapDelete("/{id:guid}", WithdrawOffer).WithName("WithdrawPlacementOffer")
            .WithSummary("Withdraw an offer: it leaves the catalog and its pending students are declined with the reason (honours If-Match)")
            .WithDescription("Confirmed students block a withdrawal (409) unless `force=true`, which declines them too. The school records every released student as declined by the hospital; its coordinator's next re-match moves them.")
            .RequireAuthorization(Policies.HospitalCoordinator);
    }

    public static async Task<Results<Ok<Page<PlacementOfferResponse>>, ValidationProblem>> ListOffers(
        HospitalsDbContext db,
        CurrentUser user,
        CancellationToken ct,
        Guid? hospitalId = null,
        bool includeWithdrawn = false,
        int page = 1,
        int pageSize = 20)
    {
        if (page is < 1 or > Paging.MaxPage)
        {
            return Problems.Invalid(nameof(page), $"The page number is between 1 and {Paging.MaxPage}.");
        }

        if (pageSize is < 1 or > 100)
        {
            return Problems.Invalid(nameof(pageSize), "The page size must be between 1 and 100.");
        }

        var offers = db.PlacementOffers.AsNoTracking();
        if (hospitalId is { } hospital)
        {
            offers = offers.Where(o => o.HospitalId == hospital);
        }

        // Drafts are the hospital's own business; everyone sees published and closed offers.
        var organisation = user.OrganisationId;
        offers = offers.Where(o => o.Status != PlacementOfferStatus.Draft || o.HospitalId == organisation);
        if (!includeWithdrawn)
        {
            offers = offers.Where(o => o.Status != PlacementOfferStatus.Withdrawn);
        }

        var total = await offers.CountAsync(ct);
        var items = await Project(db, offers.OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id)).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return TypedResults.Ok(new Page<PlacementOfferResponse>(items, page, pageSize, total));
    }

    public static async Task<Results<Ok<PlacementOfferResponse>, ProblemHttpResult>> GetOffer(Guid id, HttpContext http, CurrentUser user, HospitalsDbContext db, CancellationToken ct)
    {
        var organisation = user.OrganisationId;
        var offer = await Project(db, db.PlacementOffers.AsNoTracking().Where(o => o.Id == id && (o.Status != PlacementOfferStatus.Draft || o.HospitalId == organisation))).SingleOrDefaultAsync(ct);
        if (offer is null)
        {
            return Problems.NotFound("placement offer", id);
        }

        http.Response.Headers.ETag = ETags.Of(offer.Version);
        return TypedResults.Ok(offer);
    }

    public static async Task<Created<PlacementOfferResponse>> PublishOffer(
        PlacementOfferRequest request, CurrentUser user, HttpContext http, HospitalsDbContext db, Outbox outbox, TimeProvider time, CancellationToken ct)
    {
        var hospitalId = request.HospitalId ?? user.OrganisationId;
        user.EnsureMemberOf(hospitalId, "You can publish offers only for your own hospital.");
        var hospital = await db.Hospitals.FindAsync([hospitalId], ct)
            ?? throw DomainRuleException.Forbidden("Your organisation is not a registered partner hospital.");

        var now = time.GetUtcNow();
        var offer = request.Publish ?? true
            ? PlacementOffer.Publish(hospitalId, request.ToTerms(), now)
            : PlacementOffer.Draft(hospitalId, request.ToTerms(), now);
        db.PlacementOffers.Add(offer);
        if (offer.IsPublic)
        {
            outbox.Add(new PlacementOfferPublished(offer.Snapshot(hospital.Name), offer.Version, now));
        }

        await db.SaveChangesAsync(ct);
        http.Response.Headers.ETag = ETags.Of(offer.Version);
        return TypedResults.Created($"{HospitalsModule.RoutePrefix}/placement-offers/{offer.Id}", ToResponse(offer, hospital.Name));
    }

    public static async Task<Results<Ok<PlacementOfferResponse>, ProblemHttpResult>> ReviseOffer(
        Guid id,
        PlacementOfferRequest request,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        CurrentUser user,
        HttpContext http,
        HospitalsDbContext db,
        Outbox outbox,
        TimeProvider time,
        CancellationToken ct)
    {
        var (offer, hospitalName) = await FindOwnOfferAsync(id, user, db, ct);
        if (request.HospitalId is { } moved && moved != offer.HospitalId)
        {
            throw DomainRuleException.Invalid("hospitalId", "An offer cannot move to another hospital; withdraw it and publish a new one.");
        }

        if (!ETags.Matches(ifMatch, offer.Version))
        {
            return ETags.PreconditionFailed("offer", offer.Version);
        }

        var now = time.GetUtcNow();
        var terms = request.Requirements is null
            ? request.ToTerms() with { MinimumStudyYear = offer.MinimumStudyYear, RequiredQualifications = offer.RequiredQualifications, AllowedProgrammes = offer.AllowedProgrammes }
            : request.ToTerms();
        var holding = await HoldingAsync(db, offer.Id, ct);
        var declined = SeatReduction.WouldDecline(offer, holding, terms.Seats);
        var from = offer.Seats;
        offer.Revise(terms, holding.Count, now);
        foreach (var assignment in declined)
        {
            outbox.Add(assignment.Decline(SeatReduction.Reason(from, terms.Seats), now));
        }

        if (offer.IsPublic)
        {
            outbox.Add(new PlacementOfferUpdated(offer.Snapshot(hospitalName), offer.Version, now));
        }

        await db.SaveChangesAsync(ct);
        http.Response.Headers.ETag = ETags.Of(offer.Version);
        return TypedResults.Ok(ToResponse(offer, hospitalName));
    }

    public static async Task<Results<Ok<SeatReductionPreview>, ValidationProblem>> PreviewSeatReduction(Guid id, int? seats, CurrentUser user, HospitalsDbContext db, CancellationToken ct)
    {
        if (seats is not { } newSeats || newSeats is < 1 or > PlacementOfferTerms.MaxSeats)
        {
            return Problems.Invalid("seats", $"Give the new number of seats, between 1 and {PlacementOfferTerms.MaxSeats}.");
        }

        var (offer, _) = await FindOwnOfferAsync(id, user, db, ct);
        var holding = await HoldingAsync(db, offer.Id, ct);
        IReadOnlyList<HospitalAssignment> declined = [];
        string? refusal = null;
        try
        {
            declined = SeatReduction.WouldDecline(offer, holding, newSeats);
        }
        catch (DomainRuleException rule) when (rule.Meaning == RuleMeaning.Conflict)
        {
            refusal = rule.Message;
        }

        return TypedResults.Ok(new SeatReductionPreview(offer.Id, offer.Seats, newSeats,
            holding.Count(a => a.Status == PlacementAssignmentStatus.Confirmed), holding.Count(a => a.Status == PlacementAssignmentStatus.Pending),
            await AssignmentsApi.ToResponsesAsync(db, declined, ct), refusal));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> WithdrawOffer(
        Guid id, [FromHeader(Name = "If-Match")] string? ifMatch, CurrentUser user, HospitalsDbContext db, Outbox outbox, TimeProvider time, CancellationToken ct,
        bool force = false)
    {
        var (offer, _) = await FindOwnOfferAsync(id, user, db, ct);
        if (!ETags.Matches(ifMatch, offer.Version))
        {
            return ETags.PreconditionFailed("offer", offer.Version);
        }

        // Withdrawing twice is the same as once: no second event.
        if (offer.Status == PlacementOfferStatus.Withdrawn)
        {
            return TypedResults.NoContent();
        }

        var now = time.GetUtcNow();
        var wasPublic = offer.IsPublic;
        var declined = OfferWithdrawal.Withdraw(offer, await HoldingAsync(db, offer.Id, ct), force, now);
        foreach (var decline in declined)
        {
            outbox.Add(decline);
        }

        if (wasPublic)
        {
            outbox.Add(new PlacementOfferWithdrawn(offer.Id, offer.HospitalId, offer.Version, now));
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.NoContent();
    }

    public static Task<Results<Ok<PlacementOfferResponse>, ProblemHttpResult>> PublishDraft(
        Guid id, [FromHeader(Name = "If-Match")] string? ifMatch, CurrentUser user, HttpContext http, HospitalsDbContext db, Outbox outbox, TimeProvider time, CancellationToken ct) =>
        TransitionAsync(id, ifMatch, user, http, db, outbox, time, (offer, hospitalName, now) =>
        {
            offer.PublishDraft(now);
            return new PlacementOfferPublished(offer.Snapshot(hospitalName), offer.Version, now);
        }, ct);

    public static Task<Results<Ok<PlacementOfferResponse>, ProblemHttpResult>> CloseOffer(
        Guid id, [FromHeader(Name = "If-Match")] string? ifMatch, CurrentUser user, HttpContext http, HospitalsDbContext db, Outbox outbox, TimeProvider time, CancellationToken ct) =>
        TransitionAsync(id, ifMatch, user, http, db, outbox, time, (offer, _, now) =>
        {
            offer.Close(now);
            return new PlacementOfferClosed(offer.Id, offer.HospitalId, offer.Version, now);
        }, ct);

    /// <summary>A lifecycle step on one's own offer: the step, its event and the save, or the reason it cannot happen.</summary>
    private static async Task<Results<Ok<PlacementOfferResponse>, ProblemHttpResult>> TransitionAsync<TEvent>(
        Guid id, string? ifMatch, CurrentUser user, HttpContext http, HospitalsDbContext db, Outbox outbox, TimeProvider time,
        Func<PlacementOffer, string, DateTimeOffset, TEvent> step, CancellationToken ct)
        where TEvent : class
    {
        var (offer, hospitalName) = await FindOwnOfferAsync(id, user, db, ct);
        if (!ETags.Matches(ifMatch, offer.Version))
        {
            return ETags.PreconditionFailed("offer", offer.Version);
        }

        outbox.Add(step(offer, hospitalName, time.GetUtcNow()));
        await db.SaveChangesAsync(ct);
        http.Response.Headers.ETag = ETags.Of(offer.Version);
        return TypedResults.Ok(ToResponse(offer, hospitalName));
    }

    private static async Task<List<HospitalAssignment>> HoldingAsync(HospitalsDbContext db, Guid offerId, CancellationToken ct) =>
        await db.Assignments.Where(a => a.OfferId == offerId && (a.Status == PlacementAssignmentStatus.Pending || a.Status == PlacementAssignmentStatus.Confirmed)).ToListAsync(ct);

    private static async Task<(PlacementOffer Offer, string HospitalName)> FindOwnOfferAsync(Guid id, CurrentUser user, HospitalsDbContext db, CancellationToken ct)
    {
        var found = await db.PlacementOffers
            .Join(db.Hospitals, o => o.HospitalId, h => h.Id, (o, h) => new { Offer = o, HospitalName = h.Name })
            .SingleOrDefaultAsync(x => x.Offer.Id == id, ct)
            ?? throw DomainRuleException.NotFound("placement offer", id);
        user.EnsureMemberOf(found.Offer.HospitalId, "The offer belongs to another hospital; only its own coordinators may change it.");
        return (found.Offer, found.HospitalName);
    }

    private static IQueryable<PlacementOfferResponse> Project(HospitalsDbContext db, IQueryable<PlacementOffer> offers) =>
        offers.Join(db.Hospitals, o => o.HospitalId, h => h.Id, (o, h) => new PlacementOfferResponse(
            o.Id, o.HospitalId, h.Name, o.Department, o.Specialty, o.Title, o.StartsOn, o.EndsOn, o.Seats,
            new PlacementRequirements(o.MinimumStudyYear, o.RequiredQualifications, o.AllowedProgrammes),
            o.Status, o.Version, o.CreatedAt, o.UpdatedAt));

    private static PlacementOfferResponse ToResponse(PlacementOffer o, string hospitalName) => new(
        o.Id, o.HospitalId, hospitalName, o.Department, o.Specialty, o.Title, o.StartsOn, o.EndsOn, o.Seats,
        new PlacementRequirements(o.MinimumStudyYear, o.RequiredQualifications, o.AllowedProgrammes),
        o.Status, o.Version, o.CreatedAt, o.UpdatedAt);
}
