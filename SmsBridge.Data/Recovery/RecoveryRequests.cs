using Npgsql;

namespace SmsBridge.Data.Recovery;

/// <summary>
/// Requests to re-drive the dead-lettered hand-offs (recovery_requests): the admin service files them, one receiver carries
/// each out. The one place this table's SQL lives.
/// </summary>
public static class RecoveryRequests
{
    /// <summary>Requests not carried out yet (a scalar subquery, for figures read together with other tables').</summary>
    public const string PendingCountSql = "SELECT count(*) FROM recovery_requests WHERE status = 'pending'";

    /// <summary>Files a request in the caller's transaction (the admin change that audits it); on commit its NOTIFY wakes the receivers.</summary>
    public static async Task<long> FileAsync(NpgsqlTransaction transaction, string requestedBy, DateTimeOffset requestedAt,
        CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand("INSERT INTO recovery_requests (requested_by, requested_at) VALUES ($1, $2) RETURNING id",
            transaction.Connection, transaction);
        insert.Parameters.Add(new() { Value = requestedBy });
        insert.Parameters.Add(new() { Value = requestedAt.UtcDateTime });
        return (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
    }

    public static async Task<RecoveryResult> GetAsync(NpgsqlDataSource dataSource, long id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, status, requeued, requested_at, finished_at, error FROM recovery_requests WHERE id = $1");
        command.Parameters.Add(new() { Value = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new RecoveryResult(reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt32(2),
            new DateTimeOffset(reader.GetDateTime(3), TimeSpan.Zero), reader.IsDBNull(4) ? null : new DateTimeOffset(reader.GetDateTime(4), TimeSpan.Zero),
            reader.IsDBNull(5) ? null : reader.GetString(5));
    }

    /// <summary>Claims the oldest pending request in the caller's transaction (SKIP LOCKED keeps receivers apart), or null.</summary>
    public static async Task<(long Id, string RequestedBy)?> ClaimNextAsync(NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var claim = new NpgsqlCommand(
            "SELECT id, requested_by FROM recovery_requests WHERE status = 'pending' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
            transaction.Connection, transaction);
        await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0), reader.GetString(1)) : null;
    }

    public static async Task FinishAsync(NpgsqlTransaction transaction, long id, int requeued, CancellationToken cancellationToken)
    {
        await using var done = new NpgsqlCommand(
            "UPDATE recovery_requests SET status = 'done', requeued = $2, finished_at = now() WHERE id = $1", transaction.Connection, transaction);
        done.Parameters.Add(new() { Value = id });
        done.Parameters.Add(new() { Value = requeued });
        await done.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>A recovery request as filed and, once carried out, how many hand-offs it re-queued.</summary>
public sealed record RecoveryResult(long RequestId, string Status, int? Requeued, DateTimeOffset RequestedAt, DateTimeOffset? FinishedAt, string? Error);
