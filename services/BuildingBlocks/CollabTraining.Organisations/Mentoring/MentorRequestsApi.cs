using System.ComponentModel.DataAnnotations;
using CollabTraining.Contracts.Projects;
using CollabTraining.Domain;
using CollabTraining.Messaging.Data;
using CollabTraining.Messaging.Outbox;
using CollabTraining.Messaging.Scheduling;
using CollabTraining.ServiceDefaults.Http;
using CollabTraining.ServiceDefaults.Security;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CollabTraining.Organisations.Mentoring;

/// <summary>Which service this is (its name in <c>MentorRequested.Service</c>) and where its API lives.</summary>
public sealed class MentorRequestOptions
{
    public required string Service { get; init; }

    public required string RoutePrefix { get; init; }
}

public sealed record DeclineMentorRequest([property: Required, StringLength(500, MinimumLength = 2)] string? Reason);

public sealed record MentorRequestResponse(
    Guid Id, Guid ProjectId, string ProjectTitle, string Role, Guid MentorUserId, string MentorName, Guid OrganisationId,
    DateTimeOffset AnswerBy, DateTimeOffset RequestedAt, MentorRequestState State, string? Reason, DateTimeOffset? AnsweredAt);

/// <summary>
/// The mentor's side of the school's mentor requests: they see theirs and accept or decline each before its
/// deadline; their organisation's staff see the organisation's. An answer and its event commit together.
/// </summary>
public static class MentorRequestsApi
{
    private const int Attempts = 5;

    public static void MapMentorRequestsApi(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<MentorRequestOptions>();
        var group = app.MapGroup(options.RoutePrefix + "/mentor-requests").WithTags("Mentor requests");
        group.MapGet("/mine", Mine).WithName($"{options.Service}-my-mentor-requests").WithSummary("The projects you are asked to mentor, newest first");
        group.MapGet("/", OfOrganisation).WithName($"{options.Service}-mentor-requests")
            .WithSummary("Mentor requests to your organisation's mentors (its staff and coordinators), newest first; `state` filters");
        group.MapPost("/{id:guid}/accept", Accept).WithName($"{options.Service}-accept-mentor-request")
            .WithSummary("Take the project (the mentor named, before the deadline, within their capacity); repeating an acceptance is harmless");
        group.MapPost("/{id:guid}/decline", Decline).WithName($"{options.Service}-decline-mentor-request")
            .WithSummary("Decline the project, saying why (the mentor named, before the deadline); repeating a decline is harmless");
    }

    /// <summary>Registers the mentor requests of one service: its directory, the deadline timer and the validation of its bodies.</summary>
    public static IServiceCollection AddMentorRequests<TDirectory>(this IServiceCollection services, string service, string routePrefix)
        where TDirectory : class, IMentorDirectory
    {
        services.AddOrganisationsValidation();
        services.AddSingleton(new MentorRequestOptions { Service = service, RoutePrefix = routePrefix });
        services.AddScoped<IMentorDirectory, TDirectory>();
        services.AddScoped<IDueTaskHandler, MentorRequestExpiryHandler>();
        return services;
    }

    /// <summary>The events a service answering mentor requests subscribes to.</summary>
    public static void AddMentorRequestConsumers(this IBusRegistrationConfigurator bus) => bus.AddConsumer<MentorRequestsConsumer>();

    public static async Task<Ok<List<MentorRequestResponse>>> Mine(CurrentUser user, ServiceDbContext db, CancellationToken ct)
    {
        var (userId, organisationId) = (user.UserId, user.OrganisationId);
        var rows = await db.Set<MentorRequest>().AsNoTracking()
            .Where(r => r.MentorUserId == userId && r.OrganisationId == organisationId && r.RequestedAt != null)
            .ToListAsync(ct);
        return TypedResults.Ok(Newest(rows));
    }

    public static async Task<Results<Ok<List<MentorRequestResponse>>, ValidationProblem>> OfOrganisation(CurrentUser user, ServiceDbContext db, CancellationToken ct, string? state = null)
    {
        if (!user.IsInRole(Roles.Staff) && !user.IsInRole(Roles.Coordinator) && !user.IsInRole(Roles.Admin))
        {
            throw DomainRuleException.Forbidden("Only an organisation's staff and coordinators see its mentor requests.");
        }

        MentorRequestState? wanted = null;
        if (state is not null)
        {
            if (!Enum.TryParse<MentorRequestState>(state, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(state, out _))
            {
                return Problems.Invalid(nameof(state), $"The state is one of {string.Join(", ", Enum.GetNames<MentorRequestState>())}.");
            }

            wanted = parsed;
        }

        var organisationId = user.OrganisationId;
        var requests = db.Set<MentorRequest>().AsNoTracking().Where(r => r.OrganisationId == organisationId && r.RequestedAt != null);
        requests = wanted is { } s ? requests.Where(r => r.State == s) : requests;
        return TypedResults.Ok(Newest(await requests.ToListAsync(ct)));
    }

    public static Task<Ok<MentorRequestResponse>> Accept(Guid id, CurrentUser user, IServiceScopeFactory scopes, CancellationToken ct) =>
        AnswerAsync(id, user, scopes, async (db, request, directory, now) =>
        {
            var (mentor, organisation) = (request.MentorUserId, request.OrganisationId);

            // The load row first: its version must be the one read before the count, so that an acceptance committed
            // after this count moves the version this save expects, and this save fails instead of overfilling.
            var load = await db.Set<MentorLoad>().FindAsync([mentor, organisation], ct);
            var accepted = await db.Set<MentorRequest>().CountAsync(r => r.MentorUserId == mentor && r.OrganisationId == organisation && r.State == MentorRequestState.Accepted, ct);
            var standing = await directory.StandingAsync(mentor, organisation, request.Role, user, ct);
            var answered = request.Accept(now, standing, accepted);
            if (answered is not null)
            {
                // Every acceptance moves the mentor's load row: of two acceptances counted on the same state, one commits.
                if (load is null)
                {
                    db.Add(MentorLoad.For(mentor, organisation));
                }
                else
                {
                    load.Touch();
                }
            }

            return answered;
        }, ct);

    public static Task<Ok<MentorRequestResponse>> Decline(Guid id, DeclineMentorRequest body, CurrentUser user, IServiceScopeFactory scopes, CancellationToken ct)
    {
        var reason = body.Reason!.Trim();
        if (reason.Length < 2 || PlainText.FirstForbidden(reason) is not null)
        {
            throw DomainRuleException.Invalid("reason", "Say why in plain words (at least two characters, no control characters).");
        }

        return AnswerAsync(id, user, scopes, (_, request, _, now) => Task.FromResult(request.Decline(reason, now)), ct);
    }

    /// <summary>
    /// One answer: read, decide, save the answer with its event; on a concurrent change (another answer, the
    /// mentor's load moved, a withdrawal) decide again on the committed state, each attempt in a fresh context.
    /// </summary>
    private static async Task<Ok<MentorRequestResponse>> AnswerAsync(
        Guid id, CurrentUser user, IServiceScopeFactory scopes, Func<ServiceDbContext, MentorRequest, IMentorDirectory, DateTimeOffset, Task<MentorRequestAnswered?>> decide, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var services = scope.ServiceProvider;
            var db = services.GetRequiredService<ServiceDbContext>();
            var request = await db.Set<MentorRequest>().SingleOrDefaultAsync(r => r.Id == id && r.RequestedAt != null, ct)
                ?? throw DomainRuleException.NotFound("mentor request", id);
            if (!request.IsFor(user.UserId, user.OrganisationId))
            {
                throw DomainRuleException.Forbidden($"The request is addressed to {request.MentorName}; only they answer it.");
            }

            var answered = await decide(db, request, services.GetRequiredService<IMentorDirectory>(), services.GetRequiredService<TimeProvider>().GetUtcNow());
            if (answered is null)
            {
                return TypedResults.Ok(ToResponse(request));
            }

            services.GetRequiredService<Outbox>().Add(answered);
            try
            {
                await db.SaveChangesAsync(ct);
                return TypedResults.Ok(ToResponse(request));
            }
            catch (DbUpdateException) when (attempt < Attempts && !ct.IsCancellationRequested)
            {
                // A concurrency token moved, or two first acceptances inserted the same load row: decide again.
            }
        }
    }

    private static List<MentorRequestResponse> Newest(List<MentorRequest> rows) =>
        rows.OrderByDescending(r => r.RequestedAt).ThenByDescending(r => r.Id).Take(500).Select(ToResponse).ToList();

    private static MentorRequestResponse ToResponse(MentorRequest r) => new(
        r.Id, r.ProjectId, r.ProjectTitle, r.Role, r.MentorUserId, r.MentorName, r.OrganisationId, r.AnswerBy, r.RequestedAt!.Value, r.State, r.Reason, r.AnsweredAt);
}
