using Npgsql;

namespace SmsBridge.AppHost.Hosting;

/// <summary>
/// PostgreSQL 15 from the machine's binaries: initdb on first run (as the unprivileged service user, since
/// initdb and postgres refuse root), then <c>postgres</c> on a free loopback port with SCRAM authentication.
/// The superuser's password is a parameter; no service is given it.
/// </summary>
public sealed class PostgresServerResource(string name, ParameterResource password) : ProcessResource(name), IResourceWithConnectionString
{
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";

    public int Port { get; } = PortAllocator.Next();

    public ParameterResource Password { get; } = password;

    public List<PostgresDatabaseResource> Databases { get; } = [];

    private string DataDirectory { get; set; } = "";

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Password={Password.Value}";

    protected override int StopSignal => Signals.Int; // "fast" shutdown: roll back open transactions, checkpoint, exit

    protected override string PidMarker => DataDirectory;

    protected override async Task<(string, IReadOnlyList<string>, IDictionary<string, string?>, string)> PrepareAsync(
        AppHostContext context, CancellationToken cancellationToken)
    {
        DataDirectory = context.DataPath(Name, "data");
        var socketDirectory = context.DataPath(Name, "run");
        if (!File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            await InitDbAsync(context);
        }

        await context.Launcher.PrepareDirectoryAsync(socketDirectory);
        List<string> arguments =
        [
            "-D", DataDirectory, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-k", socketDirectory, "-c", "listen_addresses=127.0.0.1", "-c", "password_encryption=scram-sha-256",
            "-c", "max_connections=200",
        ];
        if (context.Options.FastUnsafeStorage) arguments.AddRange(["-c", "fsync=off", "-c", "full_page_writes=off"]);
        return (Path.Combine(BinDirectory, "postgres"), arguments, new Dictionary<string, string?>(), "/");
    }

    private async Task InitDbAsync(AppHostContext context)
    {
        await context.Launcher.PrepareDirectoryAsync(context.DataPath(Name));
        var passwordFile = context.DataPath(Name, "initdb.pw");
        await File.WriteAllTextAsync(passwordFile, Password.Value);
        File.SetUnixFileMode(passwordFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await context.Launcher.PrepareDirectoryAsync(context.DataPath(Name));
        try
        {
            List<string> arguments =
            [
                "-D", DataDirectory, "-U", "postgres", "--pwfile", passwordFile, "--auth=scram-sha-256",
                "-E", "UTF8", "--locale=C.UTF-8",
            ];
            if (context.Options.FastUnsafeStorage) arguments.Add("--no-sync");
            var (code, output) = await context.Launcher.RunAsync(Path.Combine(BinDirectory, "initdb"), arguments);
            if (code != 0) throw new InvalidOperationException($"initdb for '{Name}' failed ({code}):\n{output}");
        }
        finally
        {
            File.Delete(passwordFile);
        }
    }

    public override async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        if (HasExited) return false;
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString + ";Database=postgres;Timeout=3;Pooling=false");
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return false;
        }
    }

    public PostgresDatabaseResource AddDatabase(string name, string databaseName, ParameterResource owner, ParameterResource app,
        ParameterResource backup)
    {
        var database = new PostgresDatabaseResource(name, databaseName, this, owner, app, backup);
        Databases.Add(database);
        return database;
    }
}
