using SmsBridge.AppHost.Dashboard.Otlp;

namespace SmsBridge.AppHost.Dashboard;

/// <summary>A trace as listed: its root span, the services it crossed, its extent and worst status.</summary>
public sealed record TraceSummary(string TraceId, SpanRecord Root, DateTimeOffset Start, TimeSpan Duration, int SpanCount,
    IReadOnlyList<string> Services, SpanStatus Status);

/// <summary>An instrument's recent history, for the request-rate and latency charts.</summary>
public sealed record MetricSample(DateTimeOffset Time, double Value, ulong Count, double Sum);

/// <summary>
/// The dashboard's bounded window of telemetry: the newest spans and log records up to a cap (oldest dropped
/// first, with the count of dropped items kept), and the latest snapshot of each instrument per resource.
/// </summary>
public sealed class TelemetryStore(int maxSpans = 20_000, int maxLogs = 10_000, int maxSamples = 120)
{
    private readonly Lock _lock = new();
    private readonly LinkedList<SpanRecord> _spans = new();
    private readonly Dictionary<string, List<SpanRecord>> _traces = new(StringComparer.Ordinal);
    private readonly LinkedList<LogRecord> _logs = new();
    private readonly Dictionary<(string Service, string Name), MetricSnapshot> _metrics = [];
    private readonly Dictionary<(string Service, string Name), LinkedList<MetricSample>> _history = [];

    public long DroppedSpans { get; private set; }

    public long DroppedLogs { get; private set; }

    public int MaxSpans => maxSpans;

    public int MaxLogs => maxLogs;

    public void Add(IEnumerable<SpanRecord> spans)
    {
        lock (_lock)
        {
            foreach (var span in spans)
            {
                _spans.AddLast(span);
                if (!_traces.TryGetValue(span.TraceId, out var trace)) _traces[span.TraceId] = trace = [];
                trace.Add(span);
                if (_spans.Count <= maxSpans) continue;
                var oldest = _spans.First!.Value;
                _spans.RemoveFirst();
                DroppedSpans++;
                var oldTrace = _traces[oldest.TraceId];
                oldTrace.Remove(oldest);
                if (oldTrace.Count == 0) _traces.Remove(oldest.TraceId);
            }
        }
    }

    public void Add(IEnumerable<LogRecord> logs)
    {
        lock (_lock)
        {
            foreach (var log in logs)
            {
                _logs.AddLast(log);
                if (_logs.Count <= maxLogs) continue;
                _logs.RemoveFirst();
                DroppedLogs++;
            }
        }
    }

    public void Add(IEnumerable<MetricSnapshot> metrics)
    {
        lock (_lock)
        {
            foreach (var metric in metrics)
            {
                var key = (metric.Service, metric.Name);
                _metrics[key] = metric;
                if (!_history.TryGetValue(key, out var history)) _history[key] = history = new LinkedList<MetricSample>();
                history.AddLast(new MetricSample(metric.Time, metric.Value, metric.Count, metric.Sum));
                if (history.Count > maxSamples) history.RemoveFirst();
            }
        }
    }

    public int SpanCount
    {
        get
        {
            lock (_lock) return _spans.Count;
        }
    }

    public int LogCount
    {
        get
        {
            lock (_lock) return _logs.Count;
        }
    }

    /// <summary>The spans of one trace, parents before children, siblings by start time.</summary>
    public IReadOnlyList<SpanRecord> Trace(string traceId)
    {
        List<SpanRecord> spans;
        lock (_lock) spans = _traces.TryGetValue(traceId, out var trace) ? [.. trace] : [];
        var ids = spans.Select(s => s.SpanId).ToHashSet(StringComparer.Ordinal);
        var children = spans.Where(s => s.ParentSpanId is not null && ids.Contains(s.ParentSpanId))
            .GroupBy(s => s.ParentSpanId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(s => s.Start).ToList(), StringComparer.Ordinal);
        var ordered = new List<SpanRecord>(spans.Count);
        void Visit(SpanRecord span)
        {
            ordered.Add(span);
            foreach (var child in children.GetValueOrDefault(span.SpanId) ?? []) Visit(child);
        }

        foreach (var root in Roots(spans, ids)) Visit(root);
        return ordered;
    }

    /// <summary>Depth of each span below its root, for indenting the waterfall.</summary>
    public static Dictionary<string, int> Depths(IReadOnlyList<SpanRecord> ordered)
    {
        var depths = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var span in ordered)
        {
            depths[span.SpanId] = span.ParentSpanId is { } parent && depths.TryGetValue(parent, out var d) ? d + 1 : 0;
        }

        return depths;
    }

    /// <summary>Spans whose parent is not here: the true root, or the first span seen of a trace started elsewhere.</summary>
    private static IEnumerable<SpanRecord> Roots(List<SpanRecord> spans, HashSet<string> ids) =>
        spans.Where(s => s.ParentSpanId is null || !ids.Contains(s.ParentSpanId)).OrderBy(s => s.Start);

    public IReadOnlyList<TraceSummary> Traces(string? service = null, int limit = 200)
    {
        List<List<SpanRecord>> traces;
        lock (_lock) traces = _traces.Values.Select(t => t.ToList()).ToList();
        return traces
            .Select(Summarise)
            .Where(t => service is null || t.Services.Contains(service, StringComparer.Ordinal))
            .OrderByDescending(t => t.Start)
            .Take(limit)
            .ToList();
    }

    private static TraceSummary Summarise(List<SpanRecord> spans)
    {
        var ids = spans.Select(s => s.SpanId).ToHashSet(StringComparer.Ordinal);
        var root = Roots(spans, ids).First();
        var start = spans.Min(s => s.Start);
        var end = spans.Max(s => s.End);
        return new TraceSummary(root.TraceId, root, start, end - start, spans.Count,
            spans.Select(s => s.Service).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
            spans.Any(s => s.Status == SpanStatus.Error) ? SpanStatus.Error : root.Status);
    }

    public IReadOnlyList<LogRecord> Logs(string? service = null, int minSeverity = 0, string? text = null, string? traceId = null, int limit = 500)
    {
        lock (_lock)
        {
            return _logs.Reverse()
                .Where(l => service is null || l.Service == service)
                .Where(l => l.SeverityNumber >= minSeverity)
                .Where(l => traceId is null || l.TraceId == traceId)
                .Where(l => string.IsNullOrEmpty(text) || l.Message.Contains(text, StringComparison.OrdinalIgnoreCase)
                                                       || l.Category.Contains(text, StringComparison.OrdinalIgnoreCase))
                .Take(limit)
                .ToList();
        }
    }

    public IReadOnlyList<MetricSnapshot> Metrics()
    {
        lock (_lock) return _metrics.Values.OrderBy(m => m.Service, StringComparer.Ordinal).ThenBy(m => m.Name, StringComparer.Ordinal).ToList();
    }

    public IReadOnlyList<MetricSample> History(string service, string name)
    {
        lock (_lock) return _history.TryGetValue((service, name), out var history) ? [.. history] : [];
    }

    public IReadOnlyList<string> Services()
    {
        lock (_lock)
        {
            return _spans.Select(s => s.Service).Concat(_logs.Select(l => l.Service)).Concat(_metrics.Keys.Select(k => k.Service))
                .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        }
    }
}
