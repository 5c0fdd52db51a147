using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SmsBridge.Data.Audit;
using SmsBridge.Data.Blacklist;
using SmsBridge.Data.Notifications;
using SmsBridge.Data.Schema;
using SmsBridge.Data.Settings;

namespace Microsoft.Extensions.Hosting;

public static class DataExtensions
{
    /// <summary>
    /// PostgreSQL as the app role, migrations first when this service holds the owner's connection
    /// (<c>ConnectionStrings:smsbridge-migrations</c>), then the settings and blacklist caches that follow the tables.
    /// <c>FirstSettings:SyncUrl</c> goes into the very first settings version only (the development graph points it at its
    /// sample backend); later starts never change settings, which belong to the operators. <paramref name="resetConnectionsOnClose"/>:
    /// see <see cref="DatabaseClient.AddDatabaseClient"/>.
    /// </summary>
    public static IHostApplicationBuilder AddSmsBridgeData(this IHostApplicationBuilder builder, bool resetConnectionsOnClose = true)
    {
        builder.AddDatabaseClient(resetConnectionsOnClose);
        if (builder.Configuration.GetConnectionString("smsbridge-migrations") is { } owner)
        {
            var first = new SmsBridgeSettings { SyncUrl = builder.Configuration["FirstSettings:SyncUrl"] };
            builder.Services.AddSingleton(sp => new DatabaseMigrator(owner, sp.GetRequiredService<ILogger<DatabaseMigrator>>(), first));
            builder.Services.AddHostedService<MigrationHostedService>();
        }

        builder.Services.AddSingleton<DatabaseNotifications>();
        builder.Services.AddSingleton<SettingsStore>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SettingsStore>());
        builder.Services.AddSingleton<BlacklistCache>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<BlacklistCache>());
        builder.Services.AddHostedService(sp => sp.GetRequiredService<DatabaseNotifications>());
        builder.Services.AddSingleton<AuditLog>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AuditLog>());
        return builder;
    }
}
