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
            // MudBlazor's own success, info and warning (#00c853, #2196f3, #ff9800) are 2.2:1, 3.1:1 and 2.2:1 on white:
            // too light for text (alerts, outlined chips, warnings). These are 5.1:1, 5.8:1 and 5.2:1.
            Success = "#2e7d32",
            Info = "#1565c0",
            Warning = "#a15c00",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Noto Sans", "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "sans-serif"] },
        },
    };
}
