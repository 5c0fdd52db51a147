using Microsoft.Extensions.Options;
using SmsBridge.Admin.Backups;
using SmsBridge.Admin.Monitoring;

namespace SmsBridge.Admin.Doctor;

/// <summary>Builds one doctor run from the service's configuration, with the public URL given or configured.</summary>
public sealed class DoctorRuns(IServiceProvider services, IConfiguration configuration, IOptions<DoctorOptions> options, DoctorMetrics metrics,
    TimeProvider time)
{
    /// <summary>The receiver, admin and backup services each hold a pool of the app role's connections.</summary>
    private const int ServicesOnTheAppRole = 3;

    public Task<DoctorReport> RunAsync(Uri? publicUrl, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var checks = new List<IDoctorCheck>();
        if (configuration.GetConnectionString("smsbridge") is { } database) checks.Add(new PostgresChecks(database, ServicesOnTheAppRole, time));
        if (configuration.GetConnectionString("cache") is { } cache) checks.Add(new RedisChecks(cache, time));
        checks.Add(new MonitoringPortChecks(services.GetRequiredService<PortOpeningStore>(), time));
        checks.Add(new BackupChecks(services.GetRequiredService<BackupService>(), o, time));
        checks.Add(new SecretChecks(configuration, time));
        return new Doctor(checks, metrics, time).RunAsync(cancellationToken);
    }
}
