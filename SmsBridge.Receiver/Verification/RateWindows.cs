using SmsBridge.Data.Caching;

namespace SmsBridge.Receiver.Verification;

/// <summary>
/// Fixed-window rate limits in Redis, shared by every receiver instance: this builds each limit's current window and holds
/// the Lua that counts them; the counting happens inside the script of the step they guard (<see cref="CodeStore"/>), so a
/// limited request costs no round trip of its own.
/// </summary>
public sealed class RateWindows(TimeProvider time)
{
    /// <summary>
    /// Lua prefix of every script that counts windows: ARGV[1] is how many (n), KEYS[1..n] their counters, ARGV[2..n+1]
    /// their permits and ARGV[n+2..2n+1] their lengths in ms. <c>limited()</c> counts each in turn and returns the first one
    /// exceeded (1-based), or 0; a window after an exceeded one is not counted. The script's own keys start at KEYS[n+1], its
    /// own arguments at ARGV[2n+2].
    /// </summary>
    public const string Lua = """
        local windows = tonumber(ARGV[1])
        local function limited()
          for i = 1, windows do
            local n = redis.call('INCR', KEYS[i])
            if n == 1 then redis.call('PEXPIRE', KEYS[i], ARGV[1 + windows + i]) end
            if n > tonumber(ARGV[1 + i]) then return i end
          end
          return 0
        end
        local k, a = windows, 1 + 2 * windows

        """;

    /// <summary>The current window of a limit: its counter and how long until it ends.</summary>
    public RateWindow Window(string limit, string subject, int permits, TimeSpan length)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var lengthMs = (long)length.TotalMilliseconds;
        var index = now / lengthMs;
        return new RateWindow(RedisKeys.Rate(limit, subject, index), permits, lengthMs, TimeSpan.FromMilliseconds((index + 1) * lengthMs - now));
    }
}

/// <summary>One fixed window: its Redis counter, the uses it allows, its length, and the wait until the next one.</summary>
public sealed record RateWindow(string Key, int Permits, long LengthMs, TimeSpan RetryAfter);
