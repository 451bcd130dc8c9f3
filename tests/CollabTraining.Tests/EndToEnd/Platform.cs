using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using CollabTraining.Tests.Support;

namespace CollabTraining.Tests.EndToEnd;

/// <summary>
/// The whole platform as a user meets it: a real RabbitMQ node, the four services, the gateway and the web portal
/// (behind the gateway) each in its own process from its build output, SQLite files in a temporary folder, every process exporting its
/// traces over OTLP to the test's collector. Tests talk to the gateway only.
/// </summary>
public sealed class Platform : IAsyncLifetime
{
    private static readonly string[] ServiceNames = ["hospitals", "enterprises", "research", "school"];
    private readonly List<(string Name, Process Process, string Log)> _processes = [];
    private readonly Dictionary<string, (string Assembly, int Port, List<(string, string)> Extra)> _starts = [];
    private readonly Dictionary<string, Uri> _services = [];
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "collabtraining-e2e", Guid.NewGuid().ToString("N"));

    /// <summary>The gateway's per-user limit for this platform (benchmarks raise it out of the way).</summary>
    public int PermitLimit { get; init; } = RateLimit;

    /// <summary>
    /// Extra settings (environment variables) for every service, e.g. for a benchmark; a name prefixed with a
    /// service and a colon (<c>hospitals:Outbox__PollInterval</c>) is for that service only.
    /// </summary>
    public IReadOnlyList<(string Name, string Value)> ServiceSettings { get; init; } = [];

    /// <summary>Instances of the Enterprises service behind the gateway, on one database (two: every flow also proves they never oversubscribe).</summary>
    public int EnterprisesInstances { get; init; } = 2;

    /// <summary>Where the services keep their SQLite files.</summary>
    public string DataDirectory => Path.Combine(_directory, "data");

    /// <summary>A service's own address, bypassing the gateway (for benchmarks comparing the two).</summary>
    public Uri ServiceAddress(string name) => _services[name];

    public RabbitMqNode Broker { get; private set; } = null!;

    public OtlpCollector Collector { get; private set; } = null!;

    public Uri Gateway { get; private set; } = null!;

    /// <summary>The portal's own address, bypassing the gateway (users reach it at <see cref="Gateway"/>).</summary>
    public Uri Portal { get; private set; } = null!;

    /// <summary>Per-user rate limit the gateway runs with here.</summary>
    public const int RateLimit = 300;

    /// <summary>Sign-ins per client address every 5 s here (the sign-in limit test spends them; <see cref="SignInAsync"/> waits it out).</summary>
    public const int SignInLimit = 60;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_directory);
        Broker = await RabbitMqNode.StartAsync();
        Collector = await OtlpCollector.StartAsync();

        var ports = ServiceNames.ToDictionary(n => n, _ => Ports.Free());
        foreach (var name in ServiceNames)
        {
            _services[name] = new Uri($"http://127.0.0.1:{ports[name]}");
            // The school enrols the demo cohort (students and qualifications); no other demo data is seeded.
            var own = ServiceSettings
                .Where(s => !s.Name.Contains(':', StringComparison.Ordinal) || s.Name.StartsWith(name + ":", StringComparison.Ordinal))
                .Select(s => (s.Name[(s.Name.IndexOf(':', StringComparison.Ordinal) + 1)..], s.Value));
            (string, string)[] school = name == "school"
                ? [("Demo__Seed", "true"), ("Owners__enterprises", _services["enterprises"].ToString()), ("Owners__research", _services["research"].ToString())]
                : [];
            Start(name, ServiceAssembly(name), ports[name], [.. school, .. own]);
        }

        var extraEnterprises = new List<int>();
        for (var i = 2; i <= EnterprisesInstances; i++)
        {
            extraEnterprises.Add(Ports.Free());
            Start($"enterprises-{i}", ServiceAssembly("enterprises"), extraEnterprises[^1], _starts["enterprises"].Extra);
        }

        var gatewayPort = Ports.Free();
        Gateway = new Uri($"http://127.0.0.1:{gatewayPort}");
        var portalPort = Ports.Free();
        Portal = new Uri($"http://127.0.0.1:{portalPort}");
        Start("portal", ProjectOutput("portal/CollabTraining.Portal", "CollabTraining.Portal"), portalPort,
        [
            ("Portal__Gateway", Gateway.ToString()),
        ]);
        Start("gateway", ProjectOutput("gateway/CollabTraining.Gateway", "CollabTraining.Gateway"), gatewayPort,
        [
            ("ReverseProxy__Clusters__portal__Destinations__primary__Address", Portal.ToString()),
            ("Gateway__RateLimit__TrustedProxies__0", "127.0.0.1"),
            .. ServiceNames.Select(n => ($"ReverseProxy__Clusters__{n}__Destinations__primary__Address", $"http://127.0.0.1:{ports[n]}")),
            .. extraEnterprises.Select((port, i) => ($"ReverseProxy__Clusters__enterprises__Destinations__instance{i + 2}__Address", $"http://127.0.0.1:{port}")),
            ("Gateway__RateLimit__PermitLimit", PermitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Gateway__RateLimit__Window", "00:00:30"),
            ("Gateway__RateLimit__SignInPermitLimit", SignInLimit.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Gateway__RateLimit__SignInWindow", "00:00:05"),
        ]);

        using var client = new HttpClient { BaseAddress = Gateway };
        var healthy = await Eventually.HoldsAsync(async () =>
        {
            try
            {
                return (await client.GetAsync("/health")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(90), TimeSpan.FromMilliseconds(250));
        if (!healthy)
        {
            throw new InvalidOperationException("The platform did not become healthy in 90 s.\n" + Logs());
        }

        // The gateway's health asks one address per service; every further instance behind it must be ready too,
        // or the first requests the gateway sends there fail (502).
        foreach (var port in extraEnterprises)
        {
            await WaitForServiceAsync(port);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var (_, process, _) in _processes)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }

        await Collector.DisposeAsync();
        await Broker.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A client of the gateway signed in as a demo user through the gateway's development issuer.</summary>
    public async Task<HttpClient> SignInAsync(string userName)
    {
        var client = new HttpClient { BaseAddress = Gateway };
        var response = await client.PostAsJsonAsync("/auth/token", new { userName });
        for (var attempt = 0; response.StatusCode == System.Net.HttpStatusCode.TooManyRequests && attempt < 10; attempt++)
        {
            // Another test spent this address's sign-ins; the window is a few seconds.
            await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
            response = await client.PostAsJsonAsync("/auth/token", new { userName });
        }

        response.EnsureSuccessStatusCode();
        var token = (await response.ReadNodeAsync())["accessToken"]!.GetValue<string>();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    public HttpClient Anonymous() => new() { BaseAddress = Gateway };

    /// <summary>A client through the gateway carrying the demo user's token (made by the test, no sign-in request spent).</summary>
    public HttpClient ClientAs(string userName)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestAuth.TokenFor(userName));
        client.Timeout = TimeSpan.FromSeconds(100);
        return client;
    }

    /// <summary>The last lines each process wrote: attached to failures so CI output explains itself.</summary>
    public string Logs() => string.Join("\n", _processes.Select(p =>
    {
        var lines = File.Exists(p.Log) ? File.ReadAllLines(p.Log) : [];
        return $"--- {p.Name} (exited: {p.Process.HasExited}) ---\n" + string.Join("\n", lines.TakeLast(30));
    }));

    /// <summary>Ends a process the hard way (SIGKILL): no shutdown, no flush, whatever it was doing is cut off.</summary>
    public async Task KillAsync(string name)
    {
        foreach (var (_, process, _) in _processes.Where(p => p.Name == name && !p.Process.HasExited))
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <summary>Starts a killed process again, on its port, with its settings and database.</summary>
    public Task RestartAsync(string name)
    {
        var (assembly, port, extra) = _starts[name];
        Start(name, assembly, port, extra);
        return WaitForServiceAsync(port);
    }

    /// <summary>Starts the process again if a test left it stopped (so one failing test does not take the next ones down).</summary>
    public Task EnsureRunningAsync(string name) =>
        _processes.Any(p => p.Name == name && !p.Process.HasExited) ? Task.CompletedTask : RestartAsync(name);

    /// <summary>Starts one more instance of a service on its own port: same database, same queues.</summary>
    public Task StartAnotherInstanceAsync(string name, string instanceName)
    {
        var (assembly, _, extra) = _starts[name];
        var port = Ports.Free();
        Start(instanceName, assembly, port, extra);
        return WaitForServiceAsync(port);
    }

    private static async Task WaitForServiceAsync(int port)
    {
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var ready = await Eventually.HoldsAsync(async () =>
        {
            try
            {
                return (await client.GetAsync("/health/ready")).IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(200));
        if (!ready)
        {
            throw new InvalidOperationException($"The service on port {port} did not become ready in 60 s.");
        }
    }

    private void Start(string name, string assembly, int port, IEnumerable<(string, string)> extra)
    {
        _starts.TryAdd(name, (assembly, port, extra.ToList()));
        var log = Path.Combine(_directory, name + "-" + _processes.Count + ".log");
        var start = new ProcessStartInfo("dotnet", [assembly])
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__rabbitmq"] = Broker.ConnectionString,
            ["Auth__DevelopmentIssuer__SigningKey"] = TestAuth.SigningKey,
            ["Database__DataDirectory"] = DataDirectory,
            ["Demo__Organisations"] = "true",
            ["Outbox__TransportMaxDelay"] = "00:00:02",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Collector.Endpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "60000",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__CollabTraining"] = "Information",
        };
        foreach (var (key, value) in extra)
        {
            environment[key] = value;
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start");
        var writer = TextWriter.Synchronized(new StreamWriter(log) { AutoFlush = true });
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) writer.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) writer.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _processes.Add((name, process, log));
    }

    private static string ServiceAssembly(string name)
    {
        var title = char.ToUpperInvariant(name[0]) + name[1..];
        return ProjectOutput($"services/{title}/CollabTraining.{title}.Api", $"CollabTraining.{title}.Api");
    }

    /// <summary>The project's own build output, built by the same build as these tests and in the same configuration.</summary>
    private static string ProjectOutput(string projectDirectory, string assemblyName)
    {
        var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = testOutput.Name;
        var configuration = testOutput.Parent!.Name;
        var root = testOutput;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "CollabTraining.sln")))
        {
            root = root.Parent;
        }

        var path = Path.Combine(root?.FullName ?? throw new InvalidOperationException("Repository root not found"), projectDirectory, "bin", configuration, framework, assemblyName + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build the solution first: the end-to-end tests run the services' own build output.", path);
    }
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<Platform>, ICollectionFixture<PortalBrowser>
{
    public const string Name = "platform";
}
