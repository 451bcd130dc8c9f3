using System.ComponentModel.DataAnnotations;
using CollabTraining.Domain;
using CollabTraining.School.Data;
using CollabTraining.School.Projects;
using CollabTraining.ServiceDefaults.Http;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace CollabTraining.School.Showcase;

public sealed record ShowcaseFileResponse(string Name, string ContentType, long Length, string Sha256, string Url);

public sealed record ShowcaseFeedbackResponse(Guid Id, Guid AuthorId, string AuthorName, ReviewerStanding Standing, string Text, DateTimeOffset CreatedAt);

/// <param name="Hidden">Only school staff ever see a hidden entry (and why it was hidden).</param>
/// <param name="Feedback">On a single entry; left out of lists.</param>
public sealed record ShowcaseEntryResponse(
    Guid Id, Guid ProjectId, string ProjectTitle, Guid? MilestoneId, string? MilestoneTitle, string Title, string Summary, IReadOnlyList<string> Links,
    ShowcaseFileResponse? File, Guid PublishedBy, string PublishedByName, DateTimeOffset PublishedAt, bool Hidden, string? HiddenReason, DateTimeOffset? HiddenAt,
    IReadOnlyList<ShowcaseFeedbackResponse>? Feedback);

public sealed record ShowcaseFeedbackRequest([property: Required, StringLength(ShowcaseFeedback.MaxText, MinimumLength = 1)] string? Text);

public sealed record ShowcaseHideRequest([property: Required, StringLength(500, MinimumLength = 3)] string? Reason);

public static class ShowcaseApi
{
    public static void MapShowcaseApi(this IEndpointRouteBuilder app)
    {
        app.MapPost(SchoolModule.RoutePrefix + "/projects/{projectId:guid}/showcase", Publish).WithTags("Showcase").WithName("PublishShowcaseEntry")
            .WithSummary("Publish a project's result to the showcase (the project's team, or a school coordinator)")
            .WithDescription("`multipart/form-data`: `title` (required, at most 200 characters), `summary` (required, at most 4000), `milestoneId` "
                + "(optional, one of the project's milestones), `links` (0–10 absolute http/https addresses, each at most 500) and `file` (optional report "
                + $"up to 20 MB: {ReportFormat.AcceptedExtensions}; the content must be what the extension says). 413 when the report or request is too "
                + "large, 415 for another type, 409 (`reason`) while the project is proposed or after it was cancelled")
            .WithMetadata(new RequestSizeLimitAttribute(ShowcaseStore.MaxRequestLength))
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        var group = app.MapGroup(SchoolModule.RoutePrefix + "/showcase").WithTags("Showcase");
        group.MapGet("/", List).WithName("ListShowcaseEntries")
            .WithSummary("The showcase, newest first, optionally for one project; hidden entries only for school staff");
        group.MapGet("/{entryId:guid}", Get).WithName("GetShowcaseEntry")
            .WithSummary("One showcase entry with its feedback (a hidden one only for school staff)");
        group.MapGet("/{entryId:guid}/file", GetFile).WithName("GetShowcaseFile")
            .WithSummary("Download an entry's report, as an attachment that is never rendered as a page");
        group.MapPost("/{entryId:guid}/feedback", GiveFeedback).WithName("GiveShowcaseFeedback")
            .WithSummary("Give feedback on an entry: the project's mentors, students of other project teams and school staff (not the entry's own team)");
        group.MapPost("/{entryId:guid}/hide", Hide).WithName("HideShowcaseEntry")
            .WithSummary("Hide an entry from everyone but school staff, with the reason (school coordinators)")
            .RequireAuthorization(Policies.SchoolCoordinator);
        group.MapPost("/{entryId:guid}/unhide", Unhide).WithName("UnhideShowcaseEntry")
            .WithSummary("Show a hidden entry again (school coordinators)")
            .RequireAuthorization(Policies.SchoolCoordinator);
    }

    /// <summary>
    /// Who may publish and whether the project publishes are settled before a byte of the body is read; the report is
    /// kept (moved to its place) only after every field passed, so a refused request leaves nothing on disk or in the database.
    /// </summary>
    public static async Task<Results<Created<ShowcaseEntryResponse>, ProblemHttpResult>> Publish(
        Guid projectId, HttpRequest request, CurrentUser user, SchoolDbContext db, ShowcaseStore store, TimeProvider time, CancellationToken ct)
    {
        var access = await ProjectAccess.LoadAsync(db, projectId, user, ct);
        ShowcaseEntry.EnsureMayPublish(access);
        ShowcaseEntry.EnsureProjectPublishes(access.Project);
        if (request.ContentLength > ShowcaseStore.MaxRequestLength)
        {
            return Refused(new ReportRefusedException(ReportRefusal.TooLarge, $"The request is larger than the {ShowcaseStore.MaxRequestLength / (1024 * 1024)} MB a showcase entry may carry."));
        }

        if (ShowcaseForm.BoundaryOf(request) is not { } boundary)
        {
            return TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["body"] = ["The showcase takes multipart/form-data."] })
            {
                Status = StatusCodes.Status415UnsupportedMediaType, Title = "The request's media type is not accepted.", Detail = "The showcase takes multipart/form-data.",
            });
        }

        try
        {
            await using var form = await ShowcaseForm.ReadAsync(request, boundary, store, ct);
            var entry = ShowcaseEntry.Publish(access.Project, form.Draft, form.Report?.File, user.UserId, user.Name, time.GetUtcNow());
            form.Report?.Keep();
            db.Add(entry);
            await db.SaveChangesAsync(ct);
            return TypedResults.Created($"{SchoolModule.RoutePrefix}/showcase/{entry.Id}", ToResponse(entry, access.Project, feedback: []));
        }
        catch (ReportRefusedException refused)
        {
            return Refused(refused);
        }
    }

    public static async Task<Results<Ok<Page<ShowcaseEntryResponse>>, ValidationProblem>> List(
        CurrentUser user, SchoolDbContext db, CancellationToken ct, Guid? projectId = null, int page = 1, int pageSize = 20)
    {
        if (page is < 1 or > Paging.MaxPage)
        {
            return Problems.Invalid(nameof(page), $"The page number is between 1 and {Paging.MaxPage}.");
        }

        if (pageSize is < 1 or > 100)
        {
            return Problems.Invalid(nameof(pageSize), "A page holds 1 to 100 entries.");
        }

        var entries = db.Set<ShowcaseEntry>().AsNoTracking();
        if (!user.IsSchoolStaff)
        {
            entries = entries.Where(e => e.HiddenAt == null);
        }

        if (projectId is { } id)
        {
            entries = entries.Where(e => e.ProjectId == id);
        }

        var total = await entries.CountAsync(ct);
        var items = await entries.OrderByDescending(e => e.PublishedAt).ThenByDescending(e => e.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        var projectIds = items.Select(e => e.ProjectId).Distinct().ToList();
        var projects = await db.Set<Project>().AsNoTracking().Include(p => p.Milestones).Where(p => projectIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        return TypedResults.Ok(new Page<ShowcaseEntryResponse>(items.Select(e => ToResponse(e, projects[e.ProjectId], feedback: null)).ToList(), page, pageSize, total));
    }

    public static async Task<Ok<ShowcaseEntryResponse>> Get(Guid entryId, CurrentUser user, SchoolDbContext db, CancellationToken ct)
    {
        var entry = await VisibleEntryAsync(db, entryId, user, tracked: false, ct);
        return TypedResults.Ok(await ToResponseAsync(db, entry, ct));
    }

    /// <summary>
    /// The report as stored, always as a download: <c>Content-Disposition: attachment</c>, <c>nosniff</c> and a sandboxing CSP,
    /// so even a file that slipped through could not run as a page of the platform. The ETag is the content's hash.
    /// </summary>
    public static async Task<PhysicalFileHttpResult> GetFile(Guid entryId, CurrentUser user, SchoolDbContext db, ShowcaseStore store, HttpResponse response, CancellationToken ct)
    {
        var entry = await VisibleEntryAsync(db, entryId, user, tracked: false, ct);
        var file = entry.File ?? throw new DomainRuleException(RuleMeaning.NotFound, "This showcase entry has no report.");
        var path = store.PathOf(file.Sha256);
        if (!File.Exists(path))
        {
            throw new DomainRuleException(RuleMeaning.NotFound, "This entry's report is missing from the showcase store.");
        }

        response.Headers[HeaderNames.XContentTypeOptions] = "nosniff";
        response.Headers[HeaderNames.ContentSecurityPolicy] = "sandbox";
        // Revalidated every time: a report hidden since must not come back from a cache.
        response.Headers[HeaderNames.CacheControl] = "private, no-cache";
        return TypedResults.PhysicalFile(path, file.ContentType, file.Name, entityTag: new EntityTagHeaderValue($"\"{file.Sha256}\""));
    }

    public static async Task<Created<ShowcaseFeedbackResponse>> GiveFeedback(
        Guid entryId, ShowcaseFeedbackRequest request, CurrentUser user, SchoolDbContext db, TimeProvider time, CancellationToken ct)
    {
        var entry = await VisibleEntryAsync(db, entryId, user, tracked: false, ct);
        var project = await db.Set<Project>().AsNoTracking().Include(p => p.Members).Include(p => p.Mentors).AsSplitQuery().SingleAsync(p => p.Id == entry.ProjectId, ct);
        var inAnotherTeam = await db.Set<ProjectMember>()
            .AnyAsync(m => m.StudentId == user.UserId && m.ProjectId != project.Id
                && db.Set<Project>().Any(p => p.Id == m.ProjectId && p.Status != ProjectStatus.Cancelled), ct);
        var standing = ShowcaseEntry.StandingOf(project, user.UserId, user.IsSchoolStaff, inAnotherTeam);
        var feedback = entry.Review(user.UserId, user.Name, standing, request.Text!, time.GetUtcNow());
        db.Add(feedback);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"{SchoolModule.RoutePrefix}/showcase/{entry.Id}", ToResponse(feedback));
    }

    public static async Task<Ok<ShowcaseEntryResponse>> Hide(Guid entryId, ShowcaseHideRequest request, CurrentUser user, SchoolDbContext db, TimeProvider time, CancellationToken ct)
    {
        var entry = await VisibleEntryAsync(db, entryId, user, tracked: true, ct);
        if (entry.Hide(request.Reason!, user.UserId, time.GetUtcNow()))
        {
            await db.SaveChangesAsync(ct);
        }

        return TypedResults.Ok(await ToResponseAsync(db, entry, ct));
    }

    public static async Task<Ok<ShowcaseEntryResponse>> Unhide(Guid entryId, CurrentUser user, SchoolDbContext db, CancellationToken ct)
    {
        var entry = await VisibleEntryAsync(db, entryId, user, tracked: true, ct);
        if (entry.Unhide())
        {
            await db.SaveChangesAsync(ct);
        }

        return TypedResults.Ok(await ToResponseAsync(db, entry, ct));
    }

    /// <summary>The entry, or 404 when there is none or it is hidden and the caller is not school staff.</summary>
    private static async Task<ShowcaseEntry> VisibleEntryAsync(SchoolDbContext db, Guid entryId, CurrentUser user, bool tracked, CancellationToken ct)
    {
        IQueryable<ShowcaseEntry> entries = tracked ? db.Set<ShowcaseEntry>() : db.Set<ShowcaseEntry>().AsNoTracking();
        var entry = await entries.SingleOrDefaultAsync(e => e.Id == entryId, ct);
        return entry is not null && (!entry.IsHidden || user.IsSchoolStaff) ? entry : throw DomainRuleException.NotFound("showcase entry", entryId);
    }

    private static ProblemHttpResult Refused(ReportRefusedException refused)
    {
        var (status, title) = refused.Refusal == ReportRefusal.TooLarge
            ? (StatusCodes.Status413PayloadTooLarge, "The report is too large.")
            : (StatusCodes.Status415UnsupportedMediaType, "The report's type is not accepted.");
        return TypedResults.Problem(new HttpValidationProblemDetails(new Dictionary<string, string[]> { ["file"] = [refused.Message] })
        {
            Status = status, Title = title, Detail = refused.Message,
        });
    }

    private static async Task<ShowcaseEntryResponse> ToResponseAsync(SchoolDbContext db, ShowcaseEntry entry, CancellationToken ct)
    {
        var project = await db.Set<Project>().AsNoTracking().Include(p => p.Milestones).SingleAsync(p => p.Id == entry.ProjectId, ct);
        var feedback = await db.Set<ShowcaseFeedback>().AsNoTracking().Where(f => f.EntryId == entry.Id)
            .OrderBy(f => f.CreatedAt).ThenBy(f => f.Id).ToListAsync(ct);
        return ToResponse(entry, project, feedback.Select(ToResponse).ToList());
    }

    private static ShowcaseEntryResponse ToResponse(ShowcaseEntry entry, Project project, IReadOnlyList<ShowcaseFeedbackResponse>? feedback) => new(
        entry.Id, entry.ProjectId, project.Title, entry.MilestoneId, project.Milestones.FirstOrDefault(m => m.Id == entry.MilestoneId)?.Title,
        entry.Title, entry.Summary, entry.Links,
        entry.File is { } file ? new ShowcaseFileResponse(file.Name, file.ContentType, file.Length, file.Sha256, $"{SchoolModule.RoutePrefix}/showcase/{entry.Id}/file") : null,
        entry.PublishedBy, entry.PublishedByName, entry.PublishedAt, entry.IsHidden, entry.HiddenReason, entry.HiddenAt, feedback);

    private static ShowcaseFeedbackResponse ToResponse(ShowcaseFeedback feedback) =>
        new(feedback.Id, feedback.AuthorId, feedback.AuthorName, feedback.Standing, feedback.Text, feedback.CreatedAt);
}
