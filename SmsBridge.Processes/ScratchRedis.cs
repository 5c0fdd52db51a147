using System.Globalization;

namespace SmsBridge.Processes;

/// <summary>
/// A throwaway <c>redis-server</c> in a private folder, on its Unix socket (and a loopback port if asked), ready when
/// it answers PING (an RDB in the folder has then loaded). Disposal kills it and deletes the folder.
/// </summary>
public sealed class ScratchRedis : ScratchServer
{
    private readonly ScratchRedisOptions _options;

    private ScratchRedis(ScratchRedisOptions options) : base(options.Folder, options.RunAsUser) => _options = options;

    public string Socket => Path.Combine(Folder, "redis.sock");

    public static async Task<ScratchRedis> StartAsync(ScratchRedisOptions options, CancellationToken cancellationToken = default)
    {
        var scratch = new ScratchRedis(options);
        await scratch.LaunchAsync(cancellationToken);
        return scratch;
    }

    /// <summary>Runs redis-cli against this server and returns its output.</summary>
    public async Task<string> CommandAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var result = await ExternalProgram.CaptureAsync(Cli(arguments), cancellationToken);
        if (!result.Succeeded) throw new InvalidOperationException($"redis-cli failed: {result.ErrorTail}");
        return result.Output;
    }

    /// <summary>Keys over all databases, from <c>INFO keyspace</c> (e.g. "db0:keys=12,expires=3,avg_ttl=0").</summary>
    public async Task<long> CountKeysAsync(CancellationToken cancellationToken)
    {
        var info = await CommandAsync(["INFO", "keyspace"], cancellationToken);
        return info.Split('\n')
            .Where(l => l.StartsWith("db", StringComparison.Ordinal))
            .Select(l => l.Split(':')[1].Split(',')[0].Split('=')[1])
            .Sum(n => long.Parse(n, CultureInfo.InvariantCulture));
    }

    private ProgramInvocation Cli(IEnumerable<string> arguments)
    {
        List<string> connection = _options.Port is { } port
            ? ["-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture)]
            : ["-s", Socket];
        return new ProgramInvocation(_options.RedisCli, [.. connection, "--no-auth-warning", .. arguments])
        {
            // In the environment, not argv, where other local users could read it.
            Environment = new Dictionary<string, string?> { ["REDISCLI_AUTH"] = _options.Password },
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    private protected override ProgramInvocation ServerInvocation() => _options.Command ?? new ProgramInvocation(_options.RedisServer,
    [
        "--port", (_options.Port ?? 0).ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
        "--unixsocket", Socket, "--unixsocketperm", "700", "--dir", Folder, "--dbfilename", "dump.rdb",
        "--pidfile", Path.Combine(Folder, "redis.pid"), "--daemonize", "no", "--appendonly", "no", "--save", "",
        .. _options.ServerArguments,
    ]);

    private protected override async Task WaitUntilReadyAsync(RunningProgram server, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.ReadyWithin);
        while (true)
        {
            if (server.HasExited) throw new ScratchServerException($"The scratch redis-server exited at start:\n{server.RecentOutput()}");
            if (_options.Port is not null || File.Exists(Socket))
            {
                // LOADING while an RDB loads, a refused connection before it listens: both mean not yet.
                var ping = await ExternalProgram.CaptureAsync(Cli(["PING"]), cancellationToken);
                if (ping.Succeeded && ping.Output.Trim() == "PONG") return;
            }

            try
            {
                await Task.Delay(100, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"The scratch redis-server did not answer within {_options.ReadyWithin.TotalSeconds:0} s:\n{server.RecentOutput()}");
            }
        }
    }
}
