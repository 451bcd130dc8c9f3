using CollabTraining.Contracts.Projects;
using CollabTraining.Hospitals.Data;
using CollabTraining.Organisations.Mentoring;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Hospitals.Mentors;

/// <summary>A hospital's clinical mentors, as its coordinators registered them, answer the school's clinical mentor requests.</summary>
internal sealed class ClinicalMentorDirectory(HospitalsDbContext db) : IMentorDirectory
{
    public async Task<MentorStanding> StandingAsync(Guid mentorUserId, Guid organisationId, string role, CurrentUser? answering, CancellationToken ct)
    {
        var hospital = await db.Hospitals.AsNoTracking().Where(h => h.Id == organisationId).Select(h => h.Name).SingleOrDefaultAsync(ct) ?? $"hospital {organisationId}";
        var mentor = await db.ClinicalMentors.AsNoTracking().SingleOrDefaultAsync(m => m.HospitalId == organisationId && m.Id == mentorUserId, ct);
        return new MentorStanding(role == MentorRoles.Clinical && mentor is { Active: true }, mentor?.ProjectCapacity ?? 0, hospital);
    }
}
