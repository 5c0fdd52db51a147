using System.Diagnostics;
using System.Globalization;
using SmsBridge.Backup.Configuration;
using SmsBridge.Backup.Tools;

namespace SmsBridge.Backup.Verification;

/// <summary>
/// A throwaway <c>redis-server</c> that loads an RDB file from a private folder and listens on a Unix socket
/// only: proof that a snapshot loads, and how many keys it holds.
/// </summary>
public sealed class ScratchRedis : IAsyncDisposable
{
    private readonly ScratchFolder _folder;
    private readonly Process _server;
    private readonly BackupOptions _options;

    private ScratchRedis(ScratchFolder folder, Process server, BackupOptions options)
    {
        _folder = folder;
        _server = server;
        _options = options;
    }

    public string Socket => Path.Combine(_folder.Path, "redis.sock");

    /// <summary>Starts a server over the RDB that <paramref name="writeRdb"/> writes into the private folder.</summary>
    public static async Task<ScratchRedis> StartAsync(BackupOptions options, Func<Stream, CancellationToken, Task> writeRdb,
        CancellationToken cancellationToken)
    {
        var folder = await ScratchFolder.CreateAsync(options, cancellationToken);
        try
        {
            var rdb = Path.Combine(folder.Path, "dump.rdb");
            await using (var file = new FileStream(rdb, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            }))
            {
                await writeRdb(file, cancellationToken);
            }

            var info = ExternalTool.StartInfo(new ToolInvocation(options.RedisServer,
            [
                "--port", "0", "--unixsocket", Path.Combine(folder.Path, "redis.sock"), "--unixsocketperm", "700",
                "--dir", folder.Path, "--dbfilename", "dump.rdb", "--appendonly", "no", "--save", "",
                "--pidfile", Path.Combine(folder.Path, "redis.pid"), "--daemonize", "no", "--loglevel", "warning",
            ])
            {
                RunAsUser = folder.Owner,
            }, redirectInput: false);
            var server = new Process { StartInfo = info };
            server.Start();
            _ = server.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
            _ = server.StandardError.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
            var scratch = new ScratchRedis(folder, server, options);
            await scratch.WaitUntilLoadedAsync(cancellationToken);
            return scratch;
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    /// <summary>Runs redis-cli against this server and returns its output.</summary>
    public async Task<string> CommandAsync(IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var (result, output) = await ExternalTool.CaptureAsync(
            new ToolInvocation(_options.RedisCli, ["-s", Socket, "--no-auth-warning", .. arguments]), cancellationToken);
        if (!result.Succeeded) throw new InvalidOperationException($"redis-cli failed: {result.ErrorTail}");
        return output;
    }

    /// <summary>Keys per database, from <c>INFO keyspace</c> (e.g. "db0:keys=12,expires=3,avg_ttl=0").</summary>
    public async Task<long> CountKeysAsync(CancellationToken cancellationToken)
    {
        var info = await CommandAsync(["INFO", "keyspace"], cancellationToken);
        return info.Split('\n')
            .Where(l => l.StartsWith("db", StringComparison.Ordinal))
            .Select(l => l.Split(':')[1].Split(',')[0].Split('=')[1])
            .Sum(n => long.Parse(n, CultureInfo.InvariantCulture));
    }

    private async Task WaitUntilLoadedAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (_server.HasExited)
            {
                throw new BackupVerificationException("The Redis snapshot did not load: redis-server rejected the RDB file.");
            }

            if (File.Exists(Socket))
            {
                var (result, output) = await ExternalTool.CaptureAsync(
                    new ToolInvocation(_options.RedisCli, ["-s", Socket, "PING"]), cancellationToken);
                if (result.Succeeded && output.Trim() == "PONG") return;
            }

            if (DateTime.UtcNow > deadline) throw new TimeoutException("The Redis snapshot did not load within 60 s.");
            await Task.Delay(100, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        ExternalTool.Kill(_server);
        await _server.WaitForExitAsync(CancellationToken.None);
        _server.Dispose();
        _folder.Dispose();
    }
}

/// <summary>A backup failed verification; the message says what did not match.</summary>
public sealed class BackupVerificationException(string message) : Exception(message);
