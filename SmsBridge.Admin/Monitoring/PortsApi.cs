using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using SmsBridge.Admin.Accounts;
using SmsBridge.Admin.Auditing;

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

/// <summary>Opening and closing the monitoring ports, and what is open now.</summary>
public static class PortsApi
{
    public static RouteGroupBuilder MapPortsApi(this RouteGroupBuilder monitoring)
    {
        monitoring.MapGet("/services", ServicesAsync);
        monitoring.MapPost("/open-port", OpenPortAsync).RequireAuthorization(AdminRoles.CanWrite);
        monitoring.MapPost("/close-port", ClosePortAsync).RequireAuthorization(AdminRoles.CanWrite);
        monitoring.MapGet("/port-status", PortStatusAsync);
        monitoring.MapPost("/open-all", OpenAllAsync).RequireAuthorization(AdminRoles.CanWrite);
        monitoring.MapPost("/close-all", CloseAllAsync).RequireAuthorization(AdminRoles.CanWrite);
        return monitoring;
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
}
