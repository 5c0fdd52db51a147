using System.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;
using SmsBridge.Data.Notifications;
using SmsBridge.Data.Outbox;
using SmsBridge.Data.Settings;
using SmsBridge.Receiver.Security;

namespace SmsBridge.Receiver.Delivery;

/// <summary>
/// Delivers committed hand-offs to the backend's <c>sync_url</c>: woken by the PIN setup in this process or
/// by the outbox's NOTIFY from another, polling only as a fallback. Several instances share the outbox
/// safely (claims are leased with SKIP LOCKED); a mobile's hand-offs go out in order.
/// </summary>
public sealed class DeliveryWorker : BackgroundService
{
    private static readonly ActivitySource Activities = new("SmsBridge.Receiver.Delivery");

    private readonly Outbox _outbox;
    private readonly WebhookSender _sender;
    private readonly PinProtector _pins;
    private readonly SettingsStore _settings;
    private readonly DeliverySignal _signal;
    private readonly DeliveryMetrics _metrics;
    private readonly DeliveryOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<DeliveryWorker> _logger;
    private readonly DeliveryCircuit _circuit;

    public DeliveryWorker(Outbox outbox, WebhookSender sender, PinProtector pins, SettingsStore settings, DeliverySignal signal,
        DatabaseNotifications notifications, DeliveryMetrics metrics, IOptions<DeliveryOptions> options, TimeProvider time,
        ILogger<DeliveryWorker> logger)
    {
        (_outbox, _sender, _pins, _settings, _signal, _metrics, _options, _time, _logger) =
            (outbox, sender, pins, settings, signal, metrics, options.Value, time, logger);
        _circuit = new DeliveryCircuit(_options.BreakerFailureThreshold, _options.BreakerOpenDuration, time);
        notifications.Subscribe(DatabaseChannels.OutboxQueued, _ =>
        {
            signal.Wake();
            return Task.CompletedTask;
        });
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await DeliverDueAsync(stoppingToken)) await _signal.WaitAsync(_options.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (NpgsqlException ex)
            {
                _logger.LogWarning("Delivery paused: the database is unavailable ({Reason})", ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), _time, stoppingToken);
            }
        }
    }

    /// <summary>
    /// Delivers one batch of due hand-offs and records every attempt of it in one statement batch; true when the batch was
    /// full (more may be due at once). Otherwise the worker waits for a wake-up: a NOTIFY for each new hand-off, the poll for
    /// retries that come due.
    /// </summary>
    private async Task<bool> DeliverDueAsync(CancellationToken cancellationToken)
    {
        if (_settings.Current.SyncUrl is not { } syncUrl || _circuit.IsOpen) return false;
        var batch = await _outbox.ClaimDueAsync(_options.BatchSize, _options.Lease, cancellationToken);
        if (batch.Count == 0) return false;
        var attempts = new System.Collections.Concurrent.ConcurrentBag<AttemptRecord>();
        await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = _options.Concurrency, CancellationToken = cancellationToken },
            async (entry, token) =>
            {
                if (await DeliverAsync(entry, new Uri(syncUrl), token) is { } record) attempts.Add(record);
            });
        await _outbox.RecordAsync(attempts, cancellationToken);
        foreach (var record in attempts) Finished(record);
        return batch.Count == _options.BatchSize;
    }

    /// <summary>One attempt at one hand-off; null when the circuit kept it back (the row is given back for later).</summary>
    private async Task<AttemptRecord?> DeliverAsync(OutboxEntry entry, Uri target, CancellationToken cancellationToken)
    {
        if (!_circuit.TryEnter())
        {
            await _outbox.ReleaseAsync(entry, _time.GetUtcNow() + _options.BreakerOpenDuration, cancellationToken);
            return null;
        }

        // A child of the PIN setup that queued it, so one trace runs from register to the backend's webhook.
        using var activity = Activities.StartActivity("deliver webhook", ActivityKind.Internal, entry.TraceParent);
        activity?.SetTag("smsbridge.event_id", entry.Id.ToString());
        activity?.SetTag("smsbridge.attempt", entry.Attempts);
        var payload = new WebhookPayload(entry.Id, entry.Mobile, _pins.Decrypt(entry.PinCiphertext), entry.Hash, entry.VerifiedAt.UtcDateTime);
        var attempt = await _sender.PostAsync(target, entry.Id.ToString(), payload, cancellationToken);
        _metrics.Attempted(attempt);
        switch (WebhookSender.Judge(attempt))
        {
            case DeliveryVerdict.Delivered:
                _circuit.Succeeded();
                return new AttemptRecord(entry, attempt, DeliveryVerdict.Delivered);
            case DeliveryVerdict.DeadLetter:
                _circuit.Succeeded(); // the backend answered; it refused this one
                return new AttemptRecord(entry, attempt, DeliveryVerdict.DeadLetter);
            default:
                _circuit.Failed();
                var next = _time.GetUtcNow() + Backoff.Next(entry.Attempts, _options.RetryBaseDelay, _options.RetryMaxDelay, attempt.RetryAfter,
                    Random.Shared);
                return next > entry.RetryUntil
                    ? new AttemptRecord(entry, attempt, DeliveryVerdict.DeadLetter)
                    : new AttemptRecord(entry, attempt, DeliveryVerdict.Retry, next);
        }
    }

    /// <summary>Counts and logs an attempt once it is recorded.</summary>
    private void Finished(AttemptRecord record)
    {
        switch (record.Verdict)
        {
            case DeliveryVerdict.Delivered:
                _logger.LogInformation("Hand-off {EventId} delivered on attempt {Attempts}", record.Entry.Id, record.Entry.Attempts);
                _metrics.Finished("delivered");
                break;
            case DeliveryVerdict.DeadLetter:
                _metrics.Finished("dead_letter");
                _logger.LogWarning("Hand-off {EventId} moved to dead-letter after {Attempts} attempt(s): {Reason}", record.Entry.Id,
                    record.Entry.Attempts, record.Attempt.Describe());
                break;
            default:
                _metrics.Finished("retry");
                break;
        }
    }
}
