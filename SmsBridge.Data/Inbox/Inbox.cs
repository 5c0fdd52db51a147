using Npgsql;
using NpgsqlTypes;

namespace SmsBridge.Data.Inbox;

/// <summary>
/// The SMS inbox in PostgreSQL (sms_inbox), the one place its SQL lives: the durable record that makes a 202 a promise.
/// Shared by every receiver: each message is leased to one of them (<see cref="InboxLease"/>), so it is validated once however
/// many run. The admin service reads it through <see cref="FindAsync"/>.
/// </summary>
public sealed class Inbox(NpgsqlDataSource dataSource, InboxLease lease, TimeProvider time)
{
    /// <summary>Messages waiting for validation (a scalar subquery, for figures read together with other tables').</summary>
    public const string PendingCountSql = "SELECT count(*) FROM sms_inbox WHERE outcome = 'pending'";

    /// <summary>Messages accepted so far, whatever their outcome (a scalar subquery, like <see cref="PendingCountSql"/>).</summary>
    public const string AcceptedCountSql = "SELECT count(*) FROM sms_inbox";

    /// <summary>Messages validated so far: those with a final outcome (a scalar subquery, like <see cref="PendingCountSql"/>).</summary>
    public const string ValidatedCountSql = "SELECT count(*) FROM sms_inbox WHERE outcome <> 'pending'";

    private const string Columns =
        "id, source, source_address, mobile_number, mobile_raw, message, raw_payload, sender, received_at, received_at_raw, gateway_message_id, accepted_at";

    private TimeSpan Lease => lease.Duration;

    /// <summary>
    /// Commits the SMS, leased to this receiver until <see cref="LeaseEnd"/>; a repeat of one already accepted returns the
    /// first one's id and is not queued again.
    /// </summary>
    public async Task<(Guid Id, bool IsNew)> AcceptAsync(InboundSms sms, CancellationToken cancellationToken)
    {
        await using var insert = dataSource.CreateCommand($"""
            INSERT INTO sms_inbox ({Columns}, dedupe_key, leased_by, lease_until)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
            ON CONFLICT DO NOTHING RETURNING id
            """);
        AddParameters(insert, sms);
        insert.Parameters.Add(new() { Value = sms.DedupeKey });
        insert.Parameters.Add(new() { Value = lease.Holder });
        insert.Parameters.Add(new() { Value = LeaseEnd(sms).UtcDateTime });
        if (await insert.ExecuteScalarAsync(cancellationToken) is Guid id) return (id, true);

        await using var existing = dataSource.CreateCommand(
            "SELECT id FROM sms_inbox WHERE dedupe_key = $1 OR (gateway_message_id IS NOT NULL AND gateway_message_id = $2) LIMIT 1");
        existing.Parameters.Add(new() { Value = sms.DedupeKey });
        existing.Parameters.Add(new() { Value = (object?)sms.GatewayMessageId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        return ((Guid)(await existing.ExecuteScalarAsync(cancellationToken))!, false);
    }

    /// <summary>
    /// For each SMS, how many from its mobile were received in the <paramref name="window"/> up to and including its own
    /// received_at: the count as of that message, whenever it is processed. One statement for the whole batch.
    /// </summary>
    public async Task<long[]> CountReceivedAsync(IReadOnlyList<InboundSms> batch, TimeSpan window, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT (SELECT count(*) FROM sms_inbox i WHERE i.mobile_number = m.mobile AND i.received_at > m.received_at - $3 AND i.received_at <= m.received_at)
            FROM unnest($1::text[], $2::timestamptz[]) WITH ORDINALITY AS m(mobile, received_at, position)
            ORDER BY m.position
            """);
        command.Parameters.Add(new() { Value = batch.Select(sms => sms.Mobile).ToArray() });
        command.Parameters.Add(new() { Value = batch.Select(sms => sms.ReceivedAt.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = window });
        var counts = new long[batch.Count];
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        for (var i = 0; await reader.ReadAsync(cancellationToken); i++) counts[i] = reader.GetInt64(0);
        return counts;
    }

    /// <summary>
    /// Records the final outcomes of a batch in one statement; only a pending message changes, so a second processing is a
    /// no-op. Returns the ids that changed: the outcomes recorded by this call.
    /// </summary>
    public async Task<HashSet<Guid>> CompleteAsync(IReadOnlyList<(Guid Id, string Outcome, string CheckResults)> outcomes, DateTimeOffset processedAt,
        CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE sms_inbox i SET outcome = r.outcome, check_results = r.check_results, processed_at = $4
            FROM unnest($1::uuid[], $2::text[], $3::jsonb[]) AS r(id, outcome, check_results)
            WHERE i.id = r.id AND i.outcome = 'pending'
            RETURNING i.id
            """);
        command.Parameters.Add(new() { Value = outcomes.Select(o => o.Id).ToArray() });
        command.Parameters.Add(new() { Value = outcomes.Select(o => o.Outcome).ToArray() });
        command.Parameters.Add(new() { Value = outcomes.Select(o => o.CheckResults).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb });
        command.Parameters.Add(new() { Value = processedAt.UtcDateTime });
        var changed = new HashSet<Guid>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) changed.Add(reader.GetGuid(0));
        return changed;
    }

    /// <summary>Until when the lease taken at acceptance holds: the accepting receiver may validate without claiming again.</summary>
    public DateTimeOffset LeaseEnd(InboundSms sms) => sms.AcceptedAt + Lease;

    /// <summary>
    /// Claims (for a fresh lease) the pending messages in <paramref name="ids"/> that are this receiver's or nobody's; the ids
    /// claimed. Another receiver's live lease is left alone: that receiver validates the message.
    /// </summary>
    public async Task<HashSet<Guid>> ClaimAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE sms_inbox SET leased_by = $2, lease_until = $3
            WHERE id = ANY($1) AND outcome = 'pending' AND (leased_by = $2 OR lease_until IS NULL OR lease_until < $4)
            RETURNING id
            """);
        var now = time.GetUtcNow();
        command.Parameters.Add(new() { Value = ids.ToArray() });
        command.Parameters.Add(new() { Value = lease.Holder });
        command.Parameters.Add(new() { Value = (now + Lease).UtcDateTime });
        command.Parameters.Add(new() { Value = now.UtcDateTime });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var claimed = new HashSet<Guid>();
        while (await reader.ReadAsync(cancellationToken)) claimed.Add(reader.GetGuid(0));
        return claimed;
    }

    /// <summary>
    /// Claims up to <paramref name="limit"/> pending messages that are this receiver's or whose lease ran out (SKIP LOCKED keeps
    /// concurrent sweeps apart), in arrival order.
    /// </summary>
    public async Task<List<InboundSms>> ClaimPendingAsync(int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            UPDATE sms_inbox SET leased_by = $2, lease_until = $3
            WHERE id IN (SELECT id FROM sms_inbox
                         WHERE outcome = 'pending' AND (leased_by = $2 OR lease_until IS NULL OR lease_until < $4)
                         ORDER BY accepted_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
            RETURNING {Columns}
            """);
        var now = time.GetUtcNow();
        command.Parameters.Add(new() { Value = limit });
        command.Parameters.Add(new() { Value = lease.Holder });
        command.Parameters.Add(new() { Value = (now + Lease).UtcDateTime });
        command.Parameters.Add(new() { Value = now.UtcDateTime });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var pending = new List<InboundSms>();
        while (await reader.ReadAsync(cancellationToken))
        {
            pending.Add(new InboundSms(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3), reader.GetString(4), reader.GetString(5), reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.GetFieldValue<DateTimeOffset>(8), reader.GetString(9), reader.IsDBNull(10) ? null : reader.GetString(10),
                reader.GetFieldValue<DateTimeOffset>(11)));
        }

        return [.. pending.OrderBy(m => m.AcceptedAt).ThenBy(m => m.Id)]; // RETURNING keeps no order
    }

    public async Task<long> PendingCountAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(PendingCountSql);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>One received SMS by its <c>message_id</c>, with the outcome of its validation.</summary>
    public static async Task<SmsRecord?> FindAsync(NpgsqlDataSource dataSource, Guid messageId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, source, source_address, mobile_number, mobile_raw, message, sender, received_at, received_at_raw,
                   accepted_at, outcome, check_results::text, processed_at
            FROM sms_inbox WHERE id = $1
            """);
        command.Parameters.Add(new() { Value = messageId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new SmsRecord(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
            reader.GetString(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), Utc(reader.GetDateTime(7)),
            reader.GetString(8), Utc(reader.GetDateTime(9)), reader.GetString(10),
            reader.IsDBNull(11) ? null : System.Text.Json.JsonDocument.Parse(reader.GetString(11)).RootElement.Clone(),
            reader.IsDBNull(12) ? null : Utc(reader.GetDateTime(12)));
    }

    /// <summary>
    /// The final outcomes among <paramref name="messageIds"/>, on the caller's connection (one statement for all of them); a
    /// message still pending is left out.
    /// </summary>
    public static async Task<List<(Guid MessageId, string Outcome)>> FinalOutcomesAsync(NpgsqlConnection connection, Guid[] messageIds,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT id, outcome FROM sms_inbox WHERE id = ANY($1) AND outcome <> 'pending'", connection);
        command.Parameters.Add(new() { Value = messageIds });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var outcomes = new List<(Guid, string)>();
        while (await reader.ReadAsync(cancellationToken)) outcomes.Add((reader.GetGuid(0), reader.GetString(1)));
        return outcomes;
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    private static void AddParameters(NpgsqlCommand command, InboundSms sms)
    {
        command.Parameters.Add(new() { Value = sms.Id });
        command.Parameters.Add(new() { Value = sms.Source });
        command.Parameters.Add(new() { Value = (object?)sms.SourceAddress ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = sms.Mobile });
        command.Parameters.Add(new() { Value = sms.MobileRaw });
        command.Parameters.Add(new() { Value = sms.Message });
        command.Parameters.Add(new() { Value = sms.RawPayload });
        command.Parameters.Add(new() { Value = (object?)sms.Sender ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = sms.ReceivedAt.UtcDateTime });
        command.Parameters.Add(new() { Value = sms.ReceivedAtRaw });
        command.Parameters.Add(new() { Value = (object?)sms.GatewayMessageId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = sms.AcceptedAt.UtcDateTime });
    }
}

/// <summary>A received SMS as the admin service shows it.</summary>
public sealed record SmsRecord(
    Guid MessageId,
    string Source,
    string? SourceAddress,
    string MobileNumber,
    string MobileRaw,
    string Message,
    string? Sender,
    DateTimeOffset ReceivedAt,
    string ReceivedAtRaw,
    DateTimeOffset AcceptedAt,
    string Outcome,
    System.Text.Json.JsonElement? CheckResults,
    DateTimeOffset? ProcessedAt);
