using Microsoft.Playwright;

namespace SmsBridge.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium driven by Playwright (its own browser download cannot work here). The flags keep it
/// from reaching out to Google's services, which this machine's closed network refuses.
/// </summary>
public static class DebianChromium
{
    private static readonly string[] Args =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run",
    ];

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = Args,
            Timeout = 60_000,
        });
}
