using Microsoft.Extensions.Diagnostics.HealthChecks;
using SmsBridge.Backup.Scheduling;

namespace SmsBridge.Backup.Monitoring;

/// <summary>When the last backup verified, shared by the worker (writes) and the health check (reads).</summary>
public sealed class BackupState(TimeProvider time)
{
    private long _lastVerifiedTicks;

    public DateTimeOffset StartedAt { get; } = time.GetUtcNow();

    public DateTimeOffset? LastVerifiedAt
    {
        get
        {
            var ticks = Interlocked.Read(ref _lastVerifiedTicks);
            return ticks == 0 ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    public void Verified(DateTimeOffset at)
    {
        if (LastVerifiedAt is { } known && known >= at) return;
        Interlocked.Exchange(ref _lastVerifiedTicks, at.UtcTicks);
    }
}

/// <summary>
/// <c>backups</c>: unhealthy when the newest verified backup is older than two schedule periods. The clock starts
/// at this process's start when that is later (a fresh install, or a restart after downtime), so a new graph is
/// healthy while its first backups are still to come, and a missed run is caught up before it alarms.
/// </summary>
public sealed class BackupHealthCheck(BackupState state, CronSchedule schedule, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Evaluate(state.LastVerifiedAt, state.StartedAt, time.GetUtcNow(), schedule));

    public static HealthCheckResult Evaluate(DateTimeOffset? lastVerified, DateTimeOffset startedAt, DateTimeOffset now, CronSchedule schedule)
    {
        var allowed = schedule.LongestGap(now) * 2;
        var reference = lastVerified is { } verified && verified > startedAt ? verified : startedAt;
        var data = new Dictionary<string, object> { ["last_verified"] = lastVerified?.ToString("O") ?? "never" };
        if (now - reference <= allowed)
        {
            return HealthCheckResult.Healthy(lastVerified is null ? "No verified backup yet (within the first two periods)." : "Backups are current.", data);
        }

        return HealthCheckResult.Unhealthy(lastVerified is null
            ? $"No backup has verified in {(now - startedAt).TotalHours:0.#} h (two schedule periods are {allowed.TotalHours:0.#} h)."
            : $"The last verified backup is {(now - lastVerified.Value).TotalHours:0.#} h old; more than two schedule periods ({allowed.TotalHours:0.#} h).", data: data);
    }
}
