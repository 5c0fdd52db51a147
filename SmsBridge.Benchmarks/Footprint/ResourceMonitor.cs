using System.Collections.Concurrent;
using System.Globalization;
using Aspire.Hosting;

namespace SmsBridge.Benchmarks.Footprint;

/// <summary>
/// Watches every process of the graph: CPU used between two marks, and the highest memory seen, sampled each
/// 500 ms (PostgreSQL's backends come and go, so its peak is the sampled peak of the tree's sum). The product's
/// resources come from Aspire's resource snapshots (<c>executable.pid</c>); the development tooling is measured
/// apart: DCP's processes, the Aspire dashboard, and this process, which hosts the AppHost. The load generator is a
/// child process of its own, measured while it runs; a ceiling tool (pgbench, redis-benchmark) is measured once reaped.
/// </summary>
public sealed class ResourceMonitor : IAsyncDisposable
{
    public const string AppHost = "apphost (benchmark process)";
    public const string LoadGenerator = "load generator";
    public const string Dcp = "dcp";
    public const string Dashboard = "aspire-dashboard";

    /// <summary>The names that are development tooling, not the product.</summary>
    public static readonly IReadOnlySet<string> Tooling = new HashSet<string>([AppHost, Dcp, Dashboard], StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, int> _pids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PeakMemory> _peaks = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _watcher;
    private readonly Task _sampler;
    private List<int>? _dcpRoots;

    public ResourceMonitor(DistributedApplication app)
    {
        _watcher = Task.Run(() => WatchAsync(app));
        _sampler = Task.Run(SampleAsync);
    }

    /// <summary>
    /// CPU seconds so far per resource, DCP, this process (the AppHost, without its children) and the load generator:
    /// the running process given, or else this process's reaped children (a ceiling tool that has exited).
    /// </summary>
    public Dictionary<string, double> CpuSeconds(int? loadGenerator)
    {
        var table = ProcessTable.Read();
        var cpu = _pids.ToDictionary(p => p.Key, p => table.CpuSeconds(p.Value), StringComparer.Ordinal);
        cpu[Dcp] = DcpProcesses(table).Sum(pid => table.CpuSeconds(pid, withDescendants: false));
        var (own, reaped) = table.OwnCpuSeconds(Environment.ProcessId);
        cpu[AppHost] = own;
        cpu[LoadGenerator] = loadGenerator is { } pid ? table.CpuSeconds(pid) : reaped;
        return cpu;
    }

    public Dictionary<string, MemorySample> Memory()
    {
        var memory = _pids.ToDictionary(p => p.Key, p => ProcessTree.Memory(p.Value), StringComparer.Ordinal);
        var dcp = DcpProcesses(ProcessTable.Read()).Select(pid => ProcessTree.Memory(pid, withDescendants: false)).ToList();
        memory[Dcp] = new MemorySample(dcp.Sum(m => m.RssMb), dcp.Sum(m => m.PssMb), dcp.Select(m => m.PeakRssMb).DefaultIfEmpty().Max());
        memory[AppHost] = ProcessTree.Memory(Environment.ProcessId, withDescendants: false);
        return memory;
    }

    /// <summary>
    /// DCP's own processes, each without the resources it launched. DCP detaches from the AppHost (its parent becomes
    /// init) and watches it with <c>--monitor &lt;pid&gt;</c>, so it is found by that argument, then its dcp children.
    /// </summary>
    private IEnumerable<int> DcpProcesses(ProcessTable table)
    {
        // The roots stay for the run; once found (by reading every command line), only their trees are walked, until one is gone.
        var monitor = $"--monitor\0{Environment.ProcessId}\0";
        if (_dcpRoots is not { Count: > 0 } roots || !roots.All(table.Contains)) _dcpRoots = Directory.EnumerateDirectories("/proc")
            .Select(dir => int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ProcessTree.CommandLine(pid).Contains(monitor, StringComparison.Ordinal)).ToList();
        return _dcpRoots.SelectMany(table.WithDescendants).Distinct()
            .Where(pid => ProcessTree.Command(pid).StartsWith("dcp", StringComparison.Ordinal));
    }

    /// <summary>The peaks since the last reset, then starts over.</summary>
    public Dictionary<string, PeakMemory> TakePeaks()
    {
        lock (_peaks)
        {
            var result = new Dictionary<string, PeakMemory>(_peaks, StringComparer.Ordinal);
            _peaks.Clear();
            return result;
        }
    }

    private async Task WatchAsync(DistributedApplication app)
    {
        try
        {
            await foreach (var update in app.ResourceNotifications.WatchAsync(_stop.Token))
            {
                if (update.Snapshot.Properties.FirstOrDefault(p => p.Name == "executable.pid")?.Value is { } pid)
                {
                    _pids[update.Resource.Name] = Convert.ToInt32(pid, CultureInfo.InvariantCulture);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task SampleAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            foreach (var (name, sample) in Memory())
            {
                lock (_peaks)
                {
                    var peak = _peaks.GetValueOrDefault(name) ?? new PeakMemory(0, 0, 0);
                    _peaks[name] = new PeakMemory(Math.Max(peak.RssMb, sample.RssMb), Math.Max(peak.PssMb, sample.PssMb),
                        Math.Max(peak.VmHwmMb, sample.PeakRssMb));
                }
            }

            try
            {
                await Task.Delay(500, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_watcher, _sampler);
        _stop.Dispose();
    }
}

public sealed record PeakMemory(double RssMb, double PssMb, double VmHwmMb);
