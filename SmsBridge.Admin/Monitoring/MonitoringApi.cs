using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SmsBridge.Admin.Accounts;
using SmsBridge.Admin.Auditing;
using SmsBridge.Admin.Settings;
using SmsBridge.Data.Settings;

namespace SmsBridge.Admin.Monitoring;

public sealed record OpenPortRequest(string? Service, int? DurationMinutes, string? AllowedSource);

public sealed record ClosePortRequest(string? Service);

public sealed record OpenAllRequest(int? DurationMinutes, string? AllowedSource);

public sealed record PortView(string Service, string Status, int ExternalPort, string BindAddress, string? AllowedSource, string OpenedBy,
    string? SourceAddress, DateTimeOffset OpenedAt, int DurationMinutes, DateTimeOffset ExpiresAt, long RemainingSeconds,
    int ActiveConnections, long Connections, long RefusedConnections)
{
    public static PortView From(OpenPortStatus s, DateTimeOffset now) => new(s.Opening.Service, "open", s.Opening.ExternalPort,
        s.Opening.BindAddress, s.Opening.AllowedSource, s.Opening.OpenedBy, s.Opening.SourceAddress, s.Opening.OpenedAt,
        s.Opening.DurationMinutes, s.Opening.ExpiresAt, Math.Max(0, (long)Math.Ceiling((s.Opening.ExpiresAt - now).TotalSeconds)),
        s.ActiveConnections, s.Connections, s.RefusedConnections);
}

public static partial class MonitoringApi
{
    public static RouteGroupBuilder MapMonitoringApi(this RouteGroupBuilder admin)
    {
        var group = admin.MapGroup("/monitoring").WithTags("Monitoring");
        group.MapGet("/services", ServicesAsync);
        group.MapPost("/open-port", OpenPortAsync).RequireAuthorization(AdminRoles.CanWrite);
        group.MapPost("/close-port", ClosePortAsync).RequireAuthorization(AdminRoles.CanWrite);
        group.MapGet("/port-status", PortStatusAsync);
        group.MapPost("/open-all", OpenAllAsync).RequireAuthorization(AdminRoles.CanWrite);
        group.MapPost("/close-all", CloseAllAsync).RequireAuthorization(AdminRoles.CanWrite);
        group.MapGet("/port-config", PortConfigAsync);
        group.MapPost("/port-config", UpdatePortConfigAsync).RequireAuthorization(AdminRoles.CanWrite);
        group.MapPost("/port-config/reset", ResetPortConfigAsync).RequireAuthorization(AdminRoles.CanWrite);
        group.MapGet("/port-config/available-ports", AvailablePortsAsync);
        group.MapGet("/export-prometheus-config", ExportPrometheusConfigAsync);
        group.MapGet("/logs/list", (LogFiles logs) => TypedResults.Ok(new
        {
            Services = logs.List().GroupBy(f => f.Service).Select(g => new { Service = g.Key, Files = g.ToList() }),
        }));
        group.MapGet("/logs/download/{service}", DownloadLog);
        return admin;
    }

    private static async Task<Ok<object>> ServicesAsync(PortRegistry registry, PortConfigService config, IOptions<MonitoringOptions> options,
        TimeProvider time, CancellationToken ct)
    {
        var (_, ports) = await config.GetAsync(ct);
        var open = registry.Snapshot().ToDictionary(s => s.Opening.Service);
        return TypedResults.Ok<object>(new
        {
            Services = MonitoredServices.All.Select(service => new
            {
                Service = service,
                Available = registry.IsAvailable(service),
                InternalEndpoint = MonitoredServices.InternalEndpoint(options.Value, service)?.ToString(),
                ExternalPort = MonitoredServices.PortOf(ports, service),
                Status = open.ContainsKey(service) ? "open" : "closed",
                ExpiresAt = open.TryGetValue(service, out var s) ? s.Opening.ExpiresAt : (DateTimeOffset?)null,
            }),
        });
    }

    private static async Task<Results<Ok<PortView>, ProblemHttpResult>> OpenPortAsync(OpenPortRequest request, PortRegistry registry,
        HttpContext context, TimeProvider time, CancellationToken ct)
    {
        var outcome = await registry.OpenAsync(request.Service, request.DurationMinutes, request.AllowedSource, Actor.From(context), ct);
        return outcome.OkOr(o => PortView.From(new OpenPortStatus(o, 0, 0, 0), time.GetUtcNow()));
    }

    private static async Task<Results<Ok<object>, ProblemHttpResult>> ClosePortAsync(ClosePortRequest request, PortRegistry registry,
        HttpContext context, CancellationToken ct)
    {
        var outcome = await registry.CloseAsync(request.Service, Actor.From(context), ct);
        return outcome.OkOr<PortOpening?, object>(closed => new { request.Service, Status = "closed", WasOpen = closed is not null, Closed = closed });
    }

    private static async Task<Ok<object>> PortStatusAsync(PortRegistry registry, PortOpeningStore store, PortConfigService config,
        TimeProvider time, int? history, CancellationToken ct)
    {
        var (_, ports) = await config.GetAsync(ct);
        var now = time.GetUtcNow();
        var open = registry.Snapshot().ToDictionary(s => s.Opening.Service);
        return TypedResults.Ok<object>(new
        {
            BindAddress = registry.BindAddress,
            Ports = MonitoredServices.All.Select(service => open.TryGetValue(service, out var s)
                ? (object)PortView.From(s, now)
                : new { Service = service, Status = "closed", ExternalPort = MonitoredServices.PortOf(ports, service), Available = registry.IsAvailable(service) }),
            Recent = await store.HistoryAsync(ApiResults.Limit(history, 20, 200), ct),
        });
    }

    private static async Task<Results<Ok<object>, ProblemHttpResult>> OpenAllAsync(OpenAllRequest request, PortRegistry registry,
        HttpContext context, TimeProvider time, CancellationToken ct)
    {
        var actor = Actor.From(context);
        var opened = new List<PortView>();
        var skipped = new List<object>();
        foreach (var service in MonitoredServices.All)
        {
            if (!registry.IsAvailable(service))
            {
                skipped.Add(new { Service = service, Reason = "not part of this deployment" });
                continue;
            }

            var outcome = await registry.OpenAsync(service, request.DurationMinutes, request.AllowedSource, actor, ct);
            if (outcome.Value is { } opening) opened.Add(PortView.From(new OpenPortStatus(opening, 0, 0, 0), time.GetUtcNow()));
            else if (outcome.Failure is { Status: StatusCodes.Status400BadRequest } invalid) return invalid.ToProblem();
            else skipped.Add(new { Service = service, Reason = outcome.Failure!.Detail, outcome.Failure.Code });
        }

        return TypedResults.Ok<object>(new { Opened = opened, Skipped = skipped });
    }

    private static async Task<Ok<object>> CloseAllAsync(PortRegistry registry, HttpContext context, CancellationToken ct) =>
        TypedResults.Ok<object>(new { Closed = await registry.CloseAllAsync(CloseReasons.User, Actor.From(context), ct) });

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

    private static Results<PhysicalFileHttpResult, ProblemHttpResult> DownloadLog(string service, string? file, LogFiles logs)
    {
        if (logs.Find(service, file) is not { } found)
        {
            return Failure.NotFound("No such log file; GET /admin/monitoring/logs/list shows what there is.").ToProblem();
        }

        // The service is still appending to its newest file: a physical-file result sends exactly the length it announced,
        // where a stream result would copy to the end of a file that grew meanwhile and break its own Content-Length.
        return TypedResults.PhysicalFile(found.Path, "text/plain; charset=utf-8", found.File.Name);
    }

    [GeneratedRegex(@"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*$|^\[?[0-9A-Fa-f:.]+\]?$")]
    private static partial Regex HostName();
}
