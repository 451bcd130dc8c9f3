using CollabTraining.Domain;
using CollabTraining.School.Projects;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CollabTraining.School.Showcase;

/// <summary>What a team states when it publishes a result; valid only as <see cref="EnsureValid"/> allows.</summary>
public sealed record ShowcaseDraft(string? Title, string? Summary, Guid? MilestoneId, IReadOnlyList<string> Links)
{
    public const int MaxTitle = 200;
    public const int MaxSummary = 4000;
    public const int MaxLinks = 10;
    public const int MaxLink = 500;

    /// <summary>The checks that need no project: each names its field, as the form names it.</summary>
    public void EnsureValid()
    {
        Text("title", Title, MaxTitle);
        Text("summary", Summary, MaxSummary);
        if (Links.Count > MaxLinks)
        {
            throw DomainRuleException.Invalid("links", $"An entry carries at most {MaxLinks} links; this one has {Links.Count}.");
        }

        for (var i = 0; i < Links.Count; i++)
        {
            if (LinkProblem(Links[i]) is { } problem)
            {
                throw DomainRuleException.Invalid($"links[{i}]", problem);
            }
        }
    }

    /// <summary>
    /// Only absolute http and https addresses with a host: a <c>javascript:</c>, <c>data:</c> or <c>file:</c> link would run
    /// or read something in the reader's browser, and a relative one would point into the platform itself.
    /// </summary>
    public static string? LinkProblem(string link)
    {
        if (link.Length > MaxLink)
        {
            return $"A link is at most {MaxLink} characters; this one has {link.Length}.";
        }

        if (link.Length == 0 || PlainText.FirstForbidden(link) is not null || link.Any(char.IsWhiteSpace))
        {
            return "A link is one address with no spaces or control characters.";
        }

        return Uri.TryCreate(link, UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && !string.IsNullOrEmpty(uri.Host) && string.IsNullOrEmpty(uri.UserInfo)
                ? null
                : "A link is an absolute http:// or https:// address with a host (and no user name or password).";
    }

    private static void Text(string field, string? value, int max)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw DomainRuleException.Invalid(field, $"The {field} is required.");
        }

        if (value.Length > max)
        {
            throw DomainRuleException.Invalid(field, $"The {field} is at most {max} characters; this one has {value.Length}.");
        }

        if (PlainText.FirstForbidden(value) is { } c)
        {
            throw DomainRuleException.Invalid(field, $"The {field} holds the control character U+{(int)c:X4}, which is not allowed.");
        }
    }
}

/// <summary>A report attached to an entry: stored once per content, under its SHA-256, never under the client's name.</summary>
public sealed record ShowcaseFile(string Sha256, string Name, string ContentType, long Length);

/// <summary>How a reviewer stands to the project whose entry they review; it decides whether they may.</summary>
public enum ReviewerStanding
{
    /// <summary>One of the project's mentors.</summary>
    Mentor,

    /// <summary>A student of another project's team: peers review each other.</summary>
    OtherTeam,

    SchoolStaff,

    /// <summary>A student of the entry's own team: they published it, they do not review it.</summary>
    OwnTeam,

    /// <summary>Anyone else (a student in no team, another project's mentor, a partner's staff).</summary>
    Outsider,
}

/// <summary>
/// A result an approved (or completed) project published at one of its milestones: title, summary, links and an
/// optional report. School coordinators may hide it (it stays, seen only by school staff) and show it again.
/// </summary>
public sealed class ShowcaseEntry
{
    private ShowcaseEntry()
    {
    }

    public Guid Id { get; private set; }

    public Guid ProjectId { get; private set; }

    public Guid? MilestoneId { get; private set; }

    public string Title { get; private set; } = string.Empty;

    public string Summary { get; private set; } = string.Empty;

    public List<string> Links { get; private set; } = [];

    public string? FileSha256 { get; private set; }

    public string? FileName { get; private set; }

    public string? FileContentType { get; private set; }

    public long? FileLength { get; private set; }

    public Guid PublishedBy { get; private set; }

    public string PublishedByName { get; private set; } = string.Empty;

    public DateTimeOffset PublishedAt { get; private set; }

    public DateTimeOffset? HiddenAt { get; private set; }

    public Guid? HiddenBy { get; private set; }

    public string? HiddenReason { get; private set; }

    public long Version { get; private set; }

    public bool IsHidden => HiddenAt is not null;

    public ShowcaseFile? File => FileSha256 is null ? null : new ShowcaseFile(FileSha256, FileName!, FileContentType!, FileLength ?? 0);

    /// <summary>Only a running project shows results: a proposed one has no milestones yet, a cancelled one none to show.</summary>
    public static void EnsureProjectPublishes(Project project)
    {
        switch (project.Status)
        {
            case ProjectStatus.Proposed:
                throw DomainRuleException.Refused("project-not-approved", "A project publishes to the showcase once it is approved; this one is still proposed.");
            case ProjectStatus.Cancelled:
                throw DomainRuleException.Refused("project-cancelled", "A cancelled project publishes nothing to the showcase.");
        }
    }

    /// <summary>Only the project's team or a school coordinator speak for the project in public.</summary>
    public static void EnsureMayPublish(ProjectAccess access)
    {
        if (!access.IsMember && !access.IsCoordinator)
        {
            throw DomainRuleException.Forbidden("Only the project's team or a school coordinator publish to its showcase.");
        }
    }

    /// <summary>The entry's own team first: a student of the team who also mentors elsewhere still does not review their own work.</summary>
    public static ReviewerStanding StandingOf(Project project, Guid userId, bool isSchoolStaff, bool inAnotherTeam) =>
        project.IsMember(userId) ? ReviewerStanding.OwnTeam
        : project.IsMentor(userId) ? ReviewerStanding.Mentor
        : isSchoolStaff ? ReviewerStanding.SchoolStaff
        : inAnotherTeam ? ReviewerStanding.OtherTeam
        : ReviewerStanding.Outsider;

    public static ShowcaseEntry Publish(Project project, ShowcaseDraft draft, ShowcaseFile? file, Guid authorId, string authorName, DateTimeOffset now)
    {
        EnsureProjectPublishes(project);
        draft.EnsureValid();
        if (draft.MilestoneId is { } milestoneId && project.Milestones.All(m => m.Id != milestoneId))
        {
            throw DomainRuleException.Invalid("milestoneId", "This is not one of the project's milestones.");
        }

        return new ShowcaseEntry
        {
            Id = Guid.CreateVersion7(now), ProjectId = project.Id, MilestoneId = draft.MilestoneId, Title = draft.Title!.Trim(), Summary = draft.Summary!.Trim(),
            Links = [.. draft.Links], FileSha256 = file?.Sha256, FileName = file?.Name, FileContentType = file?.ContentType, FileLength = file?.Length,
            PublishedBy = authorId, PublishedByName = authorName, PublishedAt = now, Version = 1,
        };
    }

    /// <summary>Mentors, other teams and school staff review; the entry's own team and outsiders do not.</summary>
    public ShowcaseFeedback Review(Guid authorId, string authorName, ReviewerStanding standing, string text, DateTimeOffset now)
    {
        switch (standing)
        {
            case ReviewerStanding.OwnTeam:
                throw DomainRuleException.Forbidden("A team does not review its own showcase entry; its mentors, other teams and school staff do.");
            case ReviewerStanding.Outsider:
                throw DomainRuleException.Forbidden("Feedback on a showcase entry comes from the project's mentors, students of other project teams and school staff.");
        }

        text = text.Trim();
        if (text.Length is 0 or > ShowcaseFeedback.MaxText)
        {
            throw DomainRuleException.Invalid("text", $"Feedback is 1 to {ShowcaseFeedback.MaxText} characters.");
        }

        return ShowcaseFeedback.Give(Id, authorId, authorName, standing, text, now);
    }

    /// <summary>Hides the entry from everyone but school staff; hiding a hidden entry changes nothing.</summary>
    public bool Hide(string reason, Guid by, DateTimeOffset now)
    {
        if (IsHidden)
        {
            return false;
        }

        HiddenAt = now;
        HiddenBy = by;
        HiddenReason = reason.Trim();
        Version++;
        return true;
    }

    /// <summary>Shows a hidden entry again; showing a visible one changes nothing.</summary>
    public bool Unhide()
    {
        if (!IsHidden)
        {
            return false;
        }

        HiddenAt = null;
        HiddenBy = null;
        HiddenReason = null;
        Version++;
        return true;
    }
}

/// <summary>One reviewer's words on a showcase entry.</summary>
public sealed class ShowcaseFeedback
{
    public const int MaxText = 2000;

    private ShowcaseFeedback()
    {
    }

    public Guid Id { get; private set; }

    public Guid EntryId { get; private set; }

    public Guid AuthorId { get; private set; }

    public string AuthorName { get; private set; } = string.Empty;

    public ReviewerStanding Standing { get; private set; }

    public string Text { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    internal static ShowcaseFeedback Give(Guid entryId, Guid authorId, string authorName, ReviewerStanding standing, string text, DateTimeOffset now) => new()
    {
        Id = Guid.CreateVersion7(now), EntryId = entryId, AuthorId = authorId, AuthorName = authorName, Standing = standing, Text = text, CreatedAt = now,
    };
}

internal sealed class ShowcaseConfigurations : IEntityTypeConfiguration<ShowcaseEntry>, IEntityTypeConfiguration<ShowcaseFeedback>
{
    public void Configure(EntityTypeBuilder<ShowcaseEntry> builder)
    {
        builder.ToTable("ShowcaseEntries");
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Title).HasMaxLength(ShowcaseDraft.MaxTitle);
        builder.Property(e => e.Summary).HasMaxLength(ShowcaseDraft.MaxSummary);
        builder.PrimitiveCollection(e => e.Links);
        builder.Property(e => e.FileSha256).HasMaxLength(64).IsFixedLength();
        builder.Property(e => e.FileName).HasMaxLength(ReportFileName.MaxLength);
        builder.Property(e => e.FileContentType).HasMaxLength(100);
        builder.Property(e => e.PublishedByName).HasMaxLength(200);
        builder.Property(e => e.HiddenReason).HasMaxLength(500);
        builder.Property(e => e.Version).IsConcurrencyToken();
        builder.Ignore(e => e.File);
        builder.Ignore(e => e.IsHidden);
        builder.HasOne<Project>().WithMany().HasForeignKey(e => e.ProjectId);
        builder.HasIndex(e => new { e.ProjectId, e.PublishedAt });
        builder.HasIndex(e => e.PublishedAt);
    }

    public void Configure(EntityTypeBuilder<ShowcaseFeedback> builder)
    {
        builder.ToTable("ShowcaseFeedback");
        builder.Property(f => f.Id).ValueGeneratedNever();
        builder.Property(f => f.AuthorName).HasMaxLength(200);
        builder.Property(f => f.Standing).HasConversion<string>().HasMaxLength(20);
        builder.Property(f => f.Text).HasMaxLength(ShowcaseFeedback.MaxText);
        builder.HasOne<ShowcaseEntry>().WithMany().HasForeignKey(f => f.EntryId);
        builder.HasIndex(f => new { f.EntryId, f.CreatedAt });
    }
}
