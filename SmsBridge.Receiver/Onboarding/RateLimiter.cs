using SmsBridge.Data.Caching;
using StackExchange.Redis;

namespace SmsBridge.Receiver.Onboarding;

/// <summary>Fixed-window counters in Redis, shared by every receiver instance.</summary>
public sealed class RateLimiter(IConnectionMultiplexer redis, TimeProvider time)
{
    private const string CountScript = """
        local n = redis.call('INCR', KEYS[1])
        if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        return n
        """;

    /// <summary>Counts one use; returns how long to wait when the limit is exceeded, or null when allowed.</summary>
    public async Task<TimeSpan?> TryAcquireAsync(string limit, string subject, int permits, TimeSpan window)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var windowMs = (long)window.TotalMilliseconds;
        var index = now / windowMs;
        var count = (long)await redis.GetDatabase().ScriptEvaluateAsync(CountScript,
            [RedisKeys.Rate(limit, subject, index)], [windowMs]);
        return count <= permits ? null : TimeSpan.FromMilliseconds((index + 1) * windowMs - now);
    }
}
