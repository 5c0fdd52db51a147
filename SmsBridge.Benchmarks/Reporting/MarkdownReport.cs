using System.Globalization;
using System.Text;
using SmsBridge.Benchmarks.Costs;
using SmsBridge.Benchmarks.Footprint;
using SmsBridge.Benchmarks.Load;

namespace SmsBridge.Benchmarks.Reporting;

/// <summary>The report as markdown tables, ready to paste into docs/benchmarks.md. A spread is the min–max over the repetitions.</summary>
public static class MarkdownReport
{
    public static string Render(BenchmarkReport report)
    {
        var md = new StringBuilder();
        var m = report.Machine;
        var o = report.Options;
        md.AppendLine(Inv($"Run {report.StartedAt:yyyy-MM-dd HH:mm} UTC, {report.BuildConfiguration} build, {o.Repeat} runs of every phase and ceiling; ") +
                          Inv($"closed loop {o.Concurrency} clients, {o.Duration.TotalSeconds:0} s measured after {o.Warmup.TotalSeconds:0} s warm-up; ") +
                          Inv($"open loop {o.OpenDuration.TotalSeconds:0} s per rate."));
        md.AppendLine(Inv($"Machine: {m.Cores} cores ({m.CpuModel}), {m.MemoryGb:0.#} GB memory, Linux {m.Kernel}, {m.Runtime}; ") +
                          Inv($"load average at start {string.Join(" / ", m.LoadAverageAtStart.Select(l => F(l, "0.00")))}."));
        md.AppendLine();
        Throughput(md, report);
        Costs(md, report);
        OpenLoop(md, report);
        Latency(md, report);
        Errors(md, report);
        Cpu(md, report);
        Memory(md, report);
        return md.ToString();
    }

    private static void Throughput(StringBuilder md, BenchmarkReport report)
    {
        md.AppendLine("### Throughput and ceilings");
        md.AppendLine();
        md.AppendLine("| what | runs | per second | validation caught up after the window |");
        md.AppendLine("| --- | ---: | ---: | ---: |");
        foreach (var phase in report.Phases.Where(p => p.Kind == PhaseRun.ClosedLoop).GroupBy(p => p.Name))
        {
            md.AppendLine($"| {phase.Key} (closed loop) | {phase.Count()} | {Spread(phase.Select(p => p.PerSecond), "0.0")} | " +
                          $"{Spread(phase.Select(p => p.DrainSeconds ?? 0), "0.0")} s |");
        }

        foreach (var ceiling in report.Ceilings.GroupBy(c => c.Name))
        {
            md.AppendLine($"| ceiling: {ceiling.Key} | {ceiling.Count()} | {Spread(ceiling.Select(c => c.PerSecond), "0")} | |");
        }

        md.AppendLine();
        md.AppendLine("| ours | ceiling | ratio of the means | range over the runs |");
        md.AppendLine("| --- | --- | ---: | ---: |");
        foreach (var r in report.Ratios)
        {
            md.AppendLine($"| {r.Ours} | {r.Ceiling} | {F(r.Value * 100, "0.0")} % | {F(r.Min * 100, "0.0")}–{F(r.Max * 100, "0.0")} % |");
        }

        md.AppendLine();
    }

    private static void Costs(StringBuilder md, BenchmarkReport report)
    {
        md.AppendLine("### Cost per operation");
        md.AppendLine();
        var insert = report.Ceilings.Where(c => c.PostgresCpuMsPerOperation is not null).Select(c => c.PostgresCpuMsPerOperation!.Value).ToList();
        md.AppendLine("Mean (min–max) over the runs. Statements: pg_stat_statements calls by the services' role; commits: pg_stat_database " +
                      "xact_commit less the benchmark's own (lags by up to a second at each end); write transactions: transaction ids handed out " +
                      "(exact; read-only transactions take none); PostgreSQL CPU: all its processes over the window (less the load generator's " +
                      "backend); Redis: INFO commandstats calls (each a round trip unless pipelined), Lua scripts among them." +
                      (insert.Count > 0 ? $" One pgbench insert cost {Spread(insert, "0.000")} ms of PostgreSQL CPU (the \"in inserts\" column)." : ""));
        md.AppendLine();
        md.AppendLine("| operation | runs | statements | PostgreSQL commits | write transactions | PostgreSQL CPU ms | in pgbench inserts | Redis commands | of them Lua | isolated as |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        var perInsert = insert.Count > 0 ? insert.Average() : (double?)null;
        foreach (var cost in report.Costs)
        {
            var runs = cost.Runs;
            md.AppendLine($"| {cost.Operation} | {runs.Count} | {Spread(runs.Select(r => r.Statements), "0.0")} | {Spread(runs.Select(r => r.Commits), "0.0")} | " +
                          $"{Spread(runs.Select(r => r.WriteTransactions), "0.0")} | " +
                          $"{Spread(runs.Select(r => r.PostgresCpuMs), "0.00")} | " +
                          $"{(perInsert is { } p && cost.Operation != OperationCosts.Background ? Spread(runs.Select(r => r.PostgresCpuMs / p), "0.0") : "")} | " +
                          $"{Spread(runs.Select(r => r.RedisCommands), "0.0")} | {Spread(runs.Select(r => r.RedisScripts), "0.0")} | {cost.Method} |");
        }

        if (!report.Costs.Any(c => c.Operation == OperationCosts.Validation) && report.Costs.Any(c => c.Operation == OperationCosts.Receive))
        {
            md.AppendLine();
            md.AppendLine($"Validation is not on its own row: after a receive phase fewer than {OperationCosts.MinimumBacklog} SMS were left to " +
                          $"validate, or they took less than {F(OperationCosts.MinimumDrainSeconds, "0")} s, so validation (nearly) kept up with intake " +
                          "and its cost is inside \"receive with its validation\".");
        }

        md.AppendLine();
    }

    private static void OpenLoop(StringBuilder md, BenchmarkReport report)
    {
        var open = report.Phases.Where(p => p.Kind == PhaseRun.OpenLoop).ToList();
        if (open.Count == 0) return;
        md.AppendLine("### Open loop: latency from the scheduled send time (ms)");
        md.AppendLine();
        md.AppendLine($"A send is late when it started more than {F(Load.OpenLoop.LateAfter.TotalMilliseconds, "0")} ms after its schedule, dropped when " +
                      $"{report.Options.MaxInFlight} were still open; achieved = completed / the scheduled seconds.");
        md.AppendLine();
        md.AppendLine("| scenario | rate /s | run | achieved /s | completed | failed | late | dropped | p50 | p90 | p99 | max | validation caught up after |");
        md.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var p in open.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Rate).ThenBy(p => p.Repetition))
        {
            var top = p.Latencies.FirstOrDefault(l => l.Operation == (p.Name == Scenarios.FlowScenario ? Scenarios.Flow : Scenarios.Receive));
            md.AppendLine($"| {p.Name} | {F(p.Rate ?? 0, "0")} | {p.Repetition} | {F(p.PerSecond, "0.0")} | {p.Completed} | {p.Failed} | {p.Late} | {p.Dropped} | " +
                          (top is null ? "- | - | - | - |" : $"{F(top.P50, "0.0")} | {F(top.P90, "0.0")} | {F(top.P99, "0.0")} | {F(top.Max, "0")} |") +
                          $" {F(p.DrainSeconds ?? 0, "0.0")} s |");
        }

        md.AppendLine();
    }

    private static void Latency(StringBuilder md, BenchmarkReport report)
    {
        md.AppendLine("### Closed loop: latency (ms)");
        md.AppendLine();
        md.AppendLine("| phase | run | operation | count | p50 | p90 | p95 | p99 | max |");
        md.AppendLine("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var phase in report.Phases.Where(p => p.Kind == PhaseRun.ClosedLoop))
        {
            foreach (var l in phase.Latencies)
            {
                md.AppendLine($"| {phase.Name} | {phase.Repetition} | {l.Operation} | {l.Count} | {F(l.P50, "0.0")} | {F(l.P90, "0.0")} | {F(l.P95, "0.0")} | " +
                              $"{F(l.P99, "0.0")} | {F(l.Max, "0")} |");
            }
        }

        md.AppendLine();
    }

    private static void Errors(StringBuilder md, BenchmarkReport report)
    {
        md.AppendLine("### Errors");
        md.AppendLine();
        md.AppendLine("| phase | run | error | count |");
        md.AppendLine("| --- | ---: | --- | ---: |");
        var any = false;
        foreach (var phase in report.Phases)
        {
            foreach (var (kind, count) in phase.Errors.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                md.AppendLine($"| {Label(phase)} | {phase.Repetition} | {kind} | {count} |");
                any = true;
            }
        }

        if (!any) md.AppendLine("| all | | none | 0 |");
        var w = report.Webhooks;
        md.AppendLine();
        md.AppendLine($"Webhooks: {w.BadSignatures} bad signatures, {w.Redeliveries} redeliveries of an id already received, " +
                      $"{w.ConflictingBodies} ids received with different bodies.");
        md.AppendLine();
    }

    private static void Cpu(StringBuilder md, BenchmarkReport report)
    {
        md.AppendLine("### CPU per process over each measured window (share of one core; 2 cores = 200 %)");
        md.AppendLine();
        md.AppendLine("The load generator is the benchmark's child process (HTTP load and the webhook backend); in a ceiling it is the tool " +
                      "(pgbench, redis-benchmark). The apphost is the benchmark's own process, which hosts the AppHost.");
        md.AppendLine();
        var names = report.Phases.SelectMany(p => p.Window.CpuSeconds.Keys).Distinct()
            .OrderBy(n => ResourceMonitor.Tooling.Contains(n) || n == ResourceMonitor.LoadGenerator).ThenBy(n => n, StringComparer.Ordinal).ToList();
        md.AppendLine("| phase | run | seconds | " + string.Join(" | ", names) + " |");
        md.AppendLine("| --- | ---: | ---: |" + string.Concat(names.Select(_ => " ---: |")));
        foreach (var phase in report.Phases)
        {
            var w = phase.Window;
            md.AppendLine($"| {Label(phase)} | {phase.Repetition} | {F(w.Seconds, "0.0")} | " +
                          string.Join(" | ", names.Select(n => F(100 * w.CpuSeconds.GetValueOrDefault(n) / w.Seconds, "0") + " %")) + " |");
        }

        md.AppendLine();
    }

    private static void Memory(StringBuilder md, BenchmarkReport report)
    {
        md.AppendLine("### Memory (MB)");
        md.AppendLine();
        md.AppendLine($"Idle figures are read {F(report.Options.Settle.TotalSeconds, "0")} s after start-up and " +
                      $"{F(report.Options.SettleAfterLoad.TotalSeconds, "0")} s after the load. PSS counts shared pages once across a resource's " +
                      "processes (PostgreSQL's backends share its buffers); RSS sums them.");
        md.AppendLine();
        md.AppendLine("| process | idle after start-up (PSS / RSS) | peak during load (PSS / RSS / VmHWM) | idle after load (PSS / RSS) |");
        md.AppendLine("| --- | ---: | ---: | ---: |");
        foreach (var name in report.IdleAfterStart.Keys)
        {
            var before = report.IdleAfterStart[name];
            var peaks = report.Phases.Select(p => p.PeakMemory.GetValueOrDefault(name)).OfType<PeakMemory>().ToList();
            var after = report.IdleAfterLoad.GetValueOrDefault(name);
            md.AppendLine($"| {name} | {F(before.PssMb, "0")} / {F(before.RssMb, "0")} | " +
                          (peaks.Count == 0 ? "- |" : $"{F(peaks.Max(p => p.PssMb), "0")} / {F(peaks.Max(p => p.RssMb), "0")} / {F(peaks.Max(p => p.VmHwmMb), "0")} |") +
                          $" {(after is null ? "-" : F(after.PssMb, "0") + " / " + F(after.RssMb, "0"))} |");
        }

        // The product is what runs in production; the tooling (AppHost, DCP, dashboard) only on a developer's machine.
        foreach (var (label, isTooling) in new[] { ("product: services, PostgreSQL, Redis", false), ("development tooling: AppHost, DCP, dashboard", true) })
        {
            bool Of(string name) => ResourceMonitor.Tooling.Contains(name) == isTooling;
            var start = report.IdleAfterStart.Where(s => Of(s.Key)).Select(s => s.Value).ToList();
            var load = report.IdleAfterLoad.Where(s => Of(s.Key)).Select(s => s.Value).ToList();
            md.AppendLine($"| **{label}** | **{F(start.Sum(s => s.PssMb), "0")}** / {F(start.Sum(s => s.RssMb), "0")} | | " +
                          $"**{F(load.Sum(s => s.PssMb), "0")}** / {F(load.Sum(s => s.RssMb), "0")} |");
        }

        md.AppendLine();
    }

    private static string Label(PhaseRun phase) => phase.Kind switch
    {
        PhaseRun.OpenLoop => $"{phase.Name} at {F(phase.Rate ?? 0, "0")}/s",
        PhaseRun.Ceiling or PhaseRun.Idle => phase.Name,
        _ => phase.Name,
    };

    /// <summary>"mean (min–max)", or the one value when there is one run.</summary>
    public static string Spread(IEnumerable<double> values, string format)
    {
        var list = values.ToList();
        if (list.Count == 0) return "-";
        if (list.Count == 1) return F(list[0], format);
        return $"{F(list.Average(), format)} ({F(list.Min(), format)}–{F(list.Max(), format)})";
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
