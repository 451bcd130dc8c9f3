using System.Reflection;
using CollabTraining.Messaging.Inbox;
using CollabTraining.Messaging.Outbox;
using CollabTraining.Messaging.Scheduling;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace CollabTraining.Messaging;

/// <summary>Settings under <c>Messaging</c>.</summary>
public sealed class MessagingOptions
{
    public const string Section = "Messaging";

    /// <summary>Declare receive queues as quorum queues (a clustered broker); classic queues otherwise.</summary>
    public bool QuorumQueues { get; set; }

    public int RetryLimit { get; set; } = 5;

    /// <summary>Unacknowledged deliveries per queue: the inbox's batches form from these, so it bounds a batch.</summary>
    public int PrefetchCount { get; set; } = 128;
}

public static class MessagingExtensions
{
    /// <summary>
    /// MassTransit on RabbitMQ (connection string <c>rabbitmq</c>, an amqp:// URI), with queues named
    /// <c>{service}-{consumer}</c> so services never compete for each other's messages, retry, the inbox on
    /// every consumer, and the outbox dispatcher. <paramref name="consumers"/> is the one place a service lists
    /// what it subscribes to.
    /// </summary>
    public static IHostApplicationBuilder AddServiceMessaging(this IHostApplicationBuilder builder, string serviceName, Action<IBusRegistrationConfigurator>? consumers = null)
    {
        var services = builder.Services;
        var messaging = builder.Configuration.GetSection(MessagingOptions.Section).Get<MessagingOptions>() ?? new MessagingOptions();
        var outboxOptions = builder.Configuration.GetSection(OutboxOptions.Section).Get<OutboxOptions>() ?? new OutboxOptions();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(messaging);
        services.AddSingleton(outboxOptions);
        services.AddSingleton(new MessageTypeRegistry(Assembly.GetEntryAssembly() ?? typeof(MessagingExtensions).Assembly));
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton(builder.Configuration.GetSection(InboxOptions.Section).Get<InboxOptions>() ?? new InboxOptions());
        services.AddSingleton<InboxBatchers>();
        services.AddSingleton<OutboxCommitInterceptor>();
        services.AddSingleton<OutboxMetrics>();
        services.AddScoped<Outbox.Outbox>();
        services.AddScoped<OutboxAdministration>();
        services.TryAddSingleton<IOutboxTransport, MassTransitOutboxTransport>();

        var connectionString = builder.Configuration.GetConnectionString("rabbitmq");
        var endpointNames = new KebabCaseEndpointNameFormatter(serviceName, includeNamespace: false);
        services.AddMassTransit(x =>
        {
            x.SetEndpointNameFormatter(endpointNames);
            consumers?.Invoke(x);
            services.AddSingleton(new InboxBatchConsumers(InboxBatchConsumers.In(services).ToList(), endpointNames));
            x.AddConfigureEndpointsCallback((context, _, endpoint) =>
            {
                endpoint.UseMessageRetry(r => r.Exponential(messaging.RetryLimit, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(300)));
                endpoint.UseConsumeFilter(typeof(InboxFilter<>), context);
                if (endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.PrefetchCount = messaging.PrefetchCount;
                    if (messaging.QuorumQueues)
                    {
                        rabbit.SetQuorumQueue();
                    }
                }
            });
            x.UsingRabbitMq((context, cfg) =>
            {
                var broker = BrokerAddress.Parse(connectionString
                    ?? throw new InvalidOperationException("ConnectionStrings:rabbitmq is not set (e.g. amqp://guest:guest@127.0.0.1:5672)."));
                cfg.Host(broker.Host, broker.Port, broker.VirtualHost, h =>
                {
                    h.Username(broker.UserName);
                    h.Password(broker.Password);
                });
                cfg.ConfigureEndpoints(context);
            });
        });
        services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = true;
            o.StartTimeout = TimeSpan.FromSeconds(60);
            o.StopTimeout = TimeSpan.FromSeconds(30);
        });

        // Registered after MassTransit: hosted services start in order, so the bus is up before the first publish.
        if (outboxOptions.DispatcherEnabled)
        {
            services.AddHostedService<OutboxDispatcher>();
        }

        services.AddDueTasks(builder.Configuration);

        return builder;
    }
}

/// <summary>The parts of an amqp:// connection string.</summary>
public sealed record BrokerAddress(string Host, ushort Port, string VirtualHost, string UserName, string Password)
{
    public static BrokerAddress Parse(string connectionString)
    {
        if (!Uri.TryCreate(connectionString, UriKind.Absolute, out var uri) || uri.Scheme is not ("amqp" or "amqps" or "rabbitmq"))
        {
            throw new InvalidOperationException($"'{connectionString}' is not an amqp:// URI.");
        }

        var credentials = Uri.UnescapeDataString(uri.UserInfo).Split(':', 2);
        var virtualHost = Uri.UnescapeDataString(uri.AbsolutePath.TrimStart('/'));
        return new BrokerAddress(
            uri.Host,
            (ushort)(uri.IsDefaultPort || uri.Port < 0 ? 5672 : uri.Port),
            string.IsNullOrEmpty(virtualHost) ? "/" : virtualHost,
            credentials.Length > 0 && credentials[0].Length > 0 ? credentials[0] : "guest",
            credentials.Length > 1 ? credentials[1] : "guest");
    }
}
