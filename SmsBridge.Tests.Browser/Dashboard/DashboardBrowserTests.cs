using Microsoft.Playwright;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Dashboard;

/// <summary>
/// The Aspire dashboard in Debian's Chromium, headless, driven by Playwright: refused without the token; with the
/// printed login link, all five resources running and healthy, a full flow's trace across receiver and PostgreSQL,
/// console logs and metrics. Screenshots are saved under TestResults/dashboard/ as artefacts.
/// </summary>
[Collection(DashboardGraphCollection.Name)]
public sealed class DashboardBrowserTests(DashboardGraphFixture graph) : IAsyncLifetime
{
    private readonly BrowserSession _browser = new("dashboard");

    public Task InitializeAsync() => _browser.InitializeAsync();

    public Task DisposeAsync() => _browser.DisposeAsync();

    private Task<IPage> NewPageAsync() => _browser.NewPageAsync();

    private Task ScreenshotAsync(IPage page, string name) => _browser.ScreenshotAsync(page, name);

    private Task ExpectAsync(IPage page, ILocator locator, string what) => _browser.ExpectAsync(page, locator, what);

    [Fact]
    public async Task Without_the_token_the_browser_gets_the_sign_in_page_and_no_resources()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(graph.Dashboard.Url.ToString());
        await ExpectAsync(page, page.Locator("input[type='password']"), "the token field");
        Assert.Contains("/login", page.Url, StringComparison.Ordinal);
        Assert.Equal(0, await page.GetByText("receiver", new() { Exact = true }).CountAsync());
        await ScreenshotAsync(page, "refused");

        await page.GotoAsync(new Uri(graph.Dashboard.Url, "/login?t=wrong-token").ToString());
        await ExpectAsync(page, page.Locator("input[type='password']"), "the token field after a wrong token");
        Assert.Equal(0, await page.GetByText("receiver", new() { Exact = true }).CountAsync());
    }

    [Fact]
    public async Task The_login_link_shows_every_resource_running_and_healthy_with_console_logs_and_metrics()
    {
        var page = await NewPageAsync();
        await page.GotoAsync(graph.Dashboard.LoginUrl.ToString());
        foreach (var name in TestGraph.ResourceNames)
        {
            await ExpectAsync(page, page.Locator(".fluent-data-grid-row, [role='row']").Filter(new() { HasText = name }).Filter(new() { HasText = "Running" }),
                $"{name} running");
        }

        Assert.Equal(0, await page.GetByText("Unhealthy").CountAsync());
        Assert.Equal(0, await page.GetByText("trusted development certificate", new() { Exact = false }).CountAsync());
        await ScreenshotAsync(page, "resources");

        await page.GotoAsync(new Uri(graph.Dashboard.Url, "/consolelogs/resource/receiver").ToString());
        await ExpectAsync(page, page.GetByText("Now listening on"), "the receiver's console");
        await ScreenshotAsync(page, "console-receiver");

        await graph.Flow.RegisterAsync(VerificationFlow.NewMobile());
        await page.GotoAsync(new Uri(graph.Dashboard.Url, "/metrics/resource/receiver").ToString());
        await ExpectAsync(page, page.GetByText("http.server.request.duration"), "the receiver's request duration metric");
        await ScreenshotAsync(page, "metrics-receiver");

        await page.GotoAsync(new Uri(graph.Dashboard.Url, "/structuredlogs/resource/receiver").ToString());
        await ExpectAsync(page, page.GetByText("Now listening on"), "the receiver's structured logs");
        await ScreenshotAsync(page, "logs-receiver");
    }

    [Fact]
    public async Task The_traces_page_shows_a_full_flow_as_one_trace_through_receiver_and_postgresql()
    {
        var traceId = await graph.TracedOnboardingAsync();
        await Eventually.TrueAsync(async () => (await graph.Dashboard.TraceAsync(traceId)).Any(s => s.Scope == "Npgsql"),
            TimeSpan.FromSeconds(30), "the flow's PostgreSQL spans at the dashboard");
        var page = await NewPageAsync();
        await page.GotoAsync(graph.Dashboard.LoginUrl.ToString());
        await page.GotoAsync(new Uri(graph.Dashboard.Url, "/traces").ToString());
        await ExpectAsync(page, page.GetByText(DashboardGraphFixture.FlowSpanName), "the flow's trace in the list");
        await ScreenshotAsync(page, "traces");

        await page.GotoAsync(new Uri(graph.Dashboard.Url, $"/traces/detail/{traceId}").ToString());
        await ExpectAsync(page, page.GetByText("POST /pin-setup"), "the PIN setup span in the waterfall");
        await ExpectAsync(page, page.GetByText("deliver webhook"), "the webhook delivery span");
        await ExpectAsync(page, page.GetByText("postgres", new() { Exact = false }), "a PostgreSQL span");
        await ScreenshotAsync(page, "trace-waterfall");
    }
}
