using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SmsBridge.Backup.Artefacts;
using SmsBridge.Backup.Catalogue;
using SmsBridge.Backup.Monitoring;
using SmsBridge.Backup.Running;
using SmsBridge.Data.Backups;
using SmsBridge.Data.Notifications;

namespace SmsBridge.Backup.Scheduling;

/// <summary>
/// Runs backups on the cron schedule and carries out the admin's requests as they arrive (LISTEN
/// <c>backup_requested</c>, with a slow poll as a safety net). At start, holding the lock, it marks what a
/// crash interrupted as failed, rebuilds the catalogue from disk, and catches up once if a slot was missed. Each slot
/// (the missed one included) is claimed in <see cref="BackupSlots"/> first, so several workers run it once.
/// </summary>
public sealed class BackupWorker : BackgroundService
{
    private static readonly TimeSpan RequestPoll = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CronSchedule _schedule;
    private readonly BackupRunner _runner;
    private readonly BackupRequestProcessor _requests;
    private readonly BackupCatalogue _catalogue;
    private readonly BackupStore _store;
    private readonly BackupLockProvider _locks;
    private readonly BackupSlots _slots;
    private readonly string _worker = $"{Environment.MachineName}/{Environment.ProcessId}";
    private readonly BackupState _state;
    private readonly BackupMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<BackupWorker> _logger;

    public BackupWorker(CronSchedule schedule, BackupRunner runner, BackupRequestProcessor requests,
        BackupCatalogue catalogue, BackupStore store, BackupLockProvider locks, BackupSlots slots, BackupState state, BackupMetrics metrics,
        DatabaseNotifications notifications, TimeProvider time, ILogger<BackupWorker> logger)
    {
        (_schedule, _runner, _requests, _catalogue, _store, _locks, _slots, _state, _metrics, _time, _logger) =
            (schedule, runner, requests, catalogue, store, locks, slots, state, metrics, time, logger);
        notifications.Subscribe(DatabaseChannels.BackupRequested, _ =>
        {
            _wake.Release();
            return Task.CompletedTask;
        });
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var missed = await StartUpAsync(stoppingToken);
        var next = _schedule.Next(_time.GetUtcNow());
        _logger.LogInformation("Backups on schedule '{Schedule}' (UTC); next at {Next:O}", _schedule, next);
        if (missed is { } slot) await RunScheduledAsync(slot, "a scheduled backup was missed while the worker was down", stoppingToken);

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _requests.DrainAsync(stoppingToken);
                var now = _time.GetUtcNow();
                if (now >= next)
                {
                    await RunScheduledAsync(next, $"slot {next:O}", stoppingToken);
                    next = _schedule.Next(_time.GetUtcNow());
                    continue;
                }

                await WaitForWorkAsync(next - now < RequestPoll ? next - now : RequestPoll, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException or IOException)
            {
                // The database is unreachable or a request could not be claimed: try again shortly.
                _logger.LogWarning("Backup worker loop: {Error}; retrying", ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(5), _time, stoppingToken);
            }
        }
    }

    /// <summary>Until a request is announced or <paramref name="wait"/> passed (on the injected clock).</summary>
    private async Task WaitForWorkAsync(TimeSpan wait, CancellationToken stoppingToken)
    {
        using var timeout = new CancellationTokenSource(wait, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
        try
        {
            await _wake.WaitAsync(linked.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            // The wait is over: time for the next slot or the next poll.
        }
    }

    /// <summary>Housekeeping under the lock; returns the missed slot to catch up, if any.</summary>
    private async Task<DateTimeOffset?> StartUpAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await using (await _locks.AcquireAsync(cancellationToken))
                {
                    var now = _time.GetUtcNow();
                    await _catalogue.FailInterruptedAsync(now, cancellationToken);
                    await BackupRequests.FailInterruptedAsync(_catalogue.DataSource, now, cancellationToken);
                    await _catalogue.SyncFromStoreAsync(_store, cancellationToken);
                }

                var lastVerified = await _catalogue.LatestVerifiedAsync(cancellationToken);
                if (lastVerified is { } verified) _state.Verified(verified);
                _metrics.Seed(lastVerified);
                var lastRun = await _catalogue.LatestRunAsync(cancellationToken);
                return _schedule.MissedSince(lastRun, _time.GetUtcNow()) ? _schedule.Next(lastRun!.Value) : null;
            }
            catch (BackupBusyException)
            {
                // A CLI run or another worker holds the lock; it does its own housekeeping.
                return null;
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException or IOException)
            {
                _logger.LogWarning("Backup worker start-up: {Error}; retrying in 5 s", ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(5), _time, cancellationToken);
            }
        }

        return null;
    }

    private async Task RunScheduledAsync(DateTimeOffset slot, string reason, CancellationToken cancellationToken)
    {
        if (!await _slots.TryClaimAsync(slot, _worker, _time.GetUtcNow(), cancellationToken))
        {
            _logger.LogInformation("Slot {Slot:O} is taken by another backup worker", slot);
            return;
        }

        _logger.LogInformation("Scheduled backup ({Reason})", reason);
        var progress = ProgressLines.To(_logger);
        try
        {
            await _runner.RunAsync("scheduled", progress, cancellationToken);
        }
        catch (BackupBusyException)
        {
            _logger.LogInformation("Skipped the scheduled backup: another backup operation is running");
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }
}
