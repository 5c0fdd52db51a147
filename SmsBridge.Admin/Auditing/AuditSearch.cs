using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace SmsBridge.Admin.Auditing;

public sealed record AuditRow(long Id, DateTimeOffset OccurredAt, string EventType, string Actor, string? SourceAddress, string? Subject,
    JsonElement Details);

public sealed record AuditQuery(string? EventType, string? Actor, DateTimeOffset? From, DateTimeOffset? To, long? BeforeId, int Limit);

/// <summary>
/// Searches the audit trail by event type (exact, or a prefix ending in '.' such as <c>monitoring.</c>), actor and time
/// range, newest first, paged by id.
/// </summary>
public sealed class AuditSearch(NpgsqlDataSource dataSource)
{
    public const int MaxLimit = 500;

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
}
