using System.Reflection;
using System.Text.Json;
using CollabTraining.Contracts;

namespace CollabTraining.Messaging;

/// <summary>
/// Names the event types an outbox row may hold. Rows store the name, not the CLR type, so a row written by a
/// newer build that this one does not know fails visibly (and is dead-lettered) instead of being misread.
/// </summary>
public sealed class MessageTypeRegistry
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private readonly Dictionary<string, Type> _byName = new(StringComparer.Ordinal);

    public MessageTypeRegistry(params Assembly[] assemblies)
    {
        foreach (var assembly in assemblies.Append(typeof(IIntegrationEvent).Assembly).Distinct())
        {
            foreach (var type in assembly.GetExportedTypes().Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IIntegrationEvent).IsAssignableFrom(t)))
            {
                _byName[NameOf(type)] = type;
            }
        }
    }

    public static string NameOf(Type type) => type.FullName ?? type.Name;

    public Type Resolve(string name) =>
        _byName.TryGetValue(name, out var type)
            ? type
            : throw new UnknownMessageTypeException(name);
}

public sealed class UnknownMessageTypeException(string name)
    : Exception($"No event type named '{name}' is known to this build.");
