using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace SmsBridge.Data.Audit;

public sealed record AuditRow(long Id, DateTimeOffset OccurredAt, string EventType, string Actor, string? SourceAddress, string? Subject,
    JsonElement Details);

public sealed record AuditQuery(string? EventType, string? Actor, DateTimeOffset? From, DateTimeOffset? To, long? BeforeId, int Limit);

/// <summary>
/// A row the trail should hold for a change: <see cref="EventType"/> about <see cref="Subject"/>, its details holding
/// <see cref="Details"/> (JSON containment), recorded around <see cref="At"/>.
/// </summary>
public sealed record ExpectedAuditEvent(string EventType, string Subject, IReadOnlyDictionary<string, object?> Details, DateTimeOffset At);

/// <summary>
/// Reads the audit trail (audit_events; <see cref="AuditLog"/> writes it): searches by event type (exact, or a prefix ending
/// in '.' such as <c>monitoring.</c>), actor and time range, newest first, paged by id; and checks changes against it.
/// </summary>
public sealed class AuditSearch(NpgsqlDataSource dataSource)
{
    public async Task<List<AuditRow>> FindAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT id, occurred_at, event_type, actor, source_address, subject, details::text FROM audit_events
            WHERE ($1::text IS NULL OR event_type = $1 OR (right($1, 1) = '.' AND starts_with(event_type, $1)))
              AND ($2::text IS NULL OR actor = $2)
              AND ($3::timestamptz IS NULL OR occurred_at >= $3)
              AND ($4::timestamptz IS NULL OR occurred_at < $4)
              AND ($5::bigint IS NULL OR id < $5)
            ORDER BY id DESC LIMIT $6
            """);
        command.Parameters.Add(new() { Value = (object?)query.EventType ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)query.Actor ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)query.From?.UtcDateTime ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = (object?)query.To?.UtcDateTime ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = (object?)query.BeforeId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new() { Value = query.Limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<AuditRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new AuditRow(reader.GetInt64(0), new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero), reader.GetString(2),
                reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                JsonDocument.Parse(reader.GetString(6)).RootElement.Clone()));
        }

        return rows;
    }

    /// <summary>
    /// The positions in <paramref name="expected"/> of the events the trail lacks (none within <paramref name="tolerance"/> of
    /// their time), in order: changes made behind the trail's back. One statement for the whole list.
    /// </summary>
    public static async Task<List<int>> MissingAsync(NpgsqlDataSource dataSource, IReadOnlyList<ExpectedAuditEvent> expected, TimeSpan tolerance,
        CancellationToken cancellationToken)
    {
        if (expected.Count == 0) return [];
        await using var command = dataSource.CreateCommand("""
            SELECT e.position - 1
            FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::timestamptz[]) WITH ORDINALITY AS e(event_type, subject, details, around, position)
            WHERE NOT EXISTS (SELECT 1 FROM audit_events a
                              WHERE a.event_type = e.event_type AND a.subject = e.subject AND a.details @> e.details
                                AND a.occurred_at BETWEEN e.around - $5 AND e.around + $5)
            ORDER BY e.position
            """);
        command.Parameters.Add(new() { Value = expected.Select(e => e.EventType).ToArray() });
        command.Parameters.Add(new() { Value = expected.Select(e => e.Subject).ToArray() });
        command.Parameters.Add(new()
        {
            Value = expected.Select(e => JsonSerializer.Serialize(e.Details)).ToArray(),
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb,
        });
        command.Parameters.Add(new()
        {
            Value = expected.Select(e => e.At.UtcDateTime).ToArray(),
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz,
        });
        command.Parameters.Add(new() { Value = tolerance });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var missing = new List<int>();
        while (await reader.ReadAsync(cancellationToken)) missing.Add((int)reader.GetInt64(0));
        return missing;
    }
}
