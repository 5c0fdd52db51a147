namespace SmsBridge.Admin.Monitoring;

/// <summary>One row of <c>monitoring_port_openings</c>.</summary>
public sealed record PortOpening(
    long Id,
    string Service,
    int ExternalPort,
    string BindAddress,
    string? AllowedSource,
    string OpenedBy,
    string? SourceAddress,
    DateTimeOffset OpenedAt,
    int DurationMinutes,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? ClosedAt = null,
    string? CloseReason = null,
    string? ClosedBy = null,
    long Connections = 0,
    long RefusedConnections = 0);

/// <summary>Why an opening ended.</summary>
public static class CloseReasons
{
    public const string User = "user";
    public const string Expiry = "expiry";
    public const string Shutdown = "shutdown";
    public const string Reconcile = "reconcile";
}
