using System.Net.Sockets;
using System.Text;

namespace SmsBridge.AppHost.Hosting;

/// <summary>
/// Redis 7 from the machine's binaries on a free loopback port: password required, protected mode,
/// append-only file on (so the keys survive a restart), config file readable only by its user.
/// </summary>
public sealed class RedisResource(string name, ParameterResource password) : ProcessResource(name), IResourceWithConnectionString
{
    public int Port { get; } = PortAllocator.Next();

    public ParameterResource Password { get; } = password;

    public string ConnectionString => $"127.0.0.1:{Port},password={Password.Value}";

    private string ConfigFile { get; set; } = "";

    protected override string PidMarker => "redis-server";

    protected override async Task<(string, IReadOnlyList<string>, IDictionary<string, string?>, string)> PrepareAsync(
        AppHostContext context, CancellationToken cancellationToken)
    {
        var directory = context.DataPath(Name);
        Directory.CreateDirectory(directory);
        ConfigFile = Path.Combine(directory, "redis.conf");
        await File.WriteAllTextAsync(ConfigFile, $"""
            port {Port}
            bind 127.0.0.1
            protected-mode yes
            requirepass {Password.Value}
            dir {directory}
            appendonly yes
            appendfsync everysec
            save 3600 1
            daemonize no
            loglevel notice
            """, cancellationToken);
        File.SetUnixFileMode(ConfigFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await context.Launcher.PrepareDirectoryAsync(directory);
        return ("redis-server", [ConfigFile], new Dictionary<string, string?>(), directory);
    }

    public override async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        if (HasExited) return false;
        try
        {
            using var client = new TcpClient();
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            await client.ConnectAsync("127.0.0.1", Port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"AUTH {Password.Value}\r\nPING\r\n"), timeout.Token);
            var buffer = new byte[64];
            var received = new StringBuilder();
            while (!received.ToString().Contains("PONG", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0) return false;
                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }

            return true;
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }
}
