using CollabTraining.Contracts.Sharing;
using CollabTraining.School.Data;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace CollabTraining.School.Catalog;

/// <summary>
/// Keeps the catalog's shared resources and engineering mentors in step with what the enterprises and
/// institutes publish. Runs inside the inbox transaction; a stale or repeated publication changes nothing.
/// </summary>
public sealed partial class SharedResourceCatalogConsumer(SchoolDbContext db, ILogger<SharedResourceCatalogConsumer> logger) :
    IConsumer<SharedResourcePublished>,
    IConsumer<EngineeringMentorPublished>
{
    public async Task Consume(ConsumeContext<SharedResourcePublished> context)
    {
        var published = context.Message;
        var id = published.Resource.ResourceId;
        var resource = await db.CatalogResources.SingleOrDefaultAsync(r => r.ResourceId == id, context.CancellationToken);
        if (resource is null)
        {
            db.CatalogResources.Add(CatalogResource.From(published));
        }
        else if (!resource.Apply(published))
        {
            LogStale(logger, "resource", id, published.Version, resource.Version);
            return;
        }

        await db.SaveChangesAsync(context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<EngineeringMentorPublished> context)
    {
        var published = context.Message;
        var mentor = await db.CatalogMentors.SingleOrDefaultAsync(m => m.MentorId == published.MentorId, context.CancellationToken);
        if (mentor is null)
        {
            db.CatalogMentors.Add(CatalogMentor.From(published));
        }
        else if (!mentor.Apply(published))
        {
            LogStale(logger, "mentor", published.MentorId, published.Version, mentor.Version);
            return;
        }

        await db.SaveChangesAsync(context.CancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Ignored version {Version} of {What} {Id}: the catalog already holds version {Held}")]
    private static partial void LogStale(ILogger logger, string what, Guid id, long version, long held);
}
