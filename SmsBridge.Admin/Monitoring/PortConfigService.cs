using SmsBridge.Admin.Auditing;
using SmsBridge.Data.Settings;
using SmsBridge.ServiceDefaults.Web;

namespace SmsBridge.Admin.Monitoring;

/// <summary>The external ports, kept in the settings' <c>monitoring_ports</c>: each change is a new settings version.</summary>
public sealed class PortConfigService(SettingsVersions settings, PortRegistry registry, AdminChanges changes)
{
    /// <summary>Available ports are scanned at most this many candidates at a time.</summary>
    public const int MaxScan = 2000;

    public async Task<(int Version, MonitoringPorts Ports)> GetAsync(CancellationToken cancellationToken)
    {
        var active = await settings.GetActiveAsync(cancellationToken);
        return (active.Version, active.Settings.MonitoringPorts);
    }

    /// <summary>Sets some services' external ports; the rest keep theirs.</summary>
    public async Task<Outcome<SettingsVersion>> UpdateAsync(IReadOnlyDictionary<string, int> changes, string? changeNote, Actor actor,
        CancellationToken cancellationToken)
    {
        if (changes.Count == 0) return Failure.Validation("give at least one of metrics, postgres, pgbouncer, redis with a port", "ports");
        if (changes.Keys.FirstOrDefault(k => !MonitoredServices.IsKnown(k)) is { } unknown)
        {
            return Failure.Validation($"unknown service; use {string.Join(", ", MonitoredServices.All)}", unknown);
        }

        return await ApplyAsync(ports => changes.Aggregate(ports, (p, c) => MonitoredServices.With(p, c.Key, c.Value)),
            changeNote ?? "Monitoring port config changed", "monitoring.port_config_changed", actor, cancellationToken);
    }

    public Task<Outcome<SettingsVersion>> ResetAsync(Actor actor, CancellationToken cancellationToken) =>
        ApplyAsync(_ => new MonitoringPorts(), "Monitoring port config reset to defaults", "monitoring.port_config_reset", actor, cancellationToken);

    /// <summary>Free ports in [from, to] on the bind address, and whether each configured port is free now.</summary>
    public async Task<(IReadOnlyDictionary<string, (int Port, bool Free)> Configured, IReadOnlyList<int> Free)> AvailableAsync(
        int from, int to, int limit, CancellationToken cancellationToken)
    {
        var (_, ports) = await GetAsync(cancellationToken);
        var held = registry.Snapshot().ToDictionary(s => s.Opening.Service, s => s.Opening.ExternalPort);
        var configured = MonitoredServices.All.ToDictionary(s => s, s =>
        {
            var port = MonitoredServices.PortOf(ports, s);
            // A port our own forwarder holds is in use, but by the service it is configured for.
            return (port, held.TryGetValue(s, out var open) && open == port || PortProbe.IsFree(registry.BindAddress, port));
        });
        var taken = MonitoredServices.AsDictionary(ports).Values.ToHashSet();
        var free = new List<int>();
        for (var port = from; port <= to && free.Count < limit && port - from < MaxScan; port++)
        {
            if (!taken.Contains(port) && PortProbe.IsFree(registry.BindAddress, port)) free.Add(port);
        }

        return (configured, free);
    }

    private Task<Outcome<SettingsVersion>> ApplyAsync(Func<MonitoringPorts, MonitoringPorts> change, string changeNote, string eventType,
        Actor actor, CancellationToken cancellationToken) =>
        registry.WhileAllClosedAsync<SettingsVersion>(async () =>
        {
            var active = await settings.GetActiveAsync(cancellationToken);
            var before = active.Settings.MonitoringPorts;
            var after = change(before);
            if (CheckPorts(before, after, registry.BindAddress) is { } failure) return failure;

            var version = await changes.RunAsync<int>(actor, async change =>
            {
                var created = await settings.CreateActiveAsync(change.Transaction, active.Settings with { MonitoringPorts = after }, actor.Name,
                    changeNote, cancellationToken);
                change.Audit(eventType, $"settings version {created}", new Dictionary<string, object?>
                {
                    ["previous_version"] = active.Version,
                    ["before"] = MonitoredServices.AsDictionary(before),
                    ["after"] = MonitoredServices.AsDictionary(after),
                });
                return created;
            }, cancellationToken);
            return (await settings.GetAsync(version.Value, cancellationToken))!;
        }, cancellationToken);

    /// <summary>Range and uniqueness (the settings validator), then that every changed port can be bound now.</summary>
    public static Failure? CheckPorts(MonitoringPorts before, MonitoringPorts after, string bindAddress)
    {
        foreach (var service in MonitoredServices.All)
        {
            if (MonitoredServices.PortOf(after, service) is < MonitoredServices.MinPort or > MonitoredServices.MaxPort)
            {
                return Failure.Validation($"must be between {MonitoredServices.MinPort} and {MonitoredServices.MaxPort}", service);
            }
        }

        if (SettingsValidator.Validate(new SmsBridgeSettings { MonitoringPorts = after }) is { } fault)
        {
            return Failure.Validation(fault.Error, fault.Field);
        }

        foreach (var service in MonitoredServices.All)
        {
            var port = MonitoredServices.PortOf(after, service);
            if (port != MonitoredServices.PortOf(before, service) && !PortProbe.IsFree(bindAddress, port))
            {
                return Failure.Conflict(ErrorCodes.PortInUse, $"port {port} is in use by another program on this host", service);
            }
        }

        return null;
    }
}
