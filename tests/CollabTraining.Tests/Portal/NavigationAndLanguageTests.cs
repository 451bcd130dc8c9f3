using System.Globalization;
using Bunit;
using CollabTraining.Demo;
using CollabTraining.Portal.Layout;
using CollabTraining.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CollabTraining.Tests.Portal;

public sealed class NavigationAndLanguageTests : IAsyncLifetime
{
    private readonly CultureInfo _culture = CultureInfo.CurrentCulture;
    private readonly CultureInfo _uiCulture = CultureInfo.CurrentUICulture;
    private readonly List<PortalComponentContext> _contexts = [];

    [Fact]
    public void A_hospital_coordinator_finds_their_hospitals_offers_in_the_menu_and_a_student_does_not()
    {
        var hospital = Render<NavMenu>(TestAuth.StMarysCoordinator);
        var ourOffers = hospital.FindAll("a").Single(a => a.TextContent.Contains("Our placement offers", StringComparison.Ordinal));
        Assert.Equal("hospital/offers", ourOffers.GetAttribute("href"));
        Assert.Contains("Our hospital", hospital.Markup, StringComparison.Ordinal);

        var student = Render<NavMenu>(TestAuth.Student);
        Assert.Contains("Catalog", student.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Our placement offers", student.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Our hospital", student.Markup, StringComparison.Ordinal);

        var enterprise = Render<NavMenu>("staff@helix-compute.demo");
        Assert.Contains("owner/resources", enterprise.Markup, StringComparison.Ordinal);
        Assert.Contains($"catalog?tab=mentors&amp;ownerId={DemoDirectory.Enterprises[0].Id}", enterprise.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void In_chinese_the_menu_and_the_switch_show_chinese_text()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-Hans");

        var menu = Render<NavMenu>(TestAuth.StMarysCoordinator);
        Assert.Contains("共享目录", menu.Markup, StringComparison.Ordinal);
        Assert.Contains("本院实习岗位", menu.Markup, StringComparison.Ordinal);
        Assert.DoesNotContain("Catalog", menu.Markup, StringComparison.Ordinal);

        var language = Render<LanguageSwitch>(TestAuth.Student);
        Assert.Equal("语言", language.Find("form").GetAttribute("aria-label"));
        Assert.Equal("true", language.FindAll("button").Single(b => b.GetAttribute("value") == "zh-Hans").GetAttribute("aria-pressed"));
    }

    [Fact]
    public void The_language_switch_asks_the_portal_for_the_chosen_language_and_comes_back_to_the_same_page()
    {
        var context = Context(TestAuth.Student);
        context.Services.GetRequiredService<Microsoft.AspNetCore.Components.NavigationManager>().NavigateTo("catalog?tab=mentors");
        var language = context.RenderWithProviders<LanguageSwitch>();

        var form = language.Find("form");
        Assert.Equal(("get", "culture"), (form.GetAttribute("method"), form.GetAttribute("action")));
        Assert.Equal("/catalog?tab=mentors", language.Find("input[name=returnUrl]").GetAttribute("value"));
        var choices = language.FindAll("button[type=submit][name=name]").Select(b => (b.GetAttribute("value"), b.TextContent.Trim())).ToList();
        Assert.Equal([("en", "English"), ("zh-Hans", "中文")], choices);
    }

    private IRenderedComponent<T> Render<T>(string userName)
        where T : Microsoft.AspNetCore.Components.IComponent =>
        Context(userName).RenderWithProviders<T>();

    private PortalComponentContext Context(string userName)
    {
        var context = new PortalComponentContext(userName);
        _contexts.Add(context);
        return context;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        CultureInfo.CurrentCulture = _culture;
        CultureInfo.CurrentUICulture = _uiCulture;
        foreach (var context in _contexts)
        {
            await context.DisposeAsync();
        }
    }
}
