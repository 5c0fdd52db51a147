using System.Text;
using SmsBridge.AppHost.Hosting;

namespace SmsBridge.AppHost.Dashboard.Pages;

/// <summary>Every resource that runs or is reached: state, uptime, endpoints, health detail, and actions for projects.</summary>
internal static class ResourcesPage
{
    /// <summary>
    /// What a person thinks of as a resource: processes the AppHost runs and external servers it was given
    /// (not the per-role connection strings derived from a local database).
    /// </summary>
    public static IEnumerable<Resource> Shown(DistributedApplication app) =>
        app.Resources.Where(r => r is ProcessResource or ConnectionStringResource { WaitsFor.Count: 0 });

    public static string Render(DistributedApplication app, TimeProvider time)
    {
        var rows = new StringBuilder();
        foreach (var resource in Shown(app))
        {
            var state = resource.State == ResourceState.Exited
                ? $"Exited (code {resource.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"})"
                : resource.State.ToString();
            var running = resource.State is ResourceState.Running or ResourceState.Healthy or ResourceState.Unhealthy;
            var uptime = running && resource.StartedAt is { } started ? Html.Duration(time.GetUtcNow() - started) : "";
            var actions = resource is ProjectResource
                ? $"""
                   <button data-action="restart" data-resource="{Html.Encode(resource.Name)}">Restart</button>
                   <button data-action="stop" data-resource="{Html.Encode(resource.Name)}">Stop</button>
                   <span class="action-note muted"></span>
                   """
                : "";
            rows.Append($"""
                <tr data-resource="{Html.Encode(resource.Name)}" data-state="{resource.State}">
                  <td><strong>{Html.Encode(resource.Name)}</strong><div class="muted">{Kind(resource)}</div></td>
                  <td><span class="state {resource.State}">{Html.Encode(state)}</span></td>
                  <td class="num">{uptime}</td>
                  <td>{Endpoints(resource)}</td>
                  <td>{Health(resource)}</td>
                  <td><a href="/console/{Html.Url(resource.Name)}">Console</a> · <a href="/logs?resource={Html.Url(resource.Name)}">Logs</a></td>
                  <td>{actions}</td>
                </tr>
                """);
        }

        return $"""
            <h1>Resources</h1>
            <table class="resources">
              <thead><tr><th>Resource</th><th>State</th><th class="num">Uptime</th><th>Endpoints</th><th>Health</th><th>Output</th><th>Actions</th></tr></thead>
              <tbody>{rows}</tbody>
            </table>
            """;
    }

    private static string Kind(Resource resource) => resource switch
    {
        ProjectResource p => "Project · " + Html.Encode(p.ProjectFolder),
        PostgresServerResource => "PostgreSQL",
        RedisResource => "Redis",
        ConnectionStringResource => "Connection string",
        _ => resource.GetType().Name,
    };

    private static string Endpoints(Resource resource) => resource switch
    {
        ProjectResource p => $"""<a href="{p.HttpEndpoint}" target="_blank" rel="noopener">{p.HttpEndpoint}</a><br><a href="{p.ManagementEndpoint}metrics" target="_blank" rel="noopener">{p.ManagementEndpoint}metrics</a>""",
        PostgresServerResource pg => $"<code>tcp://127.0.0.1:{pg.Port}</code>",
        RedisResource r => $"<code>tcp://127.0.0.1:{r.Port}</code>",
        ConnectionStringResource => "<span class=\"muted\">external</span>",
        _ => "",
    };

    private static string Health(Resource resource) => resource switch
    {
        ProjectResource { LastHealth: { } health } => $"""<details><summary>/health</summary><pre class="health">{Html.Encode(health)}</pre></details>""",
        ProjectResource => "<span class=\"muted\">no answer yet</span>",
        ProcessResource when resource.State == ResourceState.Healthy => "accepts connections",
        ProcessResource when resource.State == ResourceState.Unhealthy => "does not accept connections",
        _ => "",
    };
}
