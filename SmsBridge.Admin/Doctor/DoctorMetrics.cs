using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace SmsBridge.Admin.Doctor;

/// <summary>
/// <c>smsbridge_doctor_check_status{check="…"}</c>: 0 pass, 1 warn, 2 fail, per check of the last run, so an alert can
/// fire on any check that fails (deploy/monitoring/alerts.yml).
/// </summary>
public sealed class DoctorMetrics
{
    public const string MeterName = "SmsBridge.Admin.Doctor";
    private readonly ConcurrentDictionary<string, int> _status = new(StringComparer.Ordinal);

    public DoctorMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableGauge("smsbridge.doctor.check_status",
            () => _status.Select(s => new Measurement<int>(s.Value, new KeyValuePair<string, object?>("check", s.Key))),
            description: "Result of each doctor check in its last run: 0 pass, 1 warn, 2 fail.");
    }

    public void Record(DoctorReport report)
    {
        foreach (var result in report.Results) _status[result.Id] = (int)result.Status;
    }
}
