using SmsBridge.Backup.Configuration;
using SmsBridge.Backup.Tools;
using SmsBridge.Processes;

namespace SmsBridge.Backup.Dumping;

/// <summary>
/// An RDB snapshot fetched over the network with <c>redis-cli --rdb -</c> (no shared volume), streamed into the
/// encryption. The password travels in <c>REDISCLI_AUTH</c>, never on the command line.
/// </summary>
public sealed class RedisSnapshotter(BackupOptions options)
{
    public async Task<string> VersionAsync(CancellationToken cancellationToken)
    {
        var result = await ExternalProgram.CaptureAsync(new ProgramInvocation(options.RedisCli, ["--version"]), cancellationToken);
        return result.Succeeded ? result.Output.Trim() : "unknown";
    }

    public async Task SnapshotAsync(RedisEndpoint endpoint, Stream destination, CancellationToken cancellationToken)
    {
        List<string> arguments = ["-h", endpoint.Host, "-p", endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)];
        if (endpoint.User is { } user) arguments.AddRange(["--user", user]);
        arguments.AddRange(["--no-auth-warning", "--rdb", "-"]);
        var invocation = new ProgramInvocation(options.RedisCli, arguments)
        {
            Environment = new Dictionary<string, string?> { ["REDISCLI_AUTH"] = endpoint.Password },
        };
        var result = await ExternalProgram.RunAsync(invocation, (stdout, ct) => stdout.CopyToAsync(destination, 1 << 16, ct),
            cancellationToken: cancellationToken);
        if (!result.Succeeded)
        {
            throw new BackupFailedException("redis", $"redis-cli --rdb failed (exit code {result.ExitCode}): {result.ErrorTail.Trim()}");
        }
    }
}

/// <summary>The parts of a StackExchange.Redis connection string ("host:port,password=...,user=...") redis-cli needs.</summary>
public sealed record RedisEndpoint(string Host, int Port, string? User, string? Password)
{
    public static RedisEndpoint Parse(string connectionString)
    {
        string? endpoint = null, user = null, password = null;
        foreach (var part in connectionString.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                endpoint ??= part;
                continue;
            }

            var (key, value) = (part[..equals].Trim().ToLowerInvariant(), part[(equals + 1)..]);
            if (key == "password") password = value;
            else if (key == "user") user = value;
        }

        if (endpoint is null) throw new FormatException("The Redis connection string names no host.");
        var colon = endpoint.LastIndexOf(':');
        return colon > 0
            ? new RedisEndpoint(endpoint[..colon], int.Parse(endpoint[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture), user, password)
            : new RedisEndpoint(endpoint, 6379, user, password);
    }
}
