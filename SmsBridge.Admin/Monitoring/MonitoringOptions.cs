namespace SmsBridge.Admin.Monitoring;

/// <summary>Bound from <c>Monitoring</c>: where forwarders listen and the fixed internal endpoints they reach.</summary>
public sealed class MonitoringOptions
{
    /// <summary>Address the external ports are bound on; 0.0.0.0 in production, loopback in tests.</summary>
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>Service name → "host:port" of its internal endpoint (<c>Monitoring__Endpoints__redis=127.0.0.1:6379</c>).</summary>
    public Dictionary<string, string> Endpoints { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How long a connection attempt to the internal endpoint may take.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often this instance says it is alive; one silent for three beats is gone, and its openings are closed.</summary>
    public TimeSpan InstanceHeartbeat { get; set; } = TimeSpan.FromSeconds(10);
}
