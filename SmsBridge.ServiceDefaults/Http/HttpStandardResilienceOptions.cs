namespace SmsBridge.ServiceDefaults.Http;

/// <summary>
/// The standard handler's settings, with Aspire's defaults. Named per HttpClient, so one client can
/// override them (<c>AddStandardResilienceHandler(o => …)</c>) or switch the handler off.
/// </summary>
public sealed class HttpStandardResilienceOptions
{
    public bool Enabled { get; set; } = true;
    public TimeSpan TotalRequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public int MaxRetryAttempts { get; set; } = 3;
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A server's <c>Retry-After</c> is honoured up to this long; beyond it the request fails instead of waiting.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(30);

    public double BreakerFailureRatio { get; set; } = 0.1;
    public int BreakerMinimumThroughput { get; set; } = 100;
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}
