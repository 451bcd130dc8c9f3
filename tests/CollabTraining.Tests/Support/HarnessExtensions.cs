using MassTransit.Testing;

namespace CollabTraining.Tests.Support;

public static class HarnessExtensions
{
    private static readonly CancellationToken NoWait = new(canceled: true);

    /// <summary>What has been published so far, without waiting for more.</summary>
    public static List<IPublishedMessage<T>> Snapshot<T>(this IPublishedMessageList published)
        where T : class => published.Select<T>(NoWait).ToList();

    /// <summary>What has been consumed so far, without waiting for more.</summary>
    public static List<IReceivedMessage<T>> Snapshot<T>(this IReceivedMessageList consumed)
        where T : class => consumed.Select<T>(NoWait).ToList();

    /// <summary>
    /// Waits (up to 10 s) for a matching published message. The outbox publishes after the response, so the
    /// harness's own Any(), which gives up once the bus looks idle, would race it.
    /// </summary>
    public static Task<bool> EventuallyAsync<T>(this IPublishedMessageList published, Func<IPublishedMessage<T>, bool> match)
        where T : class =>
        Eventually.HoldsAsync(() => Task.FromResult(published.Snapshot<T>().Any(match)), TimeSpan.FromSeconds(10));

    public static Task<bool> EventuallyAsync<T>(this IReceivedMessageList consumed, Func<IReceivedMessage<T>, bool> match)
        where T : class =>
        Eventually.HoldsAsync(() => Task.FromResult(consumed.Snapshot<T>().Any(match)), TimeSpan.FromSeconds(10));
}
