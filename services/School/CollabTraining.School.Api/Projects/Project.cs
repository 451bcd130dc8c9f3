using CollabTraining.Contracts.Projects;
using CollabTraining.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CollabTraining.School.Projects;

public enum ProjectStatus
{
    /// <summary>Team formed, mentors asked; the coordinator approves once both mentors accepted.</summary>
    Proposed,

    /// <summary>Running: it has a budget and milestones, books resources and publishes to the showcase.</summary>
    Approved,

    Completed,

    Cancelled,
}

/// <summary>Where a request to a mentor stands.</summary>
public enum MentorAnswer
{
    Waiting,
    Accepted,
    Declined,

    /// <summary>Not answered before the deadline.</summary>
    Expired,

    /// <summary>The school withdrew it (the project was cancelled).</summary>
    Withdrawn,
}

/// <summary>A student of the team, with the programme they bring.</summary>
public sealed class ProjectMember
{
    public Guid ProjectId { get; set; }

    public Guid StudentId { get; set; }

    public string Name { get; set; } = string.Empty;

    public string Programme { get; set; } = string.Empty;
}

/// <summary>One request to one mentor: the project's clinical or engineering mentor once accepted.</summary>
public sealed class ProjectMentor
{
    public Guid RequestId { get; set; }

    public Guid ProjectId { get; set; }

    /// <summary><see cref="MentorRoles"/>.</summary>
    public string Role { get; set; } = string.Empty;

    /// <summary>The service where the mentor answers (<see cref="ProjectParties"/>).</summary>
    public string Service { get; set; } = string.Empty;

    public Guid MentorUserId { get; set; }

    public string MentorName { get; set; } = string.Empty;

    public Guid OrganisationId { get; set; }

    public DateTimeOffset RequestedAt { get; set; }

    public DateTimeOffset AnswerBy { get; set; }

    public MentorAnswer Answer { get; set; }

    public string? Reason { get; set; }

    public DateTimeOffset? AnsweredAt { get; set; }

    /// <summary>Waiting or accepted: the mentor holds (or may soon hold) the role.</summary>
    public bool IsActive => Answer is MentorAnswer.Waiting or MentorAnswer.Accepted;
}

public sealed class ProjectMilestone
{
    public Guid Id { get; set; }

    public Guid ProjectId { get; set; }

    public string Title { get; set; } = string.Empty;

    public DateOnly DueOn { get; set; }
}

/// <summary>How many projects a mentor offers to take, and how many open projects they already have (accepted or asked).</summary>
public sealed record MentorLoad(int Offered, int Taken);

/// <summary>A competition track: two teams working on the same theme.</summary>
public sealed class CompetitionTrack
{
    public const int Teams = 2;

    public Guid Id { get; set; }

    public string Title { get; set; } = string.Empty;

    public string Theme { get; set; } = string.Empty;

    public long Version { get; set; }
}

/// <summary>
/// An innovation project: a cross-programme team of 2–6 students, exactly one clinical and one engineering
/// mentor (each asked at their own organisation), approved by a coordinator once both accepted, then given a
/// budget of GPU-hours and equipment-hours and milestones.
/// </summary>
public sealed class Project
{
    public const int MinTeam = 2;
    public const int MaxTeam = 6;

    private Project()
    {
    }

    public Guid Id { get; private set; }

    public string Title { get; private set; } = string.Empty;

    public string Theme { get; private set; } = string.Empty;

    public string Summary { get; private set; } = string.Empty;

    public ProjectStatus Status { get; private set; }

    public Guid? TrackId { get; private set; }

    public double GpuHoursBudget { get; private set; }

    public double EquipmentHoursBudget { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? ApprovedAt { get; private set; }

    /// <summary>When it was completed or cancelled.</summary>
    public DateTimeOffset? ClosedAt { get; private set; }

    /// <summary>Bumped by every change, so two coordinators (or a coordinator and a mentor's answer) never overwrite each other.</summary>
    public long Version { get; private set; }

    public List<ProjectMember> Members { get; private set; } = [];

    public List<ProjectMentor> Mentors { get; private set; } = [];

    public List<ProjectMilestone> Milestones { get; private set; } = [];

    public static Project Propose(string title, string theme, string summary, IReadOnlyList<ProjectMember> team, DateTimeOffset now)
    {
        EnsureTeam(team);
        var project = new Project
        {
            Id = Guid.CreateVersion7(now), Title = title.Trim(), Theme = theme.Trim(), Summary = summary.Trim(), Status = ProjectStatus.Proposed,
            CreatedAt = now, Version = 1,
        };
        foreach (var member in team)
        {
            member.ProjectId = project.Id;
            project.Members.Add(member);
        }

        return project;
    }

    /// <summary>Gives a project proposed a moment ago a known id (demo data other services and tests refer to).</summary>
    internal void Reseed(Guid id)
    {
        Id = id;
        foreach (var member in Members)
        {
            member.ProjectId = id;
        }
    }

    /// <summary>2–6 distinct students from at least two programmes.</summary>
    public static void EnsureTeam(IReadOnlyList<ProjectMember> team)
    {
        if (team.Count is < MinTeam or > MaxTeam)
        {
            throw DomainRuleException.Refused("team-size", $"A team has {MinTeam} to {MaxTeam} students; this one has {team.Count}.");
        }

        if (team.Select(m => m.StudentId).Distinct().Count() != team.Count)
        {
            throw DomainRuleException.Invalid("studentIds", "A student is named twice in the team.");
        }

        if (team.Select(m => m.Programme).Distinct(StringComparer.Ordinal).Count() < 2)
        {
            throw DomainRuleException.Refused("single-programme",
                $"A team brings together at least two programmes; every student here is in '{team[0].Programme}'.");
        }
    }

    public bool IsMember(Guid userId) => Members.Any(m => m.StudentId == userId);

    /// <summary>A mentor who was asked and has not declined (waiting or accepted).</summary>
    public bool IsMentor(Guid userId) => Mentors.Any(m => m.MentorUserId == userId && m.IsActive);

    public ProjectMentor? ActiveMentor(string role) => Mentors.FirstOrDefault(m => m.Role == role && m.IsActive);

    /// <summary>
    /// Asks a mentor for a role. A project has exactly one mentor per role: while one is waiting or has
    /// accepted, asking another is refused (<c>mentor-role-taken</c>); after a decline or expiry another may be asked.
    /// </summary>
    /// <param name="load">What the mentor offers and already carries in open projects, when the school knows it: a mentor at capacity is refused (<c>mentor-over-committed</c>).</param>
    public ProjectMentor AskMentor(string role, string service, Guid mentorUserId, string mentorName, Guid organisationId, DateTimeOffset answerBy, DateTimeOffset now, MentorLoad? load = null)
    {
        EnsureOpen("ask a mentor");
        if (load is { } l && l.Taken >= l.Offered)
        {
            throw DomainRuleException.Refused("mentor-over-committed",
                $"{mentorName} offers to mentor {l.Offered} project(s) and already has {l.Taken} (accepted or waiting for an answer).");
        }

        if (ActiveMentor(role) is { } current)
        {
            throw DomainRuleException.Refused("mentor-role-taken",
                $"The project already has its {role} mentor ({current.MentorName}, {current.Answer.ToString().ToLowerInvariant()}); a project has exactly one clinical and one engineering mentor.");
        }

        if (Mentors.Any(m => m.MentorUserId == mentorUserId && m.IsActive))
        {
            throw DomainRuleException.Refused("mentor-twice", $"{mentorName} already mentors this project in the other role.");
        }

        if (IsMember(mentorUserId))
        {
            throw DomainRuleException.Refused("mentor-is-member", "A member of the team cannot mentor it.");
        }

        var mentor = new ProjectMentor
        {
            RequestId = Guid.CreateVersion7(now), ProjectId = Id, Role = role, Service = service, MentorUserId = mentorUserId, MentorName = mentorName,
            OrganisationId = organisationId, RequestedAt = now, AnswerBy = answerBy, Answer = MentorAnswer.Waiting,
        };
        Mentors.Add(mentor);
        Version++;
        return mentor;
    }

    /// <summary>Applies a mentor's answer; false when it changes nothing (a repeat, or too late: expired or withdrawn).</summary>
    public bool Answer(Guid requestId, bool accepted, string? reason, DateTimeOffset at)
    {
        var mentor = Mentors.FirstOrDefault(m => m.RequestId == requestId);
        if (mentor is not { Answer: MentorAnswer.Waiting })
        {
            return false;
        }

        // The organisation answers "no" on its own once the deadline passed: that is an expiry, not the mentor's refusal.
        mentor.Answer = accepted ? MentorAnswer.Accepted : at >= mentor.AnswerBy ? MentorAnswer.Expired : MentorAnswer.Declined;
        mentor.Reason = reason;
        mentor.AnsweredAt = at;
        Version++;
        return true;
    }

    /// <summary>Marks a request unanswered at its deadline as expired; false when it was answered meanwhile.</summary>
    public bool Expire(Guid requestId, DateTimeOffset now)
    {
        var mentor = Mentors.FirstOrDefault(m => m.RequestId == requestId);
        if (mentor is not { Answer: MentorAnswer.Waiting } || now < mentor.AnswerBy)
        {
            return false;
        }

        mentor.Answer = MentorAnswer.Expired;
        mentor.Reason = "No answer before the deadline.";
        mentor.AnsweredAt = now;
        Version++;
        return true;
    }

    /// <summary>
    /// Approves the project with its budget and milestones, only once both mentors accepted
    /// (<c>mentors-not-accepted</c> names who has not).
    /// </summary>
    public void Approve(double gpuHours, double equipmentHours, IReadOnlyList<(string Title, DateOnly DueOn)> milestones, DateTimeOffset now)
    {
        if (Status != ProjectStatus.Proposed)
        {
            throw DomainRuleException.Refused("not-proposed", $"Only a proposed project can be approved; this one is {Status.ToString().ToLowerInvariant()}.");
        }

        var missing = new[] { MentorRoles.Clinical, MentorRoles.Engineering }
            .Select(role => (role, mentor: Mentors.FirstOrDefault(m => m.Role == role && m.Answer == MentorAnswer.Accepted)))
            .Where(r => r.mentor is null)
            .Select(r => ActiveMentor(r.role) is { } waiting ? $"the {r.role} mentor ({waiting.MentorName}) has not accepted yet" : $"no {r.role} mentor has been asked")
            .ToList();
        if (missing.Count > 0)
        {
            throw DomainRuleException.Refused("mentors-not-accepted", $"A project is approved only when both its mentors have accepted: {string.Join("; ", missing)}.");
        }

        SetBudget(gpuHours, equipmentHours);
        foreach (var (title, dueOn) in milestones)
        {
            Milestones.Add(new ProjectMilestone { Id = Guid.CreateVersion7(now), ProjectId = Id, Title = title.Trim(), DueOn = dueOn });
        }

        Status = ProjectStatus.Approved;
        ApprovedAt = now;
        Version++;
    }

    public void SetBudget(double gpuHours, double equipmentHours)
    {
        if (gpuHours is < 0 or > 1_000_000 || double.IsNaN(gpuHours))
        {
            throw DomainRuleException.Invalid("gpuHours", "GPU-hours are between 0 and 1,000,000.");
        }

        if (equipmentHours is < 0 or > 1_000_000 || double.IsNaN(equipmentHours))
        {
            throw DomainRuleException.Invalid("equipmentHours", "Equipment-hours are between 0 and 1,000,000.");
        }

        GpuHoursBudget = gpuHours;
        EquipmentHoursBudget = equipmentHours;
        Version++;
    }

    /// <summary>Bumps the version: a change that depends on the project's state (a bundle drawing on its budget) conflicts with any other.</summary>
    public void Touch() => Version++;

    public void EnterTrack(Guid trackId)
    {
        if (Status is ProjectStatus.Cancelled or ProjectStatus.Completed)
        {
            throw DomainRuleException.Refused("project-closed", "A closed project cannot enter a competition.");
        }

        if (TrackId is { } current && current != trackId)
        {
            throw DomainRuleException.Refused("already-in-track", "The team already competes in another track.");
        }

        TrackId = trackId;
        Version++;
    }

    /// <summary>
    /// Cancels the project; returns the requests to withdraw at the mentors' organisations: those still waiting
    /// (withdrawn here too) and those accepted (the mentor's place there frees; here they stay on the record).
    /// </summary>
    public IReadOnlyList<ProjectMentor> Cancel(DateTimeOffset now)
    {
        EnsureOpen("cancel");
        var waiting = Mentors.Where(m => m.Answer == MentorAnswer.Waiting).ToList();
        foreach (var mentor in waiting)
        {
            mentor.Answer = MentorAnswer.Withdrawn;
            mentor.Reason = "The project was cancelled.";
            mentor.AnsweredAt = now;
        }

        Status = ProjectStatus.Cancelled;
        ClosedAt = now;
        Version++;
        return [.. waiting, .. Mentors.Where(m => m.Answer == MentorAnswer.Accepted)];
    }

    /// <summary>Completes an approved project; returns its accepted mentors, whose places free at their organisations.</summary>
    public IReadOnlyList<ProjectMentor> Complete(DateTimeOffset now)
    {
        if (Status != ProjectStatus.Approved)
        {
            throw DomainRuleException.Refused("not-approved", "Only an approved project can be completed.");
        }

        Status = ProjectStatus.Completed;
        ClosedAt = now;
        Version++;
        return Mentors.Where(m => m.Answer == MentorAnswer.Accepted).ToList();
    }

    /// <summary>Withdraws a request still waiting for its answer.</summary>
    public ProjectMentor WithdrawMentor(Guid requestId, DateTimeOffset now)
    {
        EnsureOpen("withdraw a mentor request");
        var mentor = Mentors.FirstOrDefault(m => m.RequestId == requestId) ?? throw DomainRuleException.NotFound("mentor request", requestId);
        if (mentor.Answer != MentorAnswer.Waiting)
        {
            throw DomainRuleException.Refused("not-waiting", $"This request was already answered ({mentor.Answer.ToString().ToLowerInvariant()}).");
        }

        mentor.Answer = MentorAnswer.Withdrawn;
        mentor.Reason = "The school withdrew the request.";
        mentor.AnsweredAt = now;
        Version++;
        return mentor;
    }

    private void EnsureOpen(string action)
    {
        if (Status is ProjectStatus.Cancelled or ProjectStatus.Completed)
        {
            throw DomainRuleException.Refused("project-closed", $"Cannot {action}: the project is {Status.ToString().ToLowerInvariant()}.");
        }
    }
}

internal sealed class ProjectConfigurations :
    IEntityTypeConfiguration<Project>, IEntityTypeConfiguration<ProjectMember>, IEntityTypeConfiguration<ProjectMentor>,
    IEntityTypeConfiguration<ProjectMilestone>, IEntityTypeConfiguration<CompetitionTrack>
{
    public void Configure(EntityTypeBuilder<Project> builder)
    {
        builder.ToTable("Projects");
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Title).HasMaxLength(200);
        builder.Property(p => p.Theme).HasMaxLength(200);
        builder.Property(p => p.Summary).HasMaxLength(4000);
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.HasMany(p => p.Members).WithOne().HasForeignKey(m => m.ProjectId);
        builder.HasMany(p => p.Mentors).WithOne().HasForeignKey(m => m.ProjectId);
        builder.HasMany(p => p.Milestones).WithOne().HasForeignKey(m => m.ProjectId);
        builder.HasIndex(p => p.TrackId);
    }

    public void Configure(EntityTypeBuilder<ProjectMember> builder)
    {
        builder.ToTable("ProjectMembers");
        builder.HasKey(m => new { m.ProjectId, m.StudentId });
        builder.HasIndex(m => m.StudentId);
        builder.Property(m => m.Name).HasMaxLength(200);
        builder.Property(m => m.Programme).HasMaxLength(60);
    }

    public void Configure(EntityTypeBuilder<ProjectMentor> builder)
    {
        builder.ToTable("ProjectMentors");
        builder.HasKey(m => m.RequestId);
        builder.Property(m => m.RequestId).ValueGeneratedNever();
        builder.Property(m => m.Role).HasMaxLength(20);
        builder.Property(m => m.Service).HasMaxLength(20);
        builder.Property(m => m.MentorName).HasMaxLength(200);
        builder.Property(m => m.Reason).HasMaxLength(500);
        builder.Property(m => m.Answer).HasConversion<string>().HasMaxLength(20);
        builder.HasIndex(m => new { m.MentorUserId, m.Answer });
    }

    public void Configure(EntityTypeBuilder<ProjectMilestone> builder)
    {
        builder.ToTable("ProjectMilestones");
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.Title).HasMaxLength(200);
    }

    public void Configure(EntityTypeBuilder<CompetitionTrack> builder)
    {
        builder.ToTable("CompetitionTracks");
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.Title).HasMaxLength(200);
        builder.Property(t => t.Theme).HasMaxLength(200);
        builder.Property(t => t.Version).IsConcurrencyToken();
    }
}
