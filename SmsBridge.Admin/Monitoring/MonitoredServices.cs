using System.Net;
using SmsBridge.Data.Settings;

namespace SmsBridge.Admin.Monitoring;

/// <summary>The services whose internal endpoints can be opened for a while: the contract's four.</summary>
public static class MonitoredServices
{
    public const string Metrics = "metrics";
    public const string Postgres = "postgres";
    public const string Pgbouncer = "pgbouncer";
    public const string Redis = "redis";

    public static readonly IReadOnlyList<string> All = [Metrics, Postgres, Pgbouncer, Redis];

    public const int MinDurationMinutes = 15;
    public const int MaxDurationMinutes = 240;
    public const int MinPort = 1024;
    public const int MaxPort = 65535;

    public static bool IsKnown(string? service) => service is not null && All.Contains(service);

    public static int PortOf(MonitoringPorts ports, string service) => service switch
    {
        Metrics => ports.Metrics,
        Postgres => ports.Postgres,
        Pgbouncer => ports.Pgbouncer,
        Redis => ports.Redis,
        _ => throw new ArgumentOutOfRangeException(nameof(service), service, "unknown service"),
    };

    public static MonitoringPorts With(MonitoringPorts ports, string service, int port) => service switch
    {
        Metrics => ports with { Metrics = port },
        Postgres => ports with { Postgres = port },
        Pgbouncer => ports with { Pgbouncer = port },
        Redis => ports with { Redis = port },
        _ => throw new ArgumentOutOfRangeException(nameof(service), service, "unknown service"),
    };

    public static IReadOnlyDictionary<string, int> AsDictionary(MonitoringPorts ports) => All.ToDictionary(s => s, s => PortOf(ports, s));

    /// <summary>The configured internal endpoint of <paramref name="service"/>, or null when this deployment has none.</summary>
    public static IPEndPoint? InternalEndpoint(MonitoringOptions options, string service) =>
        options.Endpoints.TryGetValue(service, out var value) && IPEndPoint.TryParse(value, out var endpoint) && endpoint.Port > 0 ? endpoint : null;
}
