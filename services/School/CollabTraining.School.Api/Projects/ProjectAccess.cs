using CollabTraining.Domain;
using CollabTraining.School.Data;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Projects;

/// <summary>Who the caller is to one project: the answer every project endpoint (and the showcase) asks first.</summary>
public sealed record ProjectAccess(Project Project, bool IsMember, bool IsMentor, bool IsCoordinator, bool IsSchoolStaff)
{
    /// <summary>Team, mentors and school staff see a project; anyone else gets 404 (it is not theirs to know of).</summary>
    public bool CanSee => IsMember || IsMentor || IsSchoolStaff;

    /// <summary>Loads the project with its team, mentors and milestones; 404 when unknown or not visible to the caller.</summary>
    public static async Task<ProjectAccess> LoadAsync(SchoolDbContext db, Guid projectId, CurrentUser user, CancellationToken ct, bool tracked = false)
    {
        var projects = db.Set<Project>().Include(p => p.Members).Include(p => p.Mentors).Include(p => p.Milestones).AsSplitQuery();
        var project = await (tracked ? projects : projects.AsNoTracking()).SingleOrDefaultAsync(p => p.Id == projectId, ct)
            ?? throw DomainRuleException.NotFound("project", projectId);
        var access = new ProjectAccess(project, project.IsMember(user.UserId), project.IsMentor(user.UserId),
            user.IsSchoolStaff && user.IsInRole(Roles.Coordinator), user.IsSchoolStaff);
        return access.CanSee ? access : throw DomainRuleException.NotFound("project", projectId);
    }
}
