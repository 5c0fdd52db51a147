using System.Diagnostics.Metrics;

namespace SmsBridge.Backup.Monitoring;

/// <summary>
/// The <c>SmsBridge.Backup</c> meter (exported by the service defaults with every <c>SmsBridge.*</c> meter):
/// last success time, duration, size, whether the last backup verified, and failures by stage.
/// </summary>
public sealed class BackupMetrics
{
    public const string MeterName = "SmsBridge.Backup";

    private readonly Counter<long> _failures;
    private readonly Histogram<double> _duration;
    private long _lastSuccessUnixSeconds;
    private long _lastSizeBytes;
    private int _lastVerified;

    public BackupMetrics(IMeterFactory meterFactory)
    {
        Meter = meterFactory.Create(MeterName);
        _failures = Meter.CreateCounter<long>("smsbridge.backup.failures", "{failure}",
            "Backups, verifications or restores that failed, by stage.");
        _duration = Meter.CreateHistogram<double>("smsbridge.backup.duration", "s", "Time from start to verified (or failed) backup.");
        Meter.CreateObservableGauge("smsbridge.backup.last_success", () => Interlocked.Read(ref _lastSuccessUnixSeconds), "s",
            "Unix time of the last backup that verified (0: none yet).");
        Meter.CreateObservableGauge("smsbridge.backup.size", () => Interlocked.Read(ref _lastSizeBytes), "By",
            "Size of the last backup's artefacts on disk.");
        Meter.CreateObservableGauge("smsbridge.backup.verified", () => Volatile.Read(ref _lastVerified), "{backup}",
            "1 when the last backup verified by a real restore, else 0.");
    }

    public Meter Meter { get; }

    public void Succeeded(DateTimeOffset finishedAt, TimeSpan duration, long sizeBytes)
    {
        Interlocked.Exchange(ref _lastSuccessUnixSeconds, finishedAt.ToUnixTimeSeconds());
        Interlocked.Exchange(ref _lastSizeBytes, sizeBytes);
        Volatile.Write(ref _lastVerified, 1);
        _duration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", "verified"));
    }

    public void Failed(string stage, TimeSpan duration)
    {
        Volatile.Write(ref _lastVerified, 0);
        _failures.Add(1, new KeyValuePair<string, object?>("stage", stage));
        _duration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("outcome", "failed"));
    }

    public void RestoreFailed() => _failures.Add(1, new KeyValuePair<string, object?>("stage", "restore"));

    /// <summary>Seeds the gauges from the catalogue at start, so a restart does not report "never".</summary>
    public void Seed(DateTimeOffset? lastVerified)
    {
        if (lastVerified is { } at) Interlocked.Exchange(ref _lastSuccessUnixSeconds, at.ToUnixTimeSeconds());
    }
}
