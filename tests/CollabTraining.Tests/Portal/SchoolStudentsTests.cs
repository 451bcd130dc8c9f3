using System.Net;
using Bunit;
using CollabTraining.Portal.School;
using CollabTraining.Tests.Support;
using Microsoft.AspNetCore.Components.Forms;
using static CollabTraining.Tests.Portal.SchoolRoundsTests;

namespace CollabTraining.Tests.Portal;

public sealed class SchoolStudentsTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private const string Register = "studentNumber,name,programme,studyYear,cohort,userId\nBR0001,Ada One,medicine,2,2026,\nBR0002,Bo Two,nursing,9,2026,\n";
    private readonly PortalComponentContext _context = new(TestAuth.SchoolCoordinator);

    public SchoolStudentsTests()
    {
        _context.Gateway
            .OnJson(HttpMethod.Get, "/api/school/reference/programmes", _ => new[] { new ReferenceCode("medicine", "Medicine"), new ReferenceCode("nursing", "Nursing") })
            .OnJson(HttpMethod.Get, "/api/school/students", r =>
            {
                var page = int.Parse(r.Query["page"], System.Globalization.CultureInfo.InvariantCulture);
                var size = int.Parse(r.Query["pageSize"], System.Globalization.CultureInfo.InvariantCulture);
                var items = Enumerable.Range(1, size).Select(i => new Student(Guid.NewGuid(), $"S{page:00}{i:000}", $"Student {i} of page {page}", "medicine", 2, "2026"));
                return new { items, pageNumber = page, pageSize = size, total = 120 };
            });
    }

    [Fact]
    public async Task The_register_is_paged_and_searched_on_the_server()
    {
        var page = _context.RenderWithProviders<StudentsPage>();
        page.WaitForAssertion(() => Assert.Contains("Student 1 of page 1", page.Markup, StringComparison.Ordinal), Wait);
        Assert.Equal(("1", "50"), Last().Query is var q ? (q["page"], q["pageSize"]) : default);
        Assert.Contains("Medicine", page.Markup, StringComparison.Ordinal);

        await page.InvokeAsync(() => page.Find("button[aria-label='Next page']").Click());
        page.WaitForAssertion(() => Assert.Contains("Student 1 of page 2", page.Markup, StringComparison.Ordinal), Wait);

        await page.InvokeAsync(() => Field(page, "Search")!.QuerySelector("input")!.Input("Ada"));
        page.WaitForAssertion(() => Assert.Equal(("Ada", "1"), Last().Query is var q ? (q.GetValueOrDefault("q"), q["page"]) : default), Wait);
    }

    [Fact]
    public async Task A_register_with_an_error_shows_the_row_and_column_the_api_names_and_says_nothing_was_imported()
    {
        _context.Gateway.On(HttpMethod.Post, "/api/school/students/import", _ => FakeGateway.Problem(HttpStatusCode.BadRequest, new
        {
            title = "The register has errors; nothing was imported.",
            status = 400,
            detail = "1 error(s) found. Correct them and send the whole file again.",
            errors = new[] { new { row = 3, column = "studyYear", message = "The study year is between 1 and 6." } },
            errorCount = 1,
        }));
        var page = _context.RenderWithProviders<StudentsPage>();
        page.WaitForAssertion(() => Assert.Contains("Student 1 of page 1", page.Markup, StringComparison.Ordinal), Wait);

        await page.InvokeAsync(() => page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(Register, "register.csv", contentType: "text/csv")));
        page.WaitForAssertion(() => Assert.Contains("register.csv", page.Find("[data-testid=import-file]").TextContent, StringComparison.Ordinal), Wait);
        await page.InvokeAsync(() => page.Find("button[aria-label='Import']").Click());

        page.WaitForAssertion(() => Assert.Contains("The register has errors; nothing was imported.", page.Find("[data-testid=import-problem]").TextContent, StringComparison.Ordinal), Wait);
        var error = page.FindAll("table[aria-label='Errors in the file'] tbody tr").Single();
        Assert.Equal(["3", "studyYear", "The study year is between 1 and 6."], error.QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
        Assert.Empty(page.FindAll("[data-testid=import-result]"));

        var sent = Assert.Single(_context.Gateway.To("/api/school/students/import"));
        Assert.Equal(Register, sent.Body);
    }

    [Fact]
    public async Task A_register_without_errors_says_how_many_were_enrolled_and_updated_and_reloads_the_list()
    {
        _context.Gateway.OnJson(HttpMethod.Post, "/api/school/students/import", _ => new StudentImportResult(2, 0));
        var page = _context.RenderWithProviders<StudentsPage>();
        page.WaitForAssertion(() => Assert.Contains("Student 1 of page 1", page.Markup, StringComparison.Ordinal), Wait);
        var before = _context.Gateway.To("/api/school/students").Count();

        await page.InvokeAsync(() => page.FindComponent<InputFile>().UploadFiles(InputFileContent.CreateFromText(Register, "register.csv", contentType: "text/csv")));
        await page.InvokeAsync(() => page.Find("button[aria-label='Import']").Click());

        page.WaitForAssertion(() => Assert.Equal("Imported: 2 student(s) enrolled, 0 updated.", page.Find("[data-testid=import-result]").TextContent.Trim()), Wait);
        page.WaitForAssertion(() => Assert.True(_context.Gateway.To("/api/school/students").Count() > before), Wait);
        Assert.Empty(page.FindAll("[data-testid=import-problem]"));
    }

    private SentRequest Last() => _context.Gateway.To("/api/school/students").Last();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _context.DisposeAsync();
}
