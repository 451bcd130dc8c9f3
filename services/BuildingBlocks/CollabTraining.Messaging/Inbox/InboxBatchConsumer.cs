using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace CollabTraining.Messaging.Inbox;

/// <summary>
/// A consumer that can also apply a run of messages of one type together, inside the inbox's group
/// transaction: one read of the rows they touch, changes made in memory, and no save of its own (the inbox
/// saves the changes and every message's key at once). Messages arrive in delivery order with repeats
/// removed; several may concern one aggregate. MassTransit still delivers one message at a time to
/// <see cref="IConsumer{T}.Consume"/>, which should apply a run of one, so both paths share one rule.
/// If a run throws, the inbox undoes it and applies its messages one at a time through <c>Consume</c>.
/// </summary>
public interface IInboxBatchConsumer<in T>
    where T : class
{
    Task ApplyAsync(IReadOnlyList<T> messages, CancellationToken cancellationToken);
}

/// <summary>How the inbox applies a run of one message type for one endpoint (the registered batch consumer).</summary>
public interface IInboxRun
{
    Type MessageType { get; }

    Task ApplyAsync(IServiceProvider services, IReadOnlyList<object> messages, CancellationToken cancellationToken);
}

internal sealed class InboxRun<T>(Type consumerType) : IInboxRun
    where T : class
{
    public Type MessageType => typeof(T);

    public Task ApplyAsync(IServiceProvider services, IReadOnlyList<object> messages, CancellationToken cancellationToken) =>
        ((IInboxBatchConsumer<T>)services.GetRequiredService(consumerType)).ApplyAsync(messages.Cast<T>().ToList(), cancellationToken);
}

/// <summary>
/// Which receive endpoint (queue) applies which message types in runs: every registered consumer that also
/// implements <see cref="IInboxBatchConsumer{T}"/>, under the queue name MassTransit gives it.
/// </summary>
public sealed class InboxBatchConsumers
{
    private readonly Dictionary<(string Queue, Type Message), IInboxRun> _runs = [];

    internal InboxBatchConsumers(IEnumerable<Type> consumerTypes, IEndpointNameFormatter names)
    {
        var consumerName = typeof(IEndpointNameFormatter).GetMethod(nameof(IEndpointNameFormatter.Consumer))!;
        foreach (var consumer in consumerTypes)
        {
            var queue = (string)consumerName.MakeGenericMethod(consumer).Invoke(names, null)!;
            foreach (var batch in consumer.GetInterfaces().Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IInboxBatchConsumer<>)))
            {
                var message = batch.GetGenericArguments()[0];
                _runs[(queue, message)] = (IInboxRun)Activator.CreateInstance(typeof(InboxRun<>).MakeGenericType(message), consumer)!;
            }
        }
    }

    /// <summary>The run for <paramref name="message"/> on the queue named <paramref name="queue"/>, if its consumer applies runs.</summary>
    public IInboxRun? Find(string queue, Type message) => _runs.GetValueOrDefault((queue, message));

    /// <summary>The consumers among <paramref name="services"/> that can apply runs.</summary>
    internal static IEnumerable<Type> In(IServiceCollection services) =>
        services.Select(d => d.ServiceType)
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IConsumer).IsAssignableFrom(t)
                && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IInboxBatchConsumer<>)))
            .Distinct();
}
