using System.Diagnostics;
using System.Text.Json;
using CollabTraining.Messaging.Data;

namespace CollabTraining.Messaging.Outbox;

/// <summary>
/// The only way application code publishes: the event becomes a row in the same <c>SaveChanges</c> as the
/// business change, so both commit or neither does. The dispatcher publishes it afterwards.
/// </summary>
public sealed class Outbox(ServiceDbContext db, TimeProvider timeProvider)
{
    /// <summary>Adds the event under its runtime type, so an event passed as an interface is stored (and published) as what it is.</summary>
    public void Add<T>(T message)
        where T : class
    {
        var type = message.GetType();
        var now = timeProvider.GetUtcNow();
        db.OutboxMessages.Add(new OutboxMessage
        {
            MessageId = Guid.CreateVersion7(now),
            MessageType = MessageTypeRegistry.NameOf(type),
            Body = JsonSerializer.Serialize(message, type, MessageTypeRegistry.JsonOptions),
            Headers = CaptureHeaders(),
            OccurredAt = now,
            NextAttemptAt = now,
        });
    }

    /// <summary>The trace the event was raised in, so its publication and consumption join that trace.</summary>
    private static string? CaptureHeaders()
    {
        var activity = Activity.Current;
        if (activity is null)
        {
            return null;
        }

        var headers = new Dictionary<string, string> { ["traceparent"] = activity.Id ?? string.Empty };
        if (!string.IsNullOrEmpty(activity.TraceStateString))
        {
            headers["tracestate"] = activity.TraceStateString;
        }

        return JsonSerializer.Serialize(headers, MessageTypeRegistry.JsonOptions);
    }
}
