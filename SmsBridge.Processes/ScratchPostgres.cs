using System.Globalization;
using Npgsql;

namespace SmsBridge.Processes;

/// <summary>
/// A throwaway PostgreSQL cluster: initdb as the unprivileged account into a private folder, <c>postgres</c> on its
/// socket in that folder (and a loopback port if asked), ready when the superuser can connect. Disposal stops the
/// server with a fast shutdown (so no shared memory is left behind) and deletes the folder.
/// </summary>
public sealed class ScratchPostgres : ScratchServer
{
    private const int SocketOnlyPort = 5432;

    private readonly ScratchPostgresOptions _options;

    private ScratchPostgres(ScratchPostgresOptions options) : base(options.Folder, options.RunAsUser) => _options = options;

    public int Port => _options.Port ?? SocketOnlyPort;

    public static async Task<ScratchPostgres> StartAsync(ScratchPostgresOptions options, CancellationToken cancellationToken = default)
    {
        var scratch = new ScratchPostgres(options);
        await scratch.LaunchAsync(cancellationToken);
        return scratch;
    }

    /// <summary>A connection over the socket; a null password for a cluster that trusts local connections.</summary>
    public string ConnectionString(string user, string? password, string database)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = Folder, Port = Port, Username = user, Database = database, Pooling = false, Timeout = 10,
        };
        if (password is not null) builder.Password = password;
        return builder.ConnectionString;
    }

    public async Task CreateDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(SuperuserConnection("postgres"));
        await connection.OpenAsync(cancellationToken);
        // Identifiers cannot be parameters: the name is quoted.
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private string SuperuserConnection(string database) => ConnectionString("postgres", _options.SuperuserPassword, database);

    private string DataDirectory => Path.Combine(Folder, "data");

    private protected override async Task PrepareAsync(CancellationToken cancellationToken)
    {
        List<string> initDb = ["-D", DataDirectory, "-U", "postgres", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions"];
        var passwordFile = Path.Combine(Folder, "initdb.pw");
        if (_options.SuperuserPassword is { } password)
        {
            await File.WriteAllTextAsync(passwordFile, password, cancellationToken);
            if (RunAsUser is { } owner && ServiceAccount.IsRoot) await ServiceAccount.ChownAsync(passwordFile, owner, cancellationToken);
            initDb.AddRange(["--pwfile", passwordFile]);
        }
        else
        {
            initDb.Add("--auth=trust");
        }

        try
        {
            var result = await ExternalProgram.CaptureAsync(
                new ProgramInvocation(_options.InitDb, [.. initDb, .. _options.InitDbArguments]) { RunAsUser = RunAsUser }, cancellationToken);
            if (!result.Succeeded) throw new InvalidOperationException($"initdb for the scratch server failed: {result.All.Trim()}");
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    private protected override ProgramInvocation ServerInvocation() => new(_options.Postgres,
    [
        "-D", DataDirectory, "-k", Folder, "-p", Port.ToString(CultureInfo.InvariantCulture),
        "-c", "listen_addresses=" + (_options.Port is null ? "" : "127.0.0.1"), .. _options.ServerArguments,
    ]);

    private protected override async Task WaitUntilReadyAsync(RunningProgram server, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.ReadyWithin);
        while (true)
        {
            if (server.HasExited) throw new ScratchServerException($"The scratch PostgreSQL exited at start:\n{server.RecentOutput()}");
            try
            {
                await using var connection = new NpgsqlConnection(SuperuserConnection("postgres"));
                await connection.OpenAsync(deadline.Token);
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException && !deadline.IsCancellationRequested)
            {
                // Not listening yet.
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"The scratch PostgreSQL did not accept connections within {_options.ReadyWithin.TotalSeconds:0} s:\n{server.RecentOutput()}");
            }

            try
            {
                await Task.Delay(100, deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The next turn reports the time-out.
            }
        }
    }

    // A fast shutdown (SIGINT) releases the server's shared memory; the kill only when it does not stop.
    private protected override Task StopAsync(RunningProgram server) => server.StopAsync("INT", TimeSpan.FromSeconds(15));
}
