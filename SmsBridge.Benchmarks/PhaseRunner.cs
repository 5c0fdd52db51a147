using System.Diagnostics;
using SmsBridge.Benchmarks.Ceilings;
using SmsBridge.Benchmarks.Costs;
using SmsBridge.Benchmarks.Footprint;
using SmsBridge.Benchmarks.Load;
using SmsBridge.Benchmarks.Reporting;

namespace SmsBridge.Benchmarks;

/// <summary>
/// Runs the phases against the started graph, each measured over its own window: a load phase in the load generator
/// (a child process), from its <c>@measuring</c> to its <c>@measured</c> mark, then the wait until validation has
/// caught up; a ceiling over the tool's run; the idle window over the duration with no load.
/// </summary>
public sealed class PhaseRunner(BenchmarkOptions options, ResourceMonitor monitor, CostMeter meter, DatabaseCounters database,
    IReadOnlyDictionary<string, string> loadEnvironment, Uri receiver, int webhookPort)
{
    private static readonly TimeSpan DrainLimit = TimeSpan.FromMinutes(2);
    private readonly List<PhaseRun> _phases = [];
    private WebhookTotals _webhooks = new(0, 0, 0);

    public IReadOnlyList<PhaseRun> Phases => _phases;

    public WebhookTotals Webhooks => _webhooks;

    public Task ClosedLoopAsync(string scenario, int repetition) =>
        LoadAsync(scenario, PhaseRun.ClosedLoop, repetition,
            new LoadSpec(scenario, options.Concurrency, null, options.MaxInFlight, options.Warmup, options.Duration, receiver, webhookPort));

    public Task OpenLoopAsync(string scenario, double rate, int repetition) =>
        LoadAsync(scenario, PhaseRun.OpenLoop, repetition,
            new LoadSpec(scenario, options.Concurrency, rate, options.MaxInFlight, options.Warmup, options.OpenDuration, receiver, webhookPort));

    private async Task LoadAsync(string name, string kind, int repetition, LoadSpec spec)
    {
        var label = spec.Rate is { } r ? $"{name} at {r:0}/s" : name;
        Progress.Line($"{label} ({kind}, {repetition}/{options.Repeat}): starting the load generator");
        monitor.TakePeaks();
        var (result, start, end) = await LoadGeneratorProcess.RunAsync(spec, loadEnvironment, pids => meter.StartAsync(pids), pids => meter.EndAsync(pids));
        var peaks = monitor.TakePeaks();

        // Validation runs after the 202: wait until it has caught up, so the next phase starts clean. Only validation (and
        // the background) runs in this wait, which is what isolates its cost; it starts once the load generator is gone.
        var drainStart = await meter.StartAsync();
        while (await database.PendingAsync() > 0 && Stopwatch.GetElapsedTime(end.Timestamp) < DrainLimit) await Task.Delay(100);
        var drainEnd = await meter.EndAsync();
        var drained = Stopwatch.GetElapsedTime(end.Timestamp).TotalSeconds;

        var phase = new PhaseRun(name, kind, repetition, spec.Rate, result.Completed, result.Seconds, result.Latencies, result.Errors,
            result.Late, result.Dropped, CostMeter.Between(start, end, result.WatcherQueries), peaks, drained, CostMeter.Between(drainStart, drainEnd));
        _phases.Add(phase);
        _webhooks = new WebhookTotals(_webhooks.BadSignatures + result.Webhooks.BadSignatures, _webhooks.Redeliveries + result.Webhooks.Redeliveries,
            _webhooks.ConflictingBodies + result.Webhooks.ConflictingBodies);
        Progress.Line($"{label}: {phase.Completed} in {phase.Seconds:0.0} s = {phase.PerSecond:0.0}/s, {phase.Failed} failed" +
                      (kind == PhaseRun.OpenLoop ? $", {phase.Late} late, {phase.Dropped} dropped" : "") +
                      $"; validation caught up {drained:0.0} s after the window");
    }

    public async Task IdleAsync(int repetition)
    {
        Progress.Line($"idle ({repetition}/{options.Repeat}): {options.Duration.TotalSeconds:0} s without load, for the background's cost");
        monitor.TakePeaks();
        var start = await meter.StartAsync();
        await Task.Delay(options.Duration);
        var end = await meter.EndAsync();
        var window = CostMeter.Between(start, end);
        _phases.Add(new PhaseRun("idle", PhaseRun.Idle, repetition, null, 0, window.Seconds, [], new Dictionary<string, int>(), 0, 0, window,
            monitor.TakePeaks(), null, null));
    }

    /// <summary>One ceiling tool's run; PostgreSQL's CPU per operation is given for the tool run over <paramref name="seconds"/> (pgbench).</summary>
    public async Task<CeilingRun> CeilingAsync(string name, int repetition, Func<Task<IReadOnlyList<CeilingResult>>> tool, double seconds) =>
        (await RunCeilingAsync(name, repetition, tool, seconds)).Single();

    public Task<List<CeilingRun>> CeilingsAsync(string name, int repetition, Func<Task<IReadOnlyList<CeilingResult>>> tool) =>
        RunCeilingAsync(name, repetition, tool, null);

    private async Task<List<CeilingRun>> RunCeilingAsync(string name, int repetition, Func<Task<IReadOnlyList<CeilingResult>>> tool, double? seconds)
    {
        monitor.TakePeaks();
        var start = await meter.StartAsync();
        var results = await tool();
        var end = await meter.EndAsync();
        var window = CostMeter.Between(start, end);
        _phases.Add(new PhaseRun(name, PhaseRun.Ceiling, repetition, null, 0, window.Seconds, [], new Dictionary<string, int>(), 0, 0, window,
            monitor.TakePeaks(), null, null));
        return results.Select(r => new CeilingRun(r.Name, repetition, r.PerSecond, r.AverageLatencyMs,
            seconds is { } s ? 1000 * window.PostgresCpuSeconds / (r.PerSecond * s) : null)).ToList();
    }
}
