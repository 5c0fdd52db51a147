using Microsoft.Extensions.Configuration;
using SmsBridge.AppHost.Publishing;

namespace SmsBridge.AppHost.Hosting;

/// <summary>
/// PostgreSQL and Redis for each mode: containers in what is published for production, the machine's binaries in a local
/// run and in tests, or existing servers when their connection strings are given (as Aspire's <c>AddConnectionString</c>).
/// </summary>
public static class Infrastructure
{
    public static (IResourceBuilder<IResourceWithConnectionString> App, IResourceBuilder<IResourceWithConnectionString> Owner,
        IResourceBuilder<IResourceWithConnectionString> Backup) AddDatabase(this IDistributedApplicationBuilder builder, LocalData data)
    {
        if (builder.ExecutionContext.IsRunMode && builder.Configuration.GetConnectionString(SmsBridgeDatabase.Name) is not null)
        {
            return (builder.AddConnectionString(SmsBridgeDatabase.Name),
                builder.AddConnectionString(SmsBridgeDatabase.Name + "-migrations"),
                builder.AddConnectionString(SmsBridgeDatabase.Name + "-backup"));
        }

        var superuser = builder.AddSecret("postgres-password", Secrets.Password);
        var owner = builder.AddSecret("smsbridge-owner-password", Secrets.Password);
        var app = builder.AddSecret("smsbridge-app-password", Secrets.Password);
        var backup = builder.AddSecret("smsbridge-backup-password", Secrets.Password);
        if (builder.ExecutionContext.IsPublishMode) return builder.AddPostgresContainer(superuser, owner, app, backup);
        var (appConnection, ownerConnection, backupConnection) = builder
            .AddLocalPostgres("postgres", superuser, data.PathOf("postgres"), data.FastUnsafeStorage)
            .AddSmsBridgeDatabase(owner, app, backup);
        return (appConnection, ownerConnection, backupConnection);
    }

    public static IResourceBuilder<IResourceWithConnectionString> AddCache(this IDistributedApplicationBuilder builder, LocalData data)
    {
        if (builder.ExecutionContext.IsRunMode && builder.Configuration.GetConnectionString("cache") is not null)
        {
            return builder.AddConnectionString("cache");
        }

        var password = builder.AddSecret("cache-password", Secrets.Password);
        if (builder.ExecutionContext.IsPublishMode)
        {
            return builder.AddRedis("cache", password: password).WithImageTag("7.2.5").WithDataVolume("smsbridge-cache-data")
                .WithEndpoint("tcp", endpoint => endpoint.UriScheme = "tcp");
        }

        return builder.AddLocalRedis("cache", password, data.PathOf("cache"));
    }

    /// <summary>
    /// Production's PostgreSQL container: the same role SQL runs from its init folder, SCRAM only, connections logged; services get
    /// role connection strings, never the superuser's.
    /// </summary>
    private static (IResourceBuilder<IResourceWithConnectionString>, IResourceBuilder<IResourceWithConnectionString>,
        IResourceBuilder<IResourceWithConnectionString>) AddPostgresContainer(this IDistributedApplicationBuilder builder,
        IResourceBuilder<ParameterResource> superuser, IResourceBuilder<ParameterResource> owner, IResourceBuilder<ParameterResource> app,
        IResourceBuilder<ParameterResource> backup)
    {
        var postgres = builder.AddPostgres("postgres", password: superuser).WithImageTag("15.8")
            .WithArgs("-c", "password_encryption=scram-sha-256", "-c", "log_connections=on", "-c", "log_disconnections=on")
            .WithEnvironment("POSTGRES_HOST_AUTH_METHOD", "scram-sha-256")
            .WithEnvironment("POSTGRES_INITDB_ARGS", "--auth-host=scram-sha-256 --auth-local=scram-sha-256")
            .WithEnvironment("SMSBRIDGE_OWNER_PASSWORD", owner)
            .WithEnvironment("SMSBRIDGE_APP_PASSWORD", app)
            .WithEnvironment("SMSBRIDGE_BACKUP_PASSWORD", backup)
            .WithBindMount("../deploy/postgres/initdb.d", "/docker-entrypoint-initdb.d", isReadOnly: true)
            .WithBindMount("Resources", "/opt/smsbridge/sql", isReadOnly: true)
            .WithBindMount("../" + ProductionStack.ScriptLibrary, ProductionStack.ScriptLibraryMount, isReadOnly: true)
            .WithDataVolume("smsbridge-postgres-data");
        var endpoint = postgres.GetEndpoint("tcp");
        IResourceBuilder<IResourceWithConnectionString> Role(string name, string role, IResourceBuilder<ParameterResource> password) =>
            builder.AddConnectionString(name, ReferenceExpression.Create(
                $"Host={endpoint.Property(EndpointProperty.Host)};Port={endpoint.Property(EndpointProperty.Port)};Username={role};Password={password.Resource};Database={SmsBridgeDatabase.Name}"));
        return (Role(SmsBridgeDatabase.Name, "smsbridge_app", app), Role(SmsBridgeDatabase.Name + "-migrations", "smsbridge_owner", owner),
            Role(SmsBridgeDatabase.Name + "-backup", "smsbridge_backup", backup));
    }
}
