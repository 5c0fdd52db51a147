namespace SmsBridge.Processes;

/// <summary>What a scratch Redis is made of. Its folder holds the socket, the pid file and any RDB the caller put there first (<c>dump.rdb</c>).</summary>
public sealed record ScratchRedisOptions
{
    /// <summary>A private folder (created 0700 if missing, handed to <see cref="RunAsUser"/>); deleted on disposal.</summary>
    public required string Folder { get; init; }

    public string? RunAsUser { get; init; } = ServiceAccount.User;

    public string RedisServer { get; init; } = "redis-server";

    public string RedisCli { get; init; } = "redis-cli";

    /// <summary>A loopback TCP port (see <see cref="FreePorts"/>); without one the server listens on its Unix socket only.</summary>
    public int? Port { get; init; }

    /// <summary>The default user's password, for the ready check and <see cref="ScratchRedis.CommandAsync"/>.</summary>
    public string? Password { get; init; }

    /// <summary>redis-server arguments after ours (socket, port, folder, no persistence); a later option wins.</summary>
    public IReadOnlyList<string> ServerArguments { get; init; } = [];

    /// <summary>Started instead of redis-server with our arguments (an entrypoint script with its own config); it must listen on <see cref="Port"/>.</summary>
    public ProgramInvocation? Command { get; init; }

    public TimeSpan ReadyWithin { get; init; } = TimeSpan.FromSeconds(60);
}
