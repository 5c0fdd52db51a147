using SmsBridge.AppHost.Dashboard;
using SmsBridge.AppHost.Dashboard.Otlp;

namespace SmsBridge.Tests.Dashboard;

/// <summary>The dashboard's memory is bounded: the oldest items go first, and how many went is counted.</summary>
public sealed class TelemetryStoreTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static SpanRecord Span(string trace, string id, string? parent, int startMs, int endMs, string service = "receiver") =>
        new(service, "scope", trace, id, parent, "span " + id, 1, T0.AddMilliseconds(startMs), T0.AddMilliseconds(endMs), SpanStatus.Unset, null,
            new Dictionary<string, string>(), []);

    [Fact]
    public void Spans_over_the_cap_drop_oldest_first_and_are_counted()
    {
        var store = new TelemetryStore(maxSpans: 3);
        store.Add([Span("t1", "a", null, 0, 10), Span("t1", "b", "a", 1, 5), Span("t2", "c", null, 20, 30)]);
        store.Add([Span("t2", "d", "c", 21, 25), Span("t3", "e", null, 40, 50)]);

        Assert.Equal(3, store.SpanCount);
        Assert.Equal(2, store.DroppedSpans);
        Assert.Empty(store.Trace("t1"));
        Assert.Equal(["t3", "t2"], store.Traces().Select(t => t.TraceId));
    }

    [Fact]
    public void Logs_over_the_cap_drop_oldest_first_and_are_counted()
    {
        var store = new TelemetryStore(maxLogs: 2);
        store.Add(Enumerable.Range(1, 5).Select(i => new LogRecord("receiver", "c", T0.AddSeconds(i), 9, "", "line " + i,
            new Dictionary<string, string>(), null, null)));

        Assert.Equal(3, store.DroppedLogs);
        Assert.Equal(["line 5", "line 4"], store.Logs().Select(l => l.Message));
    }

    [Fact]
    public void A_trace_is_ordered_parent_before_children_across_services_with_its_extent_and_root()
    {
        var store = new TelemetryStore();
        store.Add([
            Span("t", "hook", "client", 60, 70, "backend"),
            Span("t", "client", "deliver", 55, 75),
            Span("t", "deliver", "pin", 50, 80),
            Span("t", "register", "root", 5, 10),
            Span("t", "pin", "root", 40, 45),
            Span("t", "root", null, 0, 90, "backend"),
        ]);

        var ordered = store.Trace("t");
        Assert.Equal(["root", "register", "pin", "deliver", "client", "hook"], ordered.Select(s => s.SpanId));
        Assert.Equal([0, 1, 1, 2, 3, 4], ordered.Select(s => TelemetryStore.Depths(ordered)[s.SpanId]));
        var summary = Assert.Single(store.Traces());
        Assert.Equal("root", summary.Root.SpanId);
        Assert.Equal(TimeSpan.FromMilliseconds(90), summary.Duration);
        Assert.Equal(["backend", "receiver"], summary.Services);
        Assert.Single(store.Traces(service: "backend"));
        Assert.Empty(store.Traces(service: "admin"));
    }

    [Fact]
    public void Logs_filter_by_resource_level_text_and_trace()
    {
        var store = new TelemetryStore();
        store.Add([
            new LogRecord("receiver", "Inbox", T0, 9, "", "SMS 1: verified", new Dictionary<string, string>(), "t1", "s1"),
            new LogRecord("receiver", "Delivery", T0.AddSeconds(1), 13, "", "Hand-off paused", new Dictionary<string, string>(), null, null),
            new LogRecord("admin", "Auth", T0.AddSeconds(2), 17, "", "Login failed", new Dictionary<string, string>(), null, null),
        ]);

        Assert.Equal(2, store.Logs(service: "receiver").Count);
        Assert.Equal(["Login failed", "Hand-off paused"], store.Logs(minSeverity: 13).Select(l => l.Message));
        Assert.Equal("SMS 1: verified", Assert.Single(store.Logs(text: "VERIFIED")).Message);
        Assert.Equal("SMS 1: verified", Assert.Single(store.Logs(traceId: "t1")).Message);
        Assert.Equal("Hand-off paused", Assert.Single(store.Logs(text: "delivery")).Message);
    }
}
