using System.Net;
using Bunit;
using CollabTraining.Portal.Hospital;
using CollabTraining.Tests.Support;

namespace CollabTraining.Tests.Portal;

public sealed class HospitalEvaluationsTests : IAsyncLifetime
{
    private const string MentorName = "mentor1@st-marys.demo";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private readonly PortalComponentContext _context = new(MentorName);
    private readonly HospitalAssignment _student;
    private readonly Evaluation _earlier;

    public HospitalEvaluationsTests()
    {
        var mentor = TestAuth.User(MentorName);
        _student = new HospitalAssignment(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "Cardiology ward rotation", Guid.NewGuid(), "Ada Ahn", 4, "medicine",
            AssignmentStatus.Confirmed, null, mentor.Id, mentor.DisplayName, 2);
        _earlier = new Evaluation(Guid.NewGuid(), _student.Id, _student.StudentId, "Ada Ahn", mentor.Id, "Mid", new CompetencyScores(3, 3, 4, 2, 5, 4), 2,
            "Takes careful histories; needs practice with cannulation.", DateTimeOffset.UtcNow.AddDays(-10));
        _context.Gateway
            .OnJson(HttpMethod.Get, "/api/hospitals/assignments", _ => new[] { _student, _student with { Id = Guid.NewGuid(), StudentName = "Pending Pat", Status = AssignmentStatus.Pending } })
            .OnJson(HttpMethod.Get, "/api/hospitals/evaluations/mine", _ => new[] { _earlier })
            .OnJson(HttpMethod.Get, $"/api/hospitals/assignments/{_student.Id}/evaluations", _ => new[] { _earlier });
    }

    [Fact]
    public async Task The_mentor_scores_six_competencies_and_the_apis_problems_show_at_their_fields()
    {
        _context.Gateway.On(HttpMethod.Post, $"/api/hospitals/assignments/{_student.Id}/evaluations", r => r.Body!.Contains("\"kind\":\"Mid\"", StringComparison.Ordinal)
            ? FakeGateway.Problem(HttpStatusCode.BadRequest, new
            {
                title = "One or more validation errors occurred.",
                status = 400,
                errors = new Dictionary<string, string[]>
                {
                    ["kind"] = ["A mid-placement evaluation of this student is recorded already."],
                    ["scores.communication"] = ["The field Communication must be between 1 and 5."],
                },
            })
            : FakeGateway.Json(HttpStatusCode.Created, _earlier with { Id = Guid.NewGuid(), Kind = "Final" }));
        var page = _context.RenderWithProviders<EvaluationsPage>();
        page.WaitForAssertion(() => Assert.Contains("Ada Ahn", page.Markup, StringComparison.Ordinal), Wait);
        Assert.DoesNotContain("Pending Pat", page.Markup, StringComparison.Ordinal);
        Assert.Contains("Takes careful histories", page.Markup, StringComparison.Ordinal);

        await page.InvokeAsync(() => Button(page, "Evaluations of Ada Ahn").Click());
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll(".evaluation-panel .score-historyTaking")), Wait);
        string[] competencies = ["historyTaking", "physicalExamination", "clinicalReasoning", "proceduralSkills", "communication", "professionalism"];
        for (var i = 0; i < competencies.Length; i++)
        {
            var score = (i % 5) + 1;
            await page.InvokeAsync(() => page.Find($".score-{competencies[i]} input").Change(score.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        await page.InvokeAsync(() => page.Find(".evaluation-entrustment input").Change("3"));
        await page.InvokeAsync(() => page.Find(".evaluation-narrative textarea").Change("Examines systematically and explains plans clearly."));
        await page.InvokeAsync(() => page.Find(".evaluation-submit").Click());

        page.WaitForAssertion(() => Assert.Equal("The field Communication must be between 1 and 5.", FieldError(page, ".score-communication")), Wait);
        Assert.Equal("A mid-placement evaluation of this student is recorded already.", page.Find(".evaluation-kind-error").TextContent.Trim());
        Assert.Null(FieldError(page, ".score-professionalism"));
        Assert.Equal(
            """{"kind":"Mid","scores":{"historyTaking":1,"physicalExamination":2,"clinicalReasoning":3,"proceduralSkills":4,"communication":5,"professionalism":1},"entrustment":3,"narrative":"Examines systematically and explains plans clearly."}""",
            _context.Gateway.To($"/api/hospitals/assignments/{_student.Id}/evaluations").Single(r => r.Method == HttpMethod.Post).Body);

        await page.InvokeAsync(() => page.FindAll(".evaluation-kind input[type=radio]")[1].Click());
        await page.InvokeAsync(() => page.Find(".evaluation-submit").Click());
        page.WaitForAssertion(() => Assert.Contains(_context.Snackbar.ShownSnackbars, s => s.Message == "Your evaluation of Ada Ahn was recorded."), Wait);
        Assert.Contains("\"kind\":\"Final\"", _context.Gateway.To($"/api/hospitals/assignments/{_student.Id}/evaluations").Last(r => r.Method == HttpMethod.Post).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_coordinator_sees_the_submitted_evaluations_but_no_form()
    {
        await using var coordinator = new PortalComponentContext(TestAuth.StMarysCoordinator);
        coordinator.Gateway
            .OnJson(HttpMethod.Get, "/api/hospitals/assignments", _ => new[] { _student })
            .OnJson(HttpMethod.Get, $"/api/hospitals/assignments/{_student.Id}/evaluations", _ => new[] { _earlier });
        var page = coordinator.RenderWithProviders<EvaluationsPage>();
        page.WaitForAssertion(() => Assert.Contains("Ada Ahn", page.Markup, StringComparison.Ordinal), Wait);

        await page.InvokeAsync(() => Button(page, "Evaluations of Ada Ahn").Click());

        page.WaitForAssertion(() => Assert.Contains("needs practice with cannulation", page.Markup, StringComparison.Ordinal), Wait);
        Assert.Empty(page.FindAll(".evaluation-submit"));
        Assert.DoesNotContain(coordinator.Gateway.Requests, r => r.Path == "/api/hospitals/evaluations/mine");
    }

    private static AngleSharp.Dom.IElement Button(IRenderedComponent<EvaluationsPage> page, string label) =>
        page.FindAll("button").First(b => b.GetAttribute("aria-label") == label);

    private static string? FieldError(IRenderedComponent<EvaluationsPage> page, string field) =>
        page.Find(field).QuerySelector(".mud-input-helper-text.mud-input-error") is { } error ? error.TextContent.Trim() : null;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();
}
