using System.Diagnostics;
using System.Net;
using SmsBridge.Tests.Dashboard;
using SmsBridge.Tests.Delivery;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.ServiceDefaults;

/// <summary>
/// What AddServiceDefaults gives every service: OTLP traces (read back from the Aspire dashboard they are exported to),
/// Prometheus metrics, redacted logs.
/// </summary>
[Collection(DashboardGraphCollection.Name)]
public sealed class TelemetryTests(DashboardGraphFixture graph)
{
    private static readonly string[] UntracedPaths = ["/health", "/alive", "/metrics"];

    [Fact]
    public async Task A_request_arrives_at_the_otlp_endpoint_as_a_server_span_named_for_its_route()
    {
        await graph.Flow.RegisterAsync(VerificationFlow.NewMobile());

        IReadOnlyList<TelemetrySpan> spans = [];
        await Eventually.TrueAsync(async () => (spans = await graph.Dashboard.SpansAsync("receiver")).Any(s => s.Name == "POST /onboarding/register"),
            TimeSpan.FromSeconds(20), "the register span at the dashboard");
        var span = spans.First(s => s.Name == "POST /onboarding/register");
        Assert.Equal("receiver", span.Service);
        Assert.Equal(TelemetrySpan.SpanKind.Server, span.Kind);
        Assert.Equal("POST", span.Attributes["http.request.method"]);
        Assert.Equal("/onboarding/register", span.Attributes["http.route"]);
        Assert.Equal("200", span.Attributes["http.response.status_code"]);
        // The AppHost probes /health every few seconds, so a traced probe would be there by now.
        Assert.DoesNotContain(spans, s => UntracedPaths.Any(path => s.Name.Contains(path, StringComparison.Ordinal)
                                                                   || s.Attributes.GetValueOrDefault("url.path") == path));
    }

    [Fact]
    public async Task A_register_trace_holds_its_postgresql_and_redis_client_spans()
    {
        Activity.Current = null;
        using var traced = new Activity("backend register").SetIdFormat(ActivityIdFormat.W3C);
        traced.ActivityTraceFlags = ActivityTraceFlags.Recorded; // sampled, so the receiver records its side
        traced.Start();
        await graph.Flow.RegisterAsync(VerificationFlow.NewMobile()); // the test's HttpClient carries the trace id in traceparent
        traced.Stop();
        var traceId = traced.TraceId.ToHexString();

        // The database and cache calls the receiver made for it (the test's own HTTP client span is in the trace too).
        async Task<List<TelemetrySpan>> ChildrenAsync() =>
            [.. (await graph.Dashboard.TraceAsync(traceId)).Where(s => s.Kind == TelemetrySpan.SpanKind.Client && s.Scope != "System.Net.Http")];
        await Eventually.TrueAsync(async () => (await ChildrenAsync()).Any(s => s.Scope == "Npgsql"),
            TimeSpan.FromSeconds(20), "a PostgreSQL client span in the register trace");
        // The Redis instrumentation collects its spans from profiling sessions, flushed every 10 s.
        await Eventually.TrueAsync(async () => (await ChildrenAsync()).Any(s => s.Attributes.GetValueOrDefault("db.system") == "redis"),
            TimeSpan.FromSeconds(30), "a Redis client span in the register trace");
        Assert.All(await ChildrenAsync(), s => Assert.Equal("receiver", s.Service));
    }

    [Fact]
    public async Task Metrics_endpoint_passes_promtool_and_has_the_request_duration_histogram()
    {
        await graph.Flow.RegisterAsync(VerificationFlow.NewMobile());
        using var management = graph.App.CreateHttpClient("receiver", "management");
        var text = await management.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Contains("# TYPE http_server_request_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.Contains("le=\"+Inf\"", text, StringComparison.Ordinal);
        Assert.Contains("smsbridge_registrations_total", text, StringComparison.Ordinal);

        var (exitCode, output) = await RunAsync("promtool", ["check", "metrics"], text);
        Assert.True(exitCode == 0, "promtool check metrics: " + output);

        using var publicPort = graph.App.CreateHttpClient("receiver", "http");
        using var response = await publicPort.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task After_a_full_flow_no_log_holds_a_pin_key_secret_or_full_mobile()
    {
        var flow = graph.Flow;
        var mobile = VerificationFlow.NewMobile();
        const string pin = "90817263";
        var id = await flow.OnboardAsync(mobile, pin);
        await flow.WaitDeliveredAsync([id], TimeSpan.FromSeconds(20));
        using (var badKey = new HttpClient { BaseAddress = flow.Receiver.BaseAddress })
        {
            badKey.DefaultRequestHeaders.Add("X-Api-Key", flow.Secret("backend-api-key"));
            await badKey.PostAsJsonAsync("/sms/receive", new { mobile_number = mobile, message = "x", received_at = "2026-01-01T00:00:00Z" });
        }

        await Task.Delay(TimeSpan.FromSeconds(1)); // log writers flush asynchronously
        var files = Directory.EnumerateFiles(Path.Combine(graph.App.DataDirectory(), "logs"), "*.log", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(files);
        var exported = await graph.Dashboard.LogsAsync();
        var text = string.Join('\n', files.Select(File.ReadAllText))
                   + string.Join('\n', (await Task.WhenAll(TestGraph.ResourceNames.Select(n => graph.App.LogTailAsync(n, 2000)))))
                   + string.Join('\n', exported.Select(l => l.Message));

        Assert.Contains("*" + mobile[^4..], text, StringComparison.Ordinal); // the masked form is there, so the scan reads real lines
        string[] forbidden =
        [
            mobile, mobile.TrimStart('+'), pin, flow.Secret("backend-api-key"), flow.Secret("gateway-api-key"),
            flow.Secret("webhook-secret"), flow.Secret("webhook-secret")["whsec_".Length..], flow.Secret("pin-encryption-key"),
            flow.Secret("hash-key"), flow.Secret("gateway-signing-key"), flow.Secret("smsbridge-app-password"),
        ];
        foreach (var secret in forbidden) Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, IReadOnlyList<string> arguments, string stdin)
    {
        var result = await ExternalProgram.CaptureAsync(new ProgramInvocation(file, arguments) { StandardInput = stdin, Timeout = TimeSpan.FromSeconds(60) });
        return (result.ExitCode, result.All);
    }
}
