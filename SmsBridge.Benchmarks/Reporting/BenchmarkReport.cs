using SmsBridge.Benchmarks.Costs;
using SmsBridge.Benchmarks.Footprint;
using SmsBridge.Benchmarks.Load;

namespace SmsBridge.Benchmarks.Reporting;

/// <summary>Everything one run measured: written as JSON for machines and as markdown for docs/benchmarks.md.</summary>
public sealed record BenchmarkReport(
    MachineInfo Machine,
    DateTimeOffset StartedAt,
    BenchmarkOptions Options,
    string BuildConfiguration,
    IReadOnlyList<PhaseRun> Phases,
    IReadOnlyList<CeilingRun> Ceilings,
    IReadOnlyList<Ratio> Ratios,
    IReadOnlyList<OperationCost> Costs,
    IReadOnlyDictionary<string, MemorySample> IdleAfterStart,
    IReadOnlyDictionary<string, MemorySample> IdleAfterLoad,
    WebhookTotals Webhooks);

/// <summary>
/// One run of one phase (closed loop, open loop at a rate, a ceiling tool, or the idle window): iterations completed
/// per second over the measured window, latencies, errors, sends that missed their schedule (open loop), the product's
/// work in the window (CPU per process, statements, commits, Redis commands), the highest memory sampled and, after a
/// load phase, the wait until validation had caught up and the product's work in that wait.
/// </summary>
public sealed record PhaseRun(
    string Name,
    string Kind,
    int Repetition,
    double? Rate,
    long Completed,
    double Seconds,
    IReadOnlyList<LatencySummary> Latencies,
    IReadOnlyDictionary<string, int> Errors,
    long Late,
    long Dropped,
    WindowCost Window,
    IReadOnlyDictionary<string, PeakMemory> PeakMemory,
    double? DrainSeconds,
    WindowCost? Drain)
{
    public const string ClosedLoop = "closed loop";
    public const string OpenLoop = "open loop";
    public const string Ceiling = "ceiling";
    public const string Idle = "idle";

    public double PerSecond => Seconds > 0 ? Completed / Seconds : 0;

    public long Failed => Errors.Values.Sum();
}

/// <summary>One run of a ceiling tool: operations per second, average latency, and PostgreSQL's CPU per operation in it.</summary>
public sealed record CeilingRun(string Name, int Repetition, double PerSecond, double? AverageLatencyMs, double? PostgresCpuMsPerOperation);

/// <summary>Our throughput as a share of a ceiling's: of the means, and the range over the runs (lowest ours / highest ceiling ...).</summary>
public sealed record Ratio(string Ours, string Ceiling, double Value, double Min, double Max);

/// <summary>One operation's cost in each repetition, and how it was isolated.</summary>
public sealed record OperationCost(string Operation, string Method, IReadOnlyList<UnitCost> Runs);

public sealed record WebhookTotals(int BadSignatures, int Redeliveries, int ConflictingBodies);

public sealed record MachineInfo(int Cores, string CpuModel, double MemoryGb, string Kernel, string Runtime, double[] LoadAverageAtStart)
{
    public static MachineInfo Read()
    {
        var cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
                  ?? "unknown";
        var memKb = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        var load = File.ReadAllText("/proc/loadavg").Split(' ').Take(3)
            .Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return new MachineInfo(Environment.ProcessorCount, cpu, Math.Round(long.Parse(memKb, System.Globalization.CultureInfo.InvariantCulture) / 1024.0 / 1024.0, 1),
            File.ReadAllText("/proc/sys/kernel/osrelease").Trim(), System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription, load);
    }
}
