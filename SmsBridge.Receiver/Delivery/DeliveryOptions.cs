namespace SmsBridge.Receiver.Delivery;

/// <summary>
/// Bound from <c>Delivery</c>: how the worker paces itself. The business policy (how long to keep trying)
/// is in the settings (<c>delivery.retry_period_hours</c>).
/// </summary>
public sealed class DeliveryOptions
{
    /// <summary>Full-jitter exponential backoff: attempt n waits random(0, min(cap, base × 2^(n-1))).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(5);

    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>One POST may take this long; the lease below must be longer.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A claimed row is invisible to other workers this long. If the claiming process dies, the row is
    /// delivered again after the lease (at least once).
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The fallback poll, for wake-ups both the in-process signal and NOTIFY missed.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(5);

    public int BatchSize { get; set; } = 100;

    public int Concurrency { get; set; } = 16;

    /// <summary>Consecutive failed attempts that open the circuit to the backend.</summary>
    public int BreakerFailureThreshold { get; set; } = 5;

    /// <summary>How long the circuit stays open before one probe delivery is let through.</summary>
    public TimeSpan BreakerOpenDuration { get; set; } = TimeSpan.FromSeconds(15);
}
