using System.Security.Claims;
using CollabTraining.Contracts.Hospitals;
using CollabTraining.Hospitals.Data;
using CollabTraining.ServiceDefaults.Http;
using CollabTraining.ServiceDefaults.Messaging.Outbox;
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
    string Status,
    long Version,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

public static class PlacementOffersApi
{
    public static void MapPlacementOffersApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(HospitalsModule.RoutePrefix + "/placement-offers").WithTags("Placement offers");

        group.MapGet("/", ListOffers).WithName("ListPlacementOffers").WithSummary("Placement offers, newest first");
        group.MapGet("/{id:guid}", GetOffer).WithName("GetPlacementOffer").WithSummary("One placement offer");
        group.MapPost("/", PublishOffer).WithName("PublishPlacementOffer")
            .WithSummary("Publish a placement offer for your hospital").RequireAuthorization(Policies.HospitalStaff);
        group.MapPut("/{id:guid}", ReviseOffer).WithName("RevisePlacementOffer")
            .WithSummary("Change a published offer (send If-Match with its version to avoid overwriting someone else's change)")
            .RequireAuthorization(Policies.HospitalStaff);
        group.MapPost("/{id:guid}/publish", PublishDraft).WithName("PublishDraftPlacementOffer")
            .WithSummary("Publish a draft into the school's catalog").RequireAuthorization(Policies.HospitalStaff);
        group.MapPost("/{id:guid}/close", CloseOffer).WithName("ClosePlacementOffer")
            .WithSummary("Close an offer to new students; assignments already made stand").RequireAuthorization(Policies.HospitalStaff);
        group.MapDelete("/{id:guid}", WithdrawOffer).WithName("WithdrawPlacementOffer")
            .WithSummary("Withdraw an offer; it takes no more students").RequireAuthorization(Policies.HospitalStaff);
    }

    public static async Task<Results<Ok<Page<PlacementOfferResponse>>, ValidationProblem>> ListOffers(
        HospitalsDbContext db,
        ClaimsPrincipal principal,
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
        var organisation = CurrentUser.From(principal)!.OrganisationId;
        offers = offers.Where(o => o.Status != PlacementOfferStatus.Draft || o.HospitalId == organisation);
        if (!includeWithdrawn)
        {
            offers = offers.Where(o => o.Status != PlacementOfferStatus.Withdrawn);
        }

        var total = await offers.CountAsync(ct);
        var items = await Project(db, offers.OrderByDescending(o => o.Id)).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return TypedResults.Ok(new Page<PlacementOfferResponse>(items, page, pageSize, total));
    }

    public static async Task<Results<Ok<PlacementOfferResponse>, ProblemHttpResult>> GetOffer(Guid id, HttpContext http, ClaimsPrincipal principal, HospitalsDbContext db, CancellationToken ct)
    {
        var organisation = CurrentUser.From(principal)!.OrganisationId;
        var offer = await Project(db, db.PlacementOffers.AsNoTracking().Where(o => o.Id == id && (o.Status != PlacementOfferStatus.Draft || o.HospitalId == organisation))).SingleOrDefaultAsync(ct);
        if (offer is null)
        {
            return Problems.NotFound("placement offer", id);
        }

        http.Response.Headers.ETag = ETagOf(offer.Version);
        return TypedResults.Ok(offer);
    }

    public static async Task<Results<Created<PlacementOfferResponse>, ValidationProblem, ProblemHttpResult>> PublishOffer(
        PlacementOfferRequest request, ClaimsPrincipal principal, HospitalsDbContext db, Outbox outbox, TimeProvider time, CancellationToken ct)
    {
        var user = CurrentUser.From(principal)!;
        var hospitalId = request.HospitalId ?? user.OrganisationId;
        if (!user.BelongsTo(hospitalId))
        {
            return Problems.Forbidden("You can publish offers only for your own hospital.");
        }

        var hospital = await db.Hospitals.FindAsync([hospitalId], ct);
        if (hospital is null)
        {
            return Problems.Forbidden("Your organisation is not a registered partner hospital.");
        }

        var now = time.GetUtcNow();
        var offer = request.Publish
            ? PlacementOffer.Publish(hospitalId, request.ToTerms(), now)
            : PlacementOffer.Draft(hospitalId, request.ToTerms(), now);
        db.PlacementOffers.Add(offer);
        if (offer.IsPublic)
        {
            outbox.Add(new PlacementOfferPublished(offer.Snapshot(hospital.Name), offer.Version, now));
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"{HospitalsModule.RoutePrefix}/placement-offers/{offer.Id}", ToResponse(offer, hospital.Name));
    }

    public static async Task<Results<Ok<PlacementOfferResponse>, ValidationProblem, ProblemHttpResult>> ReviseOffer(
        Guid id,
        PlacementOfferRequest request,
        [FromHeader(Name = "If-Match")] string? ifMatch,
        ClaimsPrincipal principal,
        HttpContext http,
        HospitalsDbContext db,
        Outbox outbox,
        TimeProvider time,
        CancellationToken ct)
    {
        var (offer, hospitalName, problem) = await FindOwnOfferAsync(id, principal, db, ct);
        if (problem is not null)
        {
            return problem;
        }

        if (request.HospitalId is { } moved && moved != offer!.HospitalId)
        {
            return Problems.Invalid(nameof(request.HospitalId), "An offer cannot move to another hospital; withdraw it and publish a new one.");
        }

        if (ifMatch is not null && ifMatch != ETagOf(offer!.Version))
        {
            return TypedResults.Problem(
                title: "The offer has changed since you read it.",
                detail: $"It is now at version {offer.Version}; reload it and apply your change again.",
                statusCode: StatusCodes.Status412PreconditionFailed);
        }

        if (offer!.Status == PlacementOfferStatus.Withdrawn)
        {
            return Problems.Conflict("The offer was withdrawn and cannot be changed.");
        }

        var now = time.GetUtcNow();
        var terms = request.ToTerms();
        if (await SeatReduction.DeclineExcessAsync(db, outbox, offer, terms.Seats, now, ct) is { } refused)
        {
            return refused;
        }

        offer.Revise(terms, now);
        if (offer.IsPublic)
        {
            outbox.Add(new PlacementOfferUpdated(offer.Snapshot(hospitalName!), offer.Version, now));
        }

        if (await SaveAsync(db, ct) is { } conflict)
        {
            return conflict;
        }

        http.Response.Headers.ETag = ETagOf(offer.Version);
        return TypedResults.Ok(ToResponse(offer, hospitalName!));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> WithdrawOffer(
        Guid id, ClaimsPrincipal principal, HospitalsDbContext db, Outbox outbox, TimeProvider time, CancellationToken ct)
    {
        var (offer, _, problem) = await FindOwnOfferAsync(id, principal, db, ct);
        if (problem is not null)
        {
            return problem;
        }

        // Withdrawing twice is the same as once: no second event.
        if (offer!.Status == PlacementOfferStatus.Withdrawn)
        {
            return TypedResults.NoContent();
        }

        var now = time.GetUtcNow();
        var wasPublic = offer.IsPublic;
        offer.Withdraw(now);
        if (wasPublic)
        {
            outbox.Add(new PlacementOfferWithdrawn(offer.Id, offer.HospitalId, offer.Version, now));
        }

        return await SaveAsync(db, ct) is { } conflict ? conflict : TypedResults.NoContent();
    }

    public static Task<Results<Ok<PlacementOfferResponse>, ProblemHttpResult>> PublishDraft(
        Guid id, ClaimsPrincipal principal, HospitalsDbContext db, Outbox outbox, TimeProvider time, CancellationToken ct) =>
        TransitionAsync(id, principal, db, outbox, time, (offer, hospitalName, now) =>
        {
            offer.PublishDraft(now);
            return new PlacementOfferPublished(offer.Snapshot(hospitalName), offer.Version, now);
        }, ct);

    public static Task<Results<Ok<PlacementOfferResponse>, ProblemHttpResult>> CloseOffer(
        Guid id, ClaimsPrincipal principal, HospitalsDbContext db, Outbox outbox, TimeProvider time, CancellationToken ct) =>
        TransitionAsync(id, principal, db, outbox, time, (offer, _, now) =>
        {
            offer.Close(now);
            return new PlacementOfferClosed(offer.Id, offer.HospitalId, offer.Version, now);
        }, ct);

    /// <summary>A lifecycle step on one's own offer: the step, its event and the save, or the reason it cannot happen.</summary>
    private static async Task<Results<Ok<PlacementOfferResponse>, ProblemHttpResult>> TransitionAsync<TEvent>(
        Guid id, ClaimsPrincipal principal, HospitalsDbContext db, Outbox outbox, TimeProvider time,
        Func<PlacementOffer, string, DateTimeOffset, TEvent> step, CancellationToken ct)
        where TEvent : class
    {
        var (offer, hospitalName, problem) = await FindOwnOfferAsync(id, principal, db, ct);
        if (problem is not null)
        {
            return problem;
        }

        outbox.Add(step(offer!, hospitalName!, time.GetUtcNow()));
        return await SaveAsync(db, ct) is { } conflict ? conflict : TypedResults.Ok(ToResponse(offer!, hospitalName!));
    }

    private static async Task<(PlacementOffer? Offer, string? HospitalName, ProblemHttpResult? Problem)> FindOwnOfferAsync(
        Guid id, ClaimsPrincipal principal, HospitalsDbContext db, CancellationToken ct)
    {
        var found = await db.PlacementOffers
            .Join(db.Hospitals, o => o.HospitalId, h => h.Id, (o, h) => new { Offer = o, HospitalName = h.Name })
            .SingleOrDefaultAsync(x => x.Offer.Id == id, ct);
        if (found is null)
        {
            return (null, null, Problems.NotFound("placement offer", id));
        }

        var user = CurrentUser.From(principal)!;
        return user.BelongsTo(found.Offer.HospitalId)
            ? (found.Offer, found.HospitalName, null)
            : (null, null, Problems.Forbidden("The offer belongs to another hospital; only its own staff may change it."));
    }

    private static async Task<ProblemHttpResult?> SaveAsync(HospitalsDbContext db, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return null;
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("Someone else changed the offer at the same moment; reload it and try again.");
        }
    }

    private static string ETagOf(long version) => $"\"{version}\"";

    private static IQueryable<PlacementOfferResponse> Project(HospitalsDbContext db, IQueryable<PlacementOffer> offers) =>
        offers.Join(db.Hospitals, o => o.HospitalId, h => h.Id, (o, h) => new PlacementOfferResponse(
            o.Id, o.HospitalId, h.Name, o.Department, o.Specialty, o.Title, o.StartsOn, o.EndsOn, o.Seats,
            new PlacementRequirements(o.MinimumStudyYear, o.RequiredQualifications, o.AllowedProgrammes),
            o.Status.ToString(), o.Version, o.CreatedAt, o.UpdatedAt));

    private static PlacementOfferResponse ToResponse(PlacementOffer o, string hospitalName) => new(
        o.Id, o.HospitalId, hospitalName, o.Department, o.Specialty, o.Title, o.StartsOn, o.EndsOn, o.Seats,
        new PlacementRequirements(o.MinimumStudyYear, o.RequiredQualifications, o.AllowedProgrammes),
        o.Status.ToString(), o.Version, o.CreatedAt, o.UpdatedAt);
}
