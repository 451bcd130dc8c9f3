using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using CollabTraining.Contracts.Projects;
using CollabTraining.School;
using CollabTraining.School.Data;
using CollabTraining.School.Projects;
using CollabTraining.School.Showcase;
using CollabTraining.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Tests.Integration;

/// <summary>
/// The project showcase: teams publish results with a report that is stored once under its hash and only served as a
/// download; anything refused (size, type, a name that is a path, a caller who may not) leaves the showcase folder and
/// the database as they were.
/// </summary>
public sealed class ShowcaseTests(ServiceFactory<SchoolApiMarker> factory) : IClassFixture<ServiceFactory<SchoolApiMarker>>
{
    private const string ClinicalMentor = "mentor1@st-marys.demo";
    private const string EngineeringMentor = "mentor@helix-compute.demo";
    private const string Teacher = "teacher@northbridge.demo";

    private static int _nextStudent = 100;

    /// <summary>A student no other test uses: a team member, or someone in no team at all.</summary>
    private static string NextStudent() => SchoolCohortFactory.Student(Interlocked.Increment(ref _nextStudent));

    private string Folder => Path.Combine(factory.DataDirectory, "showcase");

    [Fact]
    public async Task A_team_member_publishes_a_pdf_with_links_and_anyone_signed_in_downloads_the_same_bytes_as_an_attachment()
    {
        var (project, team) = await ApprovedProjectAsync();
        var pdf = Pdf(4096);
        var before = StoredFiles();

        var response = await factory.ClientAs(team[0]).PostAsync($"/api/school/projects/{project.Id}/showcase",
            Form("Prototype results", milestoneId: project.Milestones[0].Id, links: ["https://example.org/demo", "http://example.org/paper"], file: ("results.pdf", pdf)));

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var created = await response.ReadNodeAsync();
        var sha = Convert.ToHexStringLower(SHA256.HashData(pdf));
        Assert.Equal(before.Append(Path.Combine(Folder, sha)).Order(StringComparer.Ordinal), StoredFiles());
        Assert.Equal("Prototype", created["milestoneTitle"]!.GetValue<string>());

        var outsider = factory.ClientAs(NextStudent());
        var list = await (await outsider.GetAsync($"/api/school/showcase?projectId={project.Id}")).ReadNodeAsync();
        var listed = Assert.Single(list["items"]!.AsArray())!;
        Assert.Equal("Prototype results", listed["title"]!.GetValue<string>());
        Assert.Equal(["https://example.org/demo", "http://example.org/paper"], listed["links"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal(sha, listed["file"]!["sha256"]!.GetValue<string>());

        var download = await outsider.GetAsync(listed["file"]!["url"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("results.pdf", download.Content.Headers.ContentDisposition?.FileNameStar);
        Assert.Equal("nosniff", Assert.Single(download.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("sandbox", Assert.Single(download.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal($"\"{sha}\"", download.Headers.ETag?.Tag);
        Assert.Equal(pdf, await download.Content.ReadAsByteArrayAsync());

        // The same report again is stored once.
        var again = await factory.ClientAs(team[1]).PostAsync($"/api/school/projects/{project.Id}/showcase", Form("Same report", file: ("copy.pdf", pdf)));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(before.Append(Path.Combine(Folder, sha)).Order(StringComparer.Ordinal), StoredFiles());
    }

    [Fact]
    public async Task A_report_just_over_20_MB_is_a_413_problem_and_nothing_is_stored()
    {
        var (project, team) = await ApprovedProjectAsync();
        var before = await SnapshotAsync();

        var response = await factory.ClientAs(team[0]).PostAsync($"/api/school/projects/{project.Id}/showcase",
            Form("Too big", file: ("big.pdf", Pdf((20 * 1024 * 1024) + 1))));

        var problem = await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.NotNull(problem["errors"]!["file"]);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData("tool.exe", "MZ\u0090\u0000\u0003")]
    [InlineData("report.pdf", "<html><script>alert(1)</script></html>")]
    [InlineData("photo.png", "%PDF-1.7 not a png")]
    [InlineData("notes.txt", "text\u0000with a NUL")]
    public async Task A_file_whose_name_and_content_are_not_an_accepted_type_is_a_415_and_nothing_is_stored(string name, string content)
    {
        var (project, team) = await ApprovedProjectAsync();
        var before = await SnapshotAsync();

        var response = await factory.ClientAs(team[0]).PostAsync($"/api/school/projects/{project.Id}/showcase",
            Form("Odd file", file: (name, Encoding.UTF8.GetBytes(content))));

        var problem = await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.NotNull(problem["errors"]!["file"]);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData("../../evil.pdf")]
    [InlineData("..\\evil.pdf")]
    [InlineData("/etc/passwd.pdf")]
    [InlineData("C:evil.pdf")]
    [InlineData("evil\u0001.pdf")]
    public async Task A_file_name_that_is_a_path_is_a_400_naming_file_and_nothing_is_stored(string name)
    {
        var (project, team) = await ApprovedProjectAsync();
        var before = await SnapshotAsync();

        var response = await factory.ClientAs(team[0]).PostAsync($"/api/school/projects/{project.Id}/showcase", Form("Traversal", file: (name, Pdf(100))));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["file"]);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Theory]
    [InlineData("title", null, "https://example.org", false)]
    [InlineData("links[0]", "A title", "javascript:alert(1)", false)]
    [InlineData("links[0]", "A title", "data:text/html,<script>alert(1)</script>", false)]
    [InlineData("links[0]", "A title", "file:///etc/passwd", false)]
    [InlineData("links[0]", "A title", "/relative/path", false)]
    [InlineData("milestoneId", "A title", "https://example.org", true)]
    public async Task A_bad_field_is_a_400_naming_it_even_after_the_report_streamed_and_nothing_is_stored(string field, string? title, string link, bool foreignMilestone)
    {
        var (project, team) = await ApprovedProjectAsync();
        var before = await SnapshotAsync();

        // The file part comes first, so the report is already on disk (as a temporary file) when the field is refused.
        var response = await factory.ClientAs(team[0]).PostAsync($"/api/school/projects/{project.Id}/showcase",
            Form(title, milestoneId: foreignMilestone ? Guid.CreateVersion7() : null, links: [link], file: ("report.pdf", Pdf(2048)), fileFirst: true));

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]?[field] is not null, problem.ToJsonString());
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Only_the_team_or_a_coordinator_publishes_and_only_while_the_project_runs()
    {
        var (project, team) = await ApprovedProjectAsync();
        var before = await SnapshotAsync();
        var url = $"/api/school/projects/{project.Id}/showcase";

        // Mentors and teachers see the project but do not speak for it; a student of no team does not even see it.
        await (await factory.ClientAs(ClinicalMentor).PostAsync(url, Form("By the mentor", file: ("m.pdf", Pdf(512))))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await factory.ClientAs(Teacher).PostAsync(url, Form("By a teacher", file: ("t.pdf", Pdf(512))))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await factory.ClientAs(NextStudent()).PostAsync(url, Form("By a stranger", file: ("s.pdf", Pdf(512)))))
            .AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(before, await SnapshotAsync());

        var byCoordinator = await factory.ClientAs(TestAuth.SchoolCoordinator).PostAsync(url, Form("By the coordinator"));
        Assert.Equal(HttpStatusCode.Created, byCoordinator.StatusCode);

        var (proposed, proposedTeam) = await ProposedProjectAsync();
        before = await SnapshotAsync();
        var refused = await (await factory.ClientAs(proposedTeam[0]).PostAsync($"/api/school/projects/{proposed.Id}/showcase", Form("Too early", file: ("e.pdf", Pdf(512)))))
            .AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("project-not-approved", refused["reason"]!.GetValue<string>());
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task Mentors_and_other_teams_give_feedback_and_the_entrys_own_team_may_not()
    {
        var (project, team) = await ApprovedProjectAsync();
        var (_, otherTeam) = await ApprovedProjectAsync();
        var entry = await PublishAsync(project, team[0]);
        var url = $"/api/school/showcase/{entry}/feedback";

        Assert.Equal(HttpStatusCode.Created, (await factory.ClientAs(ClinicalMentor).PostAsJsonAsync(url, new { text = "Validate on real scans next." })).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await factory.ClientAs(otherTeam[0]).PostAsJsonAsync(url, new { text = "Nice latency numbers." })).StatusCode);
        await (await factory.ClientAs(team[1]).PostAsJsonAsync(url, new { text = "We are great." })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await factory.ClientAs(NextStudent()).PostAsJsonAsync(url, new { text = "Hello." })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await factory.ClientAs(ClinicalMentor).PostAsJsonAsync(url, new { text = new string('x', 2001) })).AssertProblemAsync(HttpStatusCode.BadRequest);

        var shown = await (await factory.ClientAs(team[1]).GetAsync($"/api/school/showcase/{entry}")).ReadNodeAsync();
        var feedback = shown["feedback"]!.AsArray();
        Assert.Equal([TestAuth.User(ClinicalMentor).DisplayName, TestAuth.User(otherTeam[0]).DisplayName], feedback.Select(f => f!["authorName"]!.GetValue<string>()));
        Assert.Equal(["Mentor", "OtherTeam"], feedback.Select(f => f!["standing"]!.GetValue<string>()));
        Assert.All(feedback, f => Assert.NotNull(f!["createdAt"]));
    }

    [Fact]
    public async Task A_hidden_entry_is_gone_for_students_and_kept_for_school_staff_until_shown_again()
    {
        var (project, team) = await ApprovedProjectAsync();
        var entry = await PublishAsync(project, team[0]);
        var student = factory.ClientAs(NextStudent());
        var teacher = factory.ClientAs(Teacher);

        await (await student.PostAsJsonAsync($"/api/school/showcase/{entry}/hide", new { reason = "Not mine to hide" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await teacher.PostAsJsonAsync($"/api/school/showcase/{entry}/hide", new { reason = "Teachers do not moderate" })).AssertProblemAsync(HttpStatusCode.Forbidden);
        var hidden = await factory.ClientAs(TestAuth.SchoolCoordinator).PostAsJsonAsync($"/api/school/showcase/{entry}/hide", new { reason = "Shows patient data" });
        Assert.Equal(HttpStatusCode.OK, hidden.StatusCode);

        foreach (var who in new[] { student, factory.ClientAs(team[0]) })
        {
            Assert.DoesNotContain(await ListedAsync(who, project.Id), e => e.Id == entry);
            await (await who.GetAsync($"/api/school/showcase/{entry}")).AssertProblemAsync(HttpStatusCode.NotFound);
            await (await who.GetAsync($"/api/school/showcase/{entry}/file")).AssertProblemAsync(HttpStatusCode.NotFound);
            await (await who.PostAsJsonAsync($"/api/school/showcase/{entry}/feedback", new { text = "Hidden?" })).AssertProblemAsync(HttpStatusCode.NotFound);
        }

        var staffView = Assert.Single(await ListedAsync(teacher, project.Id), e => e.Id == entry);
        Assert.True(staffView.Hidden);
        Assert.Equal("Shows patient data", staffView.HiddenReason);
        Assert.Equal(HttpStatusCode.OK, (await teacher.GetAsync($"/api/school/showcase/{entry}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await teacher.GetAsync($"/api/school/showcase/{entry}/file")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await factory.ClientAs(TestAuth.SchoolCoordinator).PostAsync($"/api/school/showcase/{entry}/unhide", null)).StatusCode);
        Assert.Contains(await ListedAsync(student, project.Id), e => e.Id == entry && !e.Hidden);
        Assert.Equal(HttpStatusCode.OK, (await student.GetAsync($"/api/school/showcase/{entry}/file")).StatusCode);
    }

    private async Task<List<ShowcaseEntryResponse>> ListedAsync(HttpClient client, Guid projectId)
    {
        var response = await client.GetAsync($"/api/school/showcase?projectId={projectId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.ReadAsync<ServiceDefaultsPage>()).Items];
    }

    private sealed record ServiceDefaultsPage(List<ShowcaseEntryResponse> Items, int Total);

    private async Task<Guid> PublishAsync(Project project, string author)
    {
        var response = await factory.ClientAs(author).PostAsync($"/api/school/projects/{project.Id}/showcase", Form("Milestone one", file: ("one.pdf", Pdf(1024))));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.ReadNodeAsync())["id"]!.GetValue<Guid>();
    }

    /// <summary>Every file under the showcase folder (temporary ones included) and the number of entries.</summary>
    private async Task<(string Files, int Entries)> SnapshotAsync() =>
        (string.Join('\n', StoredFiles()), await factory.InScopeAsync<SchoolDbContext, int>(db => db.Set<ShowcaseEntry>().CountAsync()));

    private List<string> StoredFiles() =>
        Directory.Exists(Folder) ? [.. Directory.GetFiles(Folder, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)] : [];

    /// <summary>A PDF signature followed by <paramref name="length"/> bytes in all, the rest random (so each report is new content).</summary>
    private static byte[] Pdf(int length)
    {
        var bytes = new byte[length];
        RandomNumberGenerator.Fill(bytes);
        "%PDF-1.7\n"u8.CopyTo(bytes);
        return bytes;
    }

    private static MultipartFormDataContent Form(
        string? title, Guid? milestoneId = null, string[]? links = null, (string Name, byte[] Bytes)? file = null, bool fileFirst = false)
    {
        var form = new MultipartFormDataContent();
        if (file is { } f && fileFirst)
        {
            AddFile(form, f);
        }

        if (title is not null)
        {
            form.Add(new StringContent(title), "title");
        }

        form.Add(new StringContent("What we built and what we learnt."), "summary");
        if (milestoneId is { } milestone)
        {
            form.Add(new StringContent(milestone.ToString()), "milestoneId");
        }

        foreach (var link in links ?? [])
        {
            form.Add(new StringContent(link), "links");
        }

        if (file is { } g && !fileFirst)
        {
            AddFile(form, g);
        }

        return form;
    }

    private static void AddFile(MultipartFormDataContent form, (string Name, byte[] Bytes) file)
    {
        var content = new ByteArrayContent(file.Bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(content, "file", file.Name);
    }

    private async Task<(Project Project, string[] Team)> ApprovedProjectAsync()
    {
        var now = factory.Clock.GetUtcNow();
        var (project, team) = Proposed(now);
        foreach (var (role, service, userName) in new[] { (MentorRoles.Clinical, ProjectParties.Hospitals, ClinicalMentor), (MentorRoles.Engineering, ProjectParties.Enterprises, EngineeringMentor) })
        {
            var mentor = TestAuth.User(userName);
            var request = project.AskMentor(role, service, mentor.Id, mentor.DisplayName, mentor.Organisation.Id, now.AddDays(7), now);
            project.Answer(request.RequestId, accepted: true, reason: null, now);
        }

        project.Approve(100, 20, [("Prototype", DateOnly.FromDateTime(now.UtcDateTime).AddMonths(2))], now);
        await SaveAsync(project);
        return (project, team);
    }

    private async Task<(Project Project, string[] Team)> ProposedProjectAsync()
    {
        var (project, team) = Proposed(factory.Clock.GetUtcNow());
        await SaveAsync(project);
        return (project, team);
    }

    private static (Project Project, string[] Team) Proposed(DateTimeOffset now)
    {
        string[] team = [NextStudent(), NextStudent()];
        var members = team.Select((userName, i) =>
        {
            var user = TestAuth.User(userName);
            return new ProjectMember { StudentId = user.Id, Name = user.DisplayName, Programme = i == 0 ? "medicine" : "biomedical-engineering" };
        }).ToList();
        return (Project.Propose("Point-of-care ultrasound triage", "imaging", "A model that triages ultrasound clips.", members, now), team);
    }

    private Task<int> SaveAsync(Project project) => factory.InScopeAsync<SchoolDbContext, int>(db =>
    {
        db.Add(project);
        return db.SaveChangesAsync();
    });
}
