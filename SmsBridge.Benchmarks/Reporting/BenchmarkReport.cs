using SmsBridge.Benchmarks.Ceilings;
using SmsBridge.Benchmarks.Footprint;
using SmsBridge.Benchmarks.Load;

namespace SmsBridge.Benchmarks.Reporting;

/// <summary>Everything one run measured: written as JSON for machines and as markdown for docs/benchmarks.md.</summary>
public sealed record BenchmarkReport(
    MachineInfo Machine,
    DateTimeOffset StartedAt,
    int Concurrency,
    double DurationSeconds,
    double SettleSeconds,
    string BuildConfiguration,
    IReadOnlyList<PhaseResult> Phases,
    IReadOnlyList<CeilingResult> Ceilings,
    IReadOnlyList<Ratio> Ratios,
    IReadOnlyDictionary<string, MemorySample> IdleAfterStart,
    IReadOnlyDictionary<string, MemorySample> IdleAfterLoad,
    WebhookTotals Webhooks);

/// <summary>
/// One load phase: completed iterations per second over the measured window, latencies, errors, the CPU each
/// resource used (seconds, and as a share of one core) and the highest memory sampled.
/// </summary>
public sealed record PhaseResult(
    string Name,
    string Description,
    long Completed,
    double Seconds,
    double PerSecond,
    IReadOnlyList<LatencySummary> Latencies,
    IReadOnlyDictionary<string, int> Errors,
    IReadOnlyDictionary<string, double> CpuSeconds,
    IReadOnlyDictionary<string, PeakMemory> PeakMemory,
    double? DrainSeconds);

public sealed record Ratio(string Ours, string Ceiling, double Value);

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
