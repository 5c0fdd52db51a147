namespace SmsBridge.Receiver.Delivery;

/// <summary>Exponential backoff with full jitter (AWS's "full jitter"): spreads retries so a recovering backend is not stampeded.</summary>
public static class Backoff
{
    public static TimeSpan Next(int attempt, TimeSpan baseDelay, TimeSpan maxDelay, TimeSpan? retryAfter, Random random)
    {
        if (retryAfter is { } wait && wait > TimeSpan.Zero) return wait < maxDelay ? wait : maxDelay;
        var ceiling = baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        return TimeSpan.FromMilliseconds(random.NextDouble() * Math.Min(ceiling, maxDelay.TotalMilliseconds));
    }
}
