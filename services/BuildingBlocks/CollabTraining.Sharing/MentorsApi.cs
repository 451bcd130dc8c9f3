using System.ComponentModel.DataAnnotations;
using CollabTraining.Contracts.Sharing;
using CollabTraining.Domain;
using CollabTraining.Messaging.Data;
using CollabTraining.Messaging.Outbox;
using CollabTraining.Organisations;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Sharing;

public sealed record MentorRequest(
    [property: Required, StringLength(200, MinimumLength = 2)] string? Name,
    [property: Required, MinLength(1), MaxLength(20)] IReadOnlyList<string>? Expertise,
    [property: Required, Range(0, 50)] int? ProjectCapacity,
    bool Active = true);

public sealed record MentorResponse(Guid Id, Guid OrganisationId, string OrganisationName, string Name, IReadOnlyList<string> Expertise, int ProjectCapacity, bool Active, long Version);

/// <summary>Engineering mentors an enterprise or institute offers to innovation projects; the school's catalog lists them through events.</summary>
public static class MentorsApi
{
    public static void MapEngineeringMentorsApi(this IEndpointRouteBuilder app, SharingOptions options)
    {
        var group = app.MapGroup(options.RoutePrefix + "/mentors").WithTags("Engineering mentors");
        group.MapGet("/", ListMentors).WithName($"{options.Service}-list-mentors").WithSummary("Engineering mentors offered here");
        group.MapPut("/{userId:guid}", PutMentor).WithName($"{options.Service}-put-mentor")
            .WithSummary("Offer yourself as an engineering mentor (an engineer, signed in as themself), or change what a mentor takes (they, or their organisation's staff)");
    }

    public static async Task<Ok<List<MentorResponse>>> ListMentors(ServiceDbContext db, CancellationToken ct, Guid? organisationId = null, string? q = null)
    {
        var mentors = db.Set<EngineeringMentor>().AsNoTracking().Where(m => m.Active);
        mentors = organisationId is { } org ? mentors.Where(m => m.OrganisationId == org) : mentors;
        var list = await mentors.OrderBy(m => m.Name).Take(500).ToListAsync(ct);
        if (!string.IsNullOrWhiteSpace(q))
        {
            var text = q.Trim();
            list = list.Where(m => m.Name.Contains(text, StringComparison.OrdinalIgnoreCase) || m.Expertise.Any(e => e.Contains(text, StringComparison.OrdinalIgnoreCase))).ToList();
        }

        var names = await ResourcesApi.OwnerNamesAsync(db, list.Select(m => m.OrganisationId), ct);
        return TypedResults.Ok(list.Select(m => ToResponse(m, names.GetValueOrDefault(m.OrganisationId, string.Empty))).ToList());
    }

    public static async Task<Ok<MentorResponse>> PutMentor(
        Guid userId, MentorRequest request, CurrentUser user, ServiceDbContext db, Outbox outbox, SharingOptions options, TimeProvider time, CancellationToken ct)
    {
        if (request.Expertise!.Any(e => e is null))
        {
            throw DomainRuleException.Invalid("expertise", "Areas of expertise are words, not nulls.");
        }

        // Who a user id belongs to is known only from that user's own token: an engineer offers themself (their
        // token proves their organisation); afterwards they or their organisation's staff change what they take.
        var mentor = await db.Set<EngineeringMentor>().SingleOrDefaultAsync(m => m.Id == userId, ct);
        var organisationId = mentor?.OrganisationId ?? user.OrganisationId;
        if (mentor is null)
        {
            user.EnsureIs(userId, "Engineers offer themselves as mentors (signed in as themselves); their organisation's staff can then change or retire the offer.");
            if (!user.IsInRole(Roles.Mentor) && !user.IsStaffOf(organisationId))
            {
                throw DomainRuleException.Forbidden("Only an organisation's engineers and staff can offer to mentor.");
            }
        }
        else if (mentor.Id != user.UserId)
        {
            user.EnsureStaffOf(organisationId, "Only the mentor themself or their organisation's staff may change the offer.");
        }

        var organisation = await db.Set<PartnerOrganisation>().AsNoTracking().SingleOrDefaultAsync(o => o.Id == organisationId, ct)
            ?? throw DomainRuleException.Forbidden($"Your organisation is not a registered partner of the {options.Service} service.");
        if (mentor is null)
        {
            mentor = EngineeringMentor.Register(userId, organisationId, request.Name!, request.Expertise!, request.ProjectCapacity!.Value);
            if (!request.Active)
            {
                mentor.Change(request.Name!, request.Expertise!, request.ProjectCapacity!.Value, active: false);
            }

            db.Add(mentor);
        }
        else
        {
            mentor.Change(request.Name!, request.Expertise!, request.ProjectCapacity!.Value, request.Active);
        }

        outbox.Add(new EngineeringMentorPublished(mentor.Id, options.Service, organisationId, organisation.Name, mentor.Name, mentor.Expertise,
            mentor.ProjectCapacity, mentor.Active, mentor.Version, time.GetUtcNow()));
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToResponse(mentor, organisation.Name));
    }

    private static MentorResponse ToResponse(EngineeringMentor m, string organisationName) =>
        new(m.Id, m.OrganisationId, organisationName, m.Name, m.Expertise, m.ProjectCapacity, m.Active, m.Version);
}
