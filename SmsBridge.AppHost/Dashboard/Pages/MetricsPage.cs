using System.Globalization;
using System.Text;
using SmsBridge.AppHost.Dashboard.Otlp;

namespace SmsBridge.AppHost.Dashboard.Pages;

/// <summary>The current value of every instrument per resource, with request-rate and latency charts from recent exports.</summary>
internal static class MetricsPage
{
    private const string RequestDuration = "http.server.request.duration";

    public static string Render(TelemetryStore store, string? resource)
    {
        var metrics = store.Metrics().Where(m => string.IsNullOrEmpty(resource) || m.Service == resource).ToList();
        var cards = new StringBuilder();
        foreach (var service in metrics.Where(m => m.Name == RequestDuration).Select(m => m.Service))
        {
            var history = store.History(service, RequestDuration);
            var rates = new List<double>();
            var latencies = new List<double>();
            for (var i = 1; i < history.Count; i++)
            {
                var seconds = (history[i].Time - history[i - 1].Time).TotalSeconds;
                var requests = history[i].Count >= history[i - 1].Count ? history[i].Count - history[i - 1].Count : 0;
                rates.Add(seconds > 0 ? requests / seconds : 0);
                latencies.Add(requests > 0 ? (history[i].Sum - history[i - 1].Sum) / requests * 1000 : 0);
            }

            cards.Append($"""
                <div class="card"><h3><span class="svc">{Html.Encode(service)}</span>requests/s · now {Html.Number(rates.LastOrDefault())}</h3>{Sparkline(rates)}</div>
                <div class="card"><h3><span class="svc">{Html.Encode(service)}</span>mean latency (ms) · now {Html.Number(latencies.LastOrDefault())}</h3>{Sparkline(latencies)}</div>
                """);
        }

        var rows = new StringBuilder();
        foreach (var metric in metrics)
        {
            var value = metric.Kind is MetricKind.Gauge or MetricKind.Sum
                ? Html.Number(metric.Value)
                : $"count {Html.Number(metric.Count)} · mean {Html.Number(metric.Value)}{Percentile(metric, 0.95)}";
            rows.Append($"""
                <tr data-service="{Html.Encode(metric.Service)}" data-metric="{Html.Encode(metric.Name)}">
                  <td><span class="svc">{Html.Encode(metric.Service)}</span></td>
                  <td class="mono">{Html.Encode(metric.Name)}<div class="muted">{Html.Encode(metric.Description)}</div></td>
                  <td>{metric.Kind}</td>
                  <td class="num">{value}</td>
                  <td>{Html.Encode(metric.Unit)}</td>
                  <td class="num">{metric.Series.ToString(CultureInfo.InvariantCulture)}</td>
                  <td class="mono">{Html.Time(metric.Time)}</td>
                </tr>
                """);
        }

        return $"""
            <h1>Metrics</h1>
            {TracesPage.ServiceFilter(store, resource, "/metrics")}
            <div class="cards">{cards}</div>
            <table class="metrics">
              <thead><tr><th>Resource</th><th>Instrument</th><th>Kind</th><th class="num">Current value</th><th>Unit</th><th class="num">Series</th><th>Exported</th></tr></thead>
              <tbody>{rows}</tbody>
            </table>
            """;
    }

    /// <summary>The upper bound of the bucket holding the given quantile: an estimate, as any histogram gives.</summary>
    private static string Percentile(MetricSnapshot metric, double quantile)
    {
        if (metric.Count == 0 || metric.BucketCounts.Count == 0) return "";
        var target = metric.Count * quantile;
        ulong seen = 0;
        for (var i = 0; i < metric.BucketCounts.Count; i++)
        {
            seen += metric.BucketCounts[i];
            if (seen >= target)
            {
                return i < metric.Bounds.Count ? $" · p95 ≤ {Html.Number(metric.Bounds[i])}" : " · p95 > " + Html.Number(metric.Bounds[^1]);
            }
        }

        return "";
    }

    private static string Sparkline(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return "<p class=\"muted\">collecting…</p>";
        var max = Math.Max(values.Max(), 1e-9);
        var points = string.Join(' ', values.Select((v, i) =>
            $"{(i * 300.0 / (values.Count - 1)).ToString("0.#", CultureInfo.InvariantCulture)},{(46 - v / max * 44).ToString("0.#", CultureInfo.InvariantCulture)}"));
        return $"""<svg viewBox="0 0 300 48" preserveAspectRatio="none"><polyline points="{points}"/></svg>""";
    }
}
