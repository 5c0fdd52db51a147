using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace SmsBridge.Backup.Catalogue;

/// <summary>A durable request the admin service filed (run a backup now, verify one, restore one).</summary>
public sealed record BackupRequest(long Id, string Kind, string? BackupId, string RequestedBy);

/// <summary>
/// The <c>backup_requests</c> queue: claimed one at a time (FOR UPDATE SKIP LOCKED), marked running, then done
/// with a JSON result or failed with an error the admin UI shows as is.
/// </summary>
public sealed class BackupRequests(BackupCatalogue catalogue)
{
    public async Task<BackupRequest?> ClaimNextAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = catalogue.DataSource.CreateCommand("""
            UPDATE backup_requests SET status = 'running', started_at = $1
            WHERE id = (SELECT id FROM backup_requests WHERE status = 'pending' ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1)
            RETURNING id, kind, backup_id, requested_by
            """);
        command.Parameters.Add(new() { Value = now.UtcDateTime });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new BackupRequest(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3));
    }

    public async Task CompleteAsync(BackupRequest request, DateTimeOffset now, object result, CancellationToken cancellationToken) =>
        await FinishAsync(request, now, "done", JsonSerializer.Serialize(result, Artefacts.BackupManifest.Json), null, cancellationToken);

    public async Task FailAsync(BackupRequest request, DateTimeOffset now, string error, object? result, CancellationToken cancellationToken) =>
        await FinishAsync(request, now, "failed", result is null ? null : JsonSerializer.Serialize(result, Artefacts.BackupManifest.Json), error,
            cancellationToken);

    /// <summary>Requests left 'running' by a process that died; only called while holding the backup lock.</summary>
    public async Task FailInterruptedAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = catalogue.DataSource.CreateCommand(
            "UPDATE backup_requests SET status = 'failed', finished_at = $1, error = 'Interrupted: the backup worker stopped before it finished; file the request again.' WHERE status = 'running'");
        command.Parameters.Add(new() { Value = now.UtcDateTime });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task FinishAsync(BackupRequest request, DateTimeOffset now, string status, string? result, string? error,
        CancellationToken cancellationToken)
    {
        // A restore of this very database may have replaced the table, taking the request row with it: put it back.
        await using var command = catalogue.DataSource.CreateCommand("""
            INSERT INTO backup_requests (id, kind, backup_id, requested_by, status, started_at, finished_at, result, error)
            OVERRIDING SYSTEM VALUE VALUES ($1, $2, $3, $4, $5, $6, $6, $7, $8)
            ON CONFLICT (id) DO UPDATE SET status = excluded.status, finished_at = excluded.finished_at,
                result = excluded.result, error = excluded.error
            """);
        command.Parameters.Add(new() { Value = request.Id });
        command.Parameters.Add(new() { Value = request.Kind });
        command.Parameters.Add(new() { Value = (object?)request.BackupId ?? DBNull.Value });
        command.Parameters.Add(new() { Value = request.RequestedBy });
        command.Parameters.Add(new() { Value = status });
        command.Parameters.Add(new() { Value = now.UtcDateTime });
        command.Parameters.Add(new() { Value = (object?)result ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new() { Value = (object?)error ?? DBNull.Value });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
