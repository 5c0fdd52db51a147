using System.Reflection;
using Npgsql;

namespace SmsBridge.AppHost.Hosting;

/// <summary>
/// A database on a <see cref="PostgresServerResource"/>, created on first start with three least-privilege
/// roles. Its connection string (what <c>WithReference</c> injects) is the app role's; the owner's is only
/// for migrations and the backup role's only for the backup worker.
/// </summary>
public sealed class PostgresDatabaseResource(string name, string databaseName, PostgresServerResource server,
    ParameterResource ownerPassword, ParameterResource appPassword, ParameterResource backupPassword)
    : Resource(name), IResourceWithConnectionString
{
    public string DatabaseName { get; } = databaseName;

    public PostgresServerResource Server { get; } = server;

    /// <summary>The three logins, so that the manifest can describe each connection string without its value.</summary>
    public DatabaseLogin App => new(this, "smsbridge_app", appPassword);

    public DatabaseLogin Owner => new(this, "smsbridge_owner", ownerPassword);

    public DatabaseLogin Backup => new(this, "smsbridge_backup", backupPassword);

    public string ConnectionString => ConnectionFor(App);

    public string OwnerConnectionString => ConnectionFor(Owner);

    public string BackupConnectionString => ConnectionFor(Backup);

    private string ConnectionFor(DatabaseLogin login) =>
        $"Host=127.0.0.1;Port={Server.Port};Username={login.Role};Password={login.Password.Value};Database={DatabaseName}";

    public override async Task StartAsync(AppHostContext context, CancellationToken cancellationToken)
    {
        State = ResourceState.Starting;
        await using var admin = new NpgsqlConnection(Server.ConnectionString + ";Database=postgres;Pooling=false");
        await admin.OpenAsync(cancellationToken);
        await using (var roles = new NpgsqlCommand(
            "SELECT set_config('smsbridge.owner_password', $1, false), set_config('smsbridge.app_password', $2, false), " +
            "set_config('smsbridge.backup_password', $3, false)", admin))
        {
            roles.Parameters.Add(new() { Value = ownerPassword.Value });
            roles.Parameters.Add(new() { Value = appPassword.Value });
            roles.Parameters.Add(new() { Value = backupPassword.Value });
            await roles.ExecuteNonQueryAsync(cancellationToken);
        }

        await Execute(admin, Script("postgres-init.sql"), cancellationToken);

        await using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", admin))
        {
            exists.Parameters.Add(new() { Value = DatabaseName });
            if (await exists.ExecuteScalarAsync(cancellationToken) is null)
            {
                // Identifiers cannot be parameters; the name is ours, not input, and is quoted anyway.
                await Execute(admin, $"CREATE DATABASE \"{DatabaseName}\" OWNER smsbridge_owner", cancellationToken);
            }
        }

        await using var database = new NpgsqlConnection(Server.ConnectionString + $";Database={DatabaseName};Pooling=false");
        await database.OpenAsync(cancellationToken);
        await Execute(database, Script("postgres-init-database.sql"), cancellationToken);
        StartedAt = DateTimeOffset.UtcNow;
        State = ResourceState.Healthy;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal static string Script(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded script {name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>One role's way into a database: what a connection string is made of.</summary>
public sealed record DatabaseLogin(PostgresDatabaseResource Database, string Role, ParameterResource Password);
