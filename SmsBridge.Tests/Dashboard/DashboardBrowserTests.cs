using Microsoft.Playwright;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Dashboard;

/// <summary>
/// The dashboard in Debian's Chromium, headless, driven by Playwright: refused without the token; with it, all five
/// resources healthy, a flow's trace waterfall, live console output, logs and metrics, and a restart from the page.
/// Screenshots are saved under TestResults/dashboard/ as artefacts.
/// </summary>
[Collection(DashboardGraphCollection.Name)]
public sealed class DashboardBrowserTests(DashboardGraphFixture graph) : IAsyncLifetime
{

    private static readonly string[] Resources = ["postgres", "cache", "receiver", "admin", "backup"];

    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private readonly List<string> _consoleErrors = [];

    private string Artefacts => Path.Combine(graph.App.Options.RepositoryRoot, "TestResults", "dashboard");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Artefacts);
        _playwright = await Playwright.CreateAsync();
        _browser = await DebianChromium.LaunchAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    private async Task<IPage> NewPageAsync()
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error") _consoleErrors.Add(message.Text);
        };
        return page;
    }

    private Task ScreenshotAsync(IPage page, string name, bool fullPage = true) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artefacts, name + ".png"), FullPage = fullPage });

    [Fact]
    public async Task Without_the_token_the_browser_is_refused()
    {
        var page = await NewPageAsync();
        var response = await page.GotoAsync(graph.Dashboard.Url.ToString());
        Assert.Equal(401, response!.Status);
        await page.GetByRole(AriaRole.Heading, new() { Name = "Sign-in required" }).WaitForAsync();
        Assert.Equal(0, await page.Locator("table.resources").CountAsync());
        await ScreenshotAsync(page, "refused");
    }

    [Fact]
    public async Task With_the_token_it_shows_every_resource_healthy_the_trace_waterfall_console_logs_and_metrics()
    {
        var traceId = await graph.TracedOnboardingAsync();
        var page = await NewPageAsync();
        await page.GotoAsync(graph.Dashboard.LoginUrl.ToString());
        Assert.Equal(graph.Dashboard.Url.ToString(), page.Url); // the token left the address bar; the cookie carries on
        await page.GetByRole(AriaRole.Heading, new() { Name = "Resources" }).WaitForAsync();
        foreach (var name in Resources)
        {
            await page.Locator($"tr[data-resource='{name}'][data-state='Healthy']").WaitForAsync();
        }

        Assert.Equal(Resources.Length, await page.Locator("table.resources tbody tr").CountAsync());
        Assert.Equal(3, await page.Locator("button[data-action='restart']").CountAsync());
        var receiverRow = page.Locator("tr[data-resource='receiver']");
        Assert.Contains(graph.App.HttpEndpoint("receiver").ToString(), await receiverRow.InnerTextAsync(),
            StringComparison.Ordinal);
        await ScreenshotAsync(page, "resources");

        await page.GetByRole(AriaRole.Link, new() { Name = "Traces", Exact = true }).ClickAsync();
        var traceLink = page.Locator($"tr[data-trace='{traceId}'] a.trace-link");
        try
        {
            await traceLink.WaitForAsync();
        }
        catch (TimeoutException)
        {
            await ScreenshotAsync(page, "traces-missing");
            var listed = await page.Locator("main").InnerTextAsync();
            Assert.Fail($"trace {traceId} is not listed at {page.Url}: {listed[..Math.Min(listed.Length, 4000)]}");
        }

        Assert.Equal("onboarding flow", await traceLink.InnerTextAsync());
        await ScreenshotAsync(page, "traces");
        await traceLink.ClickAsync();
        await page.Locator("table.waterfall").WaitForAsync();
        Assert.True(await page.Locator("tr.span-row[data-service='receiver']").CountAsync() >= 5);
        Assert.True(await page.Locator("tr.span-row[data-service='backend']").CountAsync() >= 2);
        var deliver = page.Locator("tr.span-row", new() { HasText = "deliver webhook" });
        await deliver.Locator("summary").ClickAsync();
        await deliver.GetByText("smsbridge.event_id").WaitForAsync();
        Assert.True(await page.Locator("table.logs tbody tr").CountAsync() >= 2);
        await ScreenshotAsync(page, "trace-waterfall");

        await page.GotoAsync(new Uri(graph.Dashboard.Url, "/console/receiver").ToString());
        await page.Locator("#console").GetByText("Now listening on").First.WaitForAsync();
        await ScreenshotAsync(page, "console-receiver");

        await page.GotoAsync(new Uri(graph.Dashboard.Url, "/logs").ToString());
        await page.Locator("select[name='resource']").SelectOptionAsync("receiver");
        await page.Locator("input[name='q']").FillAsync("verified");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await page.Locator($"table.logs tbody tr[data-service='receiver'] a[href='/traces/{traceId}']").First.WaitForAsync();
        Assert.Equal(0, await page.Locator("table.logs tbody tr:not([data-service='receiver'])").CountAsync());
        await ScreenshotAsync(page, "logs");

        await page.GotoAsync(new Uri(graph.Dashboard.Url, "/metrics").ToString());
        await page.Locator("tr[data-service='receiver'][data-metric='http.server.request.duration']").WaitForAsync();
        await ScreenshotAsync(page, "metrics", fullPage: false); // the charts and the first rows; the table runs long
        Assert.Empty(_consoleErrors);
    }

    [Fact]
    public async Task The_restart_button_restarts_a_project_and_it_comes_back_healthy()
    {
        var backup = graph.App.GetResource<ProjectResource>("backup");
        var startedBefore = backup.StartedAt;
        var page = await NewPageAsync();
        await page.GotoAsync(graph.Dashboard.LoginUrl.ToString());
        await page.Locator("tr[data-resource='backup'] button[data-action='restart']").ClickAsync();
        await page.Locator("tr[data-resource='backup'][data-state='Healthy']").WaitForAsync();
        await Infrastructure.Eventually.TrueAsync(
            () => Task.FromResult(backup.StartedAt > startedBefore && backup.State == ResourceState.Healthy),
            TimeSpan.FromSeconds(60), "backup restarted and healthy again");
        await page.Locator("tr[data-resource='backup'][data-state='Healthy']").WaitForAsync();
        Assert.Empty(_consoleErrors);
    }
}
