using Milestone = CollabTraining.Portal.School.Milestone;
using ProjectBudget = CollabTraining.Portal.School.ProjectBudget;
using BudgetLine = CollabTraining.Portal.School.BudgetLine;
using RoundOffer = CollabTraining.Portal.School.RoundOffer;
using Project = CollabTraining.Portal.School.Project;
using ProjectMember = CollabTraining.Portal.School.ProjectMember;
using ProjectMentor = CollabTraining.Portal.School.ProjectMentor;
using Bundle = CollabTraining.Portal.School.Bundle;
using BundlePart = CollabTraining.Portal.School.BundlePart;
using System.Globalization;
using System.Net;
using Bunit;
using CollabTraining.Portal.Student;
using CollabTraining.Tests.Support;
using Microsoft.AspNetCore.Components;

namespace CollabTraining.Tests.Portal;

/// <summary>The student's pages: ranking a round's offers, the placement result, hours, the training record and projects.</summary>
public sealed class StudentTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private static readonly DateOnly Starts = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(2);
    private static readonly RoundOffer Cardiology = Offer("Cardiology ward", "St Mary's University Hospital");
    private static readonly RoundOffer Radiology = Offer("Radiology", "St Mary's University Hospital");
    private static readonly RoundOffer Practice = Offer("General practice", "Riverside Clinic");
    private static readonly PlacementRound Round = new(
        Guid.NewGuid(), "Spring placements", [Cardiology.OfferId, Radiology.OfferId, Practice.OfferId], [Cardiology, Radiology, Practice],
        DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(13), 2, "Open", null, null, null, 1);

    private readonly PortalComponentContext _context = new();
    private readonly Guid _me = TestAuth.User(TestAuth.Student).Id;

    public StudentTests()
    {
        var rounds = $"/api/school/rounds/{Round.Id}";
        _context.Gateway
            .OnJson(HttpMethod.Get, "/api/school/rounds", _ => new[] { Round })
            .OnJson(HttpMethod.Get, $"{rounds}/eligibility/me", _ => new[]
            {
                new OfferEligibility(Cardiology.OfferId, true, null),
                new OfferEligibility(Radiology.OfferId, false, "the mri-safety qualification is required and you do not hold it"),
                new OfferEligibility(Practice.OfferId, true, null),
            })
            .On(HttpMethod.Get, $"{rounds}/preferences/me", _ => FakeGateway.Problem(HttpStatusCode.NotFound, new { title = "No ranking yet.", status = 404 }))
            .On(HttpMethod.Put, $"{rounds}/preferences/me", r => FakeGateway.Json(HttpStatusCode.OK,
                new MyPreferences(Round.Id, _me, [Practice.OfferId, Cardiology.OfferId], [Ranked(Practice), Ranked(Cardiology)], DateTimeOffset.UtcNow)));
    }

    [Fact]
    public async Task The_student_sees_why_an_offer_is_closed_to_them_ranks_with_the_buttons_and_submits_exactly_that_ranking()
    {
        var page = _context.RenderWithProviders<RoundsPage>();
        page.WaitForAssertion(() => Assert.Equal(3, OffersIn(page, "available-offers").Count), Wait);

        Assert.Contains("Not eligible: the mri-safety qualification is required", Item(page, Radiology).TextContent, StringComparison.Ordinal);
        Assert.True(Button(page, "rank-add", Radiology).HasAttribute("disabled"));
        Assert.Contains("Eligible", Item(page, Cardiology).TextContent, StringComparison.Ordinal);
        Assert.Equal("Add Cardiology ward to my ranking", Button(page, "rank-add", Cardiology).GetAttribute("aria-label"));
        Assert.NotNull(page.Find("[data-testid='no-ranking']"));

        await page.InvokeAsync(() => Button(page, "rank-add", Cardiology).Click());
        await page.InvokeAsync(() => Button(page, "rank-add", Practice).Click());
        page.WaitForAssertion(() => Assert.Equal([Cardiology.OfferId, Practice.OfferId], OffersIn(page, "ranking")), Wait);
        // Two offers at most in this round: the third cannot be added.
        Assert.Equal([Radiology.OfferId], OffersIn(page, "available-offers"));
        await page.InvokeAsync(() => Button(page, "rank-up", Practice).Click());
        page.WaitForAssertion(() => Assert.Equal([Practice.OfferId, Cardiology.OfferId], OffersIn(page, "ranking")), Wait);

        await page.InvokeAsync(() => page.Find("[data-testid='submit-ranking']").Click());

        page.WaitForAssertion(() => Assert.Contains("Your submitted ranking", page.Find("[data-testid='submitted-ranking']").TextContent, StringComparison.Ordinal), Wait);
        var sent = Assert.Single(_context.Gateway.Requests, r => r.Method == HttpMethod.Put);
        Assert.Equal($$"""{"offerIds":["{{Practice.OfferId}}","{{Cardiology.OfferId}}"]}""", sent.Body);
        Assert.Equal(["General practice · Riverside Clinic", "Cardiology ward · St Mary's University Hospital"],
            page.FindAll("[data-testid='submitted-ranking'] li").Select(li => li.TextContent.Trim()));
        Assert.Equal("Open", Assert.Single(_context.Gateway.To("/api/school/rounds")).Query["status"]);
    }

    [Fact]
    public async Task Coming_back_shows_the_submitted_ranking_and_removing_and_moving_down_change_it()
    {
        _context.Gateway.OnJson(HttpMethod.Get, $"/api/school/rounds/{Round.Id}/preferences/me", _ =>
            new MyPreferences(Round.Id, _me, [Cardiology.OfferId, Practice.OfferId], [Ranked(Cardiology), Ranked(Practice)], DateTimeOffset.UtcNow.AddHours(-2)));

        var page = _context.RenderWithProviders<RoundsPage>();

        page.WaitForAssertion(() => Assert.Equal([Cardiology.OfferId, Practice.OfferId], OffersIn(page, "ranking")), Wait);
        Assert.Equal(2, page.FindAll("[data-testid='submitted-ranking'] li").Count);
        await page.InvokeAsync(() => Button(page, "rank-down", Cardiology).Click());
        page.WaitForAssertion(() => Assert.Equal([Practice.OfferId, Cardiology.OfferId], OffersIn(page, "ranking")), Wait);
        await page.InvokeAsync(() => Button(page, "rank-remove", Practice).Click());
        page.WaitForAssertion(() => Assert.Equal([Cardiology.OfferId], OffersIn(page, "ranking")), Wait);
        Assert.Contains(Practice.OfferId, OffersIn(page, "available-offers"));
    }

    [Fact]
    public async Task The_apis_refusal_of_one_choice_appears_at_that_offer()
    {
        _context.Gateway.On(HttpMethod.Put, $"/api/school/rounds/{Round.Id}/preferences/me", _ => FakeGateway.Problem(HttpStatusCode.BadRequest, new
        {
            title = "The ranking cannot be accepted.",
            status = 400,
            errors = new Dictionary<string, string[]> { ["offerIds[1]"] = ["You are not eligible for 'General practice' at Riverside Clinic: the placement started."] },
        }));
        var page = _context.RenderWithProviders<RoundsPage>();
        page.WaitForAssertion(() => Assert.Equal(3, OffersIn(page, "available-offers").Count), Wait);
        await page.InvokeAsync(() => Button(page, "rank-add", Cardiology).Click());
        await page.InvokeAsync(() => Button(page, "rank-add", Practice).Click());

        await page.InvokeAsync(() => page.Find("[data-testid='submit-ranking']").Click());

        page.WaitForAssertion(() => Assert.Equal(
            "You are not eligible for 'General practice' at Riverside Clinic: the placement started.",
            Item(page, Practice).QuerySelector("[data-testid='choice-problem']")?.TextContent.Trim()), Wait);
        Assert.Null(Item(page, Cardiology).QuerySelector("[data-testid='choice-problem']"));
        Assert.Empty(page.FindAll("[data-testid='submitted-ranking']"));
    }

    [Fact]
    public void A_refused_list_of_rounds_is_shown_not_thrown()
    {
        _context.Gateway.On(HttpMethod.Get, "/api/school/rounds", _ => FakeGateway.Problem(HttpStatusCode.Forbidden,
            new { title = "Forbidden", status = 403, detail = "Only students rank offers." }));

        var page = _context.RenderWithProviders<RoundsPage>();

        page.WaitForAssertion(() => Assert.Equal("Only students rank offers.", page.Find("[data-testid='rounds-problem']").TextContent.Trim()), Wait);
    }

    [Fact]
    public void The_placement_page_explains_the_result_and_shows_the_assignment_with_its_dates_and_status()
    {
        var published = Round with { Status = "Published", PublishedRunId = Guid.NewGuid() };
        var rounds = $"/api/school/rounds/{Round.Id}";
        _context.Gateway
            .OnJson(HttpMethod.Get, "/api/school/rounds", _ => new[] { published })
            .OnJson(HttpMethod.Get, $"{rounds}/result/me", _ => new MyMatchResult(Round.Id, published.PublishedRunId!.Value, "Initial", Practice.OfferId, Practice.Title,
                Practice.HospitalName, 2, [new RankedAboveExplanation(Cardiology.OfferId, Cardiology.Title, Cardiology.HospitalName, 1, "Full", "Student 005 in study year 6 came first.")], null))
            .OnJson(HttpMethod.Get, $"{rounds}/assignment/me", _ => new MyAssignment(Guid.NewGuid(), Round.Id, published.PublishedRunId, Practice.OfferId, Practice.Title,
                Practice.HospitalId, Practice.HospitalName, _me, "Student 001", 2, "Confirmed", null, null, "Dr Grey", DateTimeOffset.UtcNow, 1));

        var page = _context.RenderWithProviders<PlacementPage>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid='assignment']")), Wait);
        var result = page.Find("[data-testid='result']").TextContent;
        Assert.Contains("Placed at General practice, Riverside Clinic: your choice 2.", result, StringComparison.Ordinal);
        Assert.Contains("Choice 1: Cardiology ward", result, StringComparison.Ordinal);
        Assert.Contains("its seats went to students with higher priority", result, StringComparison.Ordinal);
        Assert.Contains("Student 005 in study year 6 came first.", result, StringComparison.Ordinal);
        var assignment = page.Find("[data-testid='assignment']").TextContent;
        Assert.Contains(Practice.StartsOn.ToString("d", CultureInfo.CurrentCulture), assignment, StringComparison.Ordinal);
        Assert.Contains("Dr Grey", assignment, StringComparison.Ordinal);
        Assert.Equal("Confirmed", page.Find("[data-testid='assignment-status']").TextContent.Trim());
        Assert.Equal("Published", Assert.Single(_context.Gateway.To("/api/school/rounds")).Query["status"]);
    }

    [Fact]
    public async Task Giving_up_a_placement_sends_the_reason_and_a_refused_reason_shows_at_the_field()
    {
        var published = Round with { Status = "Published", PublishedRunId = Guid.NewGuid() };
        var rounds = $"/api/school/rounds/{Round.Id}";
        _context.Gateway
            .OnJson(HttpMethod.Get, "/api/school/rounds", _ => new[] { published })
            .On(HttpMethod.Get, $"{rounds}/result/me", _ => FakeGateway.Problem(HttpStatusCode.NotFound, new { title = "You were not in this match.", status = 404 }))
            .OnJson(HttpMethod.Get, $"{rounds}/assignment/me", _ => new MyAssignment(Guid.NewGuid(), Round.Id, null, Practice.OfferId, Practice.Title,
                Practice.HospitalId, Practice.HospitalName, _me, "Student 001", 1, "Pending", null, null, null, DateTimeOffset.UtcNow, 1))
            .On(HttpMethod.Post, $"{rounds}/assignment/me/decline", _ => FakeGateway.Problem(HttpStatusCode.BadRequest, new
            {
                title = "One or more validation errors occurred.",
                status = 400,
                errors = new Dictionary<string, string[]> { ["reason"] = ["The field Reason must be a string with a minimum length of 3."] },
            }));
        var page = _context.RenderWithProviders<PlacementPage>();
        page.WaitForAssertion(() => Assert.Equal("You were not in this match.", page.Find("[data-testid='no-result']").TextContent.Trim()), Wait);

        await page.InvokeAsync(() => page.Find("[data-testid='decline']").Click());
        await page.InvokeAsync(() => Field(page, "decline-reason").Change("no"));
        await page.InvokeAsync(() => page.Find("[data-testid='confirm-decline']").Click());

        page.WaitForAssertion(() => Assert.Contains("minimum length of 3", FieldError(page, "decline-reason"), StringComparison.Ordinal), Wait);
        Assert.Equal("""{"reason":"no"}""", Assert.Single(_context.Gateway.Requests, r => r.Method == HttpMethod.Post).Body);
    }

    [Fact]
    public async Task Hours_are_logged_on_the_confirmed_placement_as_the_api_takes_them_and_a_refused_field_shows_its_message()
    {
        var assignment = Guid.NewGuid();
        var placementStart = DateOnly.FromDateTime(DateTime.Today).AddDays(-10);
        _context.Gateway
            .OnJson(HttpMethod.Get, $"/api/school/students/{_me}/record", _ => Record([
                new RecordPlacement(assignment, Round.Id, Practice.OfferId, "General practice", "Riverside Clinic", placementStart, placementStart.AddDays(20), "Confirmed", "Dr Grey", 7.5m, []),
            ]))
            .OnJson(HttpMethod.Get, "/api/hospitals/hours/me", _ => new[]
            {
                new HoursEntry(Guid.NewGuid(), assignment, _me, placementStart, 7.5m, "Ward round", "Approved", "Well done", DateTimeOffset.UtcNow),
                new HoursEntry(Guid.NewGuid(), assignment, _me, placementStart.AddDays(1), 4m, "Clinic", "Rejected", "You were off that day", DateTimeOffset.UtcNow),
            })
            .On(HttpMethod.Post, $"/api/hospitals/assignments/{assignment}/hours/me", _ => FakeGateway.Problem(HttpStatusCode.BadRequest, new
            {
                title = "One or more validation errors occurred.",
                status = 400,
                errors = new Dictionary<string, string[]> { ["hours"] = ["Hours are logged in half hours (7.5, not 7.45)."] },
            }));
        var page = _context.RenderWithProviders<HoursPage>();
        page.WaitForAssertion(() => Assert.Contains("You were off that day", page.Markup, StringComparison.Ordinal), Wait);
        Assert.Contains("Approved: 7.5 h", page.Find("[data-testid='hours-totals']").TextContent, StringComparison.Ordinal);
        Assert.Contains("Rejected", page.Markup, StringComparison.Ordinal);

        var day = placementStart.AddDays(2);
        await page.InvokeAsync(() => Field(page, "hours-date").Change(day.ToDateTime(TimeOnly.MinValue).ToString("d", CultureInfo.CurrentCulture)));
        await page.InvokeAsync(() => Field(page, "hours-hours").Change("7.5"));
        await page.InvokeAsync(() => Field(page, "hours-activity").Change("Night shift on the ward"));
        await page.InvokeAsync(() => page.Find("[data-testid='log-hours']").Click());

        page.WaitForAssertion(() => Assert.Single(_context.Gateway.Requests, r => r.Method == HttpMethod.Post), Wait);
        var sent = _context.Gateway.Requests.Single(r => r.Method == HttpMethod.Post);
        Assert.Equal($$"""{"date":"{{day:yyyy-MM-dd}}","hours":7.5,"activity":"Night shift on the ward"}""", sent.Body);
        page.WaitForAssertion(() => Assert.Equal("Hours are logged in half hours (7.5, not 7.45).",
            FieldError(page, "hours-hours")), Wait);
        Assert.Null(FieldError(page, "hours-activity"));
    }

    [Fact]
    public void The_training_record_shows_placements_evaluations_qualifications_and_modules()
    {
        _context.Gateway.OnJson(HttpMethod.Get, $"/api/school/students/{_me}/record", _ => Record(
            [
                new RecordPlacement(Guid.NewGuid(), Round.Id, Practice.OfferId, "General practice", "Riverside Clinic", Starts, Starts.AddDays(20), "Confirmed", "Dr Grey", 37.5m,
                    [new RecordEvaluation(Guid.NewGuid(), "Final", "Dr Grey", new CompetencyScores(4, 4, 5, 3, 5, 4), 4, "Ready for unsupervised history taking.", DateTimeOffset.UtcNow)]),
            ],
            [new RecordQualification("mri-safety", "MRI safety", Starts.AddYears(1), false)],
            [new RecordModule(Guid.NewGuid(), "CORE-1", "Clinical skills", "core", "completed", true, 88, DateTimeOffset.UtcNow.AddMonths(-2), DateTimeOffset.UtcNow)]));

        var page = _context.RenderWithProviders<RecordPage>();

        page.WaitForAssertion(() => Assert.Contains("Student 001 · Medicine, year 4", page.Find("[data-testid='record-student']").TextContent, StringComparison.Ordinal), Wait);
        var placements = page.Find("[data-testid='record-placements']").TextContent;
        Assert.Contains("Riverside Clinic", placements, StringComparison.Ordinal);
        Assert.Contains("37.5", placements, StringComparison.Ordinal);
        Assert.Contains("Ready for unsupervised history taking.", placements, StringComparison.Ordinal);
        Assert.Contains("entrustment 4", placements, StringComparison.Ordinal);
        Assert.Contains("MRI safety", page.Find("[data-testid='record-qualifications']").TextContent, StringComparison.Ordinal);
        Assert.Contains("Passed", page.Find("[data-testid='record-modules']").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_projects_page_shows_the_team_the_mentors_and_the_bundles()
    {
        var project = new Project(Guid.NewGuid(), "Smart stethoscope", "AI in diagnosis", "Heart sounds classified on the ward.", "approved", null,
            [new ProjectMember(_me, "Student 001", "medicine"), new ProjectMember(Guid.NewGuid(), "Student 002", "medicine")],
            [new ProjectMentor(Guid.NewGuid(), "engineering", "enterprises", Guid.NewGuid(), "Ada Lovelace", Guid.NewGuid(), "accepted", DateTimeOffset.UtcNow, null, DateTimeOffset.UtcNow)],
            [new Milestone(Guid.NewGuid(), "Prototype", Starts)],
            new ProjectBudget(new BudgetLine(100, 10, 20, 70), new BudgetLine(50, 0, 0, 50)), DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, 3);
        _context.Gateway
            .OnJson(HttpMethod.Get, "/api/school/projects", _ => new[] { project })
            .OnJson(HttpMethod.Get, $"/api/school/projects/{project.Id}/bundles", _ => new[]
            {
                new Bundle(Guid.NewGuid(), project.Id, "failed", true, "The GPU pool refused: full.", null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(1), DateTimeOffset.UtcNow,
                    [new BundlePart(Guid.NewGuid(), "enterprises", Guid.NewGuid(), "GPU pool A", "computePool", 4, DateTimeOffset.UtcNow.AddDays(3), DateTimeOffset.UtcNow.AddDays(3).AddHours(2),
                        _me, "refused", null, "full", "No capacity left", 2)]),
            });

        var page = _context.RenderWithProviders<ProjectsPage>();

        page.WaitForAssertion(() => Assert.NotNull(page.Find("[data-testid='bundles']")), Wait);
        var card = page.Find($"[data-testid='project-{project.Id}']").TextContent;
        Assert.Contains("Student 002", card, StringComparison.Ordinal);
        Assert.Contains("Ada Lovelace · engineering mentor — accepted", card, StringComparison.Ordinal);
        Assert.Contains("GPU-hours left: 70 of 100", card, StringComparison.Ordinal);
        Assert.Contains("The GPU pool refused: full.", card, StringComparison.Ordinal);
        Assert.Contains("GPU pool A", card, StringComparison.Ordinal);
    }

    /// <summary>The input of a field (MudBlazor puts the field's attributes on its input, or around it).</summary>
    private static AngleSharp.Dom.IElement Field<T>(IRenderedComponent<T> page, string testId) where T : IComponent =>
        page.Find($"input[data-testid='{testId}'], textarea[data-testid='{testId}'], [data-testid='{testId}'] input, [data-testid='{testId}'] textarea");

    /// <summary>The message shown under a field, if any.</summary>
    private static string? FieldError<T>(IRenderedComponent<T> page, string testId) where T : IComponent =>
        Field(page, testId).Closest(".mud-input-control")?.QuerySelector(".mud-input-helper-text.mud-input-error")?.TextContent.Trim();

    private static RoundOffer Offer(string title, string hospital) =>
        new(Guid.NewGuid(), title, Guid.NewGuid(), hospital, Starts, Starts.AddDays(27), 2);

    private static RankedOffer Ranked(RoundOffer offer) => new(offer.OfferId, offer.Title, offer.HospitalName);

    private TrainingRecord Record(List<RecordPlacement> placements, List<RecordQualification>? qualifications = null, List<RecordModule>? modules = null) =>
        new(_me, "Student 001", "Medicine", 4, placements, qualifications ?? [], [], [], modules ?? [], []);

    private static AngleSharp.Dom.IElement Item(IRenderedComponent<RoundsPage> page, RoundOffer offer) => page.Find($"[data-testid='offer-{offer.OfferId}']");

    private static AngleSharp.Dom.IElement Button(IRenderedComponent<RoundsPage> page, string action, RoundOffer offer) =>
        page.Find($"[data-testid='{action}-{offer.OfferId}']");

    /// <summary>The offers in a drop zone, in the order shown.</summary>
    private static List<Guid> OffersIn(IRenderedComponent<RoundsPage> page, string zone) =>
        [.. page.FindAll($"[data-testid='{zone}'] [data-testid^='offer-']").Select(e => Guid.Parse(e.GetAttribute("data-testid")!["offer-".Length..]))];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();
}
