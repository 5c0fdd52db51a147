using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SmsBridge.Backup.Artefacts;
using SmsBridge.Backup.Catalogue;
using SmsBridge.Backup.Configuration;
using SmsBridge.Backup.Dumping;
using SmsBridge.Backup.Encryption;
using SmsBridge.Backup.Monitoring;
using SmsBridge.Backup.Offsite;
using SmsBridge.Backup.Restoring;
using SmsBridge.Backup.Retention;
using SmsBridge.Backup.Running;
using SmsBridge.Backup.Scheduling;
using SmsBridge.Backup.Verification;

namespace Microsoft.Extensions.Hosting;

public static class BackupExtensions
{
    /// <summary>The worker service: scheduled backups, the admin's requests, and the <c>backups</c> health check.</summary>
    public static IHostApplicationBuilder AddBackupWorker(this IHostApplicationBuilder builder)
    {
        builder.Services.AddBackups(builder.Configuration);
        builder.Services.AddHostedService<BackupWorker>();
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration("backups",
            sp => ActivatorUtilities.CreateInstance<BackupHealthCheck>(sp), HealthStatus.Unhealthy, tags: ["ready"]));
        return builder;
    }

    /// <summary>
    /// Everything a backup, verification, restore or prune needs, shared by the worker and the CLI. Bad settings
    /// (no folder, a malformed key or schedule) fail here, at start, with a message that says what to set.
    /// </summary>
    public static IServiceCollection AddBackups(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(BackupOptions.Section).Get<BackupOptions>() ?? new BackupOptions();
        if (string.IsNullOrWhiteSpace(options.Directory))
        {
            throw new InvalidOperationException("Backup:Directory is not set: set Backup__Directory to a writable folder for the backups.");
        }

        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton(options);
        services.AddSingleton(CronSchedule.Parse(options.Schedule));
        services.AddSingleton(BackupKey.FromBase64(configuration["Secrets:BackupEncryptionKey"]));
        services.AddSingleton(new BackupConnections(configuration));
        services.AddSingleton(new BackupStore(options.Directory));
        services.AddSingleton<BackupCatalogue>();
        services.AddSingleton<BackupSlots>();
        services.AddSingleton<BackupLockProvider>();
        services.AddSingleton<BackupMetrics>();
        services.AddSingleton<BackupState>();
        services.AddSingleton<PostgresDumper>();
        services.AddSingleton<RedisSnapshotter>();
        services.AddSingleton<ArtefactReader>();
        services.AddSingleton<BackupVerifier>();
        services.AddSingleton<OffsiteCopier>();
        services.AddSingleton<RetentionService>();
        services.AddSingleton<BackupRunner>();
        services.AddSingleton<BackupVerification>();
        services.AddSingleton<BackupRestorer>();
        services.AddSingleton<BackupRequestProcessor>();
        return services;
    }
}
