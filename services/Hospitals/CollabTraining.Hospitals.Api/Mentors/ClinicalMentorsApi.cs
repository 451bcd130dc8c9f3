using System.ComponentModel.DataAnnotations;
using CollabTraining.Hospitals.Assignments;
using CollabTraining.Hospitals.Data;
using CollabTraining.Domain;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Hospitals.Mentors;

public sealed record RegisterMentorRequest(
    [property: Required] Guid? UserId,
    [property: Required, StringLength(200, MinimumLength = 2)] string? Name,
    [property: Range(0, 50)] int ProjectCapacity = ClinicalMentor.DefaultProjectCapacity);

public sealed record ClinicalMentorResponse(Guid Id, Guid HospitalId, string Name, bool Retired, DateTimeOffset? RetiredAt, int ActiveStudents, int ProjectCapacity);

/// <summary>A hospital's clinical mentors: its coordinators register and retire them; everyone signed in may see who mentors where.</summary>
public static class ClinicalMentorsApi
{
    public static void MapClinicalMentorsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(HospitalsModule.RoutePrefix + "/mentors").WithTags("Clinical mentors");
        group.MapGet("/", ListMentors).WithName("ListClinicalMentors")
            .WithSummary("Clinical mentors of a hospital (`hospitalId`, your own when left out); retired ones with `includeRetired=true`");
        group.MapPost("/", RegisterMentor).WithName("RegisterClinicalMentor")
            .WithSummary("Register a member of your hospital's staff (their user id) as a clinical mentor, with the innovation projects they take at once (`projectCapacity`, default 2)").RequireAuthorization(Policies.HospitalCoordinator);
        group.MapDelete("/{mentorId:guid}", RetireMentor).WithName("RetireClinicalMentor")
            .WithSummary("Retire a mentor: no new students; the students they mentor keep them").RequireAuthorization(Policies.HospitalCoordinator);
    }

    public static async Task<Ok<List<ClinicalMentorResponse>>> ListMentors(CurrentUser user, HospitalsDbContext db, CancellationToken ct, Guid? hospitalId = null, bool includeRetired = false)
    {
        var hospital = hospitalId ?? user.OrganisationId;
        var mentors = await db.ClinicalMentors.AsNoTracking().Where(m => m.HospitalId == hospital && (includeRetired || m.RetiredAt == null)).ToListAsync(ct);
        return TypedResults.Ok(await ToResponsesAsync(db, mentors, ct));
    }

    public static async Task<Results<Created<ClinicalMentorResponse>, Ok<ClinicalMentorResponse>>> RegisterMentor(
        RegisterMentorRequest request, CurrentUser user, HospitalsDbContext db, CancellationToken ct)
    {
        var mentor = await db.ClinicalMentors.SingleOrDefaultAsync(m => m.Id == request.UserId && m.HospitalId == user.OrganisationId, ct);
        if (mentor is not null)
        {
            if (mentor.RetiredAt is null)
            {
                throw DomainRuleException.Conflict($"{mentor.Name} is a clinical mentor here already.");
            }

            mentor.Reinstate(request.Name!, request.ProjectCapacity);
            await db.SaveChangesAsync(ct);
            return TypedResults.Ok((await ToResponsesAsync(db, [mentor], ct))[0]);
        }

        mentor = ClinicalMentor.Register(request.UserId!.Value, user.OrganisationId, request.Name!, request.ProjectCapacity);
        db.ClinicalMentors.Add(mentor);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"{HospitalsModule.RoutePrefix}/mentors/{mentor.Id}", (await ToResponsesAsync(db, [mentor], ct))[0]);
    }

    public static async Task<Ok<ClinicalMentorResponse>> RetireMentor(Guid mentorId, CurrentUser user, HospitalsDbContext db, TimeProvider time, CancellationToken ct)
    {
        var mentor = await db.ClinicalMentors.SingleOrDefaultAsync(m => m.Id == mentorId && m.HospitalId == user.OrganisationId, ct)
            ?? throw DomainRuleException.NotFound("clinical mentor of your hospital", mentorId);
        mentor.Retire(time.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await ToResponsesAsync(db, [mentor], ct))[0]);
    }

    private static async Task<List<ClinicalMentorResponse>> ToResponsesAsync(HospitalsDbContext db, List<ClinicalMentor> mentors, CancellationToken ct)
    {
        var ids = mentors.Select(m => m.Id).ToList();
        var students = await db.Assignments.AsNoTracking()
            .Where(a => a.MentorId != null && ids.Contains(a.MentorId.Value) && a.Status == Contracts.School.PlacementAssignmentStatus.Confirmed)
            .GroupBy(a => new { a.MentorId, a.HospitalId }).Select(g => new { g.Key.MentorId, g.Key.HospitalId, Count = g.Count() }).ToListAsync(ct);
        return mentors.OrderBy(m => m.Name).Select(m => new ClinicalMentorResponse(m.Id, m.HospitalId, m.Name, m.RetiredAt is not null, m.RetiredAt,
            students.Where(s => s.MentorId == m.Id && s.HospitalId == m.HospitalId).Sum(s => s.Count), m.ProjectCapacity)).ToList();
    }
}
