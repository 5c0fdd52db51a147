using System.Diagnostics.Metrics;
using SmsBridge.Data.Outbox;

namespace SmsBridge.Receiver.Delivery;

/// <summary>Instruments of the outbound delivery (meter <c>SmsBridge.Receiver.Delivery</c>).</summary>
public sealed class DeliveryMetrics : IDisposable
{
    private readonly Meter _meter = new("SmsBridge.Receiver.Delivery");
    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _attemptDuration;
    private volatile OutboxStats? _stats;
    private readonly TimeProvider _time;

    public DeliveryMetrics(TimeProvider time)
    {
        _time = time;
        _deliveries = _meter.CreateCounter<long>("smsbridge.webhook.deliveries", "{attempt}", "Delivery attempts by result: delivered, retry or dead_letter.");
        _attemptDuration = _meter.CreateHistogram<double>("smsbridge.webhook.attempt.duration", "s", "Duration of one POST to the backend.");
        _meter.CreateObservableGauge("smsbridge.webhook.queue.depth", () => _stats?.Pending ?? 0, "{hand-off}", "Hand-offs waiting for delivery.");
        _meter.CreateObservableGauge("smsbridge.webhook.oldest.age", () => OldestAge()?.TotalSeconds ?? 0, "s", "Age of the oldest undelivered hand-off.");
        _meter.CreateObservableGauge("smsbridge.webhook.dead_letters", () => _stats?.DeadLetters ?? 0, "{hand-off}", "Hand-offs in the dead-letter state.");
    }

    public OutboxStats? Stats
    {
        get => _stats;
        set => _stats = value;
    }

    public TimeSpan? OldestAge() => _stats?.OldestPendingAt is { } oldest ? _time.GetUtcNow() - oldest : null;

    public void Attempted(DeliveryAttempt attempt) => _attemptDuration.Record(attempt.Latency.TotalSeconds,
        new KeyValuePair<string, object?>("http.response.status_code", attempt.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? attempt.ErrorClass));

    public void Finished(string outcome) => _deliveries.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    public void Dispose() => _meter.Dispose();
}
