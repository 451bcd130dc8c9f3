using CollabTraining.Contracts.Projects;
using CollabTraining.Organisations.Mentoring;
using CollabTraining.ServiceDefaults.Security;

namespace CollabTraining.School.Mentoring;

/// <summary>
/// School teachers mentor projects as clinical mentors. The school keeps no table of them: a request to the school
/// is kept as it arrives, and the answering user's token must show the teacher role at that school. Every teacher
/// takes <c>Projects:TeacherProjectCapacity</c> projects at once (default 3).
/// </summary>
internal sealed class TeacherMentorDirectory(IConfiguration configuration) : IMentorDirectory
{
    public Task<MentorStanding> StandingAsync(Guid mentorUserId, Guid organisationId, string role, CurrentUser? answering, CancellationToken ct)
    {
        var capacity = Math.Clamp(configuration.GetValue("Projects:TeacherProjectCapacity", 3), 0, 50);
        var teacher = role == MentorRoles.Clinical
            && (answering is null
                || answering.UserId == mentorUserId && answering.OrganisationId == organisationId
                   && answering.OrganisationKind == OrganisationKinds.School && answering.IsInRole(Roles.Teacher));
        return Task.FromResult(new MentorStanding(teacher, capacity, "the school"));
    }
}
