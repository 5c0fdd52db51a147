using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Admin;

/// <summary>
/// The web UI in Debian's Chromium, headless, driven by Playwright: an operator logs in, changes a setting and rolls it
/// back, blacklists and un-blacklists a number (with JavaScript off), opens and closes a port. The overview
/// screenshot is saved under TestResults/ as an artefact.
/// </summary>
[Collection(AdminGraphCollection.Name)]
public sealed class AdminUiBrowserTests(AdminGraphFixture graph) : IAsyncLifetime
{

    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private readonly List<string> _consoleErrors = [];

    public async Task InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        _browser = await DebianChromium.LaunchAsync(_playwright);
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    private async Task<IPage> LoggedInPageAsync(string user, string password, bool javaScript = true)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = graph.App.HttpEndpoint("admin").ToString().TrimEnd('/'),
            JavaScriptEnabled = javaScript,
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error") _consoleErrors.Add(message.Text);
        };
        await page.GotoAsync("/");
        Assert.EndsWith("/login?ReturnUrl=%2F", page.Url, StringComparison.Ordinal);
        await page.GetByLabel("Username").FillAsync(user);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        try
        {
            await page.GetByRole(AriaRole.Heading, new() { Name = "Overview", Level = 1 }).WaitForAsync();
        }
        catch (TimeoutException)
        {
            Assert.Fail($"no overview after login at {page.Url}: {await page.ContentAsync()}");
        }

        return page;
    }

    private async Task<JsonElement> ActiveSettingsAsync()
    {
        using var api = graph.CreateClient();
        return await AdminTestKit.JsonAsync(await api.GetAsync("/admin/settings"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_operator_works_through_the_web_ui()
    {
        // A wrong password is refused on the page itself.
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = graph.App.HttpEndpoint("admin").ToString().TrimEnd('/') });
        var login = await context.NewPageAsync();
        var response = await login.GotoAsync("/login");
        Assert.Contains("script-src 'self'", await response!.HeaderValueAsync("content-security-policy") ?? "", StringComparison.Ordinal);
        await login.GetByLabel("Username").FillAsync("admin");
        await login.GetByLabel("Password").FillAsync("definitely-not-it");
        await login.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(login.GetByRole(AriaRole.Alert)).ToContainTextAsync("Wrong username or password");
        await context.DisposeAsync();

        var page = await LoggedInPageAsync("admin", graph.AdminPassword);

        // Settings: change one field in the document, then roll back to the version before.
        var before = await ActiveSettingsAsync();
        var previousVersion = before.GetProperty("version").GetInt32();
        var threshold = before.GetProperty("settings").GetProperty("count_threshold").GetInt32();
        await page.GetByRole(AriaRole.Link, new() { Name = "Settings" }).ClickAsync();
        var editor = page.GetByLabel("Settings (JSON", new() { Exact = false });
        var document = JsonNode.Parse(await editor.InputValueAsync())!.AsObject();
        document["count_threshold"] = threshold + 11;
        await editor.FillAsync(document.ToJsonString());
        await page.GetByLabel("Change note (required)").FillAsync("browser test: raise threshold");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save as a new version" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved as version");
        var changed = await ActiveSettingsAsync();
        Assert.Equal(threshold + 11, changed.GetProperty("settings").GetProperty("count_threshold").GetInt32());
        Assert.Equal("browser test: raise threshold", changed.GetProperty("change_note").GetString());

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Repo.Root, "TestResults", "admin-settings.png") });
        await page.GetByRole(AriaRole.Button, new() { Name = $"Activate version {previousVersion}" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Version {previousVersion} is active again");
        var rolledBack = await ActiveSettingsAsync();
        Assert.Equal(previousVersion, rolledBack.GetProperty("version").GetInt32());
        Assert.Equal(threshold, rolledBack.GetProperty("settings").GetProperty("count_threshold").GetInt32());

        // Monitoring ports: open Redis for 15 minutes; the countdown runs (the only script on the pages).
        await page.GetByRole(AriaRole.Link, new() { Name = "Monitoring ports" }).ClickAsync();
        await page.Locator("#duration-redis").SelectOptionAsync("15");
        await page.GetByRole(AriaRole.Button, new() { Name = "Open redis" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("redis is open on port");
        await Assertions.Expect(page.Locator("#port-redis time")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"^in 1[45]:\d\d$"));
        using (var api = graph.CreateClient())
        {
            var config = await AdminTestKit.JsonAsync(await api.GetAsync("/admin/monitoring/port-config"), HttpStatusCode.OK);
            var (exit, output) = await AdminTestKit.RedisCliAsync(config.GetProperty("ports").GetProperty("redis").GetInt32(), graph.RedisPassword, "PING");
            Assert.True(exit == 0 && output == "PONG", $"redis-cli through the port opened in the UI: {exit} {output}");
        }

        // The overview with the open port, saved as the test's artefact.
        await page.GetByRole(AriaRole.Link, new() { Name = "Overview" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Open monitoring ports" })).ToBeVisibleAsync();
        var openPorts = page.GetByRole(AriaRole.Region, new() { Name = "Open monitoring ports" });
        await Assertions.Expect(openPorts.GetByRole(AriaRole.Row, new() { Name = "redis" })).ToContainTextAsync("admin");
        var health = page.GetByRole(AriaRole.Region, new() { Name = "Health" });
        await Assertions.Expect(health.GetByRole(AriaRole.Row, new() { Name = "receiver" })).ToContainTextAsync("healthy");
        await Assertions.Expect(health.GetByRole(AriaRole.Row, new() { Name = "backup" })).ToContainTextAsync("healthy");
        var artefacts = Directory.CreateDirectory(Path.Combine(Repo.Root, "TestResults"));
        var screenshot = Path.Combine(artefacts.FullName, "admin-overview.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
        Assert.True(new FileInfo(screenshot).Length > 10_000, "the overview screenshot was written");

        await page.GetByRole(AriaRole.Link, new() { Name = "Monitoring ports" }).ClickAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(artefacts.FullName, "admin-ports.png"), FullPage = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "Close redis" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("redis is closed");
        await Assertions.Expect(page.Locator("#port-redis")).ToContainTextAsync("closed");

        Assert.True(_consoleErrors.Count == 0, "browser console errors (CSP violations?): " + string.Join(" | ", _consoleErrors));
    }

    [Fact]
    public async Task The_doctor_page_shows_every_check_with_its_evidence_and_fix()
    {
        var page = await LoggedInPageAsync("admin", graph.AdminPassword);
        var failedLoads = new List<string>();
        page.Response += (_, response) =>
        {
            if (response.Status >= 400) failedLoads.Add($"{response.Status} {response.Url}");
        };
        await page.GetByRole(AriaRole.Link, new() { Name = "Doctor" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Doctor", Level = 1 }).WaitForAsync();
        var rows = page.Locator("#doctor tbody tr");
        Assert.True(await rows.CountAsync() >= 10, await page.ContentAsync());
        var trust = rows.Filter(new() { HasText = "postgres.trust" });
        Assert.Equal("pass", (await trust.Locator("td").First.InnerTextAsync()).Trim());
        var offsite = rows.Filter(new() { HasText = "backups.offsite" }); // the test graph copies nothing off-site
        Assert.Equal("warn", (await offsite.Locator("td").First.InnerTextAsync()).Trim());
        Assert.Contains("Backup__Offsite__Directory", await offsite.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("warning(s)", await page.GetByRole(AriaRole.Status).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Empty(failedLoads); // the page and everything it loads
    }

    [Fact]
    public async Task The_blacklist_works_without_javascript_and_viewers_see_no_write_controls()
    {
        const string mobile = "+447700900888";
        var page = await LoggedInPageAsync("admin", graph.AdminPassword, javaScript: false);
        await page.GetByRole(AriaRole.Link, new() { Name = "Blacklist" }).ClickAsync();
        await page.GetByLabel("Mobile number").FillAsync(mobile);
        await page.GetByLabel("Reason").FillAsync("browser test");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add to blacklist" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"{mobile} is blacklisted");
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = mobile })).ToContainTextAsync("browser test");
        Assert.Single(await AdminTestKit.AuditAsync(graph.Database, "blacklist.added", "browser test"));

        await page.GetByRole(AriaRole.Button, new() { Name = $"Remove {mobile}" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"{mobile} is no longer blacklisted");
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = mobile })).ToHaveCountAsync(0);

        var viewer = await LoggedInPageAsync(AdminGraphFixture.ViewerName, AdminGraphFixture.ViewerPassword, javaScript: false);
        await viewer.GotoAsync("/blacklist");
        await Assertions.Expect(viewer.GetByRole(AriaRole.Button, new() { Name = "Add to blacklist" })).ToHaveCountAsync(0);
        await viewer.GotoAsync("/ports");
        await Assertions.Expect(viewer.GetByRole(AriaRole.Button, new() { Name = "Open redis" })).ToHaveCountAsync(0);
        await viewer.GotoAsync("/audit?EventType=blacklist.");
        await Assertions.Expect(viewer.GetByRole(AriaRole.Row, new() { Name = "blacklist.removed" }).First).ToBeVisibleAsync();
    }
}
