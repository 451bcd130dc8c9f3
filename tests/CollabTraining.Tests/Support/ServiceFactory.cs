using CollabTraining.Messaging.Data;
using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CollabTraining.Tests.Support;

/// <summary>
/// One service in-process: its real Program, a fresh SQLite file, the development issuer, and MassTransit's
/// in-memory test harness in place of RabbitMQ. The inbox filter and the outbox dispatcher stay real.
/// </summary>
public class ServiceFactory<TMarker> : WebApplicationFactory<TMarker>
    where TMarker : class
{
    private readonly Dictionary<string, string?> _settings = new()
    {
        ["Auth:DevelopmentIssuer:SigningKey"] = TestAuth.SigningKey,
        ["ConnectionStrings:rabbitmq"] = "amqp://guest:guest@127.0.0.1:1/",
        ["Demo:Organisations"] = "true",
        ["Outbox:PollInterval"] = "00:00:00.200",
        ["Outbox:RetryBaseDelay"] = "00:00:00.050",
        ["Outbox:RetryMaxDelay"] = "00:00:00.200",
        ["Outbox:MaxAttempts"] = "3",
    };

    public ServiceFactory()
    {
        DataDirectory = Path.Combine(Path.GetTempPath(), "collabtraining-tests", Guid.NewGuid().ToString("N"));
        _settings["Database:DataDirectory"] = DataDirectory;
    }

    public string DataDirectory { get; }

    /// <summary>The host's clock; move it to close a window or pass a deadline.</summary>
    public TestClock Clock { get; } = new();

    public Action<IServiceCollection>? ConfigureServicesForTest { get; set; }

    public ServiceFactory<TMarker> With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>Every log line the host wrote.</summary>
    public LogRecorder Logs { get; } = new();

    public ITestHarness Harness => Services.GetTestHarness();

    public HttpClient ClientAs(string userName) => CreateClient().As(userName);

    public async Task<T> InScopeAsync<TContext, T>(Func<TContext, Task<T>> action)
        where TContext : ServiceDbContext
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<TContext>());
    }

    /// <summary>
    /// Waits until the service's outbox has published every event committed so far. Then what the harness
    /// holds is all there is: an assertion that an event was not raised needs this signal, not a sleep.
    /// </summary>
    /// <summary>Publishes into the service's consumers and waits until its inbox holds the message: it was handled (or found a repeat).</summary>
    public async Task PublishAndWaitAsync<T>(T message)
        where T : class
    {
        var messageId = Guid.NewGuid();
        await Harness.Bus.Publish(message, c => c.MessageId = messageId);
        if (!await Eventually.HoldsAsync(() => InScopeAsync<ServiceDbContext, bool>(db =>
                Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.InboxMessages, m => m.MessageId == messageId)), TimeSpan.FromSeconds(10)))
        {
            throw new TimeoutException($"{typeof(T).Name} {messageId} was not handled within 10 s.");
        }
    }

    public async Task OutboxDrainedAsync()
    {
        var drained = await Eventually.HoldsAsync(async () =>
        {
            await using var scope = Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<ServiceDbContext>();
            return !await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.AnyAsync(db.OutboxMessages, m => m.ProcessedAt == null && m.DeadLetteredAt == null);
        }, TimeSpan.FromSeconds(10));
        Assert.True(drained, "the outbox still holds unpublished events after 10 s");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureTestServices(services =>
        {
            services.AddMassTransitTestHarness();
            services.AddSingleton<TimeProvider>(Clock);
            services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs);
            ConfigureServicesForTest?.Invoke(services);
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
