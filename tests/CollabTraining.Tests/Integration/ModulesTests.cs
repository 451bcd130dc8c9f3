using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CollabTraining.Contracts.School;
using CollabTraining.Demo;
using CollabTraining.Messaging.Scheduling;
using CollabTraining.School.Data;
using CollabTraining.School.Modules;
using CollabTraining.School.Students;
using CollabTraining.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CollabTraining.Tests.Integration;

/// <summary>
/// The micro-programme: modules keep to their capacity however students race for seats, only a module's own
/// teachers record its results, and a pass grants (then renews) its qualifications as a coordinator's grant does,
/// with the owners told and the student warned 30 days before the qualification runs out.
/// </summary>
public sealed class ModulesTests(SchoolCohortFactory factory) : IClassFixture<SchoolCohortFactory>
{
    private static readonly DemoUser Teacher = DemoDirectory.FindUser("teacher@northbridge.demo")!;
    private static readonly DemoUser HelixMentor = DemoDirectory.FindUser("mentor@helix-compute.demo")!;

    private readonly HttpClient _coordinator = factory.Coordinator;

    [Fact]
    public async Task Creating_a_module_with_bad_input_is_a_400_naming_the_field_and_creates_nothing()
    {
        var code = Code();
        async Task RefusedAsync(object body, string field)
        {
            var problem = await (await _coordinator.PostAsJsonAsync("/api/school/modules", body)).AssertProblemAsync(HttpStatusCode.BadRequest);
            Assert.True(problem["errors"]?[field] is not null, $"expected an error for {field}: {problem}");
        }

        await RefusedAsync(Module(code, capacity: 0), "capacity");
        await RefusedAsync(Module(code, group: "elective"), "group");
        await RefusedAsync(Module(code, grants: [new { code = "mri-safety", validityDays = 0 }]), "grants[0].validityDays");
        await RefusedAsync(Module(code, grants: [new { code = "juggling", validityDays = 30 }]), "grants[0].code");
        await RefusedAsync(Module(code, teachers: []), "teachers");

        var modules = await (await _coordinator.GetAsync("/api/school/modules?pageSize=200")).ReadNodeAsync();
        Assert.DoesNotContain(modules["items"]!.AsArray(), m => m!["code"]!.GetValue<string>() == code);
    }

    [Fact]
    public async Task Students_racing_for_the_last_seat_never_take_more_seats_than_the_capacity()
    {
        var module = await CreateAsync(Module(Code(), capacity: 3));
        Assert.Equal(HttpStatusCode.Created, (await EnrolAsync(module, 40)).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await EnrolAsync(module, 41)).StatusCode);

        var race = await Task.WhenAll(Enumerable.Range(42, 8).Select(i => EnrolAsync(module, i)));
        Assert.Single(race, r => r.StatusCode == HttpStatusCode.Created);
        foreach (var refused in race.Where(r => r.StatusCode != HttpStatusCode.Created))
        {
            Assert.Equal("module-full", (await refused.AssertProblemAsync(HttpStatusCode.Conflict))["reason"]!.GetValue<string>());
        }

        var read = await (await _coordinator.GetAsync($"/api/school/modules/{module}")).ReadNodeAsync();
        Assert.Equal((3, 0), (read["enrolled"]!.GetValue<int>(), read["seatsLeft"]!.GetValue<int>()));

        // A student who withdraws frees the seat for the next.
        Assert.Equal(HttpStatusCode.NoContent, (await factory.ClientAs(SchoolCohortFactory.Student(40)).DeleteAsync($"/api/school/modules/{module}/enrolments/{DemoDirectory.Student(40).Id}")).StatusCode);
        var refusedAgain = race.Select((r, i) => (r, Student: 42 + i)).First(x => x.r.StatusCode != HttpStatusCode.Created).Student;
        Assert.Equal(HttpStatusCode.Created, (await EnrolAsync(module, refusedAgain)).StatusCode);
        Assert.Equal(3, await factory.InScopeAsync<SchoolDbContext, int>(db => db.Set<ModuleEnrolment>().CountAsync(e => e.ModuleId == module && e.Status != EnrolmentStatus.Withdrawn)));
    }

    [Fact]
    public async Task A_teachers_pass_grants_the_qualification_and_announces_it_a_second_pass_renews_it_and_revoking_still_works()
    {
        var student = DemoDirectory.Student(50);
        var module = await CreateAsync(Module(Code(), grants: [new { code = "radiation-protection", validityDays = 365 }]));
        Assert.Equal(HttpStatusCode.Created, (await EnrolAsync(module, 50)).StatusCode);

        var teacher = factory.ClientAs(Teacher.UserName);
        var passed = await teacher.PutAsJsonAsync($"/api/school/modules/{module}/enrolments/{student.Id}/result", new { passed = true, score = 87, note = "Well done" });
        Assert.True(passed.StatusCode == HttpStatusCode.OK, await passed.Content.ReadAsStringAsync());
        var expiresOn = Today().AddDays(365);

        var held = await (await factory.ClientAs(student.UserName).GetAsync($"/api/school/students/{student.Id}/qualifications")).ReadNodeAsync();
        var qualification = Assert.Single(held.AsArray(), q => q!["code"]!.GetValue<string>() == "radiation-protection")!;
        Assert.Equal(expiresOn, DateOnly.Parse(qualification["expiresOn"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        var mine = await (await factory.ClientAs(student.UserName).GetAsync("/api/school/modules/mine")).ReadNodeAsync();
        var enrolment = Assert.Single(mine["enrolments"]!.AsArray(), e => e!["moduleId"]!.GetValue<Guid>() == module)!;
        Assert.Equal(("Completed", 87), (enrolment["status"]!.GetValue<string>(), enrolment["score"]!.GetValue<int>()));
        Assert.Contains((await (await teacher.GetAsync("/api/school/modules/mine")).ReadNodeAsync())["teaching"]!.AsArray(), m => m!["id"]!.GetValue<Guid>() == module);

        // A pass stays a pass: turning it into a fail would leave the qualification it granted in place.
        var fail = await (await teacher.PutAsJsonAsync($"/api/school/modules/{module}/enrolments/{student.Id}/result", new { passed = false })).AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("result-final", fail["reason"]!.GetValue<string>());

        factory.Clock.Advance(TimeSpan.FromDays(3));
        Assert.Equal(HttpStatusCode.OK, (await teacher.PutAsJsonAsync($"/api/school/modules/{module}/enrolments/{student.Id}/result", new { passed = true })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _coordinator.DeleteAsync($"/api/school/students/{student.Id}/qualifications/radiation-protection")).StatusCode);

        await factory.OutboxDrainedAsync();
        var events = factory.Harness.Published.Snapshot<QualificationChanged>().Select(p => p.Context.Message)
            .Where(m => m.StudentId == student.Id && m.Code == "radiation-protection").OrderBy(m => m.Version).ToList();
        Assert.Equal([QualificationChange.Granted, QualificationChange.Renewed, QualificationChange.Revoked], events.Select(e => e.Change));
        Assert.Equal([expiresOn, expiresOn.AddDays(3)], events.Take(2).Select(e => e.ExpiresOn!.Value));
    }

    [Fact]
    public async Task A_teacher_of_another_module_may_not_record_a_result_and_nothing_is_granted()
    {
        var student = DemoDirectory.Student(55);
        var module = await CreateAsync(Module(Code(), teachers: [Teaching(HelixMentor)], grants: [new { code = "advanced-life-support", validityDays = 365 }]));
        Assert.Equal(HttpStatusCode.Created, (await EnrolAsync(module, 55)).StatusCode);

        await (await factory.ClientAs(Teacher.UserName).PutAsJsonAsync($"/api/school/modules/{module}/enrolments/{student.Id}/result", new { passed = true }))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await factory.ClientAs(student.UserName).PutAsJsonAsync($"/api/school/modules/{module}/enrolments/{student.Id}/result", new { passed = true }))
            .AssertProblemAsync(HttpStatusCode.Forbidden);

        Assert.False(await factory.InScopeAsync<SchoolDbContext, bool>(db => db.StudentQualifications.AnyAsync(q => q.StudentId == student.Id && q.Code == "advanced-life-support")));
        Assert.Null(await factory.InScopeAsync<SchoolDbContext, DateTimeOffset?>(db =>
            db.Set<ModuleEnrolment>().Where(e => e.ModuleId == module && e.StudentId == student.Id).Select(e => e.ResultRecordedAt).SingleAsync()));

        // The module's own teacher (partner staff, not school staff) may.
        Assert.Equal(HttpStatusCode.OK, (await factory.ClientAs(HelixMentor.UserName).PutAsJsonAsync($"/api/school/modules/{module}/enrolments/{student.Id}/result", new { passed = true })).StatusCode);
    }

    [Fact]
    public async Task A_student_is_warned_once_when_a_qualification_has_30_days_left()
    {
        var student = DemoDirectory.Student(60);
        var module = await CreateAsync(Module(Code(), grants: [new { code = "wet-lab-safety", validityDays = 45 }]));
        Assert.Equal(HttpStatusCode.Created, (await EnrolAsync(module, 60)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await factory.ClientAs(Teacher.UserName).PutAsJsonAsync($"/api/school/modules/{module}/enrolments/{student.Id}/result", new { passed = true })).StatusCode);
        var qualification = await factory.InScopeAsync<SchoolDbContext, Guid>(db => db.StudentQualifications.Where(q => q.StudentId == student.Id && q.Code == "wet-lab-safety").Select(q => q.Id).SingleAsync());

        await RunDueTasksAsync();
        Assert.Equal(0, await WarningsAsync(student, qualification));

        factory.Clock.Advance(TimeSpan.FromDays(16));
        await RunDueTasksAsync();
        await RunDueTasksAsync();
        Assert.Equal(1, await WarningsAsync(student, qualification));
    }

    private DateOnly Today() => DateOnly.FromDateTime(factory.Clock.GetUtcNow().UtcDateTime);

    private static string Code() => "test-" + Guid.NewGuid().ToString("N")[..10];

    private static object Teaching(DemoUser user) => new { userId = user.Id, name = user.DisplayName, organisationId = user.Organisation.Id, organisationKind = user.Organisation.Kind };

    private static object Module(string code, int capacity = 10, string group = "core", object[]? teachers = null, object[]? grants = null) => new
    {
        code,
        title = "Test module " + code,
        group,
        description = "A module made by a test.",
        capacity,
        teachers = teachers ?? [Teaching(Teacher)],
        grants = grants ?? [],
    };

    private async Task<Guid> CreateAsync(object module)
    {
        var response = await _coordinator.PostAsJsonAsync("/api/school/modules", module);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.ReadNodeAsync())["id"]!.GetValue<Guid>();
    }

    private Task<HttpResponseMessage> EnrolAsync(Guid module, int student) =>
        factory.ClientAs(SchoolCohortFactory.Student(student)).PostAsync($"/api/school/modules/{module}/enrolments/me", null);

    private async Task<int> WarningsAsync(DemoUser student, Guid qualification)
    {
        var notes = await (await factory.ClientAs(student.UserName).GetAsync("/api/school/notifications/mine")).ReadNodeAsync();
        return notes.AsArray().Count(n => n!["kind"]!.GetValue<string>() == QualificationExpiringHandler.NotificationKind && n["subjectId"]!.GetValue<Guid>() == qualification);
    }

    /// <summary>Runs every task that came due (besides the worker's own polling) until none is left waiting.</summary>
    private async Task RunDueTasksAsync()
    {
        var worker = factory.Services.GetServices<IHostedService>().OfType<DueTaskWorker>().Single();
        var now = factory.Clock.GetUtcNow();
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            await worker.RunDueAsync(CancellationToken.None);
            return await factory.InScopeAsync<SchoolDbContext, bool>(db =>
                db.Set<DueTask>().Where(t => t.Kind == QualificationExpiringHandler.TaskKind).AllAsync(t => t.DoneAt != null || t.FailedAt != null || t.DueAt > now));
        }, TimeSpan.FromSeconds(10)), "the due tasks did not run");
    }
}
