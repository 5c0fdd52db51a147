using System.Globalization;
using System.Text;

namespace SmsBridge.AppHost.Dashboard.Pages;

/// <summary>Traces by their root span, newest first, with duration, span count, services crossed and status.</summary>
internal static class TracesPage
{
    public static string Render(TelemetryStore store, string? service, bool all)
    {
        var rows = new StringBuilder();
        var traces = store.Traces(string.IsNullOrEmpty(service) ? null : service);
        // Health probes and pollers make lone database calls outside any request: listed only when asked for.
        var shown = all ? traces : traces.Where(t => !(t.SpanCount == 1 && t.Root.KindName == "client")).ToList();
        foreach (var trace in shown)
        {
            rows.Append($"""
                <tr data-trace="{trace.TraceId}">
                  <td class="mono">{Html.Time(trace.Start)}</td>
                  <td><span class="svc">{Html.Encode(trace.Root.Service)}</span><a class="trace-link" href="/traces/{trace.TraceId}">{Html.Encode(trace.Root.Name)}</a></td>
                  <td>{string.Concat(trace.Services.Select(s => $"<span class=\"svc\">{Html.Encode(s)}</span>"))}</td>
                  <td class="num">{trace.SpanCount.ToString(CultureInfo.InvariantCulture)}</td>
                  <td class="num">{Html.Duration(trace.Duration)}</td>
                  <td class="status-{trace.Status}">{trace.Status}</td>
                </tr>
                """);
        }

        return $"""
            <h1>Traces</h1>
            {ServiceFilter(store, service, "/traces", $"<label class=\"check\"><span>Lone calls ({traces.Count - shown.Count} hidden)</span><span><input type=\"checkbox\" name=\"all\" value=\"true\"{(all ? " checked" : "")}> show</span></label>")}
            {Html.Dropped(store.DroppedSpans, store.SpanCount, store.MaxSpans, "spans")}
            <table>
              <thead><tr><th>Started</th><th>Root span</th><th>Services</th><th class="num">Spans</th><th class="num">Duration</th><th>Status</th></tr></thead>
              <tbody>{rows}</tbody>
            </table>
            """;
    }

    public static string ServiceFilter(TelemetryStore store, string? service, string action, string extra = "")
    {
        var options = string.Concat(store.Services().Select(s =>
            $"""<option value="{Html.Encode(s)}"{(s == service ? " selected" : "")}>{Html.Encode(s)}</option>"""));
        return $"""
            <form class="filters" method="get" action="{action}">
              <label>Resource<select name="resource"><option value="">all</option>{options}</select></label>
              {extra}
              <button type="submit">Filter</button>
            </form>
            """;
    }
}
