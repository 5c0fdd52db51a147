using System.Globalization;
using Google.Protobuf;

namespace SmsBridge.AppHost.Dashboard.Otlp;

/// <summary>
/// Decodes OTLP/HTTP protobuf export requests (opentelemetry-proto v1: trace, logs, metrics) by field number.
/// Field numbers are those of opentelemetry/proto/{trace,logs,metrics,common,resource}/v1/*.proto.
/// </summary>
public static class OtlpDecoder
{
    /// <summary>ExportTraceServiceRequest.resource_spans = 1; ResourceSpans.resource = 1, scope_spans = 2; ScopeSpans.scope = 1, spans = 2.</summary>
    public static List<SpanRecord> DecodeTraces(ByteString request)
    {
        var spans = new List<SpanRecord>();
        foreach (var resourceSpans in Messages(ProtoReader.Fields(request), 1))
        {
            var fields = ProtoReader.Fields(resourceSpans).ToList();
            var service = ServiceName(fields);
            foreach (var scopeSpans in Messages(fields, 2))
            {
                var scopeFields = ProtoReader.Fields(scopeSpans).ToList();
                var scope = ScopeName(scopeFields);
                spans.AddRange(Messages(scopeFields, 2).Select(span => DecodeSpan(service, scope, span)));
            }
        }

        return spans;
    }

    /// <summary>
    /// Span: trace_id = 1, span_id = 2, parent_span_id = 4, name = 5, kind = 6, start_time_unix_nano = 7,
    /// end_time_unix_nano = 8, attributes = 9, events = 11, status = 15 (message = 2, code = 3).
    /// </summary>
    private static SpanRecord DecodeSpan(string service, string scope, ByteString span)
    {
        var fields = ProtoReader.Fields(span).ToList();
        var status = Messages(fields, 15).Select(s => ProtoReader.Fields(s).ToList()).FirstOrDefault() ?? [];
        var parent = Hex(Bytes(fields, 4));
        return new SpanRecord(
            service,
            scope,
            Hex(Bytes(fields, 1)),
            Hex(Bytes(fields, 2)),
            parent.Length == 0 ? null : parent,
            String(fields, 5),
            (int)Scalar(fields, 6),
            Time(Scalar(fields, 7)),
            Time(Scalar(fields, 8)),
            (SpanStatus)Math.Clamp((int)Scalar(status, 3), 0, 2),
            status.Any(f => f.Number == 2) ? String(status, 2) : null,
            Attributes(fields, 9),
            Messages(fields, 11).Select(DecodeEvent).ToList());
    }

    /// <summary>Span.Event: time_unix_nano = 1, name = 2, attributes = 3.</summary>
    private static SpanEventRecord DecodeEvent(ByteString spanEvent)
    {
        var fields = ProtoReader.Fields(spanEvent).ToList();
        return new SpanEventRecord(Time(Scalar(fields, 1)), String(fields, 2), Attributes(fields, 3));
    }

    /// <summary>ExportLogsServiceRequest.resource_logs = 1; ResourceLogs.resource = 1, scope_logs = 2; ScopeLogs.scope = 1, log_records = 2.</summary>
    public static List<LogRecord> DecodeLogs(ByteString request)
    {
        var logs = new List<LogRecord>();
        foreach (var resourceLogs in Messages(ProtoReader.Fields(request), 1))
        {
            var fields = ProtoReader.Fields(resourceLogs).ToList();
            var service = ServiceName(fields);
            foreach (var scopeLogs in Messages(fields, 2))
            {
                var scopeFields = ProtoReader.Fields(scopeLogs).ToList();
                var scope = ScopeName(scopeFields);
                logs.AddRange(Messages(scopeFields, 2).Select(record => DecodeLog(service, scope, record)));
            }
        }

        return logs;
    }

    /// <summary>
    /// LogRecord: time_unix_nano = 1, severity_number = 2, severity_text = 3, body = 5, attributes = 6,
    /// trace_id = 9, span_id = 10, observed_time_unix_nano = 11.
    /// </summary>
    private static LogRecord DecodeLog(string service, string scope, ByteString record)
    {
        var fields = ProtoReader.Fields(record).ToList();
        var time = Scalar(fields, 1);
        if (time == 0) time = Scalar(fields, 11);
        var attributes = Attributes(fields, 6);
        var body = Messages(fields, 5).Select(AnyValue).FirstOrDefault() ?? "";
        // The .NET SDK puts the template in the body and the formatted text (IncludeFormattedMessage) alongside.
        var category = scope.Length > 0 ? scope : attributes.GetValueOrDefault("category", "");
        var traceId = Hex(Bytes(fields, 9));
        var spanId = Hex(Bytes(fields, 10));
        return new LogRecord(service, category, Time(time), (int)Scalar(fields, 2), String(fields, 3), body, attributes,
            traceId.Length == 0 || traceId.All(c => c == '0') ? null : traceId, spanId.Length == 0 ? null : spanId);
    }

    /// <summary>ExportMetricsServiceRequest.resource_metrics = 1; ResourceMetrics.resource = 1, scope_metrics = 2; ScopeMetrics.scope = 1, metrics = 2.</summary>
    public static List<MetricSnapshot> DecodeMetrics(ByteString request)
    {
        var metrics = new List<MetricSnapshot>();
        foreach (var resourceMetrics in Messages(ProtoReader.Fields(request), 1))
        {
            var fields = ProtoReader.Fields(resourceMetrics).ToList();
            var service = ServiceName(fields);
            foreach (var scopeMetrics in Messages(fields, 2))
            {
                var scopeFields = ProtoReader.Fields(scopeMetrics).ToList();
                var scope = ScopeName(scopeFields);
                foreach (var metric in Messages(scopeFields, 2))
                {
                    if (DecodeMetric(service, scope, metric) is { } snapshot) metrics.Add(snapshot);
                }
            }
        }

        return metrics;
    }

    /// <summary>Metric: name = 1, description = 2, unit = 3, gauge = 5, sum = 7, histogram = 9, exponential_histogram = 10, summary = 11.</summary>
    private static MetricSnapshot? DecodeMetric(string service, string scope, ByteString metric)
    {
        var fields = ProtoReader.Fields(metric).ToList();
        var (name, description, unit) = (String(fields, 1), String(fields, 2), String(fields, 3));
        foreach (var field in fields)
        {
            var kind = field.Number switch
            {
                5 => MetricKind.Gauge,
                7 => MetricKind.Sum,
                9 => MetricKind.Histogram,
                10 => MetricKind.ExponentialHistogram,
                11 => MetricKind.Summary,
                _ => (MetricKind?)null,
            };
            if (kind is null) continue;
            // Every data kind keeps data_points = 1.
            var points = Messages(ProtoReader.Fields(field.Bytes), 1).Select(p => ProtoReader.Fields(p).ToList()).ToList();
            return kind is MetricKind.Gauge or MetricKind.Sum
                ? NumberSnapshot(service, scope, name, description, unit, kind.Value, points)
                : HistogramSnapshot(service, scope, name, description, unit, kind.Value, points);
        }

        return null;
    }

    /// <summary>NumberDataPoint: time_unix_nano = 3, as_double = 4, as_int = 6.</summary>
    private static MetricSnapshot NumberSnapshot(string service, string scope, string name, string description, string unit, MetricKind kind,
        List<List<ProtoField>> points)
    {
        double value = 0;
        ulong time = 0;
        foreach (var point in points)
        {
            time = Math.Max(time, Scalar(point, 3));
            var asDouble = point.FirstOrDefault(f => f.Number == 4 && f.WireType == WireFormat.WireType.Fixed64);
            value += asDouble.Number == 4 ? asDouble.AsDouble() : unchecked((long)Scalar(point, 6));
        }

        return new MetricSnapshot(service, scope, name, description, unit, kind, Time(time), value, 0, 0, points.Count, [], []);
    }

    /// <summary>
    /// HistogramDataPoint: time_unix_nano = 3, count = 4, sum = 5, bucket_counts = 6, explicit_bounds = 7.
    /// Exponential histograms and summaries share count = 4 and sum = 5; their buckets are not shown.
    /// </summary>
    private static MetricSnapshot HistogramSnapshot(string service, string scope, string name, string description, string unit, MetricKind kind,
        List<List<ProtoField>> points)
    {
        ulong count = 0, time = 0;
        double sum = 0;
        double[] bounds = [];
        ulong[] buckets = [];
        foreach (var point in points)
        {
            time = Math.Max(time, Scalar(point, 3));
            count += Scalar(point, 4);
            var pointSum = point.FirstOrDefault(f => f.Number == 5 && f.WireType == WireFormat.WireType.Fixed64);
            sum += pointSum.Number == 5 ? pointSum.AsDouble() : 0;
            if (kind != MetricKind.Histogram) continue;
            var pointBounds = ProtoReader.RepeatedFixed64(point, 7).Select(BitConverter.UInt64BitsToDouble).ToArray();
            var pointBuckets = ProtoReader.RepeatedFixed64(point, 6).ToArray();
            if (buckets.Length == 0)
            {
                (bounds, buckets) = (pointBounds, pointBuckets);
            }
            else if (pointBuckets.Length == buckets.Length)
            {
                for (var i = 0; i < buckets.Length; i++) buckets[i] += pointBuckets[i];
            }
        }

        return new MetricSnapshot(service, scope, name, description, unit, kind, Time(time), count == 0 ? 0 : sum / count, count, sum,
            points.Count, bounds, buckets);
    }

    /// <summary>Resource.attributes = 1: the <c>service.name</c> attribute names the resource.</summary>
    private static string ServiceName(List<ProtoField> resourceParent)
    {
        var resource = Messages(resourceParent, 1).FirstOrDefault();
        return resource is null ? "unknown" : Attributes(ProtoReader.Fields(resource).ToList(), 1).GetValueOrDefault("service.name", "unknown");
    }

    /// <summary>InstrumentationScope.name = 1.</summary>
    private static string ScopeName(List<ProtoField> scopeParent)
    {
        var scope = Messages(scopeParent, 1).FirstOrDefault();
        return scope is null ? "" : String(ProtoReader.Fields(scope).ToList(), 1);
    }

    /// <summary>KeyValue: key = 1, value = 2 (AnyValue).</summary>
    public static Dictionary<string, string> Attributes(IEnumerable<ProtoField> fields, int number)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var keyValue in Messages(fields, number))
        {
            var kv = ProtoReader.Fields(keyValue).ToList();
            attributes[String(kv, 1)] = Messages(kv, 2).Select(AnyValue).FirstOrDefault() ?? "";
        }

        return attributes;
    }

    /// <summary>AnyValue: string = 1, bool = 2, int = 3, double = 4, array = 5 (values = 1), kvlist = 6 (values = 1), bytes = 7.</summary>
    public static string AnyValue(ByteString value)
    {
        foreach (var field in ProtoReader.Fields(value))
        {
            switch (field.Number)
            {
                case 1: return field.AsString();
                case 2: return field.Scalar != 0 ? "true" : "false";
                case 3: return field.AsInt64().ToString(CultureInfo.InvariantCulture);
                case 4: return field.AsDouble().ToString(CultureInfo.InvariantCulture);
                case 5: return "[" + string.Join(", ", Messages(ProtoReader.Fields(field.Bytes), 1).Select(AnyValue)) + "]";
                case 6: return "{" + string.Join(", ", Attributes(ProtoReader.Fields(field.Bytes), 1).Select(a => $"{a.Key}: {a.Value}")) + "}";
                case 7: return Convert.ToBase64String(field.Bytes.Span);
            }
        }

        return "";
    }

    private static IEnumerable<ByteString> Messages(IEnumerable<ProtoField> fields, int number) =>
        fields.Where(f => f.Number == number && f.WireType == WireFormat.WireType.LengthDelimited).Select(f => f.Bytes);

    private static ByteString Bytes(List<ProtoField> fields, int number) =>
        fields.LastOrDefault(f => f.Number == number && f.WireType == WireFormat.WireType.LengthDelimited).Bytes ?? ByteString.Empty;

    private static string String(List<ProtoField> fields, int number) => Bytes(fields, number).ToStringUtf8();

    private static ulong Scalar(List<ProtoField> fields, int number) =>
        fields.LastOrDefault(f => f.Number == number && f.WireType != WireFormat.WireType.LengthDelimited).Scalar;

    private static string Hex(ByteString bytes) => bytes.IsEmpty ? "" : Convert.ToHexStringLower(bytes.Span);

    private static DateTimeOffset Time(ulong unixNanos) =>
        DateTimeOffset.UnixEpoch.AddTicks((long)(unixNanos / 100));
}
