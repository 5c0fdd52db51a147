namespace SmsBridge.Benchmarks.Costs;

/// <summary>The graph's Redis as the command-line tools address it, from a StackExchange.Redis connection string ("host:port,password=…").</summary>
public sealed record RedisEndpoint(string Host, string Port, string? Password)
{
    public static RedisEndpoint Parse(string connectionString)
    {
        var parts = connectionString.Split(',');
        var endpoint = parts[0].Split(':');
        var password = parts.Skip(1).Select(p => p.Split('=', 2)).Where(p => p[0] == "password").Select(p => p[1]).SingleOrDefault();
        return new RedisEndpoint(endpoint[0], endpoint[1], password);
    }

    /// <summary>-h, -p and (a throwaway graph's password, on loopback) -a, as redis-cli and redis-benchmark take them.</summary>
    public List<string> Arguments() => Password is null ? ["-h", Host, "-p", Port] : ["-h", Host, "-p", Port, "-a", Password];
}
