using Microsoft.Playwright;

namespace CollabTraining.Tests.EndToEnd;

/// <summary>
/// One headless Chromium for the whole end-to-end collection (Debian's <c>chromium</c> package: Playwright's own browser
/// download is not used), started on first use. Each journey gets its own browser context (cookies, language) and leaves
/// a screenshot of its last step under <c>.data/test-results/screenshots/</c>.
/// </summary>
public sealed class PortalBrowser : IAsyncLifetime
{
    /// <summary>Where Chromium is; <c>/usr/bin/chromium</c> when unset.</summary>
    public const string ChromiumPathVariable = "CHROMIUM_PATH";

    private readonly SemaphoreSlim _starting = new(1, 1);
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public Task InitializeAsync() => Task.CompletedTask;

    /// <summary>A fresh context (no cookies) and page, in the given browser language and time zone (UTC whatever the machine's).</summary>
    public async Task<IPage> NewPageAsync(string locale = "en-GB", string timeZone = "UTC")
    {
        var browser = await BrowserAsync();
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = locale,
            TimezoneId = timeZone,
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
        });
        context.SetDefaultTimeout(20_000);
        return await context.NewPageAsync();
    }

    /// <summary>Saves what the page shows as <c>.data/test-results/screenshots/{journey}.png</c>; returns the file.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string journey)
    {
        var folder = Path.Combine(RepositoryRoot(), ".data", "test-results", "screenshots");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, journey + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true });
        return file;
    }

    /// <summary>Saves a text result of a journey as <c>.data/test-results/{name}</c>; returns the file.</summary>
    public static string WriteResult(string name, string text)
    {
        var folder = Path.Combine(RepositoryRoot(), ".data", "test-results");
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, name);
        File.WriteAllText(file, text);
        return file;
    }

    /// <summary>
    /// Runs a journey and screenshots its last step (<c>{journey}.png</c>), or the step it failed at
    /// (<c>{journey}-failed.png</c>, with what the browser's console said in the failure).
    /// </summary>
    public static async Task JourneyAsync(IPage page, string journey, Func<Task> steps)
    {
        var console = new List<string>();
        page.Console += (_, message) => console.Add($"{message.Type}: {message.Text}");
        try
        {
            await steps();
        }
        catch (Exception ex) when (ex is PlaywrightException or TimeoutException or Xunit.Sdk.XunitException)
        {
            var file = await ScreenshotAsync(page, journey + "-failed");
            throw new InvalidOperationException($"The journey failed at {page.Url} (screenshot {file}); the browser's console said:\n" + string.Join("\n", console), ex);
        }

        await ScreenshotAsync(page, journey);
    }

    private async Task<IBrowser> BrowserAsync()
    {
        await _starting.WaitAsync();
        try
        {
            if (_browser is null)
            {
                var path = Environment.GetEnvironmentVariable(ChromiumPathVariable) is { Length: > 0 } set ? set : "/usr/bin/chromium";
                if (!File.Exists(path))
                {
                    throw new InvalidOperationException($"No Chromium at {path}: install Debian's chromium package (./test.sh does) or set {ChromiumPathVariable}.");
                }

                // Two cores shared with six processes: a circuit's first render can take seconds.
                Assertions.SetDefaultExpectTimeout(20_000);
                _playwright = await Playwright.CreateAsync();
                _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
                {
                    ExecutablePath = path,
                    Headless = true,
                    // Root in CI has no user namespaces for the sandbox; /dev/shm may be small in containers.
                    Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
                });
            }

            return _browser;
        }
        finally
        {
            _starting.Release();
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "CollabTraining.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Repository root not found");
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        _starting.Dispose();
    }
}
