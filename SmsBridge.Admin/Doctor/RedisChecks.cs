using System.Net;
using System.Net.Sockets;
using System.Text;
using StackExchange.Redis;

namespace SmsBridge.Admin.Doctor;

/// <summary>
/// Redis as the services meet it: a connection without credentials must be refused, the server must not be reached on a
/// public address, persistence as deploy/redis/redis.conf documents it (append-only file on, last save ok), a supported version.
/// </summary>
public sealed class RedisChecks(string connectionString, TimeProvider time) : IDoctorCheck
{
    public string Area => "redis";

    public async Task<IReadOnlyList<CheckResult>> RunAsync(CancellationToken cancellationToken)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        var endpoint = options.EndPoints.First();
        var (host, port) = endpoint switch
        {
            DnsEndPoint dns => (dns.Host, dns.Port),
            IPEndPoint ip => (ip.Address.ToString(), ip.Port),
            _ => throw new InvalidOperationException($"cannot read the Redis endpoint {endpoint}"),
        };
        var addresses = await Dns.GetHostAddressesAsync(host, cancellationToken);
        var results = new List<CheckResult> { await PasswordRequiredAsync(addresses[0], port, cancellationToken) };
        var exposed = addresses.Where(IsPublic).ToList();
        results.Add(exposed.Count == 0
            ? CheckResult.Pass("redis.bind", $"{host} is {string.Join(", ", addresses.Select(a => a.ToString()))}: not a public address")
            : CheckResult.Fail("redis.bind", $"{host} resolves to the public address {exposed[0]}",
                "bind Redis to the internal network only (deploy/redis/redis.conf `bind`) and reach it by its internal name"));

        options.AbortOnConnectFail = true;
        options.ConnectTimeout = 5000;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        var info = Parse((string)(await redis.GetDatabase().ExecuteAsync("INFO", "server", "persistence"))!);
        var aof = info.GetValueOrDefault("aof_enabled") == "1";
        var saved = info.GetValueOrDefault("rdb_last_bgsave_status") == "ok" && info.GetValueOrDefault("aof_last_write_status", "ok") == "ok";
        results.Add(aof && saved
            ? CheckResult.Pass("redis.persistence", "appendonly on, last save and write ok")
            : CheckResult.Fail("redis.persistence", $"aof_enabled={info.GetValueOrDefault("aof_enabled")}, rdb_last_bgsave_status={info.GetValueOrDefault("rdb_last_bgsave_status")}",
                "turn on appendonly as deploy/redis/redis.conf does, and check the data volume has room"));
        var version = info.GetValueOrDefault("redis_version") ?? "unknown";
        var line = string.Join('.', version.Split('.').Take(2));
        results.Add(SupportWindows.Judge("redis.version", "Redis", version, SupportWindows.Redis.TryGetValue(line, out var end) ? end : null,
            time.GetUtcNow(), "upgrade Redis to a maintained release line"));
        return results;
    }

    /// <summary>PING without AUTH on a raw connection: a server that answers PONG lets anyone in.</summary>
    private static async Task<CheckResult> PasswordRequiredAsync(IPAddress address, int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        await client.ConnectAsync(address, port, timeout.Token);
        var stream = client.GetStream();
        await stream.WriteAsync("PING\r\n"u8.ToArray(), timeout.Token);
        var buffer = new byte[256];
        var read = await stream.ReadAsync(buffer, timeout.Token);
        var reply = Encoding.ASCII.GetString(buffer, 0, read).Trim();
        return reply.StartsWith("+PONG", StringComparison.Ordinal)
            ? CheckResult.Fail("redis.password", $"{address}:{port} answered PING without a password",
                "set a password (requirepass, or the ACL users of deploy/redis) and give it to the services")
            : CheckResult.Pass("redis.password", $"PING without a password: {reply}");
    }

    private static bool IsPublic(IPAddress address)
    {
        if (IPAddress.IsLoopback(address)) return false;
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        byte[] b = address.GetAddressBytes();
        return address.AddressFamily == AddressFamily.InterNetwork
            ? !(b[0] == 10 || (b[0] == 172 && b[1] is >= 16 and <= 31) || (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254))
            : !(address.IsIPv6LinkLocal || address.IsIPv6UniqueLocal || address.IsIPv6SiteLocal);
    }

    private static Dictionary<string, string> Parse(string info) =>
        info.Split('\n').Select(l => l.Trim()).Where(l => l.Contains(':') && !l.StartsWith('#'))
            .Select(l => l.Split(':', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
}
