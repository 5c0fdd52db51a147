using System.Globalization;
using SmsBridge.Data.Caching;
using StackExchange.Redis;

namespace SmsBridge.Receiver.Verification;

/// <summary>
/// The short-lived half of verification, in Redis: live codes, verified marks and the record of which SMS consumed a code.
/// Each step is one Lua script (one round trip, its rate limits counted inside, see <see cref="RateWindows.Lua"/>), so a crash
/// never leaves half of a multi-key change.
/// </summary>
public sealed class CodeStore(IConnectionMultiplexer redis) : ICodeValidation
{
    // Own KEYS: mobile-code, then candidate code keys; own ARGV: mobile, ttl ms, now ms, candidate codes.
    private const string IssueScript = RateWindows.Lua + """
        local over = limited()
        if over > 0 then return {'limited', over} end
        local existing = redis.call('GET', KEYS[k + 1])
        if existing then return {existing, redis.call('PTTL', KEYS[k + 1])} end
        for i = k + 2, #KEYS do
          if redis.call('SET', KEYS[i], ARGV[a + 1], 'NX', 'PX', ARGV[a + 2]) then
            local value = ARGV[a + 2 + i - k] .. '|' .. ARGV[a + 3]
            redis.call('SET', KEYS[k + 1], value, 'PX', ARGV[a + 2])
            return {value, tonumber(ARGV[a + 2])}
          end
        end
        return {'exhausted'}
        """;

    // Own KEYS: verified (of the mobile).
    private const string VerifiedScript = RateWindows.Lua + """
        local over = limited()
        if over > 0 then return {'limited', over} end
        return {'mark', redis.call('GET', KEYS[k + 1])}
        """;

    // KEYS: code, consumed-by (of the code), verified (of the sender). ARGV: message id, sender, whether the code's mobile must
    // be the sender ('1'), whether the checks that need no cache let it through ('1'), verified ttl ms, now ms, code, and the
    // mobile-code key prefix (the code's mobile is only known here). Idempotent per message: a retry after a crash finds its
    // own consumption and reports it.
    private const string ValidateScript = """
        if redis.call('GET', KEYS[2]) == ARGV[1] then return {'consumed'} end
        local owner = redis.call('GET', KEYS[1])
        if not owner then return {'gone'} end
        if ARGV[4] ~= '1' or (ARGV[3] == '1' and owner ~= ARGV[2]) then return {'live', owner} end
        redis.call('DEL', KEYS[1], ARGV[8] .. owner)
        redis.call('SET', KEYS[3], ARGV[7] .. '|' .. ARGV[6], 'PX', ARGV[5])
        redis.call('SET', KEYS[2], ARGV[1], 'PX', ARGV[5])
        return {'verified', owner}
        """;

    private const int Candidates = 4;

    private IDatabase Db => redis.GetDatabase();

    /// <summary>
    /// After the rate limits, the live code for a mobile (the same one again while unexpired) or a new unique one; or the
    /// exceeded window; or neither when every candidate collided (a code space nearly full: <c>hash_length</c> too short).
    /// </summary>
    public async Task<Issue> IssueAsync(string mobile, int length, TimeSpan ttl, DateTimeOffset now, IReadOnlyList<RateWindow> limits)
    {
        var codes = Enumerable.Range(0, Candidates).Select(_ => VerificationCodes.Generate(length)).ToArray();
        RedisKey[] keys = [.. WindowKeys(limits), RedisKeys.MobileCode(mobile), .. codes.Select(c => (RedisKey)RedisKeys.Code(c))];
        RedisValue[] args = [.. WindowArgs(limits), mobile, (long)ttl.TotalMilliseconds, now.ToUnixTimeMilliseconds(), .. codes.Select(c => (RedisValue)c)];
        var parts = (RedisResult[])(await Db.ScriptEvaluateAsync(IssueScript, keys, args))!;
        var first = (string)parts[0]!;
        if (first == "limited") return new Issue(null, limits[(int)parts[1] - 1]);
        if (first == "exhausted") return new Issue(null, null);
        var value = first.Split('|');
        return new Issue(new IssuedCode(value[0], DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(value[1], CultureInfo.InvariantCulture))), null);
    }

    /// <summary>After the rate limits, the verified mark of a mobile: the code it used and when, or null; or the exceeded window.</summary>
    public async Task<(VerifiedMark? Mark, RateWindow? Limited)> GetVerifiedAsync(string mobile, IReadOnlyList<RateWindow> limits)
    {
        var parts = (RedisResult[])(await Db.ScriptEvaluateAsync(VerifiedScript, [.. WindowKeys(limits), RedisKeys.Verified(mobile)],
            [.. WindowArgs(limits)]))!;
        if ((string)parts[0]! == "limited") return (null, limits[(int)parts[1] - 1]);
        if (parts[1].IsNull) return (null, null);
        var value = ((string)parts[1]!).Split('|');
        return (new VerifiedMark(value[0], DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(value[1], CultureInfo.InvariantCulture))), null);
    }

    /// <summary>One SMS's code in one round trip (see <see cref="ICodeValidation"/>).</summary>
    public async Task<CodeCheck> ValidateAsync(string code, Guid messageId, string sender, bool senderMustOwnCode, bool othersPassed,
        TimeSpan verifiedTtl, DateTimeOffset now)
    {
        var parts = (RedisResult[])(await Db.ScriptEvaluateAsync(ValidateScript,
            [RedisKeys.Code(code), RedisKeys.Consumed(code), RedisKeys.Verified(sender)],
            [messageId.ToString(), sender, senderMustOwnCode ? "1" : "0", othersPassed ? "1" : "0", (long)verifiedTtl.TotalMilliseconds,
                now.ToUnixTimeMilliseconds(), code, RedisKeys.MobileCode("")]))!;
        return (string)parts[0]! switch
        {
            "consumed" => new CodeCheck(null, ConsumedByThisMessage: true, Consumed: true),
            "gone" => new CodeCheck(null, false, false),
            var state => new CodeCheck((string)parts[1]!, false, Consumed: state == "verified"),
        };
    }

    public Task ClearVerifiedAsync(string mobile) => Db.KeyDeleteAsync(RedisKeys.Verified(mobile));

    private static IEnumerable<RedisKey> WindowKeys(IReadOnlyList<RateWindow> limits) => limits.Select(w => (RedisKey)w.Key);

    private static IEnumerable<RedisValue> WindowArgs(IReadOnlyList<RateWindow> limits) =>
        [limits.Count, .. limits.Select(w => (RedisValue)w.Permits), .. limits.Select(w => (RedisValue)w.LengthMs)];
}

/// <summary>What a registration got: a code, or the rate window it exceeded, or (both null) no unique code.</summary>
public sealed record Issue(IssuedCode? Code, RateWindow? Limited);

public sealed record IssuedCode(string Code, DateTimeOffset GeneratedAt);

public sealed record VerifiedMark(string Code, DateTimeOffset VerifiedAt);

/// <summary>
/// A code as one SMS found it: the mobile it was issued to (null when not live), whether this very message consumed it
/// before (a crash came between consuming and recording), and whether it is consumed now.
/// </summary>
public sealed record CodeCheck(string? CodeMobile, bool ConsumedByThisMessage, bool Consumed);
