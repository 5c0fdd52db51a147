using System.Reflection;
using Npgsql;

namespace SmsBridge.AppHost.Hosting;

/// <summary>
/// The smsbridge database and its three least-privilege roles on a local server: the app role's connection string is what
/// every service gets, the owner's only runs migrations, the backup role's only reads. Created (idempotently) once the
/// server is up, by the same SQL the production init script runs.
/// </summary>
public static class SmsBridgeDatabase
{
    public const string Name = "smsbridge";

    public sealed record Connections(
        IResourceBuilder<IResourceWithConnectionString> App,
        IResourceBuilder<IResourceWithConnectionString> Owner,
        IResourceBuilder<IResourceWithConnectionString> Backup);

    public static Connections AddSmsBridgeDatabase(this IResourceBuilder<LocalPostgresResource> server,
        IResourceBuilder<ParameterResource> ownerPassword, IResourceBuilder<ParameterResource> appPassword,
        IResourceBuilder<ParameterResource> backupPassword)
    {
        var builder = server.ApplicationBuilder;
        server.OnResourceReady((postgres, _, cancellationToken) =>
            CreateAsync(postgres, ownerPassword.Resource, appPassword.Resource, backupPassword.Resource, cancellationToken));

        IResourceBuilder<IResourceWithConnectionString> Role(string name, string role, IResourceBuilder<ParameterResource> password) =>
            builder.AddConnectionString(name, ReferenceExpression.Create(
                $"Host=127.0.0.1;Port={server.Resource.Endpoint.Property(EndpointProperty.TargetPort)};Username={role};Password={password.Resource};Database={Name}"))
                // Ready once the server is healthy and its roles exist (WaitFor includes the server's ResourceReady handlers).
                .WaitFor(server);

        return new Connections(Role(Name, "smsbridge_app", appPassword), Role(Name + "-migrations", "smsbridge_owner", ownerPassword),
            Role(Name + "-backup", "smsbridge_backup", backupPassword));
    }

    private static async Task CreateAsync(LocalPostgresResource postgres, ParameterResource owner, ParameterResource app,
        ParameterResource backup, CancellationToken cancellationToken)
    {
        var superuser = await postgres.ConnectionStringExpression.GetValueAsync(cancellationToken);
        await using var admin = new NpgsqlConnection(superuser + ";Database=postgres;Pooling=false");
        await admin.OpenAsync(cancellationToken);
        await using (var roles = new NpgsqlCommand(
            "SELECT set_config('smsbridge.owner_password', $1, false), set_config('smsbridge.app_password', $2, false), " +
            "set_config('smsbridge.backup_password', $3, false)", admin))
        {
            roles.Parameters.Add(new() { Value = await owner.GetValueAsync(cancellationToken) });
            roles.Parameters.Add(new() { Value = await app.GetValueAsync(cancellationToken) });
            roles.Parameters.Add(new() { Value = await backup.GetValueAsync(cancellationToken) });
            await roles.ExecuteNonQueryAsync(cancellationToken);
        }

        await ExecuteAsync(admin, Script("postgres-init.sql"), cancellationToken);
        await using (var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", admin))
        {
            exists.Parameters.Add(new() { Value = Name });
            // Identifiers cannot be parameters; the name is a constant of ours and quoted anyway.
            if (await exists.ExecuteScalarAsync(cancellationToken) is null) await ExecuteAsync(admin, $"CREATE DATABASE \"{Name}\" OWNER smsbridge_owner", cancellationToken);
        }

        await using var database = new NpgsqlConnection(superuser + $";Database={Name};Pooling=false");
        await database.OpenAsync(cancellationToken);
        await ExecuteAsync(database, Script("postgres-init-database.sql"), cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static string Script(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded script {name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
