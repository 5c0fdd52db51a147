using System.Diagnostics;
using Microsoft.Extensions.Options;
using Npgsql;
using SmsBridge.Data.Notifications;
using SmsBridge.Data.Outbox;
using SmsBridge.Data.Settings;
using SmsBridge.Receiver.Security;
using SmsBridge.ServiceDefaults.Telemetry;

namespace SmsBridge.Receiver.Delivery;

/// <summary>
/// Delivers committed hand-offs to the backend's <c>sync_url</c>: woken by the outbox's NOTIFY (from any receiver), polling
/// only as a fallback. Several instances share the outbox
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
                await DeliverDueAsync(stoppingToken);
                await _signal.WaitAsync(_options.PollInterval, stoppingToken);
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
    /// Delivers due hand-offs batch after batch while there are any: each batch's attempts are recorded in the same round trip
    /// that claims the next one. Then the worker waits for a wake-up: a NOTIFY for each new hand-off, the poll for retries that
    /// come due.
    /// </summary>
    private async Task DeliverDueAsync(CancellationToken cancellationToken)
    {
        if (_settings.Current.SyncUrl is null || _circuit.IsOpen) return;
        var batch = await _outbox.ClaimDueAsync(_options.BatchSize, _options.Lease, cancellationToken);
        while (batch.Count > 0)
        {
            var attempts = new System.Collections.Concurrent.ConcurrentBag<SentAttempt>();
            // Read per batch: a backend changed meanwhile gets the next batch (claimed rows of a removed one wait out their lease).
            if (_settings.Current.SyncUrl is { } syncUrl)
            {
                var target = new Uri(syncUrl);
                await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = _options.Concurrency, CancellationToken = cancellationToken },
                    async (entry, token) =>
                    {
                        if (await DeliverAsync(entry, target, token) is { } record) attempts.Add(record);
                    });
            }

            var more = _settings.Current.SyncUrl is not null && !_circuit.IsOpen;
            try
            {
                batch = await _outbox.RecordAsync([.. attempts.Select(a => a.Record)], more ? (_options.BatchSize, _options.Lease) : null,
                    cancellationToken);
                foreach (var (record, span) in attempts)
                {
                    using (SpanScope.Enter(span)) Finished(record);
                }
            }
            finally
            {
                foreach (var (_, span) in attempts) span?.Dispose();
            }
        }
    }

    /// <summary>An attempt made, and its span, left open until the batch has recorded it (its log line belongs to the trace).</summary>
    private sealed record SentAttempt(AttemptRecord Record, Activity? Span);

    /// <summary>One attempt at one hand-off; null when the circuit kept it back (the row is given back for later).</summary>
    private async Task<SentAttempt?> DeliverAsync(OutboxEntry entry, Uri target, CancellationToken cancellationToken)
    {
        if (!_circuit.TryEnter())
        {
            await _outbox.ReleaseAsync(entry, _time.GetUtcNow() + _options.BreakerOpenDuration, cancellationToken);
            return null;
        }

        // A child of the PIN setup that queued it, so one trace runs from register to the backend's webhook.
        var activity = Activities.StartActivity("deliver webhook", ActivityKind.Internal, entry.TraceParent);
        try
        {
            activity?.SetTag("smsbridge.event_id", entry.Id.ToString());
            activity?.SetTag("smsbridge.attempt", entry.Attempts);
            var payload = new WebhookPayload(entry.Id, entry.Mobile, _pins.Decrypt(entry.PinCiphertext), entry.Hash, entry.VerifiedAt.UtcDateTime);
            var attempt = await _sender.PostAsync(target, entry.Id.ToString(), payload, cancellationToken);
            _metrics.Attempted(attempt);
            return new SentAttempt(Judged(entry, attempt), activity);
        }
        catch
        {
            activity?.Dispose();
            throw;
        }
    }

    private AttemptRecord Judged(OutboxEntry entry, DeliveryAttempt attempt)
    {
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
