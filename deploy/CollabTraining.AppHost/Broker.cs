using System.Diagnostics;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CollabTraining.AppHost;

/// <summary>
/// Where the services' RabbitMQ comes from, in order: an external broker named by ConnectionStrings:rabbitmq;
/// a container where a Docker engine actually runs; otherwise a private node of the Debian rabbitmq-server
/// package on its own ports, its data under .data/rabbitmq (docs/rabbitmq.md).
/// </summary>
internal static class Broker
{
    public static BrokerChoice Add(IDistributedApplicationBuilder builder, IConfiguration platform, string dataDirectory)
    {
        if (!string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString("rabbitmq")))
        {
            return new BrokerChoice(builder.AddConnectionString("rabbitmq"), null, null);
        }

        if (DockerEngineRuns())
        {
            return new BrokerChoice(builder.AddRabbitMQ("rabbitmq"), null, null);
        }

        const string server = "/usr/lib/rabbitmq/bin/rabbitmq-server";
        if (!File.Exists(server))
        {
            throw new InvalidOperationException("No broker: install rabbitmq-server (apt-get install -y rabbitmq-server), or set ConnectionStrings__rabbitmq.");
        }

        var port = platform.GetValue("BrokerPort", 5680);
        var distributionPort = platform.GetValue("BrokerDistributionPort", 25680);
        var directory = Path.Combine(dataDirectory, "rabbitmq");
        Directory.CreateDirectory(Path.Combine(directory, "mnesia"));
        Directory.CreateDirectory(Path.Combine(directory, "log"));
        File.WriteAllText(Path.Combine(directory, "enabled_plugins"), "[].");
        File.WriteAllText(Path.Combine(directory, "rabbitmq.conf"), $"listeners.tcp.default = 127.0.0.1:{port}\nloopback_users = none\n");

        builder.Services.AddHealthChecks().AddCheck("rabbitmq-amqp", () => AcceptsConnections(port)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"Nothing answers on 127.0.0.1:{port} yet"));

        var node = builder.AddExecutable("rabbitmq", server, directory)
            .WithEnvironment("RABBITMQ_NODENAME", "collabtraining@localhost")
            .WithEnvironment("RABBITMQ_NODE_PORT", port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("RABBITMQ_DIST_PORT", distributionPort.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .WithEnvironment("RABBITMQ_MNESIA_BASE", Path.Combine(directory, "mnesia"))
            .WithEnvironment("RABBITMQ_LOG_BASE", Path.Combine(directory, "log"))
            .WithEnvironment("RABBITMQ_PID_FILE", Path.Combine(directory, "node.pid"))
            .WithEnvironment("RABBITMQ_ENABLED_PLUGINS_FILE", Path.Combine(directory, "enabled_plugins"))
            .WithEnvironment("RABBITMQ_CONFIG_FILE", Path.Combine(directory, "rabbitmq"))
            .WithHealthCheck("rabbitmq-amqp");
        return new BrokerChoice(null, node, $"amqp://guest:guest@127.0.0.1:{port}");
    }

    public static IResourceBuilder<ProjectResource> WithBroker(this IResourceBuilder<ProjectResource> service, BrokerChoice broker)
    {
        if (broker.ConnectionString is { } resource)
        {
            return service.WithReference(resource).WaitFor(resource);
        }

        return service.WithEnvironment("ConnectionStrings__rabbitmq", broker.Uri!).WaitFor(broker.Executable!);
    }

    private static bool AcceptsConnections(int port)
    {
        try
        {
            using var client = new TcpClient();
            return client.ConnectAsync("127.0.0.1", port).Wait(TimeSpan.FromSeconds(1)) && client.Connected;
        }
        catch (AggregateException)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static bool DockerEngineRuns()
    {
        try
        {
            using var docker = Process.Start(new ProcessStartInfo("docker", ["info", "--format", "{{.ServerVersion}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            });
            if (docker is null || !docker.WaitForExit(5000))
            {
                return false;
            }

            return docker.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}

internal sealed record BrokerChoice(
    IResourceBuilder<IResourceWithConnectionString>? ConnectionString,
    IResourceBuilder<ExecutableResource>? Executable,
    string? Uri);
