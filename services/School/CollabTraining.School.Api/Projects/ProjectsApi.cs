using System.ComponentModel.DataAnnotations;
using CollabTraining.Contracts.Projects;
using CollabTraining.Domain;
using CollabTraining.Messaging.Outbox;
using CollabTraining.Messaging.Scheduling;
using CollabTraining.School.Catalog;
using CollabTraining.School.Data;
using CollabTraining.School.Notifications;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Projects;

public sealed record ProposeProjectRequest(
    [property: Required, StringLength(200, MinimumLength = 3)] string? Title,
    [property: Required, StringLength(200, MinimumLength = 2)] string? Theme,
    [property: StringLength(4000)] string? Summary,
    [property: Required, MinLength(1), MaxLength(20)] IReadOnlyList<Guid>? StudentIds);

/// <summary>
/// Asks a mentor. Engineering: <c>mentorUserId</c> is one of the catalog's engineering mentors (their organisation
/// and service come from the catalog). Clinical: <c>service</c> is <c>school</c> (a school teacher) or
/// <c>hospitals</c> (a hospital's clinical mentor: <c>organisationId</c> is the hospital) and <c>name</c> names them.
/// </summary>
public sealed record AskMentorRequest(
    [property: Required] string? Role,
    [property: Required] Guid? MentorUserId,
    string? Service = null,
    Guid? OrganisationId = null,
    [property: StringLength(200)] string? Name = null,
    [property: Range(1, 60)] int AnswerWithinDays = 7);

public sealed record MilestoneRequest([property: Required, StringLength(200, MinimumLength = 2)] string? Title, [property: Required] DateOnly? DueOn);

public sealed record ApproveProjectRequest(
    [property: Required] double? GpuHours,
    [property: Required] double? EquipmentHours,
    [property: MaxLength(20)] IReadOnlyList<MilestoneRequest>? Milestones);

public sealed record BudgetRequest([property: Required] double? GpuHours, [property: Required] double? EquipmentHours);

public sealed record CreateTrackRequest([property: Required, StringLength(200, MinimumLength = 3)] string? Title, [property: Required, StringLength(200, MinimumLength = 2)] string? Theme);

public sealed record EnterTrackRequest([property: Required] Guid? ProjectId);

public sealed record MemberResponse(Guid StudentId, string Name, string Programme);

public sealed record MentorResponse(Guid RequestId, string Role, string Service, Guid MentorUserId, string Name, Guid OrganisationId, string Answer, DateTimeOffset AnswerBy, string? Reason, DateTimeOffset? AnsweredAt);

public sealed record MilestoneResponse(Guid Id, string Title, DateOnly DueOn);

public sealed record BudgetLine(double Budget, double Reserved, double Used, double Remaining);

public sealed record ProjectBudget(BudgetLine GpuHours, BudgetLine EquipmentHours);

public sealed record ProjectResponse(
    Guid Id, string Title, string Theme, string Summary, string Status, Guid? TrackId, IReadOnlyList<MemberResponse> Team, IReadOnlyList<MentorResponse> Mentors,
    IReadOnlyList<MilestoneResponse> Milestones, ProjectBudget Budget, DateTimeOffset CreatedAt, DateTimeOffset? ApprovedAt, long Version);

public sealed record TrackResponse(Guid Id, string Title, string Theme, IReadOnlyList<Guid> ProjectIds);

/// <summary>Innovation projects: coordinators form teams, ask mentors, approve and budget; teams and mentors see their own.</summary>
public static class ProjectsApi
{
    public static void MapProjectsApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup(SchoolModule.RoutePrefix + "/projects").WithTags("Innovation projects");
        group.MapPost("/", Propose).WithName("ProposeProject").RequireAuthorization(Policies.SchoolCoordinator)
            .WithSummary("Form a team of 2-6 students from at least two programmes (school coordinators)");
        group.MapGet("/", List).WithName("ListProjects")
            .WithSummary("School staff: every project; anyone else: the projects they are on or mentor");
        group.MapGet("/{id:guid}", Get).WithName("GetProject").WithSummary("A project with its team, mentors, milestones and budget (team, mentors, school staff)");
        group.MapPost("/{id:guid}/mentors", AskMentor).WithName("AskMentor").RequireAuthorization(Policies.SchoolCoordinator)
            .WithSummary("Ask the clinical or the engineering mentor; the request goes to the mentor's organisation, who answers there before the deadline");
        group.MapPost("/{id:guid}/approve", Approve).WithName("ApproveProject").RequireAuthorization(Policies.SchoolCoordinator)
            .WithSummary("Approve once both mentors accepted, with a budget (GPU-hours, equipment-hours) and milestones");
        group.MapPut("/{id:guid}/budget", SetBudget).WithName("SetProjectBudget").RequireAuthorization(Policies.SchoolCoordinator)
            .WithSummary("Change an approved project's budget (never below what it has reserved and used)");
        group.MapPost("/{id:guid}/cancel", Cancel).WithName("CancelProject").RequireAuthorization(Policies.SchoolCoordinator)
            .WithSummary("Cancel a project: its mentors are released and its bundles give back what they hold or booked");
        group.MapPost("/{id:guid}/complete", Complete).WithName("CompleteProject").RequireAuthorization(Policies.SchoolCoordinator)
            .WithSummary("Complete an approved project: its mentors' places free again");
        group.MapDelete("/{id:guid}/mentors/{requestId:guid}", WithdrawMentor).WithName("WithdrawMentorRequest").RequireAuthorization(Policies.SchoolCoordinator)
            .WithSummary("Withdraw a mentor request still waiting for an answer, to ask someone else");

        var tracks = app.MapGroup(SchoolModule.RoutePrefix + "/tracks").WithTags("Innovation projects");
        tracks.MapGet("/", ListTracks).WithName("ListTracks").WithSummary("Competition tracks and their teams");
        tracks.MapPost("/", CreateTrack).WithName("CreateTrack").RequireAuthorization(Policies.SchoolCoordinator)
            .WithSummary("A competition track: two teams on the same theme");
        tracks.MapPost("/{id:guid}/projects", EnterTrack).WithName("EnterTrack").RequireAuthorization(Policies.SchoolCoordinator)
            .WithSummary("Enter a team (at most two per track)");
    }

    public static async Task<Created<ProjectResponse>> Propose(ProposeProjectRequest request, SchoolDbContext db, TimeProvider time, CancellationToken ct)
    {
        var ids = request.StudentIds!;
        var students = await db.Students.AsNoTracking().Where(s => ids.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);
        for (var i = 0; i < ids.Count; i++)
        {
            if (!students.ContainsKey(ids[i]))
            {
                throw DomainRuleException.Invalid($"studentIds[{i}]", $"No student of the school has id {ids[i]}.");
            }
        }

        var team = ids.Select(id => new ProjectMember { StudentId = id, Name = students[id].Name, Programme = students[id].Programme }).ToList();
        var project = Project.Propose(request.Title!, request.Theme!, request.Summary ?? string.Empty, team, time.GetUtcNow());
        db.Add(project);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"{SchoolModule.RoutePrefix}/projects/{project.Id}", await ToResponseAsync(db, project, ct));
    }

    public static async Task<Ok<List<ProjectResponse>>> List(CurrentUser user, SchoolDbContext db, CancellationToken ct, string? status = null)
    {
        ProjectStatus? wanted = null;
        if (status is not null)
        {
            wanted = !status.Any(char.IsDigit) && Enum.TryParse<ProjectStatus>(status, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed)
                ? parsed
                : throw DomainRuleException.Invalid(nameof(status), "The status is proposed, approved, completed or cancelled.");
        }

        var projects = db.Set<Project>().AsNoTracking().Include(p => p.Members).Include(p => p.Mentors).Include(p => p.Milestones).AsSplitQuery();
        if (!user.IsSchoolStaff)
        {
            var me = user.UserId;
            projects = projects.Where(p => p.Members.Any(m => m.StudentId == me)
                || p.Mentors.Any(m => m.MentorUserId == me && (m.Answer == MentorAnswer.Waiting || m.Answer == MentorAnswer.Accepted)));
        }

        if (wanted is { } w)
        {
            projects = projects.Where(p => p.Status == w);
        }

        var list = await projects.OrderByDescending(p => p.CreatedAt).Take(500).ToListAsync(ct);
        var usage = await BudgetLedger.ForAsync(db, list.Select(p => p.Id).ToList(), ct);
        return TypedResults.Ok(list.Select(p => ToResponse(p, usage.For(p))).ToList());
    }

    public static async Task<Ok<ProjectResponse>> Get(Guid id, CurrentUser user, SchoolDbContext db, CancellationToken ct)
    {
        var access = await ProjectAccess.LoadAsync(db, id, user, ct);
        return TypedResults.Ok(await ToResponseAsync(db, access.Project, ct));
    }

    /// <summary>
    /// Asks a mentor, in one save: the request (with the mentor's organisation and deadline), the event the
    /// organisation keeps it from, the mentor's notification and the task that expires it unanswered.
    /// </summary>
    public static async Task<Created<MentorResponse>> AskMentor(
        Guid id, AskMentorRequest request, CurrentUser user, SchoolDbContext db, Outbox outbox, DueTasks dueTasks, TimeProvider time,
        IConfiguration configuration, CancellationToken ct)
    {
        var role = request.Role!.Trim().ToLowerInvariant();
        if (role is not (MentorRoles.Clinical or MentorRoles.Engineering))
        {
            throw DomainRuleException.Invalid("role", "The role is clinical or engineering.");
        }

        var access = await ProjectAccess.LoadAsync(db, id, user, ct, tracked: true);
        var project = access.Project;
        var mentorId = request.MentorUserId!.Value;
        string service;
        string name;
        Guid organisationId;
        int? capacity;
        if (role == MentorRoles.Engineering)
        {
            var mentor = await db.CatalogMentors.AsNoTracking().SingleOrDefaultAsync(m => m.MentorId == mentorId, ct);
            if (mentor is not { Active: true })
            {
                throw DomainRuleException.Invalid("mentorUserId", "An engineering mentor is picked from the catalog's mentors (GET /api/school/catalog/resources lists them); this one is not offered.");
            }

            (service, name, organisationId, capacity) = (mentor.Service, mentor.Name, mentor.OrganisationId, mentor.ProjectCapacity);
        }
        else
        {
            service = request.Service?.Trim().ToLowerInvariant() ?? string.Empty;
            name = request.Name?.Trim() ?? string.Empty;
            if (name.Length < 2)
            {
                throw DomainRuleException.Invalid("name", "Name the clinical mentor.");
            }

            if (service == ProjectParties.School)
            {
                organisationId = user.OrganisationId;
                capacity = configuration.GetValue("Projects:TeacherProjectCapacity", 3);
            }
            else if (service == ProjectParties.Hospitals)
            {
                organisationId = request.OrganisationId is { } hospital && hospital != Guid.Empty
                    ? hospital
                    : throw DomainRuleException.Invalid("organisationId", "Name the hospital of the clinical mentor.");

                // The school keeps no register of hospital mentors: the hospital declines at once a request for someone who
                // is not its active clinical mentor, and refuses an acceptance beyond what the mentor offers.
                capacity = null;
            }
            else
            {
                throw DomainRuleException.Invalid("service", "A clinical mentor is a school teacher (service 'school') or a hospital's clinical mentor (service 'hospitals').");
            }
        }

        // What the mentor already carries in open projects (waiting requests count), when the school knows what they offer.
        MentorLoad? load = capacity is { } offered
            ? new MentorLoad(offered, await db.Set<ProjectMentor>()
                .Where(m => m.MentorUserId == mentorId && (m.Answer == MentorAnswer.Waiting || m.Answer == MentorAnswer.Accepted) && m.ProjectId != project.Id)
                .Join(db.Set<Project>().Where(p => p.Status == ProjectStatus.Proposed || p.Status == ProjectStatus.Approved), m => m.ProjectId, p => p.Id, (m, p) => m.RequestId)
                .CountAsync(ct))
            : null;
        var now = time.GetUtcNow();
        var asked = project.AskMentor(role, service, mentorId, name, organisationId, now.AddDays(request.AnswerWithinDays), now, load);
        MentorRequests.Send(db, outbox, dueTasks, project, asked, now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"{SchoolModule.RoutePrefix}/projects/{project.Id}", ToResponse(asked));
    }

    public static async Task<Ok<ProjectResponse>> Approve(Guid id, ApproveProjectRequest request, CurrentUser user, SchoolDbContext db, TimeProvider time, CancellationToken ct)
    {
        var project = (await ProjectAccess.LoadAsync(db, id, user, ct, tracked: true)).Project;
        var milestones = request.Milestones ?? [];
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        for (var i = 0; i < milestones.Count; i++)
        {
            if (milestones[i] is null)
            {
                throw DomainRuleException.Invalid($"milestones[{i}]", "A milestone has a title and a due date.");
            }

            if (milestones[i].DueOn is { } due && (due < today || due > today.AddYears(5)))
            {
                throw DomainRuleException.Invalid($"milestones[{i}].dueOn", "A milestone is due between today and five years from now.");
            }
        }

        project.Approve(request.GpuHours!.Value, request.EquipmentHours!.Value, milestones.Select(m => (m.Title!, m.DueOn!.Value)).ToList(), time.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await ToResponseAsync(db, project, ct));
    }

    public static async Task<Ok<ProjectResponse>> SetBudget(Guid id, BudgetRequest request, CurrentUser user, SchoolDbContext db, CancellationToken ct)
    {
        var project = (await ProjectAccess.LoadAsync(db, id, user, ct, tracked: true)).Project;
        if (project.Status != ProjectStatus.Approved)
        {
            throw DomainRuleException.Refused("not-approved", "Only an approved project has a budget to change.");
        }

        var spent = (await BudgetLedger.ForAsync(db, [project.Id], ct)).For(project);
        if (request.GpuHours < spent.GpuHours.Reserved + spent.GpuHours.Used)
        {
            throw DomainRuleException.Invalid("gpuHours", $"The project has already reserved or used {spent.GpuHours.Reserved + spent.GpuHours.Used:0.##} GPU-hours.");
        }

        if (request.EquipmentHours < spent.EquipmentHours.Reserved + spent.EquipmentHours.Used)
        {
            throw DomainRuleException.Invalid("equipmentHours", $"The project has already reserved or used {spent.EquipmentHours.Reserved + spent.EquipmentHours.Used:0.##} equipment-hours.");
        }

        project.SetBudget(request.GpuHours!.Value, request.EquipmentHours!.Value);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await ToResponseAsync(db, project, ct));
    }

    /// <summary>
    /// Cancels the project in one save: its mentors are released at their organisations (waiting and accepted
    /// requests alike, so the place counts no more), and its bundles give back what they hold or booked.
    /// </summary>
    public static async Task<Ok<ProjectResponse>> Cancel(Guid id, CurrentUser user, SchoolDbContext db, Outbox outbox, TimeProvider time, CancellationToken ct)
    {
        var project = (await ProjectAccess.LoadAsync(db, id, user, ct, tracked: true)).Project;
        var now = time.GetUtcNow();
        foreach (var released in project.Cancel(now))
        {
            MentorRequests.Withdraw(outbox, project, released, "The project was cancelled.", now);
        }

        await ReleaseBundlesAsync(db, outbox, id, "the project was cancelled", now, ct);

        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await ToResponseAsync(db, project, ct));
    }

    /// <summary>Completes an approved project; its mentors are released at their organisations (their places free again).</summary>
    public static async Task<Ok<ProjectResponse>> Complete(Guid id, CurrentUser user, SchoolDbContext db, Outbox outbox, TimeProvider time, CancellationToken ct)
    {
        var project = (await ProjectAccess.LoadAsync(db, id, user, ct, tracked: true)).Project;
        var now = time.GetUtcNow();
        foreach (var released in project.Complete(now))
        {
            MentorRequests.Withdraw(outbox, project, released, "The project was completed.", now);
        }

        await ReleaseBundlesAsync(db, outbox, id, "the project was completed", now, ct);

        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await ToResponseAsync(db, project, ct));
    }

    /// <summary>Withdraws a request still waiting (a wrong person asked, or no answer coming): the role may be asked of someone else.</summary>
    public static async Task<Ok<ProjectResponse>> WithdrawMentor(Guid id, Guid requestId, CurrentUser user, SchoolDbContext db, Outbox outbox, TimeProvider time, CancellationToken ct)
    {
        var project = (await ProjectAccess.LoadAsync(db, id, user, ct, tracked: true)).Project;
        var now = time.GetUtcNow();
        var withdrawn = project.WithdrawMentor(requestId, now);
        MentorRequests.Withdraw(outbox, project, withdrawn, "The school withdrew the request.", now);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(await ToResponseAsync(db, project, ct));
    }

    public static async Task<Ok<List<TrackResponse>>> ListTracks(SchoolDbContext db, CancellationToken ct)
    {
        var tracks = await db.Set<CompetitionTrack>().AsNoTracking().OrderBy(t => t.Title).ToListAsync(ct);
        var entered = (await db.Set<Project>().AsNoTracking().Where(p => p.TrackId != null && p.Status != ProjectStatus.Cancelled).Select(p => new { p.Id, p.TrackId }).ToListAsync(ct))
            .ToLookup(p => p.TrackId!.Value, p => p.Id);
        return TypedResults.Ok(tracks.Select(t => new TrackResponse(t.Id, t.Title, t.Theme, entered[t.Id].ToList())).ToList());
    }

    public static async Task<Created<TrackResponse>> CreateTrack(CreateTrackRequest request, SchoolDbContext db, TimeProvider time, CancellationToken ct)
    {
        var track = new CompetitionTrack { Id = Guid.CreateVersion7(time.GetUtcNow()), Title = request.Title!.Trim(), Theme = request.Theme!.Trim(), Version = 1 };
        db.Add(track);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"{SchoolModule.RoutePrefix}/tracks/{track.Id}", new TrackResponse(track.Id, track.Title, track.Theme, []));
    }

    /// <summary>Enters a team; the track's version is bumped in the same save, so two entries racing for the second place cannot both win.</summary>
    public static async Task<Ok<TrackResponse>> EnterTrack(Guid id, EnterTrackRequest request, CurrentUser user, SchoolDbContext db, CancellationToken ct)
    {
        var track = await db.Set<CompetitionTrack>().SingleOrDefaultAsync(t => t.Id == id, ct) ?? throw DomainRuleException.NotFound("competition track", id);
        var project = (await ProjectAccess.LoadAsync(db, request.ProjectId!.Value, user, ct, tracked: true)).Project;
        var teams = await db.Set<Project>().Where(p => p.TrackId == id && p.Status != ProjectStatus.Cancelled).Select(p => p.Id).ToListAsync(ct);
        if (!teams.Contains(project.Id))
        {
            if (teams.Count >= CompetitionTrack.Teams)
            {
                throw DomainRuleException.Refused("track-full", $"Two teams already compete on \"{track.Theme}\".");
            }

            project.EnterTrack(id);
            track.Version++;
            await db.SaveChangesAsync(ct);
            teams.Add(project.Id);
        }

        return TypedResults.Ok(new TrackResponse(track.Id, track.Title, track.Theme, teams));
    }

    /// <summary>A closing project gives back what its bundles still hold or booked from now on (a booking in use stays).</summary>
    private static async Task ReleaseBundlesAsync(SchoolDbContext db, Outbox outbox, Guid projectId, string why, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var bundle in await db.Set<ResourceBundle>().Include(b => b.Parts).Where(b => b.ProjectId == projectId && b.Status != BundleStatus.Failed).ToListAsync(ct))
        {
            foreach (var release in bundle.Cancel(now, why))
            {
                outbox.Add(release);
            }
        }
    }

    private static async Task<ProjectResponse> ToResponseAsync(SchoolDbContext db, Project project, CancellationToken ct) =>
        ToResponse(project, (await BudgetLedger.ForAsync(db, [project.Id], ct)).For(project));

    private static ProjectResponse ToResponse(Project p, ProjectBudget budget) => new(
        p.Id, p.Title, p.Theme, p.Summary, p.Status.ToString().ToLowerInvariant(), p.TrackId,
        p.Members.OrderBy(m => m.Name).Select(m => new MemberResponse(m.StudentId, m.Name, m.Programme)).ToList(),
        p.Mentors.OrderBy(m => m.RequestedAt).Select(ToResponse).ToList(),
        p.Milestones.OrderBy(m => m.DueOn).Select(m => new MilestoneResponse(m.Id, m.Title, m.DueOn)).ToList(),
        budget, p.CreatedAt, p.ApprovedAt, p.Version);

    private static MentorResponse ToResponse(ProjectMentor m) => new(
        m.RequestId, m.Role, m.Service, m.MentorUserId, m.MentorName, m.OrganisationId, m.Answer.ToString().ToLowerInvariant(), m.AnswerBy, m.Reason, m.AnsweredAt);
}
