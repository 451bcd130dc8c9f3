using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace CollabTraining.Tests.EndToEnd;

/// <summary>
/// A real RabbitMQ for tests: RABBITMQ_URL when given, otherwise a private node of the Debian package on free
/// ports in a temporary folder (docs/rabbitmq.md). A private node can be stopped and started again on the
/// same ports and data, which is how the outage tests take the broker away.
/// </summary>
public sealed class RabbitMqNode : IAsyncDisposable
{
    private const string ServerBinary = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    private const string ControlBinary = "/usr/lib/rabbitmq/bin/rabbitmqctl";
    private readonly string _name = $"ct{Guid.NewGuid().ToString("N")[..10]}";
    private readonly int _distributionPort;
    private readonly string _directory;
    private Process? _process;

    private RabbitMqNode(int amqpPort, int distributionPort, string directory)
    {
        AmqpPort = amqpPort;
        _distributionPort = distributionPort;
        _directory = directory;
        ConnectionString = $"amqp://guest:guest@127.0.0.1:{amqpPort}";
    }

    private RabbitMqNode(string external)
    {
        ConnectionString = external;
        IsExternal = true;
        _directory = string.Empty;
    }

    public string ConnectionString { get; }

    public int AmqpPort { get; }

    /// <summary>An external broker is used as it is; it cannot be stopped by a test.</summary>
    public bool IsExternal { get; }

    public static async Task<RabbitMqNode> StartAsync(bool allowExternal = true)
    {
        var external = Environment.GetEnvironmentVariable("RABBITMQ_URL");
        if (allowExternal && !string.IsNullOrWhiteSpace(external))
        {
            return new RabbitMqNode(external);
        }

        if (!File.Exists(ServerBinary))
        {
            throw new InvalidOperationException("rabbitmq-server is not installed: run `apt-get install -y rabbitmq-server` or set RABBITMQ_URL.");
        }

        var directory = Path.Combine(Path.GetTempPath(), "collabtraining-rabbitmq", Guid.NewGuid().ToString("N"));
        var node = new RabbitMqNode(Ports.Free(), Ports.Free(), directory);
        await node.StartAgainAsync();
        return node;
    }

    /// <summary>Starts the node (again), on the same ports and data.</summary>
    public async Task StartAgainAsync()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "mnesia"));
        Directory.CreateDirectory(Path.Combine(_directory, "log"));
        await File.WriteAllTextAsync(Path.Combine(_directory, "enabled_plugins"), "[].");
        await File.WriteAllTextAsync(Path.Combine(_directory, "rabbitmq.conf"), $"listeners.tcp.default = 127.0.0.1:{AmqpPort}\nloopback_users = none\n");

        var start = new ProcessStartInfo(ServerBinary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in NodeEnvironment())
        {
            start.Environment[key] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("rabbitmq-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await Ports.AcceptsAsync(AmqpPort))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                var log = Directory.EnumerateFiles(Path.Combine(_directory, "log")).Select(File.ReadAllText).FirstOrDefault() ?? string.Empty;
                throw new InvalidOperationException($"RabbitMQ node {_name} did not open port {AmqpPort}. {log[^Math.Min(log.Length, 2000)..]}");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>Kills the broker (SIGKILL): no orderly shutdown; what it had persisted is all it has on restart.</summary>
    public async Task KillAsync()
    {
        if (IsExternal || _process is null)
        {
            throw new InvalidOperationException("Only a private node can be killed by a test.");
        }

        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        await KillVirtualMachineAsync();

        while (await Ports.AcceptsAsync(AmqpPort))
        {
            await Task.Delay(100);
        }
    }

    /// <summary>The Erlang VM may outlive the shell script that started it; ends this node's VM, if any.</summary>
    private async Task KillVirtualMachineAsync()
    {
        foreach (var beam in Process.GetProcessesByName("beam.smp"))
        {
            if (CommandLine(beam.Id).Contains(_name, StringComparison.Ordinal))
            {
                beam.Kill(entireProcessTree: true);
                await beam.WaitForExitAsync();
            }
        }
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }

    /// <summary>Stops the broker the way an outage would look to clients: the port closes.</summary>
    public async Task StopAsync()
    {
        if (IsExternal)
        {
            throw new InvalidOperationException("An external broker cannot be stopped by a test.");
        }

        var stop = new ProcessStartInfo(ControlBinary, ["-n", $"{_name}@localhost", "stop"]) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in NodeEnvironment())
        {
            stop.Environment[key] = value;
        }

        using (var control = Process.Start(stop)!)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await control.WaitForExitAsync(timeout.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (_process is { HasExited: false })
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        while (await Ports.AcceptsAsync(AmqpPort))
        {
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (IsExternal || _process is null)
        {
            return;
        }

        if (!_process.HasExited)
        {
            await StopAsync();
        }

        // Whatever happened to the launcher, no VM of this node outlives the test.
        await KillVirtualMachineAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private IEnumerable<(string, string)> NodeEnvironment() =>
    [
        ("RABBITMQ_NODENAME", $"{_name}@localhost"),
        ("RABBITMQ_NODE_PORT", AmqpPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("RABBITMQ_DIST_PORT", _distributionPort.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("RABBITMQ_MNESIA_BASE", Path.Combine(_directory, "mnesia")),
        ("RABBITMQ_LOG_BASE", Path.Combine(_directory, "log")),
        ("RABBITMQ_PID_FILE", Path.Combine(_directory, "node.pid")),
        ("RABBITMQ_ENABLED_PLUGINS_FILE", Path.Combine(_directory, "enabled_plugins")),
        ("RABBITMQ_CONFIG_FILE", Path.Combine(_directory, "rabbitmq")),
    ];
}

public static class Ports
{
    private static readonly HashSet<int> Handed = [];

    /// <summary>A free loopback port, never the same one twice in this process, and never 25672 (docs/rabbitmq.md).</summary>
    public static int Free()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            lock (Handed)
            {
                if (port != 25672 && Handed.Add(port))
                {
                    return port;
                }
            }
        }
    }

    public static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException)
        {
            return false;
        }
    }
}
