using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CollabTraining.School;
using CollabTraining.Tests.Support;

namespace CollabTraining.Tests.Integration;

/// <summary>
/// The student register comes in as one CSV file: a file with any error imports nothing and says where the error
/// is (row and column); a valid one enrols the new students and updates the known ones, 50,000 rows in one request.
/// </summary>
public sealed class StudentImportTests(StudentImportTests.Factory factory) : IClassFixture<StudentImportTests.Factory>
{
    public sealed class Factory : ServiceFactory<SchoolApiMarker>;

    private const string Header = "studentNumber,name,programme,studyYear,cohort,userId";

    private readonly HttpClient _coordinator = factory.ClientAs(TestAuth.SchoolCoordinator);

    [Fact]
    public async Task A_file_with_one_bad_row_imports_nothing_and_the_problem_names_that_row_and_column()
    {
        var cohort = Cohort();
        var csv = $"{Header}\nBR0001,Ada One,medicine,2,{cohort},\nBR0002,Bo Two,nursing,9,{cohort},\nBR0003,Cy Three,medical-imaging,1,{cohort},\n";

        var problem = await (await ImportAsync(csv)).AssertProblemAsync(HttpStatusCode.BadRequest);
        var error = Assert.Single(problem["errors"]!.AsArray())!;
        Assert.Equal((3, "studyYear"), (error["row"]!.GetValue<int>(), error["column"]!.GetValue<string>()));
        Assert.Equal(1, problem["errorCount"]!.GetValue<int>());
        Assert.Equal(0, await CountAsync(cohort));
    }

    [Fact]
    public async Task A_header_missing_a_required_column_or_naming_an_unknown_one_is_refused_naming_them()
    {
        var problem = await (await ImportAsync("studentNumber,name,studyYear,shoeSize\nBR0101,Ada,2,42\n")).AssertProblemAsync(HttpStatusCode.BadRequest);
        var columns = problem["errors"]!.AsArray().Select(e => (e!["row"]!.GetValue<int>(), e["column"]!.GetValue<string>())).ToList();
        Assert.Contains((1, "programme"), columns);
        Assert.Contains((1, "shoeSize"), columns);
    }

    [Fact]
    public async Task A_student_number_or_user_id_twice_in_the_file_is_refused_at_the_second_row()
    {
        var cohort = Cohort();
        var user = Guid.NewGuid();
        var csv = $"{Header}\nDU0001,Ada,medicine,2,{cohort},{user}\nDU0002,Bo,medicine,2,{cohort},{user}\ndu0001,Cy,medicine,2,{cohort},\n";

        var problem = await (await ImportAsync(csv)).AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsArray().Select(e => (e!["row"]!.GetValue<int>(), e["column"]!.GetValue<string>())).ToList();
        Assert.Equal([(3, "userId"), (4, "studentNumber")], errors);
        Assert.Equal(0, await CountAsync(cohort));
    }

    [Fact]
    public async Task A_student_number_held_by_another_student_is_refused()
    {
        var cohort = Cohort();
        var first = await ImportAsync($"{Header}\nHN0001,Ada,medicine,2,{cohort},{Guid.NewGuid()}\n");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        var problem = await (await ImportAsync($"{Header}\nHN0002,Bo,medicine,2,{cohort},\nHN0001,Cy,medicine,3,{cohort},{Guid.NewGuid()}\n"))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        var error = Assert.Single(problem["errors"]!.AsArray())!;
        Assert.Equal((3, "studentNumber"), (error["row"]!.GetValue<int>(), error["column"]!.GetValue<string>()));
        Assert.Equal(1, await CountAsync(cohort));
    }

    [Fact]
    public async Task Fifty_thousand_valid_rows_import_in_one_request()
    {
        var cohort = Cohort();
        var csv = new StringBuilder("userId,cohort,STUDENTNUMBER,Name,Programme,StudyYear\n");
        for (var i = 0; i < 50_000; i++)
        {
            csv.Append(CultureInvariant($",{cohort},BULK{i:000000},Student {i},medicine,{1 + (i % 6)}\n"));
        }

        var watch = Stopwatch.StartNew();
        var response = await ImportAsync(csv.ToString());
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var result = JsonNode.Parse(body)!;
        Assert.Equal((50_000, 0), (result["created"]!.GetValue<int>(), result["updated"]!.GetValue<int>()));
        Assert.Equal(50_000, await CountAsync(cohort));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"50,000 rows took {watch.Elapsed}");
    }

    [Fact]
    public async Task Importing_again_updates_the_known_students_and_enrols_the_new_ones()
    {
        var cohort = Cohort();
        var (ada, bo) = (Guid.NewGuid(), Guid.NewGuid());
        Assert.Equal(HttpStatusCode.OK, (await ImportAsync($"{Header}\nRE0001,Ada,medicine,1,{cohort},{ada}\nRE0002,Bo,nursing,1,{cohort},{bo}\n")).StatusCode);

        var again = await ImportAsync($"{Header}\nRE0001,Ada Lovelace,medicine,2,{cohort},{ada}\nRE0002,Bo,nursing,2,{cohort},{bo}\nRE0003,Cy,nursing,1,{cohort},\n");
        var result = await again.ReadNodeAsync();
        Assert.Equal((1, 2), (result["created"]!.GetValue<int>(), result["updated"]!.GetValue<int>()));
        var student = await (await _coordinator.GetAsync($"/api/school/students/{ada}")).ReadNodeAsync();
        Assert.Equal(("Ada Lovelace", 2, cohort), (student["name"]!.GetValue<string>(), student["studyYear"]!.GetValue<int>(), student["cohort"]!.GetValue<string>()));
        Assert.Equal(3, await CountAsync(cohort));
    }

    [Fact]
    public async Task A_form_with_the_file_is_accepted_too()
    {
        var cohort = Cohort();
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes($"{Header}\nMP0001,Ada,medicine,2,{cohort},\n"));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "register.csv");
        var response = await _coordinator.PostAsync("/api/school/students/import", form);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        Assert.Equal(1, await CountAsync(cohort));
    }

    [Fact]
    public async Task An_empty_file_a_header_alone_or_a_body_that_is_not_csv_is_refused()
    {
        await (await ImportAsync(string.Empty)).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await ImportAsync(Header + "\n")).AssertProblemAsync(HttpStatusCode.BadRequest);
        await (await _coordinator.PostAsync("/api/school/students/import", Json.Raw("""{"studentNumber":"X1"}"""))).AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Only_a_school_coordinator_may_import()
    {
        var cohort = Cohort();
        var csv = new StringContent($"{Header}\nNC0001,Ada,medicine,2,{cohort},\n", Encoding.UTF8, "text/csv");
        await (await factory.ClientAs(TestAuth.Student).PostAsync("/api/school/students/import", csv)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await factory.ClientAs("teacher@northbridge.demo").PostAsync("/api/school/students/import", csv)).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(0, await CountAsync(cohort));
    }

    [Fact]
    public async Task The_register_is_searched_by_name_or_student_number_a_page_at_a_time()
    {
        var cohort = Cohort();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var csv = $"{Header}\nQS{tag}1,Ada {tag} One,medicine,2,{cohort},\nQS{tag}2,Bo Two,nursing,3,{cohort},\nQX{tag}3,Cy {tag} Three,medicine,1,{cohort},\n";
        Assert.Equal(HttpStatusCode.OK, (await ImportAsync(csv)).StatusCode);

        var byName = await (await _coordinator.GetAsync($"/api/school/students?q={tag}&pageSize=1")).ReadNodeAsync();
        Assert.Equal(3, byName["total"]!.GetValue<int>());
        Assert.Single(byName["items"]!.AsArray());
        var byNumber = await (await _coordinator.GetAsync($"/api/school/students?q=QX{tag}")).ReadNodeAsync();
        Assert.Equal("Cy " + tag + " Three", Assert.Single(byNumber["items"]!.AsArray())!["name"]!.GetValue<string>());
        Assert.Equal(0, (await (await _coordinator.GetAsync($"/api/school/students?q=%25{tag}x")).ReadNodeAsync())["total"]!.GetValue<int>());
        await (await _coordinator.GetAsync("/api/school/students?q=" + new string('x', 201))).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    private static string Cohort() => "c" + Guid.NewGuid().ToString("N")[..12];

    private static string CultureInvariant(FormattableString text) => FormattableString.Invariant(text);

    private Task<HttpResponseMessage> ImportAsync(string csv) =>
        _coordinator.PostAsync("/api/school/students/import", new StringContent(csv, Encoding.UTF8, "text/csv"));

    private async Task<int> CountAsync(string cohort) =>
        (await (await _coordinator.GetAsync($"/api/school/students?cohort={cohort}&pageSize=1")).ReadNodeAsync())["total"]!.GetValue<int>();
}
