using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using CollabTraining.Demo;
using CollabTraining.Tests.Support;

namespace CollabTraining.Tests.EndToEnd;

/// <summary>
/// The micro-programme as a student meets it, through the gateway and a real broker: a module taught by an
/// institute's engineer grants a qualification when its teacher records a pass, the institute learns of it
/// from the school's event and lets the student book its gated scanner, and refuses a booking past the expiry.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class ModuleQualificationFlowTests(Platform platform)
{
    [Fact]
    public async Task Completing_a_module_lets_the_student_book_the_gated_scanner_and_its_expiry_refuses_the_next_booking()
    {
        var coordinator = Client("coordinator@northbridge.demo");
        var engineer = DemoDirectory.FindUser("mentor@imaging-institute.demo")!;
        var institute = DemoDirectory.Institutes.Single(o => o.Key == "imaging-institute");
        var student = DemoDirectory.Student(41); // holds no MRI safety
        var asStudent = Client(student.UserName);

        var scanner = await Client("staff@imaging-institute.demo").PostAsJsonAsync("/api/research/resources", new
        {
            kind = "Equipment", name = $"Module scanner {Guid.NewGuid():N}", capacity = 1, requiredQualifications = new[] { "mri-safety" },
        });
        Assert.True(scanner.StatusCode == HttpStatusCode.Created, await scanner.Content.ReadAsStringAsync());
        var scannerId = (await scanner.ReadNodeAsync())["id"]!.GetValue<Guid>();
        var soon = new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero).AddDays(10).AddHours(9);
        var refused = await (await Book(asStudent, scannerId, soon)).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("qualification", refused["reason"]!.GetValue<string>());

        var created = await coordinator.PostAsJsonAsync("/api/school/modules", new
        {
            code = $"mri-safety-{Guid.NewGuid():N}"[..30], title = "MRI safety", group = "practice", description = "Safe work around the magnet.", capacity = 20,
            teachers = new[] { new { userId = engineer.Id, name = engineer.DisplayName, organisationId = institute.Id, organisationKind = "institute" } },
            grants = new[] { new { code = "mri-safety", validityDays = 30 } },
        });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var module = (await created.ReadNodeAsync())["id"]!.GetValue<Guid>();
        Assert.Equal(HttpStatusCode.Created, (await asStudent.PostAsync($"/api/school/modules/{module}/enrolments/me", null)).StatusCode);

        // The student may not record their own result; the module's teacher (an institute engineer) may.
        await (await asStudent.PutAsJsonAsync($"/api/school/modules/{module}/enrolments/{student.Id}/result", new { passed = true })).AssertProblemAsync(HttpStatusCode.Forbidden);
        var passed = await Client(engineer.UserName).PutAsJsonAsync($"/api/school/modules/{module}/enrolments/{student.Id}/result", new { passed = true, score = 92 });
        Assert.True(passed.IsSuccessStatusCode, await passed.Content.ReadAsStringAsync());

        // The institute hears of the grant and lets the student book inside its validity.
        HttpResponseMessage? last = null;
        Assert.True(await Eventually.HoldsAsync(async () => (last = await Book(asStudent, scannerId, soon)).StatusCode == HttpStatusCode.Created,
            TimeSpan.FromSeconds(20), TimeSpan.FromMilliseconds(250)), $"{last?.StatusCode} {(last is null ? null : await last.Content.ReadAsStringAsync())}\n{platform.Logs()}");

        // The qualification runs out after 30 days: a booking on a later day is refused for it.
        var afterExpiry = soon.AddDays(25);
        var expired = await (await Book(asStudent, scannerId, afterExpiry)).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("qualification", expired["reason"]!.GetValue<string>());
        Assert.Contains("mri-safety", expired["detail"]!.GetValue<string>());
    }

    private static Task<HttpResponseMessage> Book(HttpClient client, Guid resource, DateTimeOffset start) =>
        client.PostAsJsonAsync($"/api/research/resources/{resource}/bookings", new { start, end = start.AddHours(1) });

    private HttpClient Client(string userName) => platform.ClientAs(userName);
}
