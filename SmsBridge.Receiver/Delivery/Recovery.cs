using Npgsql;
using SmsBridge.Data.Audit;
using SmsBridge.Data.Notifications;
using SmsBridge.Data.Outbox;
using SmsBridge.Data.Recovery;
using SmsBridge.Data.Settings;

namespace SmsBridge.Receiver.Delivery;

/// <summary>
/// Carries out <c>POST /admin/trigger-recovery</c>: the admin service files a row in recovery_requests; one
/// receiver instance claims it, re-queues every dead-lettered hand-off in the same transaction, and, when
/// <c>recovery_url</c> is set, posts a signed summary of what was re-queued.
/// </summary>
public sealed class Recovery
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly SettingsStore _settings;
    private readonly WebhookSender _sender;
    private readonly DeliverySignal _signal;
    private readonly AuditLog _audit;
    private readonly TimeProvider _time;
    private readonly ILogger<Recovery> _logger;

    public Recovery(NpgsqlDataSource dataSource, SettingsStore settings, WebhookSender sender, DeliverySignal signal, AuditLog audit,
        DatabaseNotifications notifications, TimeProvider time, ILogger<Recovery> logger)
    {
        (_dataSource, _settings, _sender, _signal, _audit, _time, _logger) = (dataSource, settings, sender, signal, audit, time, logger);
        notifications.Subscribe(DatabaseChannels.RecoveryRequested, ProcessRequestsAsync);
    }

    public async Task ProcessRequestsAsync(CancellationToken cancellationToken)
    {
        while (await ProcessOneAsync(cancellationToken) is { } summary)
        {
            _signal.Wake();
            await _audit.RecordAsync(new AuditEvent(_time.GetUtcNow(), "delivery.recovered", summary.RequestedBy, null, null,
                new Dictionary<string, object?> { ["request_id"] = summary.RequestId, ["requeued"] = summary.Requeued }), cancellationToken);
            if (_settings.Current.RecoveryUrl is { } url)
            {
                var attempt = await _sender.PostAsync(new Uri(url), $"recovery-{summary.RequestId}", summary, cancellationToken);
                _logger.LogInformation("Recovery summary {RequestId} posted to recovery_url: {Result}", summary.RequestId,
                    attempt.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? attempt.ErrorClass);
            }
        }
    }

    private async Task<RecoverySummary?> ProcessOneAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await RecoveryRequests.ClaimNextAsync(transaction, cancellationToken) is not var (requestId, requestedBy)) return null;
        var requeued = await Outbox.RequeueDeadAsync(transaction, _settings.Current.Delivery.RetryPeriodHours, cancellationToken);
        await RecoveryRequests.FinishAsync(transaction, requestId, requeued.Count, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new RecoverySummary("recovery", requestId, requestedBy, requeued.Count, requeued, _time.GetUtcNow().UtcDateTime);
    }
}
