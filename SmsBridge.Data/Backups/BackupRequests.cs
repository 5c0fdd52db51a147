using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace SmsBridge.Data.Backups;

/// <summary>
/// The durable requests to the backup worker (backup_requests): run a backup now, verify one, restore one. The admin service
/// files them and lists them; the worker claims them one at a time (FOR UPDATE SKIP LOCKED), marks them running, then done with
/// a JSON result or failed with an error the admin UI shows as is. The one place this table's SQL lives.
/// </summary>
public static class BackupRequests
{
    /// <summary>Requests not finished yet, pending or running (a scalar subquery, for figures read together with other tables').</summary>
    public const string OpenCountSql = "SELECT count(*) FROM backup_requests WHERE status IN ('pending', 'running')";

    private const string Columns = "id, kind, backup_id, requested_by, requested_at, status, started_at, finished_at, result::text, error";

    /// <summary>Files a request in the caller's transaction (the admin change that audits it); on commit its NOTIFY wakes the worker.</summary>
    public static async Task<BackupRequest> FileAsync(NpgsqlTransaction transaction, string kind, string? backupId, string requestedBy,
        DateTimeOffset requestedAt, CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand($"""
            INSERT INTO backup_requests (kind, backup_id, requested_by, requested_at) VALUES ($1, $2, $3, $4)
            RETURNING {Columns}
            """, transaction.Connection, transaction);
        insert.Parameters.Add(new() { Value = kind });
        insert.Parameters.Add(new() { Value = (object?)backupId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        insert.Parameters.Add(new() { Value = requestedBy });
        insert.Parameters.Add(new() { Value = requestedAt.UtcDateTime });
        return (await ReadAsync(insert, cancellationToken)).Single();
    }

    /// <summary>The latest <paramref name="limit"/> requests, newest first.</summary>
    public static async Task<List<BackupRequest>> ListAsync(NpgsqlDataSource dataSource, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM backup_requests ORDER BY id DESC LIMIT $1");
        command.Parameters.Add(new() { Value = limit });
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>Claims the oldest pending request and marks it running, or null when none is pending.</summary>
    public static async Task<BackupRequest?> ClaimNextAsync(NpgsqlDataSource dataSource, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            UPDATE backup_requests SET status = 'running', started_at = $1
            WHERE id = (SELECT id FROM backup_requests WHERE status = 'pending' ORDER BY id FOR UPDATE SKIP LOCKED LIMIT 1)
            RETURNING {Columns}
            """);
        command.Parameters.Add(new() { Value = now.UtcDateTime });
        return (await ReadAsync(command, cancellationToken)).SingleOrDefault();
    }

    /// <summary>Requests left 'running' by a process that died; only called while holding the backup lock.</summary>
    public static async Task FailInterruptedAsync(NpgsqlDataSource dataSource, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE backup_requests SET status = 'failed', finished_at = $1, error = 'Interrupted: the backup worker stopped before it finished; file the request again.' WHERE status = 'running'");
        command.Parameters.Add(new() { Value = now.UtcDateTime });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Marks a claimed request done with its result (JSON).</summary>
    public static Task CompleteAsync(NpgsqlDataSource dataSource, BackupRequest request, DateTimeOffset now, string resultJson,
        CancellationToken cancellationToken) =>
        FinishAsync(dataSource, request, now, "done", resultJson, null, cancellationToken);

    /// <summary>Marks a claimed request failed with the error the admin UI shows, and what it got to (JSON), if anything.</summary>
    public static Task FailAsync(NpgsqlDataSource dataSource, BackupRequest request, DateTimeOffset now, string error, string? resultJson,
        CancellationToken cancellationToken) =>
        FinishAsync(dataSource, request, now, "failed", resultJson, error, cancellationToken);

    private static async Task FinishAsync(NpgsqlDataSource dataSource, BackupRequest request, DateTimeOffset now, string status,
        string? resultJson, string? error, CancellationToken cancellationToken)
    {
        // A restore of this very database may have replaced the table, taking the request row with it: put it back.
        await using var command = dataSource.CreateCommand("""
            INSERT INTO backup_requests (id, kind, backup_id, requested_by, requested_at, status, started_at, finished_at, result, error)
            OVERRIDING SYSTEM VALUE VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9)
            ON CONFLICT (id) DO UPDATE SET status = excluded.status, finished_at = excluded.finished_at,
                result = excluded.result, error = excluded.error
            """);
        command.Parameters.Add(new() { Value = request.Id });
        command.Parameters.Add(new() { Value = request.Kind });
        command.Parameters.Add(new() { Value = (object?)request.BackupId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = request.RequestedBy });
        command.Parameters.Add(new() { Value = request.RequestedAt.UtcDateTime });
        command.Parameters.Add(new() { Value = status });
        command.Parameters.Add(new() { Value = now.UtcDateTime });
        command.Parameters.Add(new() { Value = (object?)resultJson ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new() { Value = (object?)error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<List<BackupRequest>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<BackupRequest>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new BackupRequest(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3), reader.GetFieldValue<DateTimeOffset>(4), reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6), reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
                reader.IsDBNull(8) ? null : JsonDocument.Parse(reader.GetString(8)).RootElement.Clone(), reader.IsDBNull(9) ? null : reader.GetString(9)));
        }

        return rows;
    }
}

/// <summary>One row of <c>backup_requests</c>: what an operator asked the worker to do, and how it went.</summary>
public sealed record BackupRequest(
    long Id,
    string Kind,
    string? BackupId,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    string Status,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    JsonElement? Result,
    string? Error);
