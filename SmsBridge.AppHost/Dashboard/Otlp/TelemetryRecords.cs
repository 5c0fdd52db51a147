namespace SmsBridge.AppHost.Dashboard.Otlp;

public enum SpanStatus
{
    Unset = 0,
    Ok = 1,
    Error = 2,
}

/// <summary>One span as the dashboard keeps it: ids as lower-case hex, times as UTC.</summary>
public sealed record SpanRecord(
    string Service,
    string Scope,
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    int Kind,
    DateTimeOffset Start,
    DateTimeOffset End,
    SpanStatus Status,
    string? StatusMessage,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyList<SpanEventRecord> Events)
{
    public TimeSpan Duration => End - Start;

    public string KindName => Kind switch
    {
        1 => "internal",
        2 => "server",
        3 => "client",
        4 => "producer",
        5 => "consumer",
        _ => "unspecified",
    };
}

public sealed record SpanEventRecord(DateTimeOffset Time, string Name, IReadOnlyDictionary<string, string> Attributes);

/// <summary>One structured log record; <see cref="TraceId"/> links it to its trace when it was written inside one.</summary>
public sealed record LogRecord(
    string Service,
    string Category,
    DateTimeOffset Time,
    int SeverityNumber,
    string SeverityText,
    string Message,
    IReadOnlyDictionary<string, string> Attributes,
    string? TraceId,
    string? SpanId)
{
    /// <summary>OTLP severity numbers in bands of four: 1-4 trace, 5-8 debug, 9-12 info, 13-16 warn, 17-20 error, 21-24 fatal.</summary>
    public string Level => SeverityNumber switch
    {
        >= 21 => "Critical",
        >= 17 => "Error",
        >= 13 => "Warning",
        >= 9 => "Information",
        >= 5 => "Debug",
        >= 1 => "Trace",
        _ => string.IsNullOrEmpty(SeverityText) ? "Unspecified" : SeverityText,
    };
}

public enum MetricKind
{
    Gauge,
    Sum,
    Histogram,
    ExponentialHistogram,
    Summary,
}

/// <summary>
/// One instrument's state in one export, summed over its attribute sets: the value for gauges and sums,
/// count and sum (and bucket counts) for histograms. Exports are cumulative, so this is the current value.
/// </summary>
public sealed record MetricSnapshot(
    string Service,
    string Scope,
    string Name,
    string Description,
    string Unit,
    MetricKind Kind,
    DateTimeOffset Time,
    double Value,
    ulong Count,
    double Sum,
    int Series,
    IReadOnlyList<double> Bounds,
    IReadOnlyList<ulong> BucketCounts);
