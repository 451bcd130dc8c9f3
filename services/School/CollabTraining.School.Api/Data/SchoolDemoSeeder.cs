using CollabTraining.School.Students;
using CollabTraining.ServiceDefaults.Data;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Data;

/// <summary>With <c>Demo:Seed</c>, enrols the 200 demo students across programmes and years on first start.</summary>
internal sealed class SchoolDemoSeeder(SchoolDbContext db, IConfiguration configuration) : IDataSeeder
{
    private static readonly string[] Programmes = ["medicine", "medicine", "medicine", "biomedical-engineering"];

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue("Demo:Seed", false) || await db.Students.AnyAsync(cancellationToken))
        {
            return;
        }

        for (var i = 1; i <= DemoDirectory.StudentCount; i++)
        {
            var user = DemoDirectory.Student(i);
            db.Students.Add(new Student
            {
                Id = user.Id,
                StudentNumber = $"NB{i:00000}",
                Name = user.DisplayName,
                Programme = Programmes[i % Programmes.Length],
                StudyYear = 1 + (i % 6),
            });
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
