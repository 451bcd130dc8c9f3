using CollabTraining.Bookings;
using CollabTraining.Contracts.Sharing;
using CollabTraining.Demo;
using CollabTraining.Messaging.Data;
using CollabTraining.ServiceDefaults.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;

namespace CollabTraining.Sharing;

/// <summary>
/// When <c>Demo:Seed</c> is true and no resource exists: each demo owner's resources (GPU pools and devices at
/// the enterprises, equipment at the institutes, some needing <c>mri-safety</c>), its engineering mentor, and
/// bookings by students and staff over the coming weeks, published through the outbox like any other, so the
/// school's catalog and a live calendar fill at the first start.
/// </summary>
public sealed class SharingDemoSeeder(ServiceDbContext db, BookingWork work, IConfiguration configuration, IReadOnlyList<DemoOrganisation> owners) : IDataSeeder
{
    private sealed record Template(string Owner, ResourceKind Kind, string Name, string Description, string? Model, int Capacity, BookingRules Rules, string[] Qualifications);

    private static readonly BookingRules Gpu = new() { MinimumDuration = TimeSpan.FromHours(1), MaximumDuration = TimeSpan.FromHours(24), TimeZone = "Europe/London" };

    private static readonly Template[] Templates =
    [
        new("helix-compute", ResourceKind.ComputePool, "A100 training pool", "GPU nodes for training imaging and language models.", "NVIDIA A100 80GB", 8, Gpu, ["gpu-cluster-onboarding"]),
        new("helix-compute", ResourceKind.ComputePool, "H100 pool", "Large-model training; bookings are approved by Helix staff.", "NVIDIA H100 80GB", 4,
            Gpu with { MaximumDuration = TimeSpan.FromHours(48), ApprovalRequired = true }, ["gpu-cluster-onboarding", "data-protection"]),
        new("helix-compute", ResourceKind.ComputePool, "Inference sandbox", "Small GPUs for coursework and demos.", "NVIDIA L4", 16, Gpu with { MaximumDuration = TimeSpan.FromHours(8) }, []),
        new("medsim", ResourceKind.Device, "Ultrasound simulator", "High-fidelity ultrasound training simulators.", "SonoSim Pro", 3,
            new BookingRules { MinimumDuration = TimeSpan.FromMinutes(30), MaximumDuration = TimeSpan.FromHours(4), Buffer = TimeSpan.FromMinutes(15), CheckInRequired = true, TimeZone = "Europe/London" }, []),
        new("medsim", ResourceKind.Device, "Laparoscopy trainer", "Box trainers with camera for laparoscopic skills.", "LapSim Box", 2,
            new BookingRules { MinimumDuration = TimeSpan.FromMinutes(30), MaximumDuration = TimeSpan.FromHours(3), TimeZone = "Europe/London" }, ["infection-control"]),
        new("imaging-institute", ResourceKind.Equipment, "3T MRI research scanner", "Research scanner; sessions need MRI safety training.", "Siemens Prisma 3T", 1,
            new BookingRules { MinimumDuration = TimeSpan.FromHours(1), MaximumDuration = TimeSpan.FromHours(4), Buffer = TimeSpan.FromMinutes(30), MinimumNotice = TimeSpan.FromHours(2), CheckInRequired = true, AutoReleaseAfter = TimeSpan.FromMinutes(20), TimeZone = "Europe/London" }, ["mri-safety"]),
        new("imaging-institute", ResourceKind.Equipment, "Micro-CT scanner", "Specimen imaging at micrometre resolution.", "Bruker SkyScan 1276", 1,
            new BookingRules { MinimumDuration = TimeSpan.FromHours(1), MaximumDuration = TimeSpan.FromHours(8), ApprovalRequired = true, TimeZone = "Europe/London" }, ["radiation-protection"]),
        new("genomics-institute", ResourceKind.Equipment, "Sequencer", "Short-read sequencing runs.", "Illumina NextSeq 2000", 1,
            new BookingRules { MinimumDuration = TimeSpan.FromHours(2), MaximumDuration = TimeSpan.FromHours(48), TimeZone = "Europe/London" }, ["wet-lab-safety"]),
        new("genomics-institute", ResourceKind.Equipment, "Confocal microscope", "Live-cell imaging.", "Zeiss LSM 980", 1,
            new BookingRules { MinimumDuration = TimeSpan.FromMinutes(30), MaximumDuration = TimeSpan.FromHours(6), Buffer = TimeSpan.FromMinutes(15), TimeZone = "Europe/London" }, ["wet-lab-safety"]),
    ];

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (!configuration.GetValue("Demo:Seed", false) || await db.Set<Resource>().AnyAsync(cancellationToken))
        {
            return;
        }

        var now = work.Now;
        var random = new Random(20261125);
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        foreach (var owner in owners)
        {
            foreach (var t in Templates.Where(t => t.Owner == owner.Key))
            {
                var resource = Resource.Create(DemoDirectory.IdFor($"resource:{owner.Key}:{t.Name}"), owner.Id, t.Kind, t.Name, t.Capacity, t.Rules, t.Qualifications, description: t.Description, model: t.Model);
                db.Add(resource);
                await work.PublishAsync(resource, cancellationToken);
                var calendar = new Calendar([], []);
                for (var i = 0; i < 12; i++)
                {
                    var user = i % 4 == 0 ? DemoDirectory.FindUser($"staff@{owner.Key}.demo")! : DemoDirectory.Student(1 + random.Next(DemoDirectory.StudentCount));
                    var start = today.AddDays(1 + random.Next(28)).AddHours(8 + random.Next(8));
                    var end = start + TimeSpan.FromHours(Math.Clamp(1 + random.Next(3), t.Rules.MinimumDuration.TotalHours, t.Rules.MaximumDuration.TotalHours));
                    var booker = new Booker(user.Id, user.DisplayName, user.Organisation.Id, user.Organisation.Kind, t.Qualifications.ToHashSet());
                    try
                    {
                        var booking = resource.Book(Guid.CreateVersion7(), new BookingRequest(booker, start, end, 1 + random.Next(Math.Min(2, t.Capacity))), calendar, now);
                        db.Add(booking);
                        work.Announce(booking, resource);
                    }
                    catch (BookingRefusedException)
                    {
                        // A demo slot that collides with an earlier one: skip it, as a user would pick another.
                    }
                }

                // The past fortnight's use, so the ledger has hours used as well as provided: a few bookings made then,
                // checked in at their start and out half an hour before their end, their usage published as at checkout.
                for (var i = 0; i < 3; i++)
                {
                    var user = DemoDirectory.Student(1 + random.Next(DemoDirectory.StudentCount));
                    var start = today.AddDays(-1 - (i * 4) - random.Next(3)).AddHours(9 + (i * 3));
                    var end = start + TimeSpan.FromHours(Math.Clamp(2, t.Rules.MinimumDuration.TotalHours, t.Rules.MaximumDuration.TotalHours));
                    var booker = new Booker(user.Id, user.DisplayName, user.Organisation.Id, user.Organisation.Kind, t.Qualifications.ToHashSet());
                    try
                    {
                        var booking = resource.Book(Guid.CreateVersion7(), new BookingRequest(booker, start, end, 1), new Calendar([], []), start.AddDays(-2));
                        if (booking.Status == BookingStatus.PendingApproval)
                        {
                            booking.Approve();
                        }

                        booking.CheckIn(start);
                        booking.CheckOut(end.AddMinutes(-30));
                        db.Add(booking);
                        work.Announce(booking, resource);
                        work.RecordUsage(booking, resource);
                    }
                    catch (CollabTraining.Domain.DomainRuleException)
                    {
                        // A rule this template's resource sets that the past slot breaks: no use to show for it.
                    }
                }
            }

            if (DemoDirectory.FindUser($"mentor@{owner.Key}.demo") is { } person)
            {
                var mentor = EngineeringMentor.Register(person.Id, owner.Id, person.DisplayName,
                    owner.Kind == OrganisationKinds.Enterprise ? ["machine learning", "GPU computing", "medical devices"] : ["medical imaging", "lab automation", "bioinformatics"], 3);
                db.Add(mentor);
                work.Add(new EngineeringMentorPublished(mentor.Id, work.Options.Service, owner.Id, owner.Name, mentor.Name, mentor.Expertise, mentor.ProjectCapacity, true, mentor.Version, now));
            }
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two instances started on one empty database: if the other one seeded first, there is nothing to do.
            db.ChangeTracker.Clear();
            if (!await db.Set<Resource>().AnyAsync(cancellationToken))
            {
                throw;
            }
        }
    }
}
