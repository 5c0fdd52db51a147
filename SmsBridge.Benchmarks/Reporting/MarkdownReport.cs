using System.Globalization;
using System.Text;
using SmsBridge.Benchmarks.Footprint;

namespace SmsBridge.Benchmarks.Reporting;

/// <summary>The report as markdown tables, ready to paste into docs/benchmarks.md.</summary>
public static class MarkdownReport
{
    public static string Render(BenchmarkReport report)
    {
        var md = new StringBuilder();
        var m = report.Machine;
        Line(md, $"Run {report.StartedAt:yyyy-MM-dd HH:mm} UTC, {report.BuildConfiguration} build, {report.Concurrency} concurrent clients, " +
                 $"{report.DurationSeconds:0} s measured per phase.");
        Line(md, $"Machine: {m.Cores} cores ({m.CpuModel}), {m.MemoryGb:0.#} GB memory, Linux {m.Kernel}, {m.Runtime}; " +
                 $"load average at start {string.Join(" / ", m.LoadAverageAtStart.Select(l => F(l, "0.00")))}.");
        md.AppendLine();

        md.AppendLine("### Throughput and ceilings");
        md.AppendLine();
        md.AppendLine("| what | per second | validation caught up after the phase in |");
        md.AppendLine("| --- | ---: | ---: |");
        foreach (var phase in report.Phases.Where(p => p.DrainSeconds is not null))
        {
            Line(md, $"| {phase.Name}: {phase.Description} | {F(phase.PerSecond, "0.0")} | {F(phase.DrainSeconds!.Value, "0.0")} s |");
        }

        foreach (var ceiling in report.Ceilings) Line(md, $"| ceiling: {ceiling.Name} | {F(ceiling.PerSecond, "0")} | |");
        md.AppendLine();
        md.AppendLine("| ours | ceiling | ratio |");
        md.AppendLine("| --- | --- | ---: |");
        foreach (var ratio in report.Ratios) Line(md, $"| {ratio.Ours} | {ratio.Ceiling} | {F(ratio.Value * 100, "0.0")} % |");
        md.AppendLine();

        md.AppendLine("### Latency (ms)");
        md.AppendLine();
        md.AppendLine("| phase | operation | count | p50 | p95 | p99 | max |");
        md.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var phase in report.Phases)
        {
            foreach (var l in phase.Latencies)
            {
                Line(md, $"| {phase.Name} | {l.Operation} | {l.Count} | {F(l.P50, "0.0")} | {F(l.P95, "0.0")} | {F(l.P99, "0.0")} | {F(l.Max, "0")} |");
            }
        }

        md.AppendLine();
        md.AppendLine("### Errors");
        md.AppendLine();
        md.AppendLine("| phase | error | count |");
        md.AppendLine("| --- | --- | ---: |");
        var any = false;
        foreach (var phase in report.Phases)
        {
            foreach (var (kind, count) in phase.Errors.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                Line(md, $"| {phase.Name} | {kind} | {count} |");
                any = true;
            }
        }

        if (!any) md.AppendLine("| all | none | 0 |");
        var w = report.Webhooks;
        Line(md, $"\nWebhooks: {w.BadSignatures} bad signatures, {w.Redeliveries} redeliveries of an id already received, " +
                 $"{w.ConflictingBodies} ids received with different bodies.");
        md.AppendLine();

        md.AppendLine("### CPU per process during each phase (share of one core; 2 cores = 200 %)");
        md.AppendLine();
        var names = report.Phases.SelectMany(p => p.CpuSeconds.Keys).Distinct().ToList();
        Line(md, "| phase | " + string.Join(" | ", names) + " |");
        Line(md, "| --- |" + string.Concat(names.Select(_ => " ---: |")));
        foreach (var phase in report.Phases)
        {
            Line(md, $"| {phase.Name} | " + string.Join(" | ", names.Select(n => F(100 * phase.CpuSeconds.GetValueOrDefault(n) / phase.Seconds, "0") + " %")) + " |");
        }

        md.AppendLine();
        md.AppendLine("### Memory (MB)");
        md.AppendLine();
        Line(md, $"Idle figures are read after {F(report.SettleSeconds, "0")} s of rest. PSS counts shared pages once across a resource's " +
                 "processes (PostgreSQL's backends share its buffers); RSS sums them.");
        md.AppendLine();
        md.AppendLine("| process | idle after start-up (PSS / RSS) | peak during load (PSS / RSS / VmHWM) | idle after load (PSS / RSS) |");
        md.AppendLine("| --- | ---: | ---: | ---: |");
        foreach (var name in report.IdleAfterStart.Keys)
        {
            var before = report.IdleAfterStart[name];
            var peaks = report.Phases.Select(p => p.PeakMemory.GetValueOrDefault(name)).Where(p => p is not null).ToList();
            var after = report.IdleAfterLoad.GetValueOrDefault(name);
            Line(md, $"| {name} | {F(before.PssMb, "0")} / {F(before.RssMb, "0")} | " +
                     $"{F(peaks.Max(p => p!.PssMb), "0")} / {F(peaks.Max(p => p!.RssMb), "0")} / {F(peaks.Max(p => p!.VmHwmMb), "0")} | " +
                     $"{(after is null ? "-" : F(after.PssMb, "0") + " / " + F(after.RssMb, "0"))} |");
        }

        // The product is what runs in production; the tooling (AppHost, DCP, dashboard) only on a developer's machine.
        foreach (var (label, isTooling) in new[] { ("product: services, PostgreSQL, Redis", false), ("development tooling: AppHost, DCP, dashboard", true) })
        {
            bool Of(string name) => ResourceMonitor.Tooling.Contains(name) == isTooling;
            var start = report.IdleAfterStart.Where(m => Of(m.Key)).Select(m => m.Value).ToList();
            var load = report.IdleAfterLoad.Where(m => Of(m.Key)).Select(m => m.Value).ToList();
            Line(md, $"| **{label}** | **{F(start.Sum(s => s.PssMb), "0")}** / {F(start.Sum(s => s.RssMb), "0")} | | " +
                     $"**{F(load.Sum(s => s.PssMb), "0")}** / {F(load.Sum(s => s.RssMb), "0")} |");
        }

        md.AppendLine();
        Line(md, $"The AppHost runs inside the benchmark process, so its figures after load include the load generator's.");
        return md.ToString();
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static void Line(StringBuilder md, string text) => md.AppendLine(text);
}
