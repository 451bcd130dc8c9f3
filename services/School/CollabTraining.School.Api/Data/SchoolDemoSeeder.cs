using CollabTraining.Demo;
using CollabTraining.School.Students;
using CollabTraining.Messaging.Data;
using CollabTraining.Messaging.Outbox;
using CollabTraining.Messaging.Scheduling;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Data;

/// <summary>
/// With <c>Demo:Seed</c>, enrols the 200 demo students across programmes and years on first start, with
/// qualifications a real cohort has: most hold infection control, some basic life support, safeguarding or
/// MRI safety, and some MRI safety certificates run out within weeks (so eligibility has something to say).
/// Each grant is announced as it would be from the API (owners learn the cohort's qualifications only from
/// events) and its expiry scheduled, in the same save as the cohort.
/// </summary>
internal sealed class SchoolDemoSeeder(SchoolDbContext db, Outbox outbox, DueTasks dueTasks, IConfiguration configuration, TimeProvider time) : IDataSeeder
{
    private static readonly string[] Programmes = ["medicine", "medicine", "medicine", "biomedical-engineering"];

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue("Demo:Seed", false) || await db.Students.AnyAsync(cancellationToken))
        {
            return;
        }

        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        for (var i = 1; i <= DemoDirectory.StudentCount; i++)
        {
            var user = DemoDirectory.Student(i);
            void Holds(string code, DateOnly expiresOn)
            {
                var (qualification, granted) = StudentQualification.Grant(user.Id, code, expiresOn, now);
                db.StudentQualifications.Add(qualification);
                outbox.Add(granted);
                QualificationGrants.Schedule(dueTasks, qualification);
            }

            if (1 + (i % 6) >= 2)
            {
                Holds("infection-control", today.AddYears(2));
            }

            if (i % 2 == 0)
            {
                Holds("basic-life-support", today.AddYears(1));
            }

            if (i % 3 == 0)
            {
                Holds("safeguarding", today.AddYears(3));
            }

            if (i % 4 == 0)
            {
                Holds("mri-safety", i % 8 == 0 ? today.AddDays(20) : today.AddYears(1));
            }

            db.Students.Add(Student.Enrol(user.Id, $"NB{i:00000}", user.DisplayName, Programmes[i % Programmes.Length], 1 + (i % 6)));
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
