using System.Net;
using SmsBridge.Tests.Infrastructure;
using static SmsBridge.Tests.Infrastructure.TelemetrySpan;

namespace SmsBridge.Tests.Dashboard;

/// <summary>
/// The graph with the Aspire dashboard: the services export to it over OTLP, and one verification flow shows up as one
/// connected trace from the backend through the receiver (request handlers and background workers) to the webhook,
/// read back through the dashboard's telemetry API.
/// </summary>
[Collection(DashboardGraphCollection.Name)]
public sealed class DashboardTraceTests(DashboardGraphFixture graph)
{
    [Fact]
    public async Task One_flow_is_one_connected_trace_across_receiver_and_webhook_with_the_receivers_logs()
    {
        var traceId = await graph.TracedOnboardingAsync();
        string[] expected =
        [
            "receiver:POST /onboarding/register", "receiver:POST /sms/receive", "receiver:validate sms", "receiver:POST /pin-setup",
            "receiver:deliver webhook",
        ];
        IReadOnlyList<TelemetrySpan> spans = [];
        await Eventually.TrueAsync(async () =>
        {
            spans = await graph.Dashboard.TraceAsync(traceId);
            return expected.All(e => spans.Any(s => $"{s.Service}:{s.Name}".TrimEnd('/') == e))
                   && spans.Any(s => s.Service == DashboardGraphFixture.BackendService && s.Kind == SpanKind.Server)
                   && spans.Any(s => s.ParentSpanId is null); // the root ends last, so it is exported last
        }, TimeSpan.FromSeconds(60), "the flow's spans from the receiver and the webhook sink at the dashboard"); // batched export: slow when busy

        var root = Assert.Single(spans, s => s.ParentSpanId is null);
        Assert.Equal(DashboardGraphFixture.BackendService, root.Service);
        Assert.Equal(DashboardGraphFixture.FlowSpanName, root.Name);
        var ids = spans.Select(s => s.SpanId).ToHashSet();
        Assert.All(spans.Where(s => s != root), s => Assert.Contains(s.ParentSpanId!, ids)); // connected: no span hangs loose

        var byName = spans.Where(s => s.Service == "receiver").GroupBy(s => s.Name).ToDictionary(g => g.Key.TrimEnd('/'), g => g.First()); // the SMS route is "/sms/receive/" (a group's "/")
        Assert.Equal(byName["POST /sms/receive"].SpanId, byName["validate sms"].ParentSpanId);
        Assert.Equal(byName["POST /pin-setup"].SpanId, byName["deliver webhook"].ParentSpanId);
        var webhookCall = spans.Single(s => s.Service == "receiver" && s.Kind == SpanKind.Client && s.ParentSpanId == byName["deliver webhook"].SpanId
                                            && s.Attributes.ContainsKey("url.full"));
        Assert.Equal(graph.Sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), webhookCall.Attributes["server.port"]);
        var sinkSpan = spans.Single(s => s.Service == DashboardGraphFixture.BackendService && s.Kind == SpanKind.Server);
        Assert.Equal(webhookCall.SpanId, sinkSpan.ParentSpanId);
        Assert.DoesNotContain(spans, s => s.IsError);
        // Through PostgreSQL and Redis: their client spans (Aspire.Npgsql, Aspire.StackExchange.Redis) join the same trace.
        await Eventually.TrueAsync(async () =>
            {
                spans = await graph.Dashboard.TraceAsync(traceId);
                return spans.Any(s => s is { Service: "receiver", Kind: SpanKind.Client, Scope: "Npgsql" })
                       && spans.Any(s => s.Service == "receiver" && s.Attributes.GetValueOrDefault("db.system") == "redis");
            },
            TimeSpan.FromSeconds(30), "PostgreSQL and Redis client spans in the flow's trace");

        IReadOnlyList<TelemetryLog> logs = [];
        await Eventually.TrueAsync(async () =>
            {
                logs = await graph.Dashboard.LogsAsync("receiver", traceId);
                return logs.Any(l => l.Message.EndsWith(": verified", StringComparison.Ordinal))
                       && logs.Any(l => l.Message.Contains("delivered", StringComparison.Ordinal));
            },
            TimeSpan.FromSeconds(20), "the receiver's log lines of the flow, linked to its trace");
        spans = await graph.Dashboard.TraceAsync(traceId);
        Assert.All(logs, l => Assert.Contains(l.SpanId!, spans.Select(s => s.SpanId)));
    }

    [Fact]
    public async Task Every_service_exports_traces_and_logs_to_the_dashboard()
    {
        await graph.Flow.RegisterAsync(VerificationFlow.NewMobile());
        foreach (var service in new[] { "receiver", "admin", "backup" })
        {
            await Eventually.TrueAsync(async () => (await graph.Dashboard.LogsAsync(service)).Any(l => l.Service == service),
                TimeSpan.FromSeconds(30), $"structured logs from {service}");
        }

        await Eventually.TrueAsync(async () => (await graph.Dashboard.SpansAsync("receiver")).Any(s => s.Name == "POST /onboarding/register"),
            TimeSpan.FromSeconds(30), "the receiver's spans");
    }

    [Fact]
    public async Task Without_the_api_key_or_the_otlp_key_the_dashboard_refuses()
    {
        using var anonymous = new HttpClient { BaseAddress = graph.Dashboard.Url };
        foreach (var path in new[] { "/api/telemetry/spans", "/api/telemetry/logs", "/api/telemetry/traces" })
        {
            using var response = await anonymous.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var wrongKey = new HttpClient { BaseAddress = graph.Dashboard.Url };
        wrongKey.DefaultRequestHeaders.Add("x-api-key", "not-the-key");
        using (var response = await wrongKey.GetAsync(new Uri("/api/telemetry/spans", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var otlp = new HttpClient { BaseAddress = graph.Dashboard.OtlpHttpEndpoint };
        using var export = new ByteArrayContent([]);
        export.Headers.ContentType = new("application/x-protobuf");
        using var noKey = await otlp.PostAsync(new Uri("/v1/traces", UriKind.Relative), export);
        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
    }
}
