namespace SmsBridge.Data.Caching;

/// <summary>
/// Every Redis key SMS Bridge uses, in one place. Redis holds only short-lived state (codes, verified
/// marks, rate counters); PostgreSQL holds everything that must survive.
/// </summary>
public static class RedisKeys
{
    private const string Prefix = "sb:";

    /// <summary>A live code → the mobile it was issued to (TTL = ttl_hash_seconds).</summary>
    public static string Code(string code) => $"{Prefix}code:{code}";

    /// <summary>A mobile → its live code, so a repeated register returns the same code.</summary>
    public static string MobileCode(string mobile) => $"{Prefix}mobile-code:{mobile}";

    /// <summary>A mobile verified by SMS → the code it used (TTL = user_timelimit_seconds); consumed by PIN setup.</summary>
    public static string Verified(string mobile) => $"{Prefix}verified:{mobile}";

    /// <summary>Which SMS consumed a code, so re-processing that SMS after a crash finds it verified.</summary>
    public static string Consumed(string code) => $"{Prefix}consumed:{code}";

    /// <summary>A gateway request signature already seen (replay protection).</summary>
    public static string GatewaySignature(string signature) => $"{Prefix}gateway-signature:{signature}";

    /// <summary>A fixed-window counter for a rate limit.</summary>
    public static string Rate(string limit, string subject, long window) => $"{Prefix}rate:{limit}:{subject}:{window}";
}
