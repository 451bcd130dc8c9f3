using CollabTraining.Demo;
using CollabTraining.Hospitals.Assignments;
using CollabTraining.Messaging.Data;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Hospitals.Data;

/// <summary>Registers the demo hospitals' mentors with the demo partners (<c>Demo:Organisations</c>).</summary>
internal sealed class ClinicalMentorsDemoSeeder(HospitalsDbContext db, IConfiguration configuration) : IDataSeeder
{
    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue("Demo:Organisations", configuration.GetValue("Demo:Seed", false)) || await db.ClinicalMentors.AnyAsync(cancellationToken))
        {
            return;
        }

        foreach (var mentor in DemoDirectory.Users.Where(u => u.Organisation.Kind == OrganisationKinds.Hospital && u.Roles.Contains(Roles.Mentor)))
        {
            db.ClinicalMentors.Add(ClinicalMentor.Register(mentor.Id, mentor.Organisation.Id, mentor.DisplayName));
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
