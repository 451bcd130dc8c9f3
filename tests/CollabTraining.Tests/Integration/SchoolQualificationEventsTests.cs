using System.Net;
using System.Net.Http.Json;
using CollabTraining.Contracts.Hospitals;
using CollabTraining.Contracts.School;
using CollabTraining.Demo;
using CollabTraining.Messaging.Scheduling;
using CollabTraining.School.Data;
using CollabTraining.School.Students;
using CollabTraining.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CollabTraining.Tests.Integration;

/// <summary>
/// What owners learn of a student's qualifications: every grant, renewal, revocation and expiry is an event with
/// the holding's id and a rising version, and a revoked qualification counts nowhere at the school either.
/// </summary>
public sealed class SchoolQualificationEventsTests(SchoolCohortFactory factory) : IClassFixture<SchoolCohortFactory>
{
    private readonly HttpClient _coordinator = factory.Coordinator;

    [Fact]
    public async Task Granting_then_renewing_announces_granted_then_renewed_with_rising_versions_and_schedules_the_expiry()
    {
        var student = DemoDirectory.Student(1);
        var today = Today();
        await GrantAsync(student.Id, "gpu-cluster-onboarding", today.AddDays(90));
        await GrantAsync(student.Id, "gpu-cluster-onboarding", today.AddDays(180));

        await factory.OutboxDrainedAsync();
        var events = Announced(student.Id, "gpu-cluster-onboarding");
        Assert.Equal([QualificationChange.Granted, QualificationChange.Renewed], events.Select(e => e.Change));
        Assert.Equal([1L, 2L], events.Select(e => e.Version));
        Assert.Equal([today.AddDays(90), today.AddDays(180)], events.Select(e => e.ExpiresOn!.Value));
        Assert.Single(events.Select(e => e.QualificationId).Distinct());
        Assert.NotEqual(Guid.Empty, events[0].QualificationId);

        // The latest expiry is due the first instant after its last day (UTC).
        var id = events[0].QualificationId;
        var dueAt = await factory.InScopeAsync<SchoolDbContext, List<DateTimeOffset>>(db => db.Set<DueTask>()
            .Where(t => t.Kind == QualificationExpiryHandler.TaskKind && t.SubjectId == id).Select(t => t.DueAt).ToListAsync());
        Assert.Contains(new DateTimeOffset(today.AddDays(181).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), dueAt);
    }

    [Fact]
    public async Task The_seeded_cohorts_qualifications_are_announced_to_the_owners()
    {
        var student = DemoDirectory.Student(4); // seeded with infection control, basic life support and MRI safety
        await factory.OutboxDrainedAsync();
        var granted = factory.Harness.Published.Snapshot<QualificationChanged>().Select(p => p.Context.Message)
            .Where(m => m.StudentId == student.Id && m.Change == QualificationChange.Granted).Select(m => m.Code).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["basic-life-support", "infection-control", "mri-safety"], granted);
    }

    [Fact]
    public async Task Revoking_announces_it_once_and_the_qualification_no_longer_makes_the_student_eligible_or_shows_as_held()
    {
        var number = 7; // holds infection control from the seed
        var student = DemoDirectory.Student(number);
        var offer = await PublishOfferRequiringAsync("infection-control");
        var round = await CreateRoundAsync(offer);
        await factory.RankAsync(round, number, [offer]);

        Assert.Equal(HttpStatusCode.NoContent, (await _coordinator.DeleteAsync($"/api/school/students/{student.Id}/qualifications/infection-control")).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await _coordinator.DeleteAsync($"/api/school/students/{student.Id}/qualifications/infection-control")).StatusCode);

        await factory.OutboxDrainedAsync();
        var revoked = Assert.Single(Announced(student.Id, "infection-control"), e => e.Change == QualificationChange.Revoked);
        Assert.Null(revoked.ExpiresOn);
        Assert.Equal(2, revoked.Version);

        var asStudent = factory.ClientAs(student.UserName);
        var held = await (await asStudent.GetAsync($"/api/school/students/{student.Id}/qualifications")).ReadNodeAsync();
        Assert.DoesNotContain(held.AsArray(), q => q!["code"]!.GetValue<string>() == "infection-control");

        var refused = await (await asStudent.PutAsJsonAsync($"/api/school/rounds/{round}/preferences/me", new { offerIds = new[] { offer } }))
            .AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("the infection-control qualification is required and you do not hold it", refused["errors"]!["offerIds[0]"]![0]!.GetValue<string>());

        // Granted again: the same holding, announced as granted, and it counts again.
        await GrantAsync(student.Id, "infection-control", Today().AddYears(2));
        await factory.RankAsync(round, number, [offer]);
        await factory.OutboxDrainedAsync();
        var regranted = Announced(student.Id, "infection-control")[^1];
        Assert.Equal((QualificationChange.Granted, 3L, revoked.QualificationId), (regranted.Change, regranted.Version, regranted.QualificationId));
    }

    [Fact]
    public async Task Revoking_what_is_not_held_or_for_an_unknown_student_is_a_404_and_announces_nothing()
    {
        var student = DemoDirectory.Student(11); // holds no MRI safety
        await (await _coordinator.DeleteAsync($"/api/school/students/{student.Id}/qualifications/mri-safety")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _coordinator.DeleteAsync($"/api/school/students/{student.Id}/qualifications/no-such-code")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await _coordinator.DeleteAsync($"/api/school/students/{Guid.NewGuid()}/qualifications/infection-control")).AssertProblemAsync(HttpStatusCode.NotFound);

        await factory.OutboxDrainedAsync();
        Assert.DoesNotContain(factory.Harness.Published.Snapshot<QualificationChanged>(), p => p.Context.Message.StudentId == student.Id && p.Context.Message.Change == QualificationChange.Revoked);
    }

    [Fact]
    public async Task A_student_may_not_revoke_a_qualification()
    {
        var student = DemoDirectory.Student(19);
        await (await factory.ClientAs(student.UserName).DeleteAsync($"/api/school/students/{student.Id}/qualifications/infection-control"))
            .AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_expiry_is_announced_once_the_morning_after_its_last_day_and_again_after_a_renewal_runs_out()
    {
        var student = DemoDirectory.Student(13);
        await GrantAsync(student.Id, "data-protection", Today().AddDays(1));
        var lastDay = Today().AddDays(1);

        // Renewed to the same day: two expiry tasks for one expiry, which is still announced once.
        await GrantAsync(student.Id, "data-protection", lastDay);
        factory.Clock.Advance(TimeSpan.FromDays(2));
        await TasksDoneAsync(student.Id, "data-protection");

        await factory.OutboxDrainedAsync();
        var expired = Assert.Single(Announced(student.Id, "data-protection"), e => e.Change == QualificationChange.Expired);
        Assert.Equal((lastDay, 3L), (expired.ExpiresOn!.Value, expired.Version));

        // Renewed after it ran out, it runs out again and that is announced too.
        await GrantAsync(student.Id, "data-protection", Today().AddDays(1));
        factory.Clock.Advance(TimeSpan.FromDays(2));
        await TasksDoneAsync(student.Id, "data-protection");
        await factory.OutboxDrainedAsync();
        Assert.Equal([3L, 5L], Announced(student.Id, "data-protection").Where(e => e.Change == QualificationChange.Expired).Select(e => e.Version));
    }

    [Fact]
    public async Task A_qualification_renewed_before_its_expiry_is_not_announced_as_expired()
    {
        var student = DemoDirectory.Student(17);
        await GrantAsync(student.Id, "wet-lab-safety", Today().AddDays(1));
        await GrantAsync(student.Id, "wet-lab-safety", Today().AddDays(60));
        factory.Clock.Advance(TimeSpan.FromDays(2));

        // The first task comes due and finds the qualification valid; the second is weeks away.
        await TasksDoneAsync(student.Id, "wet-lab-safety");
        var id = await QualificationIdAsync(student.Id, "wet-lab-safety");
        Assert.True(await factory.InScopeAsync<SchoolDbContext, bool>(db => db.Set<DueTask>().AnyAsync(t => t.SubjectId == id && t.DoneAt != null)), "the first expiry task never ran");

        await factory.OutboxDrainedAsync();
        Assert.DoesNotContain(Announced(student.Id, "wet-lab-safety"), e => e.Change == QualificationChange.Expired);
        Assert.Equal(2, await factory.InScopeAsync<SchoolDbContext, long>(db => db.StudentQualifications.Where(q => q.Id == id).Select(q => q.Version).SingleAsync()));
    }

    private DateOnly Today() => DateOnly.FromDateTime(factory.Clock.GetUtcNow().UtcDateTime);

    private async Task GrantAsync(Guid studentId, string code, DateOnly expiresOn)
    {
        var response = await _coordinator.PutAsJsonAsync($"/api/school/students/{studentId}/qualifications/{code}", new { expiresOn = expiresOn.ToString("yyyy-MM-dd") });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    /// <summary>What the owners were told about one student's code, oldest first.</summary>
    private List<QualificationChanged> Announced(Guid studentId, string code) =>
        [.. factory.Harness.Published.Snapshot<QualificationChanged>().Select(p => p.Context.Message)
            .Where(m => m.StudentId == studentId && m.Code == code).OrderBy(m => m.Version)];

    private Task<Guid> QualificationIdAsync(Guid studentId, string code) =>
        factory.InScopeAsync<SchoolDbContext, Guid>(db => db.StudentQualifications.Where(q => q.StudentId == studentId && q.Code == code).Select(q => q.Id).SingleAsync());

    /// <summary>Runs the expiry tasks that came due (besides the worker's own polling) and waits until every one for the holding is done.</summary>
    private async Task TasksDoneAsync(Guid studentId, string code)
    {
        var id = await QualificationIdAsync(studentId, code);
        var worker = factory.Services.GetServices<IHostedService>().OfType<DueTaskWorker>().Single();
        var now = factory.Clock.GetUtcNow();
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            await worker.RunDueAsync(CancellationToken.None);
            return await factory.InScopeAsync<SchoolDbContext, bool>(db =>
                db.Set<DueTask>().Where(t => t.SubjectId == id).AllAsync(t => t.DoneAt != null || t.DueAt > now));
        }, TimeSpan.FromSeconds(10)), "the expiry tasks that came due did not run");
    }

    private async Task<Guid> PublishOfferRequiringAsync(string qualification)
    {
        var hospital = DemoDirectory.Hospitals[1];
        var starts = Today().AddDays(45);
        var offer = new PlacementOfferSnapshot(Guid.CreateVersion7(), hospital.Id, hospital.Name, "General", "general", "Ward that needs a qualification",
            starts, starts.AddDays(10), 3, new PlacementRequirements(1, [qualification], []));
        await factory.Harness.Bus.Publish(new PlacementOfferPublished(offer, 1, DateTimeOffset.UtcNow));
        Assert.True(await Eventually.HoldsAsync(
            () => factory.InScopeAsync<SchoolDbContext, bool>(db => db.CatalogPlacements.AnyAsync(p => p.OfferId == offer.OfferId)), TimeSpan.FromSeconds(10)));
        return offer.OfferId;
    }

    private async Task<Guid> CreateRoundAsync(Guid offer)
    {
        var response = await _coordinator.PostAsJsonAsync("/api/school/rounds",
            new { name = "Revocation round", offerIds = new[] { offer }, preferencesCloseAt = factory.Clock.GetUtcNow().AddDays(3), maxRanks = 1 });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.ReadNodeAsync())["id"]!.GetValue<Guid>();
    }
}
