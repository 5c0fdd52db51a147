using System.Collections.Concurrent;
using System.Diagnostics;

namespace SmsBridge.Benchmarks.Load;

/// <summary>
/// Latencies per operation and errors per kind, for one phase. Only calls that start while measuring count. A latency
/// is measured from the timestamp the caller passes: when the call started, or (open loop) when it was scheduled to.
/// </summary>
public sealed class Recorder
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<double>> _latencies = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _errors = new(StringComparer.Ordinal);
    private long _completed;

    public bool Measuring { get; set; }

    public long Completed => Interlocked.Read(ref _completed);

    public void Latency(string operation, long startedTimestamp)
    {
        if (!Measuring) return;
        _latencies.GetOrAdd(operation, _ => new()).Enqueue(Stopwatch.GetElapsedTime(startedTimestamp).TotalMilliseconds);
    }

    public void Error(string kind)
    {
        if (Measuring) _errors.AddOrUpdate(kind, 1, (_, n) => n + 1);
    }

    public void Complete()
    {
        if (Measuring) Interlocked.Increment(ref _completed);
    }

    public IReadOnlyDictionary<string, int> Errors => _errors.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    public IReadOnlyList<LatencySummary> Summaries() =>
        _latencies.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => LatencySummary.Of(l.Key, [.. l.Value])).ToList();
}

public sealed record LatencySummary(string Operation, int Count, double P50, double P90, double P95, double P99, double Max)
{
    public static LatencySummary Of(string operation, double[] samples)
    {
        Array.Sort(samples);
        return new LatencySummary(operation, samples.Length, Percentile(samples, 0.50), Percentile(samples, 0.90), Percentile(samples, 0.95),
            Percentile(samples, 0.99), samples.Length == 0 ? 0 : samples[^1]);
    }

    /// <summary>Nearest-rank percentile of sorted samples.</summary>
    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}
