using System.Text;
using SmsBridge.AppHost.Dashboard.Otlp;

namespace SmsBridge.AppHost.Dashboard.Pages;

/// <summary>Structured logs, newest first, filtered by resource, minimum level and text, each linked to its trace.</summary>
internal static class LogsPage
{
    private static readonly (int Severity, string Name)[] Levels =
        [(0, "any"), (5, "Debug"), (9, "Information"), (13, "Warning"), (17, "Error"), (21, "Critical")];

    public static string Render(TelemetryStore store, string? resource, int minSeverity, string? text, string? traceId)
    {
        var logs = store.Logs(string.IsNullOrEmpty(resource) ? null : resource, minSeverity, text, string.IsNullOrEmpty(traceId) ? null : traceId);
        var services = string.Concat(store.Services().Select(s =>
            $"""<option value="{Html.Encode(s)}"{(s == resource ? " selected" : "")}>{Html.Encode(s)}</option>"""));
        var levels = string.Concat(Levels.Select(l =>
            $"""<option value="{l.Severity}"{(l.Severity == minSeverity ? " selected" : "")}>{l.Name}</option>"""));
        var traceFilter = string.IsNullOrEmpty(traceId) ? "" :
            $"""<input type="hidden" name="trace" value="{Html.Encode(traceId)}"><span class="muted">trace <a href="/traces/{Html.Url(traceId)}">{Html.Encode(traceId[..Math.Min(8, traceId.Length)])}</a> · <a href="/logs">clear</a></span>""";
        return $"""
            <h1>Structured logs</h1>
            <form class="filters" method="get" action="/logs">
              <label>Resource<select name="resource"><option value="">all</option>{services}</select></label>
              <label>Level (at least)<select name="level">{levels}</select></label>
              <label>Text<input type="search" name="q" value="{Html.Encode(text)}" placeholder="message or category"></label>
              {traceFilter}
              <button type="submit">Filter</button>
            </form>
            {Html.Dropped(store.DroppedLogs, store.LogCount, store.MaxLogs, "log records")}
            {Table(logs)}
            """;
    }

    public static string Table(IReadOnlyList<LogRecord> logs)
    {
        var rows = new StringBuilder();
        foreach (var log in logs)
        {
            var trace = log.TraceId is { } id ? $"""<a class="mono" href="/traces/{id}">{id[..8]}</a>""" : "";
            rows.Append($"""
                <tr data-service="{Html.Encode(log.Service)}" data-trace="{log.TraceId}">
                  <td class="mono">{Html.Time(log.Time)}</td>
                  <td><span class="svc">{Html.Encode(log.Service)}</span></td>
                  <td class="level-{log.Level}">{log.Level}</td>
                  <td class="muted">{Html.Encode(log.Category)}</td>
                  <td>{Html.Encode(log.Message)}</td>
                  <td>{trace}</td>
                </tr>
                """);
        }

        return $"""
            <table class="logs">
              <thead><tr><th>Time</th><th>Resource</th><th>Level</th><th>Category</th><th>Message</th><th>Trace</th></tr></thead>
              <tbody>{rows}</tbody>
            </table>
            """;
    }
}
