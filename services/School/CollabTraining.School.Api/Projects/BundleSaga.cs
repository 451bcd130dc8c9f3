using CollabTraining.Contracts;
using CollabTraining.Contracts.Projects;
using CollabTraining.Messaging.Outbox;
using CollabTraining.Messaging.Scheduling;
using CollabTraining.School.Data;
using CollabTraining.School.Notifications;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Projects;

/// <summary>
/// Moves bundles on as the owners answer, inside the inbox transaction: the answer, the bundle's new state, the
/// requests it makes next and the team's notification commit together, so a SIGKILL at any point leaves either
/// all of it or none of it, and the redelivered answer is applied then. The bundle's version token makes two
/// School instances applying answers to one bundle at once retry instead of overwriting each other.
/// </summary>
public sealed class BundleSaga(SchoolDbContext db, Outbox outbox, TimeProvider time) :
    IConsumer<BundleHoldAnswered>,
    IConsumer<BundlePartConfirmed>,
    IConsumer<BundlePartReleased>
{
    public Task Consume(ConsumeContext<BundleHoldAnswered> context)
    {
        var m = context.Message;
        return ApplyAsync(m.BundleId, b => b.HoldAnswered(m.PartId, m.Placed, m.BookingId, m.Reason, m.Detail, time.GetUtcNow()), context.CancellationToken);
    }

    public Task Consume(ConsumeContext<BundlePartConfirmed> context)
    {
        var m = context.Message;
        return ApplyAsync(m.BundleId, b => b.PartConfirmed(m.PartId, m.Confirmed, m.BookingId, m.Reason, time.GetUtcNow()), context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<BundlePartReleased> context)
    {
        var bundle = await BundleSagaSteps.LoadAsync(db, context.Message.BundleId, context.CancellationToken);
        if (bundle?.PartReleased(context.Message.PartId) == true)
        {
            await db.SaveChangesAsync(context.CancellationToken);
        }
    }

    private async Task ApplyAsync(Guid bundleId, Func<ResourceBundle, IReadOnlyList<IIntegrationEvent>> step, CancellationToken ct)
    {
        var bundle = await BundleSagaSteps.LoadAsync(db, bundleId, ct);
        if (bundle is null)
        {
            return;
        }

        await BundleSagaSteps.ApplyAsync(db, outbox, bundle, step, time.GetUtcNow(), ct);
    }
}

/// <summary>At a bundle's deadlines (answers, then confirmations): whoever has not answered fails it, and the rest is released.</summary>
public sealed class BundleDeadlineHandler(SchoolDbContext db, Outbox outbox, TimeProvider time) : IDueTaskHandler
{
    public const string TaskKind = "bundle.deadline";

    public string Kind => TaskKind;

    public async Task RunAsync(DueTask task, CancellationToken cancellationToken)
    {
        var bundle = await BundleSagaSteps.LoadAsync(db, task.SubjectId, cancellationToken);
        if (bundle is not null)
        {
            var now = time.GetUtcNow();
            await BundleSagaSteps.ApplyAsync(db, outbox, bundle, b => b.TimeOut(now), now, cancellationToken);
        }
    }
}

internal static class BundleSagaSteps
{
    /// <summary>Starts a placed bundle in the caller's unit of work: its hold requests to the owners and its two deadlines.</summary>
    public static void Start(SchoolDbContext db, Outbox outbox, DueTasks dueTasks, ResourceBundle bundle, IReadOnlyList<IIntegrationEvent> holds)
    {
        db.Add(bundle);
        foreach (var hold in holds)
        {
            outbox.Add(hold);
        }

        dueTasks.Schedule(BundleDeadlineHandler.TaskKind, bundle.Id, bundle.AnswerBy);
        dueTasks.Schedule(BundleDeadlineHandler.TaskKind, bundle.Id, bundle.HoldUntil);
    }

    public static Task<ResourceBundle?> LoadAsync(SchoolDbContext db, Guid bundleId, CancellationToken ct) =>
        db.Set<ResourceBundle>().Include(b => b.Parts).SingleOrDefaultAsync(b => b.Id == bundleId, ct);

    /// <summary>Applies one step; when it decides the bundle, tells the team (and the requester) in the same save.</summary>
    public static async Task ApplyAsync(
        SchoolDbContext db, Outbox outbox, ResourceBundle bundle, Func<ResourceBundle, IReadOnlyList<IIntegrationEvent>> step, DateTimeOffset now, CancellationToken ct)
    {
        var before = bundle.Status;
        var versionBefore = bundle.Version;
        foreach (var request in step(bundle))
        {
            outbox.Add(request);
        }

        if (bundle.Version == versionBefore)
        {
            return;
        }

        if (bundle.Status != before && bundle.Status is BundleStatus.Confirmed or BundleStatus.Failed)
        {
            var project = await db.Set<Project>().AsNoTracking().Include(p => p.Members).SingleAsync(p => p.Id == bundle.ProjectId, ct);
            var (kind, text) = bundle.Status == BundleStatus.Confirmed
                ? ("bundle-confirmed", $"The resources for \"{project.Title}\" are booked: {string.Join(", ", bundle.Parts.Select(p => $"{p.ResourceName} ({p.Units} from {p.Start:yyyy-MM-dd HH:mm} to {p.End:yyyy-MM-dd HH:mm} UTC)"))}.")
                : ("bundle-failed", $"The resources for \"{project.Title}\" could not all be booked, so none were: {bundle.FailureReason}.");
            foreach (var user in project.Members.Select(m => m.StudentId).Append(bundle.RequestedBy).Distinct())
            {
                db.Add(Notification.Tell(user, bundle.Id, kind, text, now));
            }
        }

        await db.SaveChangesAsync(ct);
    }
}
