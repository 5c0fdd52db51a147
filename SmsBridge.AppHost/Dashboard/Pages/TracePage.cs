using System.Globalization;
using System.Text;
using SmsBridge.AppHost.Dashboard.Otlp;

namespace SmsBridge.AppHost.Dashboard.Pages;

/// <summary>One trace as a waterfall: spans in parent order across services, bars on a shared time axis, then its logs.</summary>
internal static class TracePage
{
    public static string? Render(TelemetryStore store, string traceId)
    {
        var spans = store.Trace(traceId);
        if (spans.Count == 0) return null;
        var start = spans.Min(s => s.Start);
        var total = Math.Max((spans.Max(s => s.End) - start).TotalMilliseconds, 0.001);
        var depths = TelemetryStore.Depths(spans);
        var rows = new StringBuilder();
        foreach (var span in spans)
        {
            var x = (span.Start - start).TotalMilliseconds / total * 1000;
            var width = Math.Max(span.Duration.TotalMilliseconds / total * 1000, 2);
            var css = span.Status == SpanStatus.Error ? "span error" : "span " + span.KindName;
            rows.Append($"""
                <tr class="span-row" data-span="{span.SpanId}" data-service="{Html.Encode(span.Service)}">
                  <td class="name">
                    <details><summary>{string.Concat(Enumerable.Repeat("&#8195;", depths[span.SpanId]))}<span class="svc">{Html.Encode(span.Service)}</span>{Html.Encode(span.Name)} <span class="muted">{span.KindName}{Detail(span)}</span></summary>{Attributes(span)}</details>
                  </td>
                  <td class="bar"><svg viewBox="0 0 1000 10" preserveAspectRatio="none"><rect class="track" x="0" y="0" width="1000" height="10"/><rect class="{css}" x="{F(x)}" y="0" width="{F(width)}" height="10"/></svg></td>
                  <td class="num">{Html.Duration(span.Duration)}</td>
                  <td class="status-{span.Status}">{span.Status}{(span.StatusMessage is { } m ? " · " + Html.Encode(m) : "")}</td>
                </tr>
                """);
        }

        var logs = store.Logs(traceId: traceId, limit: 200);
        return $"""
            <h1>Trace <code>{traceId}</code></h1>
            <p class="muted">{spans.Count} spans · {Html.Duration(TimeSpan.FromMilliseconds(total))} · started {Html.Time(start)} ·
              {string.Concat(spans.Select(s => s.Service).Distinct().Select(s => $"<span class=\"svc\">{Html.Encode(s)}</span>"))}</p>
            <table class="waterfall">
              <thead><tr><th>Span</th><th>Timeline</th><th class="num">Duration</th><th>Status</th></tr></thead>
              <tbody>{rows}</tbody>
            </table>
            <h2>Logs in this trace ({logs.Count})</h2>
            {LogsPage.Table(logs)}
            """;
    }

    private static string Attributes(SpanRecord span)
    {
        var rows = string.Concat(span.Attributes.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a =>
            $"<tr><td class=\"muted\">{Html.Encode(a.Key)}</td><td class=\"mono\">{Html.Encode(a.Value)}</td></tr>"));
        var events = string.Concat(span.Events.Select(e =>
            $"<tr><td class=\"muted\">event {Html.Time(e.Time)}</td><td class=\"mono\">{Html.Encode(e.Name)} {Html.Encode(string.Join(", ", e.Attributes.Select(a => a.Key + "=" + a.Value)))}</td></tr>"));
        return $"""
            <table class="attrs"><tr><td class="muted">span id</td><td class="mono">{span.SpanId}</td></tr><tr><td class="muted">scope</td><td class="mono">{Html.Encode(span.Scope)}</td></tr>{rows}{events}</table>
            """;
    }

    /// <summary>What a client span called: the URL for HTTP, the start of the statement for a database.</summary>
    private static string Detail(SpanRecord span)
    {
        var detail = span.Attributes.GetValueOrDefault("url.full") ?? span.Attributes.GetValueOrDefault("db.query.text");
        if (detail is null) return "";
        detail = detail.ReplaceLineEndings(" ");
        return " · " + Html.Encode(detail.Length > 60 ? detail[..60] + "…" : detail);
    }

    private static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);
}
