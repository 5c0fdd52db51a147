using SmsBridge.Admin.Monitoring;

namespace SmsBridge.Admin.Doctor;

/// <summary>Monitoring ports: none open past its expiry, none open without its audit row.</summary>
public sealed class MonitoringPortChecks(PortOpeningStore store, TimeProvider time) : IDoctorCheck
{
    /// <summary>A forwarder closes at expiry by its own timer; a minute late is a port that will not close.</summary>
    private static readonly TimeSpan Grace = TimeSpan.FromMinutes(1);

    public string Area => "ports";

    public async Task<IReadOnlyList<CheckResult>> RunAsync(CancellationToken cancellationToken)
    {
        var overdue = await store.OverdueAsync(time.GetUtcNow(), Grace, cancellationToken);
        var unaudited = await store.UnauditedAsync(cancellationToken);
        return
        [
            overdue.Count == 0
                ? CheckResult.Pass("ports.expiry", "no monitoring port is open past its expiry")
                : CheckResult.Fail("ports.expiry",
                    string.Join("; ", overdue.Select(o => $"{o.Service} on {o.ExternalPort} expired {o.ExpiresAt:u}")),
                    "POST /admin/monitoring/close-all (or restart the admin service, which reconciles), then find out why it stayed open"),
            unaudited.Count == 0
                ? CheckResult.Pass("ports.audited", "every open monitoring port has its audit row")
                : CheckResult.Fail("ports.audited",
                    string.Join("; ", unaudited.Select(o => $"{o.Service} on {o.ExternalPort} opened {o.OpenedAt:u} by {o.OpenedBy}")),
                    "close it (POST /admin/monitoring/close-port) and find who opened it outside the admin API"),
        ];
    }
}
