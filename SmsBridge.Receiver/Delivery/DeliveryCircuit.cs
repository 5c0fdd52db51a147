namespace SmsBridge.Receiver.Delivery;

/// <summary>
/// Stops hammering a backend that is down: after N consecutive failed attempts the circuit opens; once
/// the open period has passed, a single probe goes through, and its result closes or re-opens it.
/// </summary>
public sealed class DeliveryCircuit(int failureThreshold, TimeSpan openDuration, TimeProvider time)
{
    private readonly Lock _lock = new();
    private int _consecutiveFailures;
    private DateTimeOffset? _openUntil;
    private bool _probing;

    public bool IsOpen
    {
        get
        {
            lock (_lock) return _openUntil is { } until && (time.GetUtcNow() < until || _probing);
        }
    }

    /// <summary>May an attempt start now? While open, no; when the open period is over, exactly one probe.</summary>
    public bool TryEnter()
    {
        lock (_lock)
        {
            if (_openUntil is null) return true;
            if (time.GetUtcNow() < _openUntil || _probing) return false;
            _probing = true;
            return true;
        }
    }

    public void Succeeded()
    {
        lock (_lock)
        {
            _consecutiveFailures = 0;
            _openUntil = null;
            _probing = false;
        }
    }

    public void Failed()
    {
        lock (_lock)
        {
            _consecutiveFailures++;
            if (_probing || _consecutiveFailures >= failureThreshold) _openUntil = time.GetUtcNow() + openDuration;
            _probing = false;
        }
    }
}
