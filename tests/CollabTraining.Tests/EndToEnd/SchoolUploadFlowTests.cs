using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CollabTraining.Tests.Support;

namespace CollabTraining.Tests.EndToEnd;

/// <summary>
/// The School's two large uploads through the real gateway (whose default body limit is 1 MB): a 50,000-row
/// register in one request, a register with one bad row that imports nothing, and showcase reports up to 20 MB.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class SchoolUploadFlowTests(Platform platform)
{
    [Fact]
    public async Task A_50000_row_register_imports_in_one_request_through_the_gateway_and_one_bad_row_imports_nothing()
    {
        var coordinator = Client("coordinator@northbridge.demo");
        var cohort = $"c{Guid.NewGuid():N}"[..12];

        // Numbers start with Z so they sort after the demo cohort's.
        var good = new StringBuilder("studentNumber,name,programme,studyYear,cohort\n");
        for (var i = 0; i < 50_000; i++)
        {
            good.Append($"Z{cohort}{i:00000},Student {i},{(i % 2 == 0 ? "medicine" : "nursing")},{1 + (i % 6)},{cohort}\n");
        }

        var bad = new StringBuilder("studentNumber,name,programme,studyYear,cohort\n");
        bad.Append($"Y{cohort}1,Ada,medicine,2,{cohort}-bad\n").Append($"Y{cohort}2,Bob,astrology,2,{cohort}-bad\n").Append($"Y{cohort}3,Cy,nursing,3,{cohort}-bad\n");
        var refused = await (await coordinator.PostAsync("/api/school/students/import", Csv(bad))).AssertProblemAsync(HttpStatusCode.BadRequest);
        var error = Assert.Single(refused["errors"]!.AsArray());
        Assert.Equal((3, "programme"), (error!["row"]!.GetValue<int>(), error["column"]!.GetValue<string>()));
        Assert.Equal(0, await CountAsync(coordinator, $"{cohort}-bad"));

        var imported = await coordinator.PostAsync("/api/school/students/import", Csv(good));
        Assert.True(imported.StatusCode == HttpStatusCode.OK, await imported.Content.ReadAsStringAsync() + platform.Logs());
        Assert.Equal(50_000, (await imported.ReadNodeAsync())["created"]!.GetValue<int>());
        Assert.Equal(50_000, await CountAsync(coordinator, cohort));

        // A student may not import.
        await (await Client("student001@northbridge.demo").PostAsync("/api/school/students/import", Csv(bad))).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_showcase_report_up_to_20_MB_passes_the_gateway_and_a_larger_one_is_refused_with_413()
    {
        var coordinator = Client("coordinator@northbridge.demo");
        var project = (await (await coordinator.GetAsync("/api/school/projects?status=approved")).ReadNodeAsync()).AsArray()
            .First(p => p!["milestones"]!.AsArray().Count > 0)!["id"]!.GetValue<Guid>();

        var pdf = new byte[3 * 1024 * 1024];
        Encoding.ASCII.GetBytes("%PDF-1.7\n").CopyTo(pdf, 0);
        var published = await coordinator.PostAsync($"/api/school/projects/{project}/showcase", Form("Prototype report", pdf, "report.pdf"));
        Assert.True(published.StatusCode == HttpStatusCode.Created, await published.Content.ReadAsStringAsync() + platform.Logs());
        var entry = (await published.ReadNodeAsync())["id"]!.GetValue<Guid>();
        var file = await Client("student120@northbridge.demo").GetAsync($"/api/school/showcase/{entry}/file");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Equal("application/pdf", file.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", file.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal(pdf, await file.Content.ReadAsByteArrayAsync());

        var huge = new byte[(20 * 1024 * 1024) + (2 * 1024 * 1024) + 1];
        Encoding.ASCII.GetBytes("%PDF-1.7\n").CopyTo(huge, 0);
        var before = (await (await coordinator.GetAsync($"/api/school/showcase?projectId={project}")).ReadNodeAsync())["total"]!.GetValue<int>();
        var refused = await coordinator.PostAsync($"/api/school/projects/{project}/showcase", Form("Too big", huge, "big.pdf"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
        Assert.Equal(before, (await (await coordinator.GetAsync($"/api/school/showcase?projectId={project}")).ReadNodeAsync())["total"]!.GetValue<int>());
    }

    private static StringContent Csv(StringBuilder text) => new(text.ToString(), Encoding.UTF8, "text/csv");

    private static MultipartFormDataContent Form(string title, byte[] bytes, string name)
    {
        var form = new MultipartFormDataContent { { new StringContent(title), "title" }, { new StringContent("What we built."), "summary" } };
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(content, "file", name);
        return form;
    }

    private static async Task<int> CountAsync(HttpClient client, string cohort) =>
        (await (await client.GetAsync($"/api/school/students?cohort={cohort}&pageSize=1")).ReadNodeAsync())["total"]!.GetValue<int>();

    private HttpClient Client(string userName) => platform.ClientAs(userName);
}
