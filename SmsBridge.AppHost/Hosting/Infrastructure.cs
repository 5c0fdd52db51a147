using Microsoft.Extensions.Configuration;

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

        var owner = builder.AddSecret("smsbridge-owner-password", Secrets.Password);
        var app = builder.AddSecret("smsbridge-app-password", Secrets.Password);
        var backup = builder.AddSecret("smsbridge-backup-password", Secrets.Password);
        var superuser = builder.AddSecret("postgres-password", Secrets.Password);
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

        return builder.AddLocalRedis("cache", builder.AddSecret("cache-password", Secrets.Password), data.PathOf("cache"));
    }
}
