using System.Net;
using SmsBridge.AppHost.Dashboard;
using SmsBridge.AppHost.Dashboard.Otlp;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Dashboard;

/// <summary>
/// The graph with its dashboard: the services export to it over OTLP, and one verification flow shows up as one
/// connected trace from the backend through the receiver (request handlers and background workers) to the webhook.
/// </summary>
[Collection(DashboardGraphCollection.Name)]
public sealed class DashboardTraceTests(DashboardGraphFixture graph)
{
    [Fact]
    public async Task One_flow_is_one_connected_trace_across_receiver_and_webhook_with_the_receivers_logs()
    {
        var traceId = await graph.TracedOnboardingAsync();
        var store = graph.Dashboard.Telemetry;
        string[] expected =
        [
            "receiver:POST /onboarding/register", "receiver:POST /sms/receive", "receiver:validate sms", "receiver:POST /pin-setup",
            "receiver:deliver webhook",
        ];
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(expected.All(e => store.Trace(traceId).Any(s => $"{s.Service}:{s.Name}".TrimEnd('/') == e))
                 && store.Trace(traceId).Any(s => s.Service == DashboardGraphFixture.BackendService && s.KindName == "server")
                 && store.Trace(traceId).Any(s => s.ParentSpanId is null))) // the root ends last, so it is exported last
        {
            Assert.True(DateTime.UtcNow < deadline, "the flow's spans from the receiver and the webhook sink did not all reach the dashboard; it has: "
                + string.Join(", ", store.Trace(traceId).Select(s => $"{s.Service}:{s.Name} ({s.KindName})")));
            await Task.Delay(200);
        }

        var spans = store.Trace(traceId);
        var root = spans[0];
        Assert.Equal(DashboardGraphFixture.BackendService, root.Service);
        Assert.Null(root.ParentSpanId);
        var ids = spans.Select(s => s.SpanId).ToHashSet();
        Assert.All(spans.Skip(1), s => Assert.Contains(s.ParentSpanId!, ids)); // connected: no span hangs loose

        var byName = spans.Where(s => s.Service == "receiver").GroupBy(s => s.Name).ToDictionary(g => g.Key.TrimEnd('/'), g => g.First()); // the SMS route is "/sms/receive/" (a group's "/")
        Assert.Equal(byName["POST /sms/receive"].SpanId, byName["validate sms"].ParentSpanId);
        Assert.Equal(byName["POST /pin-setup"].SpanId, byName["deliver webhook"].ParentSpanId);
        var webhookCall = spans.Single(s => s.Service == "receiver" && s.KindName == "client" && s.ParentSpanId == byName["deliver webhook"].SpanId
                                                 && s.Attributes.ContainsKey("url.full"));
        Assert.Equal(graph.Sink.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), webhookCall.Attributes["server.port"]);
        var sinkSpan = spans.Single(s => s.Service == DashboardGraphFixture.BackendService && s.KindName == "server");
        Assert.Equal(webhookCall.SpanId, sinkSpan.ParentSpanId);
        Assert.All(spans, s => Assert.NotEqual(SpanStatus.Error, s.Status));
        // Through PostgreSQL and Redis: their client spans (Aspire.Npgsql, Aspire.StackExchange.Redis) join the same trace.
        await Eventually.TrueAsync(() => Task.FromResult(
                store.Trace(traceId).Any(s => s is { Service: "receiver", KindName: "client", Scope: "Npgsql" })
                && store.Trace(traceId).Any(s => s.Service == "receiver" && s.Attributes.GetValueOrDefault("db.system") == "redis")),
            TimeSpan.FromSeconds(30), "PostgreSQL and Redis client spans in the flow's trace");

        await Eventually.TrueAsync(() => Task.FromResult(
                store.Logs(service: "receiver", traceId: traceId).Any(l => l.Message.EndsWith(": verified", StringComparison.Ordinal))
                && store.Logs(service: "receiver", traceId: traceId).Any(l => l.Message.Contains("delivered", StringComparison.Ordinal))),
            TimeSpan.FromSeconds(20), "the receiver's log lines of the flow, linked to its trace");
        var logs = store.Logs(service: "receiver", traceId: traceId);
        Assert.All(logs, l => Assert.Contains(l.SpanId!, ids));

        using var client = await graph.SignedInClientAsync();
        var waterfall = await client.GetStringAsync(new Uri($"/traces/{traceId}", UriKind.Relative));
        foreach (var name in expected) Assert.Contains(WebUtility.HtmlEncode(name.Split(':')[1]), waterfall, StringComparison.Ordinal);
        Assert.Contains(": verified", waterfall, StringComparison.Ordinal);
        var list = await client.GetStringAsync(new Uri($"/logs?resource=receiver&q=verified&trace={traceId}", UriKind.Relative));
        Assert.Contains($"href=\"/traces/{traceId}\"", list, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_service_exports_metrics_and_logs_to_the_dashboard()
    {
        var store = graph.Dashboard.Telemetry;
        await Eventually.TrueAsync(() => Task.FromResult(
                new[] { "receiver", "admin", "backup" }.All(s => store.Metrics().Any(m => m.Service == s && m.Name.StartsWith("dotnet.", StringComparison.Ordinal)))),
            TimeSpan.FromSeconds(30), "runtime metrics from receiver, admin and backup");
        await graph.Flow.RegisterAsync(VerificationFlow.NewMobile());
        await Eventually.TrueAsync(() => Task.FromResult(
                store.Metrics().Any(m => m.Service == "receiver" && m.Name == "http.server.request.duration" && m.Count > 0)),
            TimeSpan.FromSeconds(30), "the receiver's request duration histogram");
        Assert.Contains(store.Logs(), l => l.Service == "receiver");

        using var client = await graph.SignedInClientAsync();
        var page = await client.GetStringAsync(new Uri("/metrics?resource=receiver", UriKind.Relative));
        Assert.Contains("data-metric=\"http.server.request.duration\"", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_the_token_or_the_api_key_the_dashboard_refuses()
    {
        using var anonymous = new HttpClient { BaseAddress = graph.Dashboard.Url };
        foreach (var path in new[] { "/", "/traces", "/logs", "/metrics", "/console/receiver/stream", "/login?t=wrong" })
        {
            using var response = await anonymous.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var export = new ByteArrayContent([]);
        export.Headers.ContentType = new("application/x-protobuf");
        using (var noKey = await anonymous.PostAsync(new Uri("/v1/traces", UriKind.Relative), export))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        }

        using var forged = new HttpClient { BaseAddress = graph.Dashboard.Url };
        forged.DefaultRequestHeaders.Add("Cookie", "smsbridge_dashboard=" + graph.Dashboard.Token);
        using (var withTokenAsCookie = await forged.GetAsync(new Uri("/", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, withTokenAsCookie.StatusCode);
        }

        // Signed in, an action still needs the dashboard script's header: a cross-site form cannot restart a service.
        using var client = await graph.SignedInClientAsync();
        using var formPost = await client.PostAsync(new Uri("/resources/receiver/stop", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Forbidden, formPost.StatusCode);
        Assert.Equal(AppHost.Hosting.ResourceState.Healthy, graph.App.GetResource<AppHost.Hosting.ProjectResource>("receiver").State);

        using var garbage = new ByteArrayContent("not protobuf"u8.ToArray());
        garbage.Headers.ContentType = new("application/x-protobuf");
        using var keyed = new HttpClient { BaseAddress = graph.Dashboard.Url };
        keyed.DefaultRequestHeaders.Add(DashboardServer.OtlpApiKeyHeader, graph.Dashboard.OtlpApiKey);
        using var bad = await keyed.PostAsync(new Uri("/v1/traces", UriKind.Relative), garbage);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}
