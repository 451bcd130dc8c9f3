using System.Net;
using Bunit;
using CollabTraining.Portal.School;
using CollabTraining.Tests.Support;
using static CollabTraining.Tests.Portal.SchoolRoundsTests;

namespace CollabTraining.Tests.Portal;

public sealed class SchoolModulesTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private readonly PortalComponentContext _context = new(TestAuth.SchoolCoordinator);
    private readonly TrainingModule _module;
    private readonly Student _ada = new(Guid.NewGuid(), "S0001", "Ada One", "medicine", 3, "2026");

    public SchoolModulesTests()
    {
        var teacher = new ModuleTeacher(Guid.NewGuid(), "School Teacher", Guid.NewGuid(), "school");
        _module = new TrainingModule(Guid.NewGuid(), "MRI-101", "MRI safety", "core", "Working safely around the scanner.", 20, 1, 19,
            [teacher], [new ModuleGrant("mri-safety", "MRI safety", 365)], [], 2);
        _context.Gateway
            .OnJson(HttpMethod.Get, "/api/school/modules", _ => new { items = new[] { new ModuleSummary(_module.Id, "MRI-101", "MRI safety", "core", 20, 1, 19) }, pageNumber = 1, pageSize = 20, total = 1 })
            .OnJson(HttpMethod.Get, $"/api/school/modules/{_module.Id}", _ => _module)
            .OnJson(HttpMethod.Get, $"/api/school/modules/{_module.Id}/enrolments", _ => new[]
            {
                new Enrolment(_module.Id, "MRI-101", "MRI safety", _ada.Id, "Enrolled", DateTimeOffset.UtcNow.AddDays(-5), null, null, null, null),
            })
            .OnJson(HttpMethod.Get, $"/api/school/students/{_ada.Id}", _ => _ada);
    }

    [Fact]
    public async Task Passing_a_student_sends_the_result_with_the_score_and_says_what_it_granted()
    {
        _context.Gateway.OnJson(HttpMethod.Put, $"/api/school/modules/{_module.Id}/enrolments/{_ada.Id}/result", _ => new ModuleResult(
            new Enrolment(_module.Id, "MRI-101", "MRI safety", _ada.Id, "Completed", DateTimeOffset.UtcNow, true, 85, null, DateTimeOffset.UtcNow),
            [new GrantedQualification("mri-safety", "MRI safety", new DateOnly(2027, 11, 26))]));
        var page = await OpenModuleAsync();

        await page.InvokeAsync(() => Field(page, "Score of Ada One (S0001)")!.QuerySelector("input")!.Change("85"));
        await page.InvokeAsync(() => page.Find("button[aria-label='Pass Ada One (S0001)']").Click());

        page.WaitForAssertion(() => Assert.Contains(_context.Snackbar.ShownSnackbars, s => s.Message?.StartsWith("Ada One (S0001) passed and holds MRI safety", StringComparison.Ordinal) == true), Wait);
        Assert.Equal("""{"passed":true,"score":85,"note":null}""", Assert.Single(_context.Gateway.To($"/api/school/modules/{_module.Id}/enrolments/{_ada.Id}/result")).Body);
    }

    [Fact]
    public async Task A_score_the_api_refuses_is_shown_at_the_score()
    {
        _context.Gateway.On(HttpMethod.Put, $"/api/school/modules/{_module.Id}/enrolments/{_ada.Id}/result", _ => FakeGateway.Problem(HttpStatusCode.BadRequest, new
        {
            title = "One or more validation errors occurred.",
            status = 400,
            errors = new Dictionary<string, string[]> { ["score"] = ["A score is between 0 and 100."] },
        }));
        var page = await OpenModuleAsync();

        await page.InvokeAsync(() => page.Find("button[aria-label='Fail Ada One (S0001)']").Click());

        page.WaitForAssertion(() => Assert.Equal("A score is between 0 and 100.", ErrorAt(page, "Score of Ada One (S0001)")), Wait);
        Assert.Equal("""{"passed":false,"score":null,"note":null}""", Assert.Single(_context.Gateway.To($"/api/school/modules/{_module.Id}/enrolments/{_ada.Id}/result")).Body);
    }

    private async Task<IRenderedComponent<ModulesPage>> OpenModuleAsync()
    {
        var page = _context.RenderWithProviders<ModulesPage>();
        page.WaitForAssertion(() => Assert.Contains("MRI safety", page.Markup, StringComparison.Ordinal), Wait);
        await page.InvokeAsync(() => page.Find("button[aria-label='Show module MRI safety']").Click());
        page.WaitForAssertion(() => Assert.Contains("Ada One (S0001)", page.Markup, StringComparison.Ordinal), Wait);
        return page;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();
}
