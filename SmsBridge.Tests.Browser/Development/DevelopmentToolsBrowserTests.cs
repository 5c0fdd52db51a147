using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using SmsBridge.Tests.Infrastructure;
using static SmsBridge.Tests.Infrastructure.TelemetrySpan;

namespace SmsBridge.Tests.Development;

/// <summary>
/// A newcomer's first verification in Debian's Chromium, with nothing but the pages of the development graph: register in the
/// sample backend, send the SMS from the gateway simulator, set the PIN, see the user verified by a signed webhook; and one
/// trace at the dashboard for the whole flow across the three projects. Screenshots land in TestResults/development/.
/// </summary>
[Collection(DevelopmentGraphCollection.Name)]
public sealed class DevelopmentToolsBrowserTests(DevelopmentGraphFixture graph) : IAsyncLifetime
{
    private readonly BrowserSession _browser = new("development");

    public Task InitializeAsync() => _browser.InitializeAsync();

    public Task DisposeAsync() => _browser.DisposeAsync();

    [Fact]
    public async Task A_first_user_is_verified_with_the_sample_backend_and_the_gateway_simulator_alone_in_one_trace()
    {
        var mobile = VerificationFlow.NewMobile();
        var backend = await _browser.NewPageAsync();
        await backend.GotoAsync(graph.SampleBackend.ToString());
        await backend.GetByLabel("Mobile number").FillAsync(mobile);
        await backend.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
        await _browser.ExpectAsync(backend, backend.GetByRole(AriaRole.Status).Filter(new() { HasText = $"Registered {mobile}" }), "the registration");
        var registration = backend.Locator("#registrations tbody tr").Filter(new() { HasText = mobile });
        var smsText = await registration.Locator("code").First.InnerTextAsync();
        Assert.Matches("^ONBOARD:[A-Z0-9]{8}$", smsText);
        await _browser.ScreenshotAsync(backend, "1-registered");

        // The simulator fills the SMS in from the sample backend's last registration and posts it as the Android app would.
        var simulator = await _browser.NewPageAsync();
        await simulator.GotoAsync(graph.GatewaySimulator.ToString());
        Assert.Equal(mobile, await simulator.GetByLabel("From mobile").InputValueAsync());
        Assert.Equal(smsText, await simulator.GetByLabel("Message").InputValueAsync());
        Assert.True(await simulator.GetByLabel("Android SMS Gateway app", new() { Exact = false }).IsCheckedAsync());
        await simulator.GetByRole(AriaRole.Button, new() { Name = "Send SMS" }).ClickAsync();
        await _browser.ExpectAsync(simulator, simulator.Locator("#answer-status").Filter(new() { HasText = "202" }), "the receiver's 202");
        Assert.Contains("\"queued_for_processing\":true", await simulator.Locator("#answer pre").InnerTextAsync(), StringComparison.Ordinal);
        await _browser.ScreenshotAsync(simulator, "2-sms-sent");

        // Validation runs in the background: until it has, the PIN setup is answered 403 NOT_VERIFIED.
        var status = "";
        await Eventually.TrueAsync(async () =>
        {
            var row = backend.Locator("#registrations tbody tr").Filter(new() { HasText = mobile });
            await row.GetByLabel("PIN").FillAsync("482915");
            await row.GetByRole(AriaRole.Button, new() { Name = "Set PIN" }).ClickAsync();
            status = await backend.GetByRole(AriaRole.Status).InnerTextAsync();
            Assert.DoesNotContain("refused", status, StringComparison.OrdinalIgnoreCase);
            return status.Contains($"PIN setup for {mobile}: 200", StringComparison.Ordinal);
        }, TimeSpan.FromSeconds(30), "the PIN setup accepted once the SMS is validated");
        Assert.Contains("The webhook has arrived", status, StringComparison.Ordinal);

        var verified = backend.Locator("#verified tbody tr").Filter(new() { HasText = mobile });
        await _browser.ExpectAsync(backend, verified, "the verified user");
        var cells = await verified.Locator("td").AllInnerTextsAsync();
        Assert.True(Guid.TryParse(cells[3], out _), $"webhook-id {cells[3]}");
        Assert.StartsWith("1 ", cells[4], StringComparison.Ordinal); // one attempt
        Assert.Equal("valid", cells[5]);
        Assert.Equal("••••••", cells[2]); // the PIN is never shown
        await _browser.ScreenshotAsync(backend, "3-verified");

        await AssertOneTraceAsync(mobile);
    }

    /// <summary>The registration started the flow's trace; the simulator's SMS, the PIN setup and the webhook joined it.</summary>
    private async Task AssertOneTraceAsync(string mobile)
    {
        using var http = new HttpClient { BaseAddress = graph.SampleBackend };
        using var latest = JsonDocument.Parse(await http.GetStringAsync("/api/registrations/latest"));
        Assert.Equal(mobile, latest.RootElement.GetProperty("mobile_number").GetString());
        var traceId = latest.RootElement.GetProperty("traceparent").GetString()!.Split('-')[1];
        string[] expected =
        [
            "sample-backend:verification flow", "receiver:POST /onboarding/register", "gateway-simulator:send SMS",
            "receiver:POST /sms/receive/android-sms-gateway", "receiver:validate sms", "sample-backend:set PIN", "receiver:POST /pin-setup",
            "receiver:deliver webhook", "sample-backend:POST /webhook",
        ];
        IReadOnlyList<TelemetrySpan> spans = [];
        await Eventually.TrueAsync(async () =>
        {
            spans = await graph.Dashboard.TraceAsync(traceId);
            return expected.All(e => spans.Any(s => $"{s.Service}:{s.Name}" == e));
        }, TimeSpan.FromSeconds(30), $"the flow's spans at the dashboard: {string.Join(", ", expected)}");

        var root = Assert.Single(spans, s => s.ParentSpanId is null);
        Assert.Equal("verification flow", root.Name);
        var ids = spans.Select(s => s.SpanId).ToHashSet();
        Assert.All(spans.Where(s => s != root), s => Assert.Contains(s.ParentSpanId!, ids));
        var webhook = spans.Single(s => s is { Service: "sample-backend", Name: "POST /webhook", Kind: SpanKind.Server });
        Assert.Equal("receiver", spans.Single(s => s.SpanId == webhook.ParentSpanId).Service);
        Assert.DoesNotContain(spans, s => s.IsError);
    }

    [Fact]
    public async Task A_tampered_webhook_is_refused_and_shown_as_refused_while_the_same_webhook_signed_is_accepted()
    {
        var webhookId = Guid.NewGuid().ToString();
        var mobile = VerificationFlow.NewMobile();
        var body = JsonSerializer.Serialize(new
        {
            event_id = webhookId, mobile_number = mobile, pin = "482915", hash = "A3B7K2M9", verified_at = DateTimeOffset.UtcNow.ToString("O"),
        });
        using var http = new HttpClient { BaseAddress = graph.SampleBackend };

        using (var tampered = await PostWebhookAsync(http, webhookId, body, signedBody: body.Replace("482915", "000000", StringComparison.Ordinal)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);
        }

        using (var genuine = await PostWebhookAsync(http, webhookId, body, signedBody: body))
        {
            Assert.Equal(HttpStatusCode.NoContent, genuine.StatusCode);
        }

        var page = await _browser.NewPageAsync();
        await page.GotoAsync(graph.SampleBackend.ToString());
        var refused = page.Locator("#refused tbody tr").Filter(new() { HasText = webhookId });
        await _browser.ExpectAsync(page, refused, "the tampered webhook among the refused");
        Assert.Contains("signature refused", await refused.InnerTextAsync(), StringComparison.Ordinal);
        await _browser.ExpectAsync(page, page.Locator("#verified tbody tr").Filter(new() { HasText = webhookId }).Filter(new() { HasText = "valid" }),
            "the genuine webhook among the verified users");
        Assert.Equal(0, await page.Locator("#verified tbody tr").Filter(new() { HasText = "000000" }).CountAsync());
        await _browser.ScreenshotAsync(page, "4-refused");
    }

    [Theory]
    [InlineData("plain JSON")]
    [InlineData("form fields")]
    public async Task The_simulator_also_posts_the_plain_shapes_and_refuses_a_time_without_an_offset(string shape)
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(graph.GatewaySimulator.ToString());
        await page.GetByLabel(shape, new() { Exact = false }).CheckAsync();
        await page.GetByLabel("From mobile").FillAsync(VerificationFlow.NewMobile());
        await page.GetByLabel("Message").FillAsync($"hello in {shape}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send SMS" }).ClickAsync();
        await _browser.ExpectAsync(page, page.Locator("#answer-status").Filter(new() { HasText = "202" }), $"the receiver's 202 to {shape}");

        await page.GetByLabel("Received at").FillAsync("yesterday");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send SMS" }).ClickAsync();
        await _browser.ExpectAsync(page, page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "ISO 8601" }), "the simulator's own refusal");
        Assert.Equal(0, await page.Locator("#answer").CountAsync());
    }

    [Fact]
    public async Task The_dashboard_shows_both_development_tools_running_and_healthy()
    {
        var page = await _browser.NewPageAsync();
        await page.GotoAsync(graph.Dashboard.LoginUrl.ToString());
        foreach (var name in TestGraph.DevelopmentToolNames)
        {
            await _browser.ExpectAsync(page, page.Locator("[role='row']").Filter(new() { HasText = name }).Filter(new() { HasText = "Running" }),
                $"{name} running");
        }

        Assert.Equal(0, await page.GetByText("Unhealthy").CountAsync());
        await _browser.ScreenshotAsync(page, "5-dashboard");
    }

    /// <summary>Posts <paramref name="body"/> with the Standard Webhooks headers computed over <paramref name="signedBody"/>.</summary>
    private async Task<HttpResponseMessage> PostWebhookAsync(HttpClient http, string webhookId, string body, string signedBody)
    {
        var secret = graph.App.Secret("webhook-secret");
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var key = Convert.FromBase64String(secret["whsec_".Length..]);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{webhookId}.{timestamp}.{signedBody}")));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhook") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("webhook-id", webhookId);
        request.Headers.Add("webhook-timestamp", timestamp);
        request.Headers.Add("webhook-signature", "v1," + signature);
        return await http.SendAsync(request);
    }
}
