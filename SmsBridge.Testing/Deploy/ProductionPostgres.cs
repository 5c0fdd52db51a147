using System.Text.Json;
using Npgsql;

namespace SmsBridge.Tests.Deploy;

/// <summary>
/// A throwaway PostgreSQL 15 configured as production configures it: initdb with the manifest's arguments, the compose
/// file's server options, the generated pg_hba.conf, and deploy/postgres/initdb.d run with psql as the image runs it.
/// Differences, all about where: loopback instead of the container network, a temporary folder, fsync off.
/// </summary>
public sealed class ProductionPostgres() : ProductionServer("smsbridge-cis-")
{
    public const string SuperuserPassword = "Su7perUserPassw0rdForTheTestOnly";
    public const string OwnerPassword = "Own3rPasswordForTheTestOnlyXYZ";
    public const string AppPassword = "AppPassw0rdForTheTestOnlyXYZab";
    public const string BackupPassword = "Backup3PasswordForTheTestOnlyX";

    public string SocketDirectory => Folder;

    public int Port { get; } = FreePorts.Next();

    /// <summary>pg_hba.conf lines put before the generated ones (first match wins): a misconfigured server for doctor's tests.</summary>
    public string? PrependHba { get; init; }

    public string InitOutput { get; private set; } = "";

    public string Connection(string user, string password, string database = "smsbridge") =>
        $"Host={SocketDirectory};Port={Port};Username={user};Password={password};Database={database};Pooling=false;Timeout=5";

    protected override async Task StartAsync()
    {
        var hba = Path.Combine(Folder, "pg_hba.conf");
        await File.WriteAllTextAsync(hba, (PrependHba is null ? "" : PrependHba + "\n") + Repo.Read("deploy/postgres/pg_hba.conf"));

        using var manifest = JsonDocument.Parse(Repo.Read("aspire-manifest.json"));
        var initdbArguments = manifest.RootElement.GetProperty("resources").GetProperty("postgres").GetProperty("env")
            .GetProperty("POSTGRES_INITDB_ARGS").GetString()!.Split(' ');
        var services = Yaml.Load(Repo.Read("deploy/docker-compose.yml")).Map("services");
        var options = services.Map("postgres").List("command").Cast<string>().Select(option => option switch
        {
            "listen_addresses=*" => "listen_addresses=127.0.0.1",
            _ when option.StartsWith("hba_file=", StringComparison.Ordinal) => "hba_file=" + hba,
            _ when option.StartsWith("log_directory=", StringComparison.Ordinal) => "log_directory=" + Path.Combine(Folder, "log"),
            _ => option,
        });
        var bin = SmsBridge.AppHost.Hosting.LocalPostgresResource.BinDirectory;
        Server = await ScratchPostgres.StartAsync(new ScratchPostgresOptions
        {
            Folder = Folder,
            InitDb = Path.Combine(bin, "initdb"),
            Postgres = Path.Combine(bin, "postgres"),
            SuperuserPassword = SuperuserPassword,
            InitDbArguments = initdbArguments,
            Port = Port,
            ServerArguments = ["-c", "fsync=off", .. options],
        });

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
            [EntrypointScripts.LibraryVariable] = EntrypointScripts.Library,
        });
        Assert.True(init.ExitCode == 0, init.All);
        InitOutput = init.All;

        // The schema as the receiver applies it at start-up, with the owner role.
        await new SmsBridge.Data.Schema.DatabaseMigrator(Connection("smsbridge_owner", OwnerPassword),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<SmsBridge.Data.Schema.DatabaseMigrator>.Instance).MigrateAsync(CancellationToken.None);
    }


    public static Task ChownAsync(string path) => ServiceAccount.ChownAsync(path, ServiceAccount.User);

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
