using System.Globalization;
using SmsBridge.Data.Caching;
using StackExchange.Redis;

namespace SmsBridge.Receiver.Onboarding;

/// <summary>
/// The short-lived half of verification, in Redis: live codes, verified marks and the record of which SMS
/// consumed a code. Every multi-key change is one Lua script, so a crash never leaves half of it.
/// </summary>
public sealed class CodeStore(IConnectionMultiplexer redis)
{
    // KEYS[1] mobile-code, KEYS[2..] candidate code keys; ARGV: mobile, ttl ms, now ms, candidate codes.
    private const string IssueScript = """
        local existing = redis.call('GET', KEYS[1])
        if existing then return {existing, redis.call('PTTL', KEYS[1])} end
        for i = 2, #KEYS do
          if redis.call('SET', KEYS[i], ARGV[1], 'NX', 'PX', ARGV[2]) then
            local value = ARGV[2 + i] .. '|' .. ARGV[3]
            redis.call('SET', KEYS[1], value, 'PX', ARGV[2])
            return {value, tonumber(ARGV[2])}
          end
        end
        return false
        """;

    // KEYS: code, mobile-code (of the code's mobile), verified (of the sender), consumed-by.
    // ARGV: expected mobile, code, message id, verified ttl ms, now ms.
    // Idempotent per message: a retry after a crash finds its own consumption and reports success.
    private const string ConsumeScript = """
        if redis.call('GET', KEYS[4]) == ARGV[3] then return 1 end
        if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
        redis.call('DEL', KEYS[1], KEYS[2])
        redis.call('SET', KEYS[3], ARGV[2] .. '|' .. ARGV[5], 'PX', ARGV[4])
        redis.call('SET', KEYS[4], ARGV[3], 'PX', ARGV[4])
        return 1
        """;

    private IDatabase Db => redis.GetDatabase();

    /// <summary>The live code for a mobile (the same one again while unexpired), or a new unique one.</summary>
    public async Task<IssuedCode> IssueAsync(string mobile, int length, TimeSpan ttl, DateTimeOffset now)
    {
        const int candidates = 4;
        var codes = Enumerable.Range(0, candidates).Select(_ => VerificationCodes.Generate(length)).ToArray();
        var keys = new RedisKey[] { RedisKeys.MobileCode(mobile) }.Concat(codes.Select(c => (RedisKey)RedisKeys.Code(c))).ToArray();
        var args = new RedisValue[] { mobile, (long)ttl.TotalMilliseconds, now.ToUnixTimeMilliseconds() }
            .Concat(codes.Select(c => (RedisValue)c)).ToArray();
        var result = await Db.ScriptEvaluateAsync(IssueScript, keys, args);
        if (result.IsNull)
        {
            // Four collisions in a row means the code space is nearly full: a configuration problem, not bad luck.
            throw new InvalidOperationException("No unique code could be issued; increase hash_length.");
        }

        var parts = (RedisResult[])result!;
        var value = ((string)parts[0]!).Split('|');
        var generatedAt = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(value[1], CultureInfo.InvariantCulture));
        return new IssuedCode(value[0], generatedAt);
    }

    /// <summary>Who a code was issued to (null when not live), and whether this message already consumed it.</summary>
    public async Task<(string? Mobile, bool ConsumedByThisMessage)> InspectAsync(string code, Guid messageId)
    {
        var values = await Db.StringGetAsync([RedisKeys.Code(code), RedisKeys.Consumed(code)]);
        return (values[0].IsNull ? null : (string?)values[0], values[1] == messageId.ToString());
    }

    /// <summary>Consumes the code and marks <paramref name="sender"/> verified, atomically; false when the code is gone.</summary>
    public async Task<bool> ConsumeAsync(string code, string codeMobile, string sender, Guid messageId, TimeSpan verifiedTtl,
        DateTimeOffset now)
    {
        var result = await Db.ScriptEvaluateAsync(ConsumeScript,
            [RedisKeys.Code(code), RedisKeys.MobileCode(codeMobile), RedisKeys.Verified(sender), RedisKeys.Consumed(code)],
            [codeMobile, code, messageId.ToString(), (long)verifiedTtl.TotalMilliseconds, now.ToUnixTimeMilliseconds()]);
        return (int)result == 1;
    }

    /// <summary>The verified mark of a mobile: the code it used and when, or null.</summary>
    public async Task<VerifiedMark?> GetVerifiedAsync(string mobile)
    {
        var value = await Db.StringGetAsync(RedisKeys.Verified(mobile));
        if (value.IsNull) return null;
        var parts = ((string)value!).Split('|');
        return new VerifiedMark(parts[0], DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[1], CultureInfo.InvariantCulture)));
    }

    public Task ClearVerifiedAsync(string mobile) => Db.KeyDeleteAsync(RedisKeys.Verified(mobile));
}

public sealed record IssuedCode(string Code, DateTimeOffset GeneratedAt);

public sealed record VerifiedMark(string Code, DateTimeOffset VerifiedAt);
