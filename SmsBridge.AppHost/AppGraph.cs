using SmsBridge.AppHost.Hosting;

namespace SmsBridge.AppHost;

/// <summary>The SMS Bridge graph: one declaration for run mode, tests, benchmarks and the manifest.</summary>
public static class AppGraph
{
    public static void Declare(DistributedApplicationBuilder builder)
    {
        var (database, migrations, backupReader) = AddDatabase(builder);
        var cache = builder.Configuration["ConnectionStrings:cache"] is null
            ? (IResourceBuilder<IResourceWithConnectionString>)builder.AddRedis("cache")
            : builder.AddConnectionString("cache");

        var receiver = builder.AddProject("receiver", "SmsBridge.Receiver")
            .WithReference(database).WithReference(migrations).WithReference(cache)
            .WaitFor(migrations).WaitFor(cache)
            .WithEnvironment("Secrets__BackendApiKey", builder.AddParameter("backend-api-key"))
            .WithEnvironment("Secrets__GatewayApiKey", builder.AddParameter("gateway-api-key"))
            .WithEnvironment("Secrets__GatewaySigningKey", builder.AddParameter("gateway-signing-key"))
            .WithEnvironment("Secrets__WebhookSecret", builder.AddParameter("webhook-secret", SecretStore.WebhookSecret))
            .WithEnvironment("Secrets__PinEncryptionKey", builder.AddParameter("pin-encryption-key", SecretStore.Key))
            .WithEnvironment("Secrets__HashKey", builder.AddParameter("hash-key", SecretStore.Key))
            .WithExternalHttpEndpoints();

        var admin = builder.AddProject("admin", "SmsBridge.Admin")
            .WithReference(database).WithReference(cache).WithReference(receiver)
            .WaitFor(receiver)
            .WithDataDirectory("Admin__DataDirectory", "admin")
            .WithEnvironment("Secrets__AdminPassword", builder.AddParameter("admin-password").WithFirstRunNotice("Admin login: admin / {0}"));

        var backup = builder.AddProject("backup", "SmsBridge.Backup")
            .WithReference(database).WithReference(backupReader).WithReference(cache)
            .WaitFor(receiver)
            .WithEnvironment("Secrets__BackupEncryptionKey", builder.AddParameter("backup-encryption-key", SecretStore.Key))
            // The owner's connection, used only to restore (the admin's restore request); dumps use the read-only role.
            .WithEnvironment("ConnectionStrings__smsbridge-restore", () => migrations.Resource.ConnectionString)
            .WithDataDirectory("Backup__Directory", "backups");

        // The admin dashboard shows the backup service's health too (http://backup by service discovery).
        admin.WithReference(backup);

        // The fixed internal endpoints the admin service may open a time-boxed forwarder to.
        admin.WithEnvironment("Monitoring__Endpoints__metrics", () => $"127.0.0.1:{receiver.Resource.ManagementPort}",
            "{receiver.bindings.management.host}:{receiver.bindings.management.targetPort}");
        if (builder.Resources.OfType<PostgresServerResource>().SingleOrDefault() is { } postgres)
        {
            admin.WithEnvironment("Monitoring__Endpoints__postgres", () => $"127.0.0.1:{postgres.Port}",
                $"{{{postgres.Name}.bindings.tcp.host}}:{{{postgres.Name}.bindings.tcp.targetPort}}");
        }

        if (cache.Resource is RedisResource redis)
        {
            admin.WithEnvironment("Monitoring__Endpoints__redis", () => $"127.0.0.1:{redis.Port}",
                $"{{{redis.Name}.bindings.tcp.host}}:{{{redis.Name}.bindings.tcp.targetPort}}");
        }
    }

    /// <summary>
    /// The app role's connection (<c>smsbridge</c>), the owner's for migrations and the backup reader's:
    /// from a local PostgreSQL, or from configuration when an existing server is given.
    /// </summary>
    private static (IResourceBuilder<IResourceWithConnectionString> Database, IResourceBuilder<IResourceWithConnectionString> Migrations,
        IResourceBuilder<IResourceWithConnectionString> BackupReader) AddDatabase(DistributedApplicationBuilder builder)
    {
        if (builder.Configuration["ConnectionStrings:smsbridge"] is not null)
        {
            return (builder.AddConnectionString("smsbridge"),
                builder.AddConnectionString("smsbridge-migrations", fallbackName: "smsbridge"),
                builder.AddConnectionString("smsbridge-backup", fallbackName: "smsbridge"));
        }

        var smsbridge = builder.AddPostgres("postgres").AddDatabase("smsbridge");
        return (smsbridge, smsbridge.AsOwner(), smsbridge.AsBackupReader());
    }
}
