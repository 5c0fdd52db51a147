namespace SmsBridge.Processes;

/// <summary>What a scratch PostgreSQL cluster is made of. Its folder holds the cluster, the socket and any files the caller put there first.</summary>
public sealed record ScratchPostgresOptions
{
    public const string DefaultBinDirectory = "/usr/lib/postgresql/15/bin";

    /// <summary>A private folder (created 0700 if missing, handed to <see cref="RunAsUser"/>); deleted on disposal.</summary>
    public required string Folder { get; init; }

    /// <summary>The unprivileged account initdb and postgres run as when we are root.</summary>
    public string? RunAsUser { get; init; } = ServiceAccount.User;

    public string InitDb { get; init; } = Path.Combine(DefaultBinDirectory, "initdb");

    public string Postgres { get; init; } = Path.Combine(DefaultBinDirectory, "postgres");

    /// <summary>The superuser <c>postgres</c>'s password; without one, initdb trusts local connections.</summary>
    public string? SuperuserPassword { get; init; }

    /// <summary>initdb arguments after ours (-D, -U postgres, UTF8, C.UTF-8, no sync).</summary>
    public IReadOnlyList<string> InitDbArguments { get; init; } = [];

    /// <summary>A loopback TCP port (see <see cref="FreePorts"/>); without one the server listens on its Unix socket only.</summary>
    public int? Port { get; init; }

    /// <summary>postgres arguments after ours (-D, -k, -p, listen_addresses), e.g. <c>-c fsync=off</c>; a later -c wins.</summary>
    public IReadOnlyList<string> ServerArguments { get; init; } = [];

    public TimeSpan ReadyWithin { get; init; } = TimeSpan.FromSeconds(60);
}
