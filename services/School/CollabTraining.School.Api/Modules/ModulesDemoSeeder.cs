using CollabTraining.Demo;
using CollabTraining.Messaging.Data;
using CollabTraining.School.Data;
using CollabTraining.School.Students;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Modules;

/// <summary>
/// With <c>Demo:Seed</c>, once the cohort exists and no module does: the micro-programme (core: AI fundamentals,
/// medical data processing, AI ethics and law; practice: project practice, case analysis; extension: expert
/// workshops; plus GPU cluster onboarding and MRI safety), taught by the school's teacher and the partners'
/// engineering mentors, with classes over the coming weeks, some enrolments and a few results. A recorded pass
/// grants through <see cref="QualificationGrants"/>, as from the API, so owners are told. One save: two instances
/// starting at once on one database both try, one commits, and the other finds the modules there.
/// </summary>
internal sealed class ModulesDemoSeeder(SchoolDbContext db, QualificationGrants grants, IConfiguration configuration, TimeProvider time) : IDataSeeder
{
    private sealed record Template(string Code, string Title, string Group, string Description, int Capacity, string[] Teachers, (string Code, int Days)[] Grants);

    private static readonly Template[] Templates =
    [
        new("ai-fundamentals", "AI fundamentals", ModuleGroups.Core, "Machine learning for medicine: data, models, evaluation and their limits.", 40,
            ["teacher@northbridge.demo", "mentor@helix-compute.demo"], []),
        new("medical-data-processing", "Medical data processing", ModuleGroups.Core, "Imaging and clinical records: cleaning, anonymisation, pipelines.", 40,
            ["teacher@northbridge.demo", "mentor@imaging-institute.demo"], [("data-protection", 730)]),
        new("ai-ethics-law", "AI ethics and law", ModuleGroups.Core, "Consent, bias, accountability and the regulation of medical AI.", 60,
            ["teacher@northbridge.demo"], []),
        new("project-practice", "Project practice", ModuleGroups.Practice, "A team project with a clinical and an engineering mentor.", 24,
            ["teacher@northbridge.demo", "mentor@helix-compute.demo"], []),
        new("case-analysis", "Case analysis", ModuleGroups.Practice, "Real cases where imaging AI helped, failed or misled.", 30,
            ["teacher@northbridge.demo", "mentor@imaging-institute.demo"], []),
        new("expert-workshops", "Expert workshops", ModuleGroups.Extension, "Talks and hands-on sessions by the partners' engineers.", 80,
            ["mentor@helix-compute.demo", "mentor@imaging-institute.demo"], []),
        new("gpu-cluster-onboarding", "GPU cluster onboarding", ModuleGroups.Practice, "Accounts, queues, quotas and good practice on the Helix GPU pools.", 20,
            ["mentor@helix-compute.demo"], [("gpu-cluster-onboarding", 365)]),
        new("mri-safety", "MRI safety", ModuleGroups.Practice, "Magnetic field hazards, screening and emergencies at the research scanner.", 16,
            ["mentor@imaging-institute.demo", "teacher@northbridge.demo"], [("mri-safety", 365)]),
    ];

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue("Demo:Seed", false) || await db.Set<TrainingModule>().AnyAsync(cancellationToken) || !await db.Students.AnyAsync(cancellationToken))
        {
            return;
        }

        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var firstWeek = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(7);
        var modules = new Dictionary<string, TrainingModule>();
        for (var m = 0; m < Templates.Length; m++)
        {
            var t = Templates[m];
            var teachers = t.Teachers.Select(DemoDirectory.FindUser).OfType<DemoUser>()
                .Select(u => new ModuleTeacher(u.Id, u.DisplayName, u.Organisation.Id, u.Organisation.Kind)).ToList();
            var module = TrainingModule.Create(DemoDirectory.IdFor("module:" + t.Code),
                ModuleTerms.Checked(t.Code, t.Title, t.Group, t.Description, t.Capacity, teachers, t.Grants.Select(g => new ModuleGrant(g.Code, g.Days)).ToList()));
            db.Add(module);
            modules[t.Code] = module;
            for (var week = 0; week < 4; week++)
            {
                var starts = firstWeek.AddDays(week * 7 + m % 5).AddHours(m % 2 == 0 ? 9 : 14);
                db.Add(ModuleClass.Schedule(DemoDirectory.IdFor($"module-class:{t.Code}:{week}"), module, starts, starts.AddHours(2),
                    $"Room {101 + m}, Northbridge learning centre", teachers[week % teachers.Count].UserId));
            }
        }

        // Students 150-171: clear of the students the integration tests look at closely.
        void Enrol(string code, IEnumerable<int> students)
        {
            var taken = 0;
            foreach (var i in students)
            {
                modules[code].TakeSeat(taken++);
                db.Add(ModuleEnrolment.Enrol(modules[code].Id, DemoDirectory.Student(i).Id, now));
            }
        }

        Enrol("ai-fundamentals", Enumerable.Range(150, 20));
        Enrol("ai-ethics-law", Enumerable.Range(150, 10));
        Enrol("project-practice", Enumerable.Range(160, 8));
        Enrol("gpu-cluster-onboarding", Enumerable.Range(164, 8));
        Enrol("mri-safety", Enumerable.Range(166, 6));

        var teacher = DemoDirectory.FindUser("teacher@northbridge.demo")!;
        async Task ResultAsync(string code, int student, bool passed, int score)
        {
            var module = modules[code];
            var enrolment = db.ChangeTracker.Entries<ModuleEnrolment>().Single(e => e.Entity.ModuleId == module.Id && e.Entity.StudentId == DemoDirectory.Student(student).Id).Entity;
            enrolment.RecordResult(passed, score, passed ? "Completed all sessions." : "Retake the practical assessment.", module.IsTaughtBy(teacher.Id) ? teacher.Id : module.Teachers[0].UserId, now);
            if (passed)
            {
                foreach (var grant in module.Grants)
                {
                    await grants.GrantOrRenewAsync(enrolment.StudentId, grant.Code, today.AddDays(grant.ValidityDays), now, cancellationToken);
                }
            }
        }

        await ResultAsync("gpu-cluster-onboarding", 164, passed: true, 88);
        await ResultAsync("gpu-cluster-onboarding", 165, passed: true, 75);
        await ResultAsync("gpu-cluster-onboarding", 166, passed: false, 41);
        await ResultAsync("mri-safety", 166, passed: true, 92);
        await ResultAsync("mri-safety", 167, passed: true, 80);
        await ResultAsync("ai-ethics-law", 150, passed: true, 70);

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two instances starting on one empty database: if the other seeded the programme first, all is well.
            db.ChangeTracker.Clear();
            if (!await db.Set<TrainingModule>().AnyAsync(m => m.Id == DemoDirectory.IdFor("module:ai-fundamentals"), cancellationToken))
            {
                throw;
            }
        }
    }
}
