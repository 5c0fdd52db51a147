using Microsoft.Playwright;

namespace SmsBridge.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium for one test class: new pages with a generous timeout, screenshots saved as artefacts under
/// <c>TestResults/&lt;artefacts&gt;/</c>, and waits that fail with the page's text and a screenshot of what was missing.
/// </summary>
public sealed class BrowserSession : IAsyncLifetime
{
    private readonly string _artefacts;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;

    public BrowserSession(string artefacts) => _artefacts = Path.Combine(Repo.Root, "TestResults", artefacts);

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_artefacts);
        _playwright = await Playwright.CreateAsync();
        _browser = await DebianChromium.LaunchAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    public async Task<IPage> NewPageAsync()
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    public Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(_artefacts, name + ".png"), FullPage = true });

    /// <summary>Waits for what a page must show; when it does not, the failure carries the page's text and a screenshot.</summary>
    public async Task ExpectAsync(IPage page, ILocator locator, string what)
    {
        try
        {
            await locator.First.WaitForAsync();
        }
        catch (TimeoutException)
        {
            await ScreenshotAsync(page, "missing-" + string.Concat(what.Where(char.IsLetterOrDigit)));
            var text = await page.Locator("body").InnerTextAsync();
            Assert.Fail($"{what} is not shown at {page.Url}: {text[..Math.Min(text.Length, 3000)]}");
        }
    }
}
