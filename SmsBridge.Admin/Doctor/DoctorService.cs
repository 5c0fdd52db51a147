using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using SmsBridge.Admin.Backups;
using SmsBridge.Admin.Monitoring;

namespace SmsBridge.Admin.Doctor;

/// <summary>Builds one doctor run from the service's configuration, with the public URL given or configured.</summary>
public sealed class DoctorService(IServiceProvider services, IConfiguration configuration, IOptions<DoctorOptions> options, DoctorMetrics metrics,
    TimeProvider time)
{
    /// <summary>The receiver, admin and backup services each hold a pool of the app role's connections.</summary>
    private const int ServicesOnTheAppRole = 3;

    public Task<DoctorReport> RunAsync(Uri? publicUrl, CancellationToken cancellationToken)
    {
        var o = options.Value;
        var checks = new List<IDoctorCheck>();
        if ((publicUrl ?? o.PublicUrl) is { } url) checks.Add(new TlsChecks(url, null, time, TrustedRoots(o.TrustedRootsFile)));
        if (configuration["services:receiver:http:0"] is { } receiver) checks.Add(new ProxyChecks(new Uri(receiver)));
        if (configuration.GetConnectionString("smsbridge") is { } database) checks.Add(new PostgresChecks(database, ServicesOnTheAppRole, time));
        if (configuration.GetConnectionString("cache") is { } cache) checks.Add(new RedisChecks(cache, time));
        checks.Add(new MonitoringPortChecks(services.GetRequiredService<PortOpeningStore>(), time));
        checks.Add(new BackupChecks(services.GetRequiredService<BackupService>(), o, time));
        checks.Add(new SecretChecks(configuration, services.GetRequiredService<Npgsql.NpgsqlDataSource>(), time));
        return new CheckRunner(checks, metrics, time).RunAsync(cancellationToken);
    }

    private static X509Certificate2Collection? TrustedRoots(string? pemFile)
    {
        if (string.IsNullOrEmpty(pemFile)) return null;
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(pemFile);
        return roots;
    }
}
