using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using SmsBridge.Data.Outbox;
using SmsBridge.Data.Settings;

namespace SmsBridge.Receiver.Delivery;

/// <summary>
/// Refreshes the outbox figures behind the delivery gauges and the <c>workers</c> health check, and picks up
/// recovery requests whose NOTIFY was missed.
/// </summary>
public sealed class OutboxMonitor(Outbox outbox, Recovery recovery, DeliveryMetrics metrics, TimeProvider time, ILogger<OutboxMonitor> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(5), time);
        do
        {
            try
            {
                metrics.Stats = await outbox.StatsAsync(stoppingToken);
                await recovery.ProcessRequestsAsync(stoppingToken);
            }
            catch (NpgsqlException ex)
            {
                logger.LogDebug("Outbox figures not refreshed: {Reason}", ex.Message);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

/// <summary><c>workers</c>: degraded while the oldest undelivered hand-off is older than the settings allow.</summary>
public sealed class DeliveryHealthCheck(DeliveryMetrics metrics, SettingsStore settings) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var limit = TimeSpan.FromSeconds(settings.Current.Delivery.DegradedAfterSeconds);
        return Task.FromResult(metrics.OldestAge() is { } age && age > limit
            ? HealthCheckResult.Degraded($"The oldest undelivered hand-off is {age.TotalSeconds:0} s old.")
            : HealthCheckResult.Healthy());
    }
}
