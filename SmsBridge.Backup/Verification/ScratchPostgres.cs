using System.Diagnostics;
using Npgsql;
using SmsBridge.Backup.Configuration;
using SmsBridge.Backup.Tools;

namespace SmsBridge.Backup.Verification;

/// <summary>
/// A throwaway PostgreSQL cluster of our own for verification: initdb into a private temporary folder and
/// <c>postgres</c> listening on a Unix socket only (no TCP port), where we are superuser. pg_restore and amcheck
/// run there, so verification never touches the production server and needs no CREATE DATABASE right on it.
/// Disposal kills the server and deletes the folder.
/// </summary>
public sealed class ScratchPostgres : IAsyncDisposable
{
    private readonly ScratchFolder _folder;
    private readonly Process _server;
    private readonly Queue<string> _log;

    private ScratchPostgres(ScratchFolder folder, Process server, Queue<string> log)
    {
        _folder = folder;
        _server = server;
        _log = log;
    }

    public static async Task<ScratchPostgres> StartAsync(BackupOptions options, CancellationToken cancellationToken)
    {
        var folder = await ScratchFolder.CreateAsync(options, cancellationToken);
        try
        {
            var data = Path.Combine(folder.Path, "data");
            var initDb = await ExternalTool.RunAsync(new ToolInvocation(options.InitDb,
                ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"])
            {
                RunAsUser = folder.Owner,
            }, cancellationToken: cancellationToken);
            if (!initDb.Succeeded) throw new InvalidOperationException($"initdb for the verification server failed: {initDb.ErrorTail}");

            var log = new Queue<string>();
            var info = ExternalTool.StartInfo(new ToolInvocation(options.Postgres,
            [
                "-D", data, "-k", folder.Path, "-c", "listen_addresses=", "-c", "fsync=off", "-c", "full_page_writes=off",
                "-c", "synchronous_commit=off", "-c", "autovacuum=off", "-c", "max_connections=10", "-c", "shared_buffers=32MB",
            ])
            {
                RunAsUser = folder.Owner,
            }, redirectInput: false);
            var server = new Process { StartInfo = info };
            server.ErrorDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                lock (log)
                {
                    log.Enqueue(e.Data);
                    if (log.Count > 30) log.Dequeue();
                }
            };
            server.Start();
            server.BeginErrorReadLine();
            _ = server.StandardOutput.BaseStream.CopyToAsync(Stream.Null, CancellationToken.None);
            var scratch = new ScratchPostgres(folder, server, log);
            await scratch.WaitUntilReadyAsync(cancellationToken);
            return scratch;
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    /// <summary>The superuser's connection to a database on this server, over its socket.</summary>
    public PostgresTarget Target(string database) =>
        new($"Host={_folder.Path};Username=postgres;Database={database};Pooling=false;Timeout=10;Command Timeout=0");

    public string ScratchPath => _folder.Path;

    public async Task CreateDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = Target("postgres").OpenConnection();
        await connection.OpenAsync(cancellationToken);
        // The name is ours (a constant), quoted all the same; identifiers cannot be parameters.
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            if (_server.HasExited) throw new InvalidOperationException($"The verification server exited at start:\n{Log()}");
            try
            {
                await using var connection = Target("postgres").OpenConnection();
                await connection.OpenAsync(cancellationToken);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
            {
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"The verification server did not accept connections within 60 s:\n{Log()}");
                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private string Log()
    {
        lock (_log) return string.Join('\n', _log);
    }

    public async ValueTask DisposeAsync()
    {
        // A "fast" shutdown (SIGINT) releases the server's shared memory; SIGKILL only when it does not stop.
        if (!_server.HasExited) await ExternalTool.SignalAsync(_server.Id, "INT");
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15)))
        {
            try
            {
                await _server.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                ExternalTool.Kill(_server);
                await _server.WaitForExitAsync(CancellationToken.None);
            }
        }

        _server.Dispose();
        _folder.Dispose();
    }
}
