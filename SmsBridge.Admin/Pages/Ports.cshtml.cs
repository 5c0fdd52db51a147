using Microsoft.AspNetCore.Mvc;
using SmsBridge.Admin.Monitoring;
using SmsBridge.Data.Settings;

namespace SmsBridge.Admin.Pages;

public sealed class PortsModel(PortRegistry registry, PortConfigService config, PortOpeningStore store) : AdminPageModel
{
    public MonitoringPorts Ports { get; private set; } = new();

    public IReadOnlyList<OpenPortStatus> Open { get; private set; } = [];

    public IReadOnlyList<PortOpening> Recent { get; private set; } = [];

    public bool Available(string service) => registry.IsAvailable(service);

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        Ports = (await config.GetAsync(cancellationToken)).Ports;
        Open = registry.Snapshot();
        Recent = await store.HistoryAsync(20, cancellationToken);
    }

    public async Task<IActionResult> OnPostOpenAsync(string? service, int? durationMinutes, string? allowedSource, CancellationToken cancellationToken)
    {
        if (!CanWrite) return Forbid();
        var outcome = await registry.OpenAsync(service, durationMinutes, allowedSource, Actor, cancellationToken);
        return Done(outcome, $"{service} is open on port {outcome.Value?.ExternalPort} until {Format(outcome.Value?.ExpiresAt)}.");
    }

    public async Task<IActionResult> OnPostCloseAsync(string? service, CancellationToken cancellationToken)
    {
        if (!CanWrite) return Forbid();
        return Done(await registry.CloseAsync(service, Actor, cancellationToken), $"{service} is closed.");
    }

    public async Task<IActionResult> OnPostOpenAllAsync(int? durationMinutes, CancellationToken cancellationToken)
    {
        if (!CanWrite) return Forbid();
        var opened = new List<string>();
        var problems = new List<string>();
        foreach (var service in MonitoredServices.All.Where(registry.IsAvailable))
        {
            var outcome = await registry.OpenAsync(service, durationMinutes, null, Actor, cancellationToken);
            if (outcome.Failure is { } failure) problems.Add($"{service}: {failure.Detail}");
            else opened.Add(service);
        }

        if (problems.Count > 0) TempData["Error"] = string.Join(" ", problems);
        TempData["Message"] = opened.Count > 0 ? $"Opened {string.Join(", ", opened)}." : "Nothing opened.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostCloseAllAsync(CancellationToken cancellationToken)
    {
        if (!CanWrite) return Forbid();
        var closed = await registry.CloseAllAsync(CloseReasons.User, Actor, cancellationToken);
        TempData["Message"] = closed.Count > 0 ? $"Closed {string.Join(", ", closed.Select(c => c.Service))}." : "No port was open.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostConfigAsync(Dictionary<string, int> ports, CancellationToken cancellationToken)
    {
        if (!CanWrite) return Forbid();
        var current = MonitoredServices.AsDictionary((await config.GetAsync(cancellationToken)).Ports);
        var changes = ports.Where(p => !current.TryGetValue(p.Key, out var old) || old != p.Value).ToDictionary(p => p.Key, p => p.Value);
        if (changes.Count == 0) return Refused("Nothing changed.");
        return Done(await config.UpdateAsync(changes, "Changed in the web UI", Actor, cancellationToken), "Port config saved.");
    }

    public async Task<IActionResult> OnPostResetAsync(CancellationToken cancellationToken)
    {
        if (!CanWrite) return Forbid();
        return Done(await config.ResetAsync(Actor, cancellationToken), "Port config reset to defaults.");
    }
}
