using CollabTraining.Contracts.Projects;
using CollabTraining.Demo;
using CollabTraining.Messaging.Data;
using CollabTraining.Messaging.Outbox;
using CollabTraining.Messaging.Scheduling;
using CollabTraining.School.Data;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Projects;

/// <summary>
/// With <c>Demo:Seed</c>: three innovation projects in different states — two approved (mentors accepted, budgets,
/// milestones, both in one competition track), one proposed with its mentor requests really sent to the mentors'
/// organisations — and, once the owners' resources have reached the catalog, two bundles placed through the real
/// flow: one the owners confirm, one they refuse (its member lacks a qualification), so the saga's both endings show.
/// </summary>
public sealed class ProjectsDemoSeeder(SchoolDbContext db, Outbox outbox, DueTasks dueTasks, IConfiguration configuration, TimeProvider time, Showcase.ShowcaseStore store) : IDataSeeder
{
    public static readonly Guid Sepsis = DemoDirectory.IdFor("project:sepsis");
    public static readonly Guid Denoising = DemoDirectory.IdFor("project:ct-denoising");
    public static readonly Guid Handover = DemoDirectory.IdFor("project:handover");
    public static readonly Guid Track = DemoDirectory.IdFor("track:ward-ai");

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue("Demo:Seed", false) || await db.Set<Project>().AnyAsync(p => p.Id == Sepsis, cancellationToken)
            || !await db.Students.AnyAsync(cancellationToken))
        {
            return;
        }

        var now = time.GetUtcNow();
        var students = await db.Students.AsNoTracking().OrderBy(s => s.StudentNumber).Take(60).ToListAsync(cancellationToken);
        List<ProjectMember> Team(params int[] numbers)
        {
            var picked = numbers.Select(n => students.First(s => s.Id == DemoDirectory.Student(n).Id)).ToList();
            if (picked.Select(s => s.Programme).Distinct().Count() < 2)
            {
                picked.Add(students.First(s => s.Programme != picked[0].Programme && !picked.Contains(s)));
            }

            return picked.Select(s => new ProjectMember { StudentId = s.Id, Name = s.Name, Programme = s.Programme }).ToList();
        }

        var teacher = DemoDirectory.FindUser("teacher@northbridge.demo")!;
        var helix = DemoDirectory.FindUser("mentor@helix-compute.demo")!;
        var imaging = DemoDirectory.FindUser("mentor@imaging-institute.demo")!;
        var genomics = DemoDirectory.FindUser("mentor@genomics-institute.demo")!;
        var stMarys = DemoDirectory.FindUser("mentor1@st-marys.demo")!;
        Guid OrgOf(string key) => DemoDirectory.Organisations.Single(o => o.Key == key).Id;

        db.Add(new CompetitionTrack { Id = Track, Title = "Ward AI challenge", Theme = "AI that helps on the wards", Version = 1 });

        var sepsis = Seed(Sepsis, "Sepsis early warning on the wards", "AI triage", "A model that flags deteriorating patients from routine observations.", Team(4, 3, 10), now);
        Accepted(sepsis, MentorRoles.Engineering, ProjectParties.Enterprises, helix.Id, helix.DisplayName, OrgOf("helix-compute"), now);
        Accepted(sepsis, MentorRoles.Clinical, ProjectParties.School, teacher.Id, teacher.DisplayName, DemoDirectory.School.Id, now);
        sepsis.Approve(500, 40, [("Data access approved", Today(now, 14)), ("First model", Today(now, 45)), ("Ward pilot", Today(now, 90))], now);
        sepsis.EnterTrack(Track);

        var denoising = Seed(Denoising, "Low-dose CT denoising", "AI in imaging", "Denoising low-dose CT so scans need less radiation.", Team(7, 11, 15), now);
        Accepted(denoising, MentorRoles.Engineering, ProjectParties.Research, imaging.Id, imaging.DisplayName, OrgOf("imaging-institute"), now);
        Accepted(denoising, MentorRoles.Clinical, ProjectParties.Hospitals, stMarys.Id, stMarys.DisplayName, OrgOf("st-marys"), now);
        denoising.Approve(200, 20, [("Phantom study", Today(now, 30)), ("Reader study", Today(now, 75))], now);
        denoising.EnterTrack(Track);

        // Asked for real: the institute and the school keep the requests, and the mentors see them waiting.
        var handover = Seed(Handover, "Nursing handover assistant", "Clinical communication", "Structured handover notes drafted from the shift's records.", Team(2, 5, 19), now);
        foreach (var (role, service, user, org) in new[]
        {
            (MentorRoles.Engineering, ProjectParties.Research, genomics, OrgOf("genomics-institute")),
            (MentorRoles.Clinical, ProjectParties.School, teacher, DemoDirectory.School.Id),
        })
        {
            MentorRequests.Send(db, outbox, dueTasks, handover, handover.AskMentor(role, service, user.Id, user.DisplayName, org, now.AddDays(10), now), now);
        }

        db.AddRange(sepsis, denoising, handover);
        await ShowcaseAsync(sepsis, denoising, helix, now, cancellationToken);
        dueTasks.Schedule(DemoBundlesHandler.TaskKind, Sepsis, now.AddSeconds(5));
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another instance starting on the same database may have seeded them first; anything else is a real failure.
            if (!await OtherInstanceSeededAsync(cancellationToken))
            {
                throw;
            }
        }
    }

    /// <summary>Two results on the showcase (one with a Markdown report stored like any upload) and a mentor's and a peer's feedback.</summary>
    private async Task ShowcaseAsync(Project sepsis, Project denoising, DemoUser helix, DateTimeOffset now, CancellationToken ct)
    {
        var report = System.Text.Encoding.UTF8.GetBytes(
            "# Sepsis early warning: data access\n\nWe mapped six routine observations to NEWS2 and trained a baseline model on 18 months of anonymised ward data.\n");
        Showcase.ShowcaseFile file;
        await using (var staged = await store.StageAsync(new MemoryStream(report), "data-access-report.md", Showcase.ReportFormat.Markdown, ct))
        {
            staged.Keep();
            file = staged.File;
        }

        var author = sepsis.Members[0];
        var first = Showcase.ShowcaseEntry.Publish(sepsis, new Showcase.ShowcaseDraft("Data access approved", "The ethics board approved access to 18 months of anonymised ward observations.",
            sepsis.Milestones.OrderBy(m => m.DueOn).First().Id, ["https://example.org/sepsis-early-warning"]), file, author.StudentId, author.Name, now);
        var second = Showcase.ShowcaseEntry.Publish(denoising, new Showcase.ShowcaseDraft("Phantom scans planned", "Low-dose and full-dose phantom scans are booked for the phantom study.",
            denoising.Milestones.OrderBy(m => m.DueOn).First().Id, []), null, denoising.Members[0].StudentId, denoising.Members[0].Name, now);
        db.AddRange(first, second);
        db.Add(first.Review(helix.Id, helix.DisplayName, Showcase.ReviewerStanding.Mentor, "Good start: keep a held-out ward for the evaluation.", now));
        db.Add(first.Review(denoising.Members[0].StudentId, denoising.Members[0].Name, Showcase.ReviewerStanding.OtherTeam, "How do you handle missing observations?", now));
    }

    private async Task<bool> OtherInstanceSeededAsync(CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        return await db.Set<Project>().AnyAsync(p => p.Id == Sepsis, ct);
    }

    private static DateOnly Today(DateTimeOffset now, int plusDays) => DateOnly.FromDateTime(now.UtcDateTime).AddDays(plusDays);

    private static Project Seed(Guid id, string title, string theme, string summary, List<ProjectMember> team, DateTimeOffset now)
    {
        var project = Project.Propose(title, theme, summary, team, now);
        project.Reseed(id);
        return project;
    }

    private static void Accepted(Project project, string role, string service, Guid userId, string name, Guid organisationId, DateTimeOffset now)
    {
        var asked = project.AskMentor(role, service, userId, name, organisationId, now.AddDays(7), now);
        project.Answer(asked.RequestId, accepted: true, null, now);
    }
}

/// <summary>
/// Places the demo bundles once the owners' seeded resources have reached the school's catalog (until then the
/// task fails and is retried): Sepsis books the inference sandbox at Helix and the MRI scanner at the imaging
/// institute for a member who holds MRI safety (confirmed); Denoising asks for the A100 pool and the confocal
/// microscope for members without GPU onboarding or wet-lab safety (refused, everything released).
/// </summary>
public sealed class DemoBundlesHandler(SchoolDbContext db, Outbox outbox, DueTasks dueTasks, TimeProvider time) : IDueTaskHandler
{
    public const string TaskKind = "demo.bundles";

    public string Kind => TaskKind;

    public async Task RunAsync(DueTask task, CancellationToken cancellationToken)
    {
        if (await db.Set<ResourceBundle>().AnyAsync(b => b.ProjectId == ProjectsDemoSeeder.Sepsis || b.ProjectId == ProjectsDemoSeeder.Denoising, cancellationToken))
        {
            return;
        }

        Guid Resource(string owner, string name) => DemoDirectory.IdFor($"resource:{owner}:{name}");
        var wanted = new[]
        {
            Resource("helix-compute", "Inference sandbox"), Resource("imaging-institute", "3T MRI research scanner"),
            Resource("helix-compute", "A100 training pool"), Resource("genomics-institute", "Confocal microscope"),
        };
        var catalog = await db.CatalogResources.AsNoTracking().Where(r => wanted.Contains(r.ResourceId)).ToDictionaryAsync(r => r.ResourceId, cancellationToken);
        if (catalog.Count < wanted.Length)
        {
            throw new InvalidOperationException($"The catalog lists {catalog.Count} of the {wanted.Length} demo resources so far; the demo bundles wait for the owners' events.");
        }

        var now = time.GetUtcNow();
        var day = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(45);
        var projects = await db.Set<Project>().AsNoTracking().Include(p => p.Members)
            .Where(p => p.Id == ProjectsDemoSeeder.Sepsis || p.Id == ProjectsDemoSeeder.Denoising).ToDictionaryAsync(p => p.Id, cancellationToken);
        var budgets = await BudgetLedger.ForAsync(db, [.. projects.Keys], cancellationToken);
        BundlePart Part(Guid resource, int units, DateTimeOffset start, TimeSpan length, Guid userId) =>
            BundlePart.Plan(catalog[resource], resource, units, start, start + length, userId, now, "demo");

        var mri = DemoDirectory.Student(4).Id; // holds MRI safety for a year
        var sepsis = projects[ProjectsDemoSeeder.Sepsis];
        Place(sepsis, budgets.For(sepsis), [Part(wanted[0], 4, day.AddHours(9), TimeSpan.FromHours(6), mri), Part(wanted[1], 1, day.AddDays(1).AddHours(7), TimeSpan.FromHours(2), mri)], now);
        var denoising = projects[ProjectsDemoSeeder.Denoising];
        var member = denoising.Members[0].StudentId;
        Place(denoising, budgets.For(denoising), [Part(wanted[2], 2, day.AddDays(2).AddHours(9), TimeSpan.FromHours(8), member), Part(wanted[3], 1, day.AddDays(2).AddHours(10), TimeSpan.FromHours(3), member)], now);
        await db.SaveChangesAsync(cancellationToken);
    }

    private void Place(Project project, ProjectBudget budget, List<BundlePart> parts, DateTimeOffset now)
    {
        var coordinator = DemoDirectory.FindUser("coordinator@northbridge.demo")!;
        var (bundle, holds) = ResourceBundle.Place(project.Id, coordinator.Id, DemoDirectory.School.Id, parts, budget, TimeSpan.FromMinutes(2), now);
        BundleSagaSteps.Start(db, outbox, dueTasks, bundle, holds);
    }
}
