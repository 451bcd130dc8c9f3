using CollabTraining.Contracts.Projects;
using CollabTraining.Domain;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Organisations.Mentoring;

public enum MentorRequestState
{
    Waiting,
    Accepted,
    Declined,

    /// <summary>Nobody answered before the deadline.</summary>
    Expired,

    /// <summary>The school no longer needs an answer.</summary>
    Withdrawn,

    /// <summary>Accepted, and the project has since closed (completed or cancelled): the mentor's place is free again.</summary>
    Released,
}

/// <summary>
/// The school's request that a mentor take an innovation project, as the mentor's organisation keeps it until the
/// mentor answers. Every transition is a method here; the service publishes what each returns. The request id is
/// the school's, so a repeat of the request finds this row.
/// </summary>
public sealed class MentorRequest
{
    private MentorRequest()
    {
    }

    /// <summary>The school's request id.</summary>
    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    public string ProjectTitle { get; private set; } = string.Empty;

    /// <summary><see cref="MentorRoles"/>: clinical or engineering.</summary>
    public string Role { get; private set; } = string.Empty;

    public Guid MentorUserId { get; private set; }

    public string MentorName { get; private set; } = string.Empty;

    public Guid OrganisationId { get; private set; }

    public DateTimeOffset AnswerBy { get; private set; }

    /// <summary>When the school asked; null for a withdrawal heard before its request (a tombstone nobody sees).</summary>
    public DateTimeOffset? RequestedAt { get; private set; }

    public MentorRequestState State { get; private set; }

    /// <summary>Why it was declined, expired or withdrawn, in words.</summary>
    public string? Reason { get; private set; }

    public DateTimeOffset? AnsweredAt { get; private set; }

    public long Version { get; private set; }

    public static MentorRequest Receive(MentorRequested m) => new()
    {
        Id = m.RequestId,
        ProjectId = m.ProjectId,
        ProjectTitle = Clip(m.ProjectTitle, 300),
        Role = Clip(m.Role, 20),
        MentorUserId = m.MentorUserId,
        MentorName = Clip(m.MentorName, 200),
        OrganisationId = m.OrganisationId,
        AnswerBy = m.AnswerBy.ToUniversalTime(),
        RequestedAt = m.OccurredAt.ToUniversalTime(),
        State = MentorRequestState.Waiting,
        Version = 1,
    };

    /// <summary>A withdrawal that overtook its request: remembered, so the request is ignored when it comes.</summary>
    public static MentorRequest WithdrawnBeforeArrival(MentorRequestWithdrawn m, DateTimeOffset now) => new()
    {
        Id = m.RequestId,
        ProjectId = m.ProjectId,
        MentorUserId = m.MentorUserId,
        State = MentorRequestState.Withdrawn,
        Reason = Clip(m.Reason, 500),
        AnsweredAt = now,
        Version = 1,
    };

    /// <summary>Whether the request is for this person at this organisation.</summary>
    public bool IsFor(Guid userId, Guid organisationId) => MentorUserId == userId && OrganisationId == organisationId;

    /// <summary>
    /// The mentor takes the project. A repeat of an acceptance changes nothing (null); otherwise refused (409 with a
    /// reason) once answered, withdrawn or past the deadline, for someone no longer an active mentor, or for a
    /// mentor whose <paramref name="accepted"/> projects already fill their capacity.
    /// </summary>
    public MentorRequestAnswered? Accept(DateTimeOffset now, MentorStanding standing, int accepted)
    {
        if (State == MentorRequestState.Accepted)
        {
            return null;
        }

        EnsureOpen(now);
        if (!standing.IsActiveMentor)
        {
            throw DomainRuleException.Refused("not-an-active-mentor", $"{MentorName} is not an active mentor of {standing.OrganisationName}; they cannot take projects.");
        }

        if (accepted >= standing.ProjectCapacity)
        {
            throw DomainRuleException.Refused("mentor-over-committed",
                $"{MentorName} takes at most {standing.ProjectCapacity} project{(standing.ProjectCapacity == 1 ? string.Empty : "s")} at once and has accepted {accepted}.");
        }

        return Answer(MentorRequestState.Accepted, null, now);
    }

    /// <summary>The mentor declines, saying why. A repeat of a decline changes nothing (null).</summary>
    public MentorRequestAnswered? Decline(string reason, DateTimeOffset now)
    {
        if (State == MentorRequestState.Declined)
        {
            return null;
        }

        EnsureOpen(now);
        return Answer(MentorRequestState.Declined, reason, now);
    }

    /// <summary>Declined as it arrives: the person is not someone this organisation offers as a mentor.</summary>
    public MentorRequestAnswered DeclineAtOnce(string reason, DateTimeOffset now) => Answer(MentorRequestState.Declined, reason, now);

    /// <summary>The deadline passed with no answer: the school is told it was not taken. Null when it was answered or withdrawn meanwhile.</summary>
    public MentorRequestAnswered? ExpireIfDue(DateTimeOffset now) =>
        State == MentorRequestState.Waiting && now >= AnswerBy ? Answer(MentorRequestState.Expired, "The deadline passed before the mentor answered.", now) : null;

    /// <summary>The school no longer needs it (an accepted project frees the mentor's place). True when this changed anything.</summary>
    public bool Withdraw(string reason, DateTimeOffset now)
    {
        // A decline or an expiry is final and keeps its words; a withdrawn or released request has nothing left to change.
        if (State is MentorRequestState.Withdrawn or MentorRequestState.Released or MentorRequestState.Declined or MentorRequestState.Expired)
        {
            return false;
        }

        // An accepted request is released (it was mentored; the place frees), one still waiting is withdrawn.
        State = State == MentorRequestState.Accepted ? MentorRequestState.Released : MentorRequestState.Withdrawn;
        Reason = Clip(reason, 500);
        AnsweredAt ??= now;
        Version++;
        return true;
    }

    /// <summary>The answer as the school hears it: the same every time it is asked again.</summary>
    public MentorRequestAnswered? Answered(DateTimeOffset now) => State switch
    {
        MentorRequestState.Accepted => new MentorRequestAnswered(Id, ProjectId, MentorUserId, true, null, Version, now),
        MentorRequestState.Declined or MentorRequestState.Expired => new MentorRequestAnswered(Id, ProjectId, MentorUserId, false, Reason, Version, now),
        _ => null,
    };

    private void EnsureOpen(DateTimeOffset now)
    {
        switch (State)
        {
            case MentorRequestState.Accepted or MentorRequestState.Declined:
                throw DomainRuleException.Refused("already-answered", $"The request was {State.ToString().ToLowerInvariant()} at {AnsweredAt:u}; an answer is final.");
            case MentorRequestState.Withdrawn or MentorRequestState.Released:
                throw DomainRuleException.Refused("withdrawn", $"The school withdrew the request: {Reason}");
            case MentorRequestState.Expired:
                throw DomainRuleException.Refused("deadline-passed", $"The answer was due by {AnswerBy:u}.");
        }

        if (now >= AnswerBy)
        {
            throw DomainRuleException.Refused("deadline-passed", $"The answer was due by {AnswerBy:u}.");
        }
    }

    private MentorRequestAnswered Answer(MentorRequestState state, string? reason, DateTimeOffset now)
    {
        State = state;
        Reason = reason is null ? null : Clip(reason, 500);
        AnsweredAt = now;
        Version++;
        return Answered(now)!;
    }

    private static string Clip(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}

/// <summary>
/// One row per mentor and organisation that every acceptance changes (its version is a concurrency token): two
/// acceptances at once for the mentor's last place cannot both commit, so the loser decides again and finds the
/// place taken. The load itself is counted from the accepted requests.
/// </summary>
public sealed class MentorLoad
{
    private MentorLoad()
    {
    }

    public Guid MentorUserId { get; private set; }

    public Guid OrganisationId { get; private set; }

    public long Version { get; private set; }

    public static MentorLoad For(Guid mentorUserId, Guid organisationId) => new() { MentorUserId = mentorUserId, OrganisationId = organisationId, Version = 1 };

    public void Touch() => Version++;
}

/// <summary>What a service's mentor directory says of a person at one of its organisations.</summary>
public sealed record MentorStanding(bool IsActiveMentor, int ProjectCapacity, string OrganisationName);

/// <summary>
/// Who mentors at this service's organisations: each service answers from its own data (clinical mentors at a
/// hospital, engineering mentors at an enterprise or institute, teachers at the school).
/// </summary>
public interface IMentorDirectory
{
    /// <summary>
    /// Whether <paramref name="mentorUserId"/> is an active mentor of <paramref name="organisationId"/> here for
    /// <paramref name="role"/>, and how many projects they take. <paramref name="answering"/> is the signed-in
    /// mentor when they answer, null when a request arrives.
    /// </summary>
    Task<MentorStanding> StandingAsync(Guid mentorUserId, Guid organisationId, string role, ServiceDefaults.Security.CurrentUser? answering, CancellationToken ct);
}

public static class MentorRequestModel
{
    /// <summary>The mentor requests and loads in a service's model.</summary>
    public static ModelBuilder AddMentorRequests(this ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<MentorRequest>(b =>
        {
            b.ToTable("MentorRequests");
            b.HasKey(r => r.Id);
            b.Property(r => r.Id).ValueGeneratedNever();
            b.Property(r => r.ProjectTitle).HasMaxLength(300);
            b.Property(r => r.Role).HasMaxLength(20);
            b.Property(r => r.MentorName).HasMaxLength(200);
            b.Property(r => r.State).HasConversion<string>().HasMaxLength(20);
            b.Property(r => r.Reason).HasMaxLength(500);
            b.Property(r => r.Version).IsConcurrencyToken();
            b.HasIndex(r => new { r.MentorUserId, r.OrganisationId, r.State });
            b.HasIndex(r => new { r.OrganisationId, r.RequestedAt });
        });
        modelBuilder.Entity<MentorLoad>(b =>
        {
            b.ToTable("MentorLoads");
            b.HasKey(l => new { l.MentorUserId, l.OrganisationId });
            b.Property(l => l.Version).IsConcurrencyToken();
        });
        return modelBuilder;
    }
}
