using System.Diagnostics;
using System.Net;
using SmsBridge.AppHost.Dashboard.Otlp;
using SmsBridge.Tests.Delivery;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.ServiceDefaults;

public sealed class TelemetryGraphFixture : IAsyncLifetime
{
    public OtlpCollector Collector { get; } = new();

    public DistributedApplication App { get; private set; } = null!;

    public VerificationFlow Flow { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Collector.StartAsync();
        var builder = DistributedApplicationTestingBuilder.Create(o => o.OtlpEndpoint = Collector.Endpoint);
        DeliveryFlow.FastPacing(builder);
        App = builder.Build();
        await App.StartAsync().WaitAsync(TimeSpan.FromMinutes(3));
        Flow = new VerificationFlow(App);
    }

    public async Task DisposeAsync()
    {
        Flow.Dispose();
        await App.DisposeAsync();
        await Collector.DisposeAsync();
    }
}

/// <summary>What AddServiceDefaults gives every service: OTLP traces, Prometheus metrics, redacted logs.</summary>
public sealed class TelemetryTests(TelemetryGraphFixture graph) : IClassFixture<TelemetryGraphFixture>
{
    private static readonly string[] UntracedPaths = ["/health", "/alive", "/metrics"];

    [Fact]
    public async Task A_request_arrives_at_the_otlp_endpoint_as_a_server_span_named_for_its_route()
    {
        await graph.Flow.RegisterAsync(VerificationFlow.NewMobile());

        var span = await Eventually.ValueAsync(() => graph.Collector.Spans().FirstOrDefault(s => s.Name == "POST /onboarding/register"),
            TimeSpan.FromSeconds(20), "the register span at the collector");
        Assert.Equal("receiver", span.Service);
        Assert.Equal("server", span.KindName);
        Assert.Equal("POST", span.Attributes["http.request.method"]);
        Assert.Equal("/onboarding/register", span.Attributes["http.route"]);
        Assert.Equal("200", span.Attributes["http.response.status_code"]);
        Assert.DoesNotContain(graph.Collector.Spans(), s => UntracedPaths.Any(path => s.Name.Contains(path, StringComparison.Ordinal)
                                                                                  || s.Attributes.GetValueOrDefault("url.path") == path));
    }

    [Fact]
    public async Task A_register_trace_holds_its_postgresql_and_redis_client_spans()
    {
        await graph.Flow.RegisterAsync(VerificationFlow.NewMobile());

        var register = await Eventually.ValueAsync(() => graph.Collector.Spans().LastOrDefault(s => s.Name == "POST /onboarding/register"),
            TimeSpan.FromSeconds(20), "the register span");
        IEnumerable<SpanRecord> Children() => graph.Collector.Spans().Where(s => s.TraceId == register.TraceId && s.KindName == "client");
        await Eventually.TrueAsync(() => Task.FromResult(Children().Any(s => s.Scope == "Npgsql")),
            TimeSpan.FromSeconds(20), "a PostgreSQL client span in the register trace");
        // The Redis instrumentation collects its spans from profiling sessions, flushed every 10 s.
        await Eventually.TrueAsync(() => Task.FromResult(Children().Any(s => s.Attributes.GetValueOrDefault("db.system") == "redis")),
            TimeSpan.FromSeconds(30), "a Redis client span in the register trace");
        Assert.All(Children(), s => Assert.Equal("receiver", s.Service));
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

        var (exitCode, output) = await RunAsync("promtool", "check metrics", text);
        Assert.True(exitCode == 0, "promtool check metrics: " + output);

        using var publicPort = graph.App.CreateHttpClient("receiver", "http");
        using var response = await publicPort.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task After_a_full_flow_no_log_holds_a_pin_key_secret_or_full_mobile()
    {
        var flow = graph.Flow;
        await using var sink = new WebhookSink(flow.Secret("webhook-secret"));
        await sink.StartAsync();
        await flow.PointAtAsync(sink);
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
        var files = Directory.EnumerateFiles(Path.Combine(graph.App.Options.DataDirectory, "logs"), "*.log", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(files);
        var text = string.Join('\n', files.Select(File.ReadAllText))
                   + string.Join('\n', graph.App.Resources.SelectMany(r => r.Logs.Tail(1000)));

        Assert.Contains("*" + mobile[^4..], text, StringComparison.Ordinal); // the masked form is there, so the scan reads real lines
        string[] forbidden =
        [
            mobile, mobile.TrimStart('+'), pin, flow.Secret("backend-api-key"), flow.Secret("gateway-api-key"),
            flow.Secret("webhook-secret"), flow.Secret("webhook-secret")["whsec_".Length..], flow.Secret("pin-encryption-key"),
            flow.Secret("hash-key"), flow.Secret("gateway-signing-key"), flow.Secret("smsbridge-app-password"),
        ];
        foreach (var secret in forbidden) Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, string arguments, string stdin)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }
}
