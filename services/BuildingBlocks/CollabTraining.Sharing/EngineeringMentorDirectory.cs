using CollabTraining.Contracts.Projects;
using CollabTraining.Messaging.Data;
using CollabTraining.Organisations;
using CollabTraining.Organisations.Mentoring;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Sharing;

/// <summary>The engineering mentors an enterprise or institute offers answer the school's engineering mentor requests.</summary>
internal sealed class EngineeringMentorDirectory(ServiceDbContext db) : IMentorDirectory
{
    public async Task<MentorStanding> StandingAsync(Guid mentorUserId, Guid organisationId, string role, CurrentUser? answering, CancellationToken ct)
    {
        var organisation = await db.Set<PartnerOrganisation>().AsNoTracking().Where(o => o.Id == organisationId).Select(o => o.Name).SingleOrDefaultAsync(ct)
            ?? $"organisation {organisationId}";
        var mentor = await db.Set<EngineeringMentor>().AsNoTracking().SingleOrDefaultAsync(m => m.Id == mentorUserId && m.OrganisationId == organisationId, ct);
        return new MentorStanding(role == MentorRoles.Engineering && mentor is { Active: true }, mentor?.ProjectCapacity ?? 0, organisation);
    }
}
