using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using SmsBridge.Admin.Auditing;
using SmsBridge.Data.Settings;
using SmsBridge.ServiceDefaults.Web;
using IPNetwork = System.Net.IPNetwork;

namespace SmsBridge.Admin.Monitoring;

/// <summary>A port that is open now, with its live counters.</summary>
public sealed record OpenPortStatus(PortOpening Opening, int ActiveConnections, long Connections, long RefusedConnections);

/// <summary>
/// The open monitoring ports of this instance. Opening binds a <see cref="PortForwarder"/> and records who, when, from
/// where and for how long; each closes by itself at expiry (by the injected clock), all close on shutdown. One gate
/// serialises opens, closes and port-config changes, so the config can never change under an open port.
/// </summary>
/// <remarks>
/// With several admin instances, an opening lives in the instance that opened it (its forwarder is a socket in that
/// process): each instance beats in <c>admin_instances</c>, and rows whose instance stopped beating (a crash, a kill) are
/// closed as <c>reconcile</c>, at start-up and on every beat of any live instance. A live instance's openings are never
/// touched by another; one service is open on at most one instance (the table's unique index).
/// </remarks>
public sealed class PortRegistry(
    PortOpeningStore store,
    SettingsVersions settings,
    IOptions<MonitoringOptions> options,
    AdminChanges changes,
    TimeProvider time,
    ILogger<PortRegistry> logger) : IHostedService, IAsyncDisposable
{
    private readonly Guid _instance = Guid.CreateVersion7();
    private ITimer? _heartbeat;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, (PortOpening Opening, PortForwarder Forwarder)> _open = new(StringComparer.Ordinal);
    private readonly HashSet<long> _closing = []; // closed sockets whose rows are being recorded (guarded by _open)
    private readonly MonitoringOptions _options = options.Value;

    public IReadOnlyList<OpenPortStatus> Snapshot()
    {
        lock (_open)
        {
            return [.. _open.Values.OrderBy(o => MonitoredServices.All.ToList().IndexOf(o.Opening.Service)).Select(o => new OpenPortStatus(
                o.Opening, o.Forwarder.ActiveConnections, o.Forwarder.AcceptedConnections, o.Forwarder.RefusedConnections))];
        }
    }

    public bool IsAvailable(string service) => MonitoredServices.InternalEndpoint(_options, service) is not null;

    public string BindAddress => _options.BindAddress;

    public async Task<Outcome<PortOpening>> OpenAsync(string? service, int? durationMinutes, string? allowedSource, Actor actor,
        CancellationToken cancellationToken)
    {
        if (!MonitoredServices.IsKnown(service))
        {
            return Failure.Validation($"must be one of {string.Join(", ", MonitoredServices.All)}", "service");
        }

        if (durationMinutes is not { } duration || duration is < MonitoredServices.MinDurationMinutes or > MonitoredServices.MaxDurationMinutes)
        {
            return Failure.Validation(
                $"must be between {MonitoredServices.MinDurationMinutes} and {MonitoredServices.MaxDurationMinutes} minutes", "duration_minutes");
        }

        IPNetwork? allowed = null;
        if (!string.IsNullOrWhiteSpace(allowedSource))
        {
            if (!IPNetwork.TryParse(allowedSource.Trim(), out var network))
            {
                return Failure.Validation("must be a CIDR such as 203.0.113.7/32", "allowed_source");
            }

            allowed = network;
        }

        if (MonitoredServices.InternalEndpoint(_options, service!) is not { } target)
        {
            return Failure.Conflict(ErrorCodes.MonitoringServiceUnavailable,
                $"'{service}' is not part of this deployment, so there is nothing to forward to.", "service");
        }

        if (!IPAddress.TryParse(_options.BindAddress, out var bindAddress))
        {
            return new Failure(StatusCodes.Status500InternalServerError, ErrorCodes.InternalError,
                "Monitoring:BindAddress is not an IP address; fix the admin service's configuration.");
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            lock (_open)
            {
                if (_open.ContainsKey(service!))
                {
                    return Failure.Conflict(ErrorCodes.PortAlreadyOpen, $"'{service}' is already open; close it first to change its duration or source.");
                }
            }

            if ((await store.OpenAsync(cancellationToken)).Any(o => o.Service == service))
            {
                return OpenElsewhere(service!);
            }

            var port = MonitoredServices.PortOf((await settings.GetActiveAsync(cancellationToken)).Settings.MonitoringPorts, service!);
            PortForwarder forwarder;
            try
            {
                forwarder = PortForwarder.Bind(new IPEndPoint(bindAddress, port), target, allowed, _options.ConnectTimeout, logger);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
            {
                return Failure.Conflict(ErrorCodes.PortInUse,
                    $"External port {port} is taken by another program; choose another with POST /admin/monitoring/port-config.", "service");
            }

            // The port is bound but forwards nothing until its row and audit row are committed; if that fails, it is let go.
            var now = time.GetUtcNow();
            var opening = new PortOpening(0, service!, port, _options.BindAddress, allowed?.ToString(), actor.Name, actor.SourceAddress,
                now, duration, now.AddMinutes(duration));
            Outcome<PortOpening> recorded;
            try
            {
                recorded = await changes.RunAsync<PortOpening>(actor, async change =>
                {
                    if (await store.InsertAsync(change.Transaction, opening, _instance, cancellationToken) is not { } id)
                    {
                        return OpenElsewhere(service!); // opened there between the check above and this insert
                    }

                    change.Audit("monitoring.port_opened", service, new Dictionary<string, object?>
                    {
                        ["external_port"] = port,
                        ["duration_minutes"] = duration,
                        ["allowed_source"] = opening.AllowedSource,
                        ["expires_at"] = opening.ExpiresAt,
                    });
                    return opening with { Id = id };
                }, cancellationToken);
            }
            catch
            {
                await forwarder.DisposeAsync();
                throw;
            }

            if (recorded.Value is not { } stored)
            {
                await forwarder.DisposeAsync();
                return recorded;
            }

            lock (_open) _open[service!] = (stored, forwarder);
            forwarder.StartForwarding();
            forwarder.ExpireAt(stored.ExpiresAt, time, () => CloseOpeningAsync(stored.Id, service!, CloseReasons.Expiry, Actor.System));
            logger.LogInformation("Opened monitoring port {Port} for {Service} until {ExpiresAt:O} (by {Actor})", port, service, stored.ExpiresAt, actor.Name);
            return stored;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static Failure OpenElsewhere(string service) => Failure.Conflict(ErrorCodes.PortAlreadyOpen,
        $"'{service}' is already open on another admin instance; close it there, or wait for its expiry.");

    /// <summary>Closes the service's port if open; the closed row, or null when it was not open.</summary>
    public async Task<Outcome<PortOpening?>> CloseAsync(string? service, Actor actor, CancellationToken cancellationToken)
    {
        if (!MonitoredServices.IsKnown(service))
        {
            return Failure.Validation($"must be one of {string.Join(", ", MonitoredServices.All)}", "service");
        }

        long id;
        lock (_open)
        {
            if (!_open.TryGetValue(service!, out var entry)) return new Outcome<PortOpening?>(null, null);
            id = entry.Opening.Id;
        }

        return await CloseOpeningAsync(id, service!, CloseReasons.User, actor, cancellationToken);
    }

    public async Task<IReadOnlyList<PortOpening>> CloseAllAsync(string reason, Actor actor, CancellationToken cancellationToken)
    {
        List<(long Id, string Service)> open;
        lock (_open) open = [.. _open.Values.Select(o => (o.Opening.Id, o.Opening.Service))];
        var closed = new List<PortOpening>();
        foreach (var (id, service) in open)
        {
            if (await CloseOpeningAsync(id, service, reason, actor, cancellationToken) is { } row) closed.Add(row);
        }

        return closed;
    }

    /// <summary>Runs <paramref name="action"/> while no port is open and none can open (port-config changes).</summary>
    public async Task<Outcome<T>> WhileAllClosedAsync<T>(Func<Task<Outcome<T>>> action, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            string[] open;
            lock (_open) open = [.. _open.Keys];
            if (open.Length > 0)
            {
                return Failure.Conflict(ErrorCodes.PortsOpen,
                    $"Monitoring ports are open ({string.Join(", ", open)}); close them (POST /admin/monitoring/close-all) before changing the port config.");
            }

            return await action();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<PortOpening?> CloseOpeningAsync(long id, string service, string reason, Actor actor,
        CancellationToken cancellationToken = default)
    {
        PortForwarder forwarder;
        lock (_open)
        {
            if (!_open.TryGetValue(service, out var entry) || entry.Opening.Id != id) return null;
            forwarder = entry.Forwarder;
            _open.Remove(service);
            _closing.Add(id);
        }

        try
        {
            // The socket closes first: a port never stays open because its record could not be written. The row and its audit
            // row then commit together; if that fails the row stays open (no false "closed" in the trail) and the next
            // heartbeat closes it as reconcile, audited.
            await forwarder.DisposeAsync();
            var row = await changes.RunAsync<PortOpening?>(actor, async change =>
            {
                var closed = await store.MarkClosedAsync(change.Transaction, id, time.GetUtcNow(), reason, actor.Name,
                    forwarder.AcceptedConnections, forwarder.RefusedConnections, cancellationToken);
                change.Audit("monitoring.port_closed", service, new Dictionary<string, object?>
                {
                    ["reason"] = reason,
                    ["external_port"] = closed?.ExternalPort,
                    ["connections"] = forwarder.AcceptedConnections,
                    ["refused_connections"] = forwarder.RefusedConnections,
                });
                return closed;
            }, cancellationToken);
            logger.LogInformation("Closed monitoring port for {Service} ({Reason})", service, reason);
            return row.Value;
        }
        catch (Exception ex) when (reason == CloseReasons.Expiry && ex is not OperationCanceledException)
        {
            // A timer callback has no caller to tell: the listener is already closed; the row is reconciled on the next heartbeat.
            logger.LogError(ex, "Recording the expiry of the {Service} monitoring port failed", service);
            return null;
        }
        finally
        {
            lock (_open) _closing.Remove(id);
        }
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.BeatAsync(_instance, Environment.MachineName, time.GetUtcNow(), cancellationToken);
        await ReconcileAsync(cancellationToken);
        _heartbeat = time.CreateTimer(_ => _ = BeatAsync(), null, _options.InstanceHeartbeat, _options.InstanceHeartbeat);
    }

    /// <summary>Says this instance is alive, then closes what dead instances left open. A failed beat is retried on the next.</summary>
    private async Task BeatAsync()
    {
        try
        {
            await store.BeatAsync(_instance, Environment.MachineName, time.GetUtcNow(), CancellationToken.None);
            await ReconcileAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
        {
            logger.LogWarning("Admin instance heartbeat failed ({Reason}); retrying on the next beat", ex.Message);
        }
    }

    /// <summary>
    /// Closes the rows nothing forwards: their instance is gone (a crash, a kill), or this instance closed the socket but could
    /// not record it. Each row is closed with its audit row in one transaction.
    /// </summary>
    private async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        var rows = await store.OrphanedAsync(time.GetUtcNow() - 3 * _options.InstanceHeartbeat, cancellationToken);
        rows.AddRange(await UnrecordedClosesAsync(cancellationToken));
        foreach (var row in rows)
        {
            var closed = await changes.RunAsync<PortOpening?>(Actor.System, async change =>
            {
                if (await store.MarkClosedAsync(change.Transaction, row.Id, time.GetUtcNow(), CloseReasons.Reconcile, Actor.System.Name,
                        row.Connections, row.RefusedConnections, cancellationToken) is not { } marked)
                {
                    return new Failure(StatusCodes.Status409Conflict, ErrorCodes.Conflict, "another live instance reconciled it first");
                }

                change.Audit("monitoring.port_reconciled", row.Service, new Dictionary<string, object?>
                {
                    ["opening_id"] = row.Id,
                    ["external_port"] = row.ExternalPort,
                    ["opened_by"] = row.OpenedBy,
                    ["opened_at"] = row.OpenedAt,
                });
                return marked;
            }, cancellationToken);
            if (!closed.Succeeded) continue;
            logger.LogWarning("Monitoring port {Port} for {Service} was left open by an admin instance that is gone; marked closed (reconcile)",
                row.ExternalPort, row.Service);
        }
    }

    /// <summary>
    /// This instance's open rows that it no longer forwards: their socket closed but recording the close failed. Read under
    /// the gate, so an opening being committed right now is not mistaken for one.
    /// </summary>
    private async Task<List<PortOpening>> UnrecordedClosesAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            long[] held;
            lock (_open) held = [.. _open.Values.Select(o => o.Opening.Id), .. _closing];
            return await store.OpenOnInstanceAsync(_instance, held, cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_heartbeat is not null) await _heartbeat.DisposeAsync();
        await CloseAllAsync(CloseReasons.Shutdown, Actor.System, cancellationToken);
        await store.RemoveInstanceAsync(_instance, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_heartbeat is not null) await _heartbeat.DisposeAsync();
        _gate.Dispose();
    }
}
