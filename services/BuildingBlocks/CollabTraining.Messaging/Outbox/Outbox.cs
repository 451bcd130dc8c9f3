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
    public void Add<T>(T message)
        where T : class
    {
        var now = timeProvider.GetUtcNow();
        db.OutboxMessages.Add(new OutboxMessage
        {
            MessageId = Guid.CreateVersion7(now),
            MessageType = MessageTypeRegistry.NameOf(typeof(T)),
            Body = JsonSerializer.Serialize(message, MessageTypeRegistry.JsonOptions),
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
