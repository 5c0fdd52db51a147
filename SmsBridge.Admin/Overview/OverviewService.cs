using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;
using SmsBridge.Admin.Backups;
using SmsBridge.Admin.Monitoring;
using SmsBridge.Data.Backups;
using SmsBridge.Data.Inbox;
using SmsBridge.Data.Outbox;
using SmsBridge.Data.Recovery;

namespace SmsBridge.Admin.Overview;

public sealed record ServiceHealth(string Name, string Status, string? Detail);

public sealed record QueueDepths(long SmsPending, long WebhooksPending, long WebhooksDead, long RecoveryPending, long BackupRequestsPending);

public sealed record SystemOverview(
    IReadOnlyList<ServiceHealth> Health,
    QueueDepths? Queues,
    BackupRecord? LastBackup,
    IReadOnlyList<OpenPortStatus> OpenPorts,
    DateTimeOffset GeneratedAt);

/// <summary>What an operator checks first: health of each part, queue depths, the last backup, open ports.</summary>
public sealed class OverviewService(
    IHttpClientFactory httpClients,
    HealthCheckService health,
    NpgsqlDataSource dataSource,
    BackupService backups,
    PortRegistry ports,
    TimeProvider time,
    IConfiguration configuration,
    ILogger<OverviewService> logger)
{
    private static readonly string[] PeerServices = ["receiver", "backup"];

    public async Task<SystemOverview> GetAsync(CancellationToken cancellationToken)
    {
        var services = new List<ServiceHealth>();
        foreach (var name in PeerServices)
        {
            // Only the services this deployment tells us about (services__{name}__http__0).
            if (configuration[$"services:{name}:http:0"] is { Length: > 0 }) services.Add(await PeerAsync(name, cancellationToken));
        }

        var own = await health.CheckHealthAsync(cancellationToken);
        services.Add(new ServiceHealth("admin", Lower(own.Status), null));
        foreach (var name in new[] { "database", "redis" })
        {
            if (own.Entries.TryGetValue(name, out var entry)) services.Add(new ServiceHealth(name, Lower(entry.Status), entry.Description));
        }

        QueueDepths? queues = null;
        BackupRecord? last = null;
        try
        {
            queues = await QueuesAsync(cancellationToken);
            last = (await backups.ListAsync(1, cancellationToken)).FirstOrDefault();
        }
        catch (NpgsqlException ex)
        {
            logger.LogWarning("Dashboard could not read the database: {Error}", ex.Message);
        }

        return new SystemOverview(services, queues, last, ports.Snapshot(), time.GetUtcNow());
    }

    private async Task<ServiceHealth> PeerAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            using var client = httpClients.CreateClient("health");
            client.Timeout = TimeSpan.FromSeconds(5);
            using var response = await client.GetAsync(new Uri($"http://{name}/health"), cancellationToken);
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            return new ServiceHealth(name, body.RootElement.GetProperty("status").GetString() ?? "unknown", null);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
        {
            return new ServiceHealth(name, "unreachable", $"no answer from the {name} service's /health");
        }
    }

    private async Task<QueueDepths> QueuesAsync(CancellationToken cancellationToken)
    {
        // Each table's own query, read in one statement.
        await using var command = dataSource.CreateCommand($"""
            SELECT ({Inbox.PendingCountSql}), ({Outbox.PendingCountSql}), ({Outbox.DeadCountSql}), ({RecoveryRequests.PendingCountSql}),
                   ({BackupRequests.OpenCountSql})
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new QueueDepths(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4));
    }

    private static string Lower(HealthStatus status) => status switch
    {
        HealthStatus.Healthy => "healthy",
        HealthStatus.Degraded => "degraded",
        _ => "unhealthy",
    };
}
