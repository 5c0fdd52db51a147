using SmsBridge.AppHost.Hosting;

namespace SmsBridge.Benchmarks.Footprint;

/// <summary>
/// Watches every process of the graph: CPU used between two marks, and the highest memory seen, sampled each
/// 500 ms (PostgreSQL's backends come and go, so its peak is the sampled peak of the tree's sum).
/// </summary>
public sealed class ResourceMonitor : IAsyncDisposable
{
    private readonly DistributedApplication _app;
    private readonly string[] _names;
    private readonly Dictionary<string, PeakMemory> _peaks = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampler;

    public ResourceMonitor(DistributedApplication app)
    {
        _app = app;
        _names = app.Resources.OfType<ProcessResource>().Select(r => r.Name).ToArray();
        _sampler = Task.Run(SampleAsync);
    }

    public IReadOnlyList<string> Names => _names;

    private int? Pid(string name) => _app.GetResource<ProcessResource>(name).ProcessId;

    public Dictionary<string, double> CpuSeconds() =>
        _names.Where(n => Pid(n) is not null).ToDictionary(n => n, n => ProcessTree.CpuSeconds(Pid(n)!.Value), StringComparer.Ordinal);

    public Dictionary<string, MemorySample> Memory() =>
        _names.Where(n => Pid(n) is not null).ToDictionary(n => n, n => ProcessTree.Memory(Pid(n)!.Value), StringComparer.Ordinal);

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
        await _sampler;
        _stop.Dispose();
    }
}

public sealed record PeakMemory(double RssMb, double PssMb, double VmHwmMb);
