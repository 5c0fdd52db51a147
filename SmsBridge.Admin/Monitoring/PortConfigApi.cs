using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SmsBridge.Admin.Accounts;
using SmsBridge.Admin.Auditing;
using SmsBridge.Data.Settings;

namespace SmsBridge.Admin.Monitoring;

/// <summary>The external ports (a settings version each change), free ports to pick from, and the laptop's prometheus.yml.</summary>
public static partial class PortConfigApi
{
    public static RouteGroupBuilder MapPortConfigApi(this RouteGroupBuilder monitoring)
    {
        monitoring.MapGet("/port-config", PortConfigAsync);
        monitoring.MapPost("/port-config", UpdatePortConfigAsync).RequireAuthorization(AdminRoles.CanWrite);
        monitoring.MapPost("/port-config/reset", ResetPortConfigAsync).RequireAuthorization(AdminRoles.CanWrite);
        monitoring.MapGet("/port-config/available-ports", AvailablePortsAsync);
        monitoring.MapGet("/export-prometheus-config", ExportPrometheusConfigAsync);
        return monitoring;
    }

    private static async Task<Ok<object>> PortConfigAsync(PortConfigService config, PortRegistry registry, IOptions<MonitoringOptions> options,
        CancellationToken ct)
    {
        var (version, ports) = await config.GetAsync(ct);
        return TypedResults.Ok(PortConfigView(version, ports, registry, options.Value));
    }

    private static object PortConfigView(int version, MonitoringPorts ports, PortRegistry registry, MonitoringOptions options) => new
    {
        SettingsVersion = version,
        Ports = MonitoredServices.AsDictionary(ports),
        Defaults = MonitoredServices.AsDictionary(new MonitoringPorts()),
        InternalEndpoints = MonitoredServices.All.ToDictionary(s => s, s => MonitoredServices.InternalEndpoint(options, s)?.ToString()),
        BindAddress = registry.BindAddress,
        PortRange = new { Min = MonitoredServices.MinPort, Max = MonitoredServices.MaxPort },
        Locked = registry.Snapshot().Count > 0,
    };

    private static async Task<Results<Ok<object>, ProblemHttpResult>> UpdatePortConfigAsync(JsonObject body, PortConfigService config,
        PortRegistry registry, IOptions<MonitoringOptions> options, HttpContext context, CancellationToken ct)
    {
        var changes = new Dictionary<string, int>(StringComparer.Ordinal);
        string? note = null;
        // Scripts send {"redis": 16380} or {"ports": {"redis": 16380}}; both are accepted.
        var ports = body["ports"] as JsonObject ?? body;
        foreach (var (key, value) in ports)
        {
            if (key is "change_note" or "ports") continue;
            if (value is not JsonValue number || number.GetValueKind() != JsonValueKind.Number || !number.TryGetValue<int>(out var port))
            {
                return Failure.Validation("must be a whole port number", key).ToProblem();
            }

            changes[key] = port;
        }

        if (body["change_note"] is JsonValue noteValue && noteValue.GetValueKind() == JsonValueKind.String) note = noteValue.GetValue<string>();
        var outcome = await config.UpdateAsync(changes, note, Actor.From(context), ct);
        return outcome.OkOr(v => PortConfigView(v.Version, v.Settings.MonitoringPorts, registry, options.Value));
    }

    private static async Task<Results<Ok<object>, ProblemHttpResult>> ResetPortConfigAsync(PortConfigService config, PortRegistry registry,
        IOptions<MonitoringOptions> options, HttpContext context, CancellationToken ct) =>
        (await config.ResetAsync(Actor.From(context), ct)).OkOr(v => PortConfigView(v.Version, v.Settings.MonitoringPorts, registry, options.Value));

    private static async Task<Results<Ok<object>, ProblemHttpResult>> AvailablePortsAsync(PortConfigService config, int? from, int? to,
        int? limit, CancellationToken ct)
    {
        var start = from ?? 19000;
        var end = to ?? Math.Min(MonitoredServices.MaxPort, start + 999);
        if (start is < MonitoredServices.MinPort or > MonitoredServices.MaxPort || end < start || end > MonitoredServices.MaxPort)
        {
            return Failure.Validation($"from and to must lie within {MonitoredServices.MinPort}-{MonitoredServices.MaxPort}, from <= to", "from").ToProblem();
        }

        var (configured, free) = await config.AvailableAsync(start, end, ApiResults.Limit(limit, 10, 100), ct);
        return TypedResults.Ok<object>(new
        {
            Configured = configured.ToDictionary(c => c.Key, c => new { c.Value.Port, c.Value.Free }),
            FreePorts = free,
            Scanned = new { From = start, To = Math.Min(end, start + PortConfigService.MaxScan - 1) },
        });
    }

    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> ExportPrometheusConfigAsync(PortConfigService config,
        PortRegistry registry, HttpContext context, string? host, CancellationToken ct)
    {
        host ??= context.Request.Host.Host;
        if (string.IsNullOrEmpty(host) || !HostName().IsMatch(host))
        {
            return Failure.Validation("must be a host name or IP address the laptop reaches this server by", "host").ToProblem();
        }

        var (_, ports) = await config.GetAsync(ct);
        context.Response.Headers.ContentDisposition = "attachment; filename=\"prometheus.yml\"";
        return TypedResults.Text(PrometheusConfigExport.Render(host, ports, registry.IsAvailable), "application/yaml; charset=utf-8");
    }

    [GeneratedRegex(@"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*$|^\[?[0-9A-Fa-f:.]+\]?$")]
    private static partial Regex HostName();
}
