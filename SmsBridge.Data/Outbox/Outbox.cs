using Npgsql;
using NpgsqlTypes;

namespace SmsBridge.Data.Outbox;

/// <summary>
/// The transactional outbox of hand-offs (webhook_outbox) and its attempt log (webhook_attempts): the one place their SQL
/// lives. PIN setup queues into it in its own transaction, the delivery workers claim and record, recovery re-queues.
/// </summary>
public sealed class Outbox(NpgsqlDataSource dataSource)
{
    /// <summary>Hand-offs waiting for delivery (a scalar subquery, for figures read together with other tables').</summary>
    public const string PendingCountSql = "SELECT count(*) FROM webhook_outbox WHERE status = 'pending'";

    /// <summary>Hand-offs in the dead-letter state.</summary>
    public const string DeadCountSql = "SELECT count(*) FROM webhook_outbox WHERE status = 'dead'";

    /// <summary>Hand-offs the backend has received.</summary>
    public const string DeliveredCountSql = "SELECT count(*) FROM webhook_outbox WHERE status = 'delivered'";

    /// <summary>
    /// Queues a hand-off in the caller's transaction (the one that records the mobile as onboarded); the insert's NOTIFY wakes
    /// the delivery workers once it commits. <paramref name="traceParent"/> lets the delivery continue the caller's trace.
    /// </summary>
    public static async Task QueueAsync(NpgsqlTransaction transaction, HandOff handOff, string? traceParent, CancellationToken cancellationToken)
    {
        await using var queue = new NpgsqlCommand("""
            INSERT INTO webhook_outbox (id, mobile_number, hash, pin_ciphertext, pin_hash, pin_salt, verified_at, retry_until, trace_parent)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            """, transaction.Connection, transaction);
        queue.Parameters.Add(new() { Value = handOff.EventId });
        queue.Parameters.Add(new() { Value = handOff.Mobile });
        queue.Parameters.Add(new() { Value = handOff.Hash });
        queue.Parameters.Add(new() { Value = handOff.PinCiphertext });
        queue.Parameters.Add(new() { Value = handOff.PinHash });
        queue.Parameters.Add(new() { Value = handOff.PinSalt });
        queue.Parameters.Add(new() { Value = handOff.VerifiedAt.UtcDateTime });
        queue.Parameters.Add(new() { Value = handOff.RetryUntil.UtcDateTime });
        queue.Parameters.Add(new() { Value = (object?)traceParent ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await queue.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Makes every dead-lettered hand-off due again with a fresh retry period, in the caller's transaction; their ids.</summary>
    public static async Task<List<Guid>> RequeueDeadAsync(NpgsqlTransaction transaction, int retryPeriodHours, CancellationToken cancellationToken)
    {
        await using var requeue = new NpgsqlCommand("""
            UPDATE webhook_outbox SET status = 'pending', next_attempt_at = now(), attempts = 0, dead_at = NULL,
                   retry_until = now() + make_interval(hours => $1)
            WHERE status = 'dead' RETURNING id
            """, transaction.Connection, transaction);
        requeue.Parameters.Add(new() { Value = retryPeriodHours });
        var requeued = new List<Guid>();
        await using var reader = await requeue.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) requeued.Add(reader.GetGuid(0));
        return requeued;
    }

    /// <summary>
    /// Claims due hand-offs for one lease: <c>FOR UPDATE SKIP LOCKED</c> keeps instances apart, and only the
    /// oldest pending hand-off of each mobile is taken, so a mobile's deliveries keep their order.
    /// </summary>
    public async Task<List<OutboxEntry>> ClaimDueAsync(int limit, TimeSpan lease, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(ClaimCommand(limit, lease));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        return await ReadClaimedAsync(reader, cancellationToken);
    }

    private static NpgsqlBatchCommand ClaimCommand(int limit, TimeSpan lease) => Command("""
        UPDATE webhook_outbox o SET next_attempt_at = now() + $2, attempts = o.attempts + 1
        FROM (
            SELECT id FROM webhook_outbox d
            WHERE d.status = 'pending' AND d.next_attempt_at <= now()
              AND NOT EXISTS (SELECT 1 FROM webhook_outbox e
                              WHERE e.mobile_number = d.mobile_number AND e.status = 'pending' AND e.sequence < d.sequence)
            ORDER BY d.sequence
            LIMIT $1
            FOR UPDATE SKIP LOCKED
        ) due
        WHERE o.id = due.id
        RETURNING o.id, o.mobile_number, o.hash, o.pin_ciphertext, o.verified_at, o.attempts, o.retry_until, o.sequence, o.trace_parent
        """, limit, lease);

    /// <summary>The claim's rows: the reader's last result set (the statements before it, if any, return none).</summary>
    private static async Task<List<OutboxEntry>> ReadClaimedAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var claimed = new List<OutboxEntry>();
        do
        {
            while (reader.FieldCount > 0 && await reader.ReadAsync(cancellationToken))
            {
                claimed.Add(new OutboxEntry(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<byte[]>(3),
                    reader.GetFieldValue<DateTimeOffset>(4), reader.GetInt32(5), reader.GetFieldValue<DateTimeOffset>(6), reader.GetInt64(7))
                {
                    TraceParent = reader.IsDBNull(8) ? null : reader.GetString(8),
                });
            }
        } while (await reader.NextResultAsync(cancellationToken));

        return [.. claimed.OrderBy(e => e.Sequence)];
    }

    /// <summary>
    /// Records a batch of attempts, each row's new state and the attempt's log entry, and, given a <paramref name="next"/>
    /// claim, claims the next due batch after them: one round trip and one transaction for both. Delivered: the PIN ciphertext
    /// is erased; the salted, keyed hash stays for the audit trail.
    /// </summary>
    public async Task<List<OutboxEntry>> RecordAsync(IReadOnlyCollection<AttemptRecord> attempts, (int Limit, TimeSpan Lease)? next,
        CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        var delivered = attempts.Where(a => a.Verdict == DeliveryVerdict.Delivered).Select(a => a.Entry.Id).ToArray();
        if (delivered.Length > 0)
        {
            batch.BatchCommands.Add(Command("""
                UPDATE webhook_outbox SET status = 'delivered', delivered_at = now(), pin_ciphertext = NULL, last_error = NULL
                WHERE id = ANY($1) AND status = 'pending'
                """, delivered));
        }

        foreach (var record in attempts.Where(a => a.Verdict != DeliveryVerdict.Delivered))
        {
            batch.BatchCommands.Add(record.Verdict == DeliveryVerdict.Retry
                ? Command("UPDATE webhook_outbox SET next_attempt_at = $2, last_error = $3 WHERE id = $1 AND status = 'pending'",
                    record.Entry.Id, record.NextAttempt!.Value.UtcDateTime, record.Attempt.Describe())
                : Command("UPDATE webhook_outbox SET status = 'dead', dead_at = now(), last_error = $2 WHERE id = $1 AND status = 'pending'",
                    record.Entry.Id, record.Attempt.Describe()));
        }

        if (attempts.Count > 0) batch.BatchCommands.Add(AttemptsCommand(attempts));
        if (next is { } claim) batch.BatchCommands.Add(ClaimCommand(claim.Limit, claim.Lease));
        if (batch.BatchCommands.Count == 0) return [];
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        return await ReadClaimedAsync(reader, cancellationToken);
    }

    private static NpgsqlBatchCommand AttemptsCommand(IReadOnlyCollection<AttemptRecord> attempts)
    {
        var insert = new NpgsqlBatchCommand("""
            INSERT INTO webhook_attempts (outbox_id, status_code, latency_ms, error_class)
            SELECT * FROM unnest($1::uuid[], $2::integer[], $3::integer[], $4::text[])
            """);
        insert.Parameters.Add(new NpgsqlParameter { Value = attempts.Select(a => a.Entry.Id).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = attempts.Select(a => a.Attempt.StatusCode).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer });
        insert.Parameters.Add(new NpgsqlParameter { Value = attempts.Select(a => (int)a.Attempt.Latency.TotalMilliseconds).ToArray() });
        insert.Parameters.Add(new NpgsqlParameter { Value = attempts.Select(a => a.Attempt.ErrorClass).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        return insert;
    }

    /// <summary>Gives a claimed row back without counting an attempt (the circuit was open, or no backend is configured).</summary>
    public async Task ReleaseAsync(OutboxEntry entry, DateTimeOffset nextAttempt, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "UPDATE webhook_outbox SET next_attempt_at = $2, attempts = attempts - 1 WHERE id = $1 AND status = 'pending'");
        command.Parameters.Add(new() { Value = entry.Id });
        command.Parameters.Add(new() { Value = nextAttempt.UtcDateTime });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlBatchCommand Command(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }

    public async Task<OutboxStats> StatsAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT count(*) FILTER (WHERE status = 'pending'), min(created_at) FILTER (WHERE status = 'pending'),
                   count(*) FILTER (WHERE status = 'dead')
            FROM webhook_outbox WHERE status <> 'delivered'
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new OutboxStats(reader.GetInt64(0), reader.IsDBNull(1) ? null : reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt64(2));
    }
}

/// <summary>What the backend will receive for one verified user (the PIN sealed until delivery).</summary>
public sealed record HandOff(
    Guid EventId,
    string Mobile,
    string Hash,
    byte[] PinCiphertext,
    byte[] PinHash,
    byte[] PinSalt,
    DateTimeOffset VerifiedAt,
    DateTimeOffset RetryUntil);

public sealed record OutboxEntry(Guid Id, string Mobile, string Hash, byte[] PinCiphertext, DateTimeOffset VerifiedAt, int Attempts,
    DateTimeOffset RetryUntil, long Sequence)
{
    /// <summary>The W3C traceparent of the PIN setup that queued it; null for rows queued before it was recorded.</summary>
    public string? TraceParent { get; init; }
}

/// <summary>One POST to the backend: its status (null when no response came), how long it took, and what went wrong.</summary>
public sealed record DeliveryAttempt(int? StatusCode, TimeSpan Latency, string? ErrorClass, TimeSpan? RetryAfter)
{
    public string Describe() => ErrorClass ?? $"http_{StatusCode}";
}

/// <summary>What one attempt on a claimed hand-off came to; <see cref="NextAttempt"/> only for a retry.</summary>
public sealed record AttemptRecord(OutboxEntry Entry, DeliveryAttempt Attempt, DeliveryVerdict Verdict, DateTimeOffset? NextAttempt = null);

public sealed record OutboxStats(long Pending, DateTimeOffset? OldestPendingAt, long DeadLetters);

/// <summary>What one attempt means for its hand-off.</summary>
public enum DeliveryVerdict
{
    Delivered,
    Retry,
    DeadLetter,
}
