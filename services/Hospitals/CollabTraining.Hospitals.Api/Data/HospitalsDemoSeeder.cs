using CollabTraining.Contracts.Hospitals;
using CollabTraining.Demo;
using CollabTraining.Hospitals.Placements;
using CollabTraining.Messaging.Data;
using CollabTraining.Messaging.Outbox;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.Hospitals.Data;

/// <summary>
/// When <c>Demo:Seed</c> is true and no offer exists, publishes demo placement offers through the outbox like
/// any other offer, so the school's catalog fills over the broker.
/// </summary>
internal sealed class HospitalsDemoSeeder(HospitalsDbContext db, Outbox outbox, TimeProvider time, IConfiguration configuration) : IDataSeeder
{
    private static readonly (string Department, string Specialty, string Title, int Seats, int Year, string[] Qualifications)[] Templates =
    [
        ("Cardiology", "cardiology", "Cardiology ward and cath lab", 6, 4, ["infection-control"]),
        ("Emergency Department", "emergency-medicine", "Emergency medicine rotation", 8, 5, ["infection-control", "basic-life-support"]),
        ("Radiology", "radiology", "Diagnostic imaging and MRI", 4, 4, ["mri-safety"]),
        ("General Surgery", "surgery", "General surgery theatre and ward", 6, 5, ["infection-control"]),
        ("Paediatrics", "paediatrics", "Paediatric ward rotation", 5, 4, ["infection-control", "safeguarding"]),
        ("Internal Medicine", "internal-medicine", "Internal medicine firm", 10, 3, []),
    ];

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue("Demo:Seed", false) || await db.PlacementOffers.AnyAsync(cancellationToken))
        {
            return;
        }

        var now = time.GetUtcNow();
        var firstMonday = DateOnly.FromDateTime(now.UtcDateTime).AddDays(30);
        var index = 0;
        foreach (var org in DemoDirectory.Hospitals)
        {
            foreach (var t in Templates)
            {
                var starts = firstMonday.AddDays(7 * 4 * (index++ % 4));
                var terms = new PlacementOfferTerms(t.Department, t.Specialty, t.Title, starts, starts.AddDays(27), t.Seats, t.Year, t.Qualifications, []);
                var offer = PlacementOffer.Publish(org.Id, terms, now);
                db.PlacementOffers.Add(offer);
                outbox.Add(new PlacementOfferPublished(offer.Snapshot(org.Name), offer.Version, now));
            }
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
