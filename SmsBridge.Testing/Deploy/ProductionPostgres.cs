using System.Diagnostics;
using System.Text.Json;
using Npgsql;

namespace SmsBridge.Tests.Deploy;

/// <summary>
/// A throwaway PostgreSQL 15 configured as production configures it: initdb with the manifest's arguments, the compose
/// file's server options, the generated pg_hba.conf, and deploy/postgres/initdb.d run with psql as the image runs it.
/// Differences, all about where: loopback instead of the container network, a temporary folder, fsync off.
/// </summary>
public sealed class ProductionPostgres : IAsyncLifetime
{
    public const string SuperuserPassword = "Su7perUserPassw0rdForTheTestOnly";
    public const string OwnerPassword = "Own3rPasswordForTheTestOnlyXYZ";
    public const string AppPassword = "AppPassw0rdForTheTestOnlyXYZab";
    public const string BackupPassword = "Backup3PasswordForTheTestOnlyX";

    private Process? _server;

    public string Folder { get; private set; } = "";

    public string SocketDirectory => Path.Combine(Folder, "run");

    public int Port { get; } = Tool.FreePort();

    /// <summary>pg_hba.conf lines put before the generated ones (first match wins): a misconfigured server for doctor's tests.</summary>
    public string? PrependHba { get; init; }

    public string InitOutput { get; private set; } = "";

    public string Connection(string user, string password, string database = "smsbridge") =>
        $"Host={SocketDirectory};Port={Port};Username={user};Password={password};Database={database};Pooling=false;Timeout=5";

    public async Task InitializeAsync()
    {
        Folder = await Tool.ServiceUserFolderAsync("smsbridge-cis-");
        try
        {
            await StartAsync();
        }
        catch
        {
            await DisposeAsync(); // xunit does not dispose a fixture whose start failed
            throw;
        }
    }

    private async Task StartAsync()
    {
        var passwordFile = Path.Combine(Folder, "initdb.pw");
        await File.WriteAllTextAsync(passwordFile, SuperuserPassword);
        await ChownAsync(passwordFile);
        Directory.CreateDirectory(SocketDirectory);
        await ChownAsync(SocketDirectory);
        var hba = Path.Combine(Folder, "pg_hba.conf");
        await File.WriteAllTextAsync(hba, (PrependHba is null ? "" : PrependHba + "\n") + Repo.Read("deploy/postgres/pg_hba.conf"));
        await ChownAsync(hba);

        using var manifest = JsonDocument.Parse(Repo.Read("aspire-manifest.json"));
        var initdbArguments = manifest.RootElement.GetProperty("resources").GetProperty("postgres").GetProperty("env")
            .GetProperty("POSTGRES_INITDB_ARGS").GetString()!.Split(' ');
        var initdb = await Tool.RunAsServiceUserAsync(Path.Combine(SmsBridge.AppHost.Hosting.LocalPostgresResource.BinDirectory, "initdb"),
        [
            "-D", Path.Combine(Folder, "data"), "-U", "postgres", "--pwfile", passwordFile, "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
            .. initdbArguments,
        ], timeout: TimeSpan.FromSeconds(60));
        Assert.True(initdb.ExitCode == 0, initdb.All);

        var services = Yaml.Load(Repo.Read("deploy/docker-compose.yml")).Map("services");
        var options = services.Map("postgres").List("command").Cast<string>().Select(option => option switch
        {
            "listen_addresses=*" => "listen_addresses=127.0.0.1",
            _ when option.StartsWith("hba_file=", StringComparison.Ordinal) => "hba_file=" + hba,
            _ when option.StartsWith("log_directory=", StringComparison.Ordinal) => "log_directory=" + Path.Combine(Folder, "log"),
            _ => option,
        });
        _server = Tool.StartAsServiceUser(Path.Combine(SmsBridge.AppHost.Hosting.LocalPostgresResource.BinDirectory, "postgres"),
        [
            "-D", Path.Combine(Folder, "data"), "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-k", SocketDirectory,
            "-c", "fsync=off", .. options,
        ]);
        await WaitForAsync(Connection("postgres", SuperuserPassword, "postgres"));

        // The role passwords as compose mounts them: secret files named by *_FILE.
        var secrets = new Dictionary<string, string>();
        foreach (var (variable, password) in new[] { ("SMSBRIDGE_OWNER_PASSWORD", OwnerPassword), ("SMSBRIDGE_APP_PASSWORD", AppPassword), ("SMSBRIDGE_BACKUP_PASSWORD", BackupPassword) })
        {
            var file = Path.Combine(Folder, variable.ToLowerInvariant().Replace('_', '-'));
            await File.WriteAllTextAsync(file, password + "\n");
            secrets[variable + "_FILE"] = file;
        }

        var init = await Tool.RunAsync(Repo.PathOf("deploy/postgres/initdb.d/10-smsbridge-roles.sh"), [], new Dictionary<string, string>(secrets)
        {
            ["PGHOST"] = SocketDirectory,
            ["PGPORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PGPASSWORD"] = SuperuserPassword,
            ["POSTGRES_USER"] = "postgres",
            ["SMSBRIDGE_SQL_DIR"] = Repo.PathOf("SmsBridge.AppHost/Resources"),
        });
        Assert.True(init.ExitCode == 0, init.All);
        InitOutput = init.All;

        // The schema as the receiver applies it at start-up, with the owner role.
        await new SmsBridge.Data.Schema.DatabaseMigrator(Connection("smsbridge_owner", OwnerPassword),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<SmsBridge.Data.Schema.DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            // "fast" shutdown, so that no shared memory or socket is left behind.
            if (!_server.HasExited) await Tool.RunAsync("kill", ["-INT", _server.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _server.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                _server.Kill(entireProcessTree: true);
            }

            _server.Dispose();
        }

        if (Folder.Length > 0) Directory.Delete(Folder, recursive: true);
    }

    public static async Task ChownAsync(string path) =>
        Assert.Equal(0, (await Tool.RunAsync("chown", ["-R", $"{Tool.ServiceUser}:{Tool.ServiceUser}", path])).ExitCode);

    public static async Task WaitForAsync(string connectionString)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync();
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }
        }
    }
}
