using MudBlazor;

namespace CollabTraining.Portal.Layout;

public static class PortalTheme
{
    /// <summary>Colours with enough contrast for text on them (WCAG AA), and the system font stack (no web fonts to fetch).</summary>
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f5f8b",
            Secondary = "#7b4f9d",
            AppbarBackground = "#1f5f8b",
            Error = "#b3261e",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Noto Sans", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "sans-serif"] },
        },
    };
}
