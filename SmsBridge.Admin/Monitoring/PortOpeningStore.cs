using Npgsql;
using SmsBridge.Data.Audit;

namespace SmsBridge.Admin.Monitoring;

/// <summary>State and history of monitoring port openings in PostgreSQL, and the admin instances that hold them.</summary>
public sealed class PortOpeningStore(NpgsqlDataSource dataSource)
{
    private const string Columns = """
        id, service, external_port, bind_address, allowed_source, opened_by, source_address, opened_at, duration_minutes,
        expires_at, closed_at, close_reason, closed_by, connections, refused_connections
        """;

    /// <summary>The new row's id, or null when the service is already open (on another admin instance).</summary>
    public async Task<long?> InsertAsync(NpgsqlTransaction transaction, PortOpening opening, Guid instance, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            INSERT INTO monitoring_port_openings
                (service, external_port, bind_address, allowed_source, opened_by, source_address, opened_at, duration_minutes, expires_at,
                 instance_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (service) WHERE closed_at IS NULL DO NOTHING
            RETURNING id
            """, transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = opening.Service });
        command.Parameters.Add(new() { Value = opening.ExternalPort });
        command.Parameters.Add(new() { Value = opening.BindAddress });
        command.Parameters.Add(new() { Value = (object?)opening.AllowedSource ?? DBNull.Value });
        command.Parameters.Add(new() { Value = opening.OpenedBy });
        command.Parameters.Add(new() { Value = (object?)opening.SourceAddress ?? DBNull.Value });
        command.Parameters.Add(new() { Value = opening.OpenedAt.UtcDateTime });
        command.Parameters.Add(new() { Value = opening.DurationMinutes });
        command.Parameters.Add(new() { Value = opening.ExpiresAt.UtcDateTime });
        command.Parameters.Add(new() { Value = instance });
        return (long?)await command.ExecuteScalarAsync(cancellationToken);
    }

    public async Task<PortOpening?> MarkClosedAsync(NpgsqlTransaction transaction, long id, DateTimeOffset closedAt, string reason,
        string closedBy, long connections, long refused, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"""
            UPDATE monitoring_port_openings
            SET closed_at = $2, close_reason = $3, closed_by = $4, connections = $5, refused_connections = $6
            WHERE id = $1 AND closed_at IS NULL
            RETURNING {Columns}
            """, transaction.Connection, transaction);
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = closedAt.UtcDateTime });
        command.Parameters.Add(new() { Value = reason });
        command.Parameters.Add(new() { Value = closedBy });
        command.Parameters.Add(new() { Value = (int)Math.Min(connections, int.MaxValue) });
        command.Parameters.Add(new() { Value = (int)Math.Min(refused, int.MaxValue) });
        return (await ReadAsync(command, cancellationToken)).SingleOrDefault();
    }

    public async Task<List<PortOpening>> OpenAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM monitoring_port_openings WHERE closed_at IS NULL ORDER BY id");
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>Open rows past their expiry by more than <paramref name="grace"/>: a forwarder that did not close by itself.</summary>
    public async Task<List<PortOpening>> OverdueAsync(DateTimeOffset now, TimeSpan grace, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM monitoring_port_openings WHERE closed_at IS NULL AND expires_at < $1 ORDER BY id");
        command.Parameters.Add(new() { Value = (now - grace).UtcDateTime });
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>Open rows with no <c>monitoring.port_opened</c> audit event for their port around their opening: opened behind the trail's back.</summary>
    public async Task<List<PortOpening>> UnauditedAsync(CancellationToken cancellationToken)
    {
        // An opening and its audit row commit together, so a row read open here has its event visible to the later read.
        var open = await OpenAsync(cancellationToken);
        var missing = await AuditSearch.MissingAsync(dataSource,
            [.. open.Select(o => new ExpectedAuditEvent("monitoring.port_opened", o.Service,
                new Dictionary<string, object?> { ["external_port"] = o.ExternalPort }, o.OpenedAt))],
            TimeSpan.FromMinutes(1), cancellationToken);
        return [.. missing.Select(i => open[i])];
    }

    /// <summary>Open rows whose instance is not alive (silent since <paramref name="aliveSince"/>, or unknown): nothing forwards them.</summary>
    public async Task<List<PortOpening>> OrphanedAsync(DateTimeOffset aliveSince, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM monitoring_port_openings o
            WHERE closed_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM admin_instances i WHERE i.id = o.instance_id AND i.seen_at >= $1)
            ORDER BY id
            """);
        command.Parameters.Add(new() { Value = aliveSince.UtcDateTime });
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>Open rows of <paramref name="instance"/> other than the ones it holds (<paramref name="held"/>).</summary>
    public async Task<List<PortOpening>> OpenOnInstanceAsync(Guid instance, long[] held, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM monitoring_port_openings
            WHERE closed_at IS NULL AND instance_id = $1 AND NOT (id = ANY($2))
            ORDER BY id
            """);
        command.Parameters.Add(new() { Value = instance });
        command.Parameters.Add(new() { Value = held });
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>Records this instance as alive now (first beat or later ones); instances silent for a day are forgotten.</summary>
    public async Task BeatAsync(Guid instance, string host, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("""
            INSERT INTO admin_instances (id, host, started_at, seen_at) VALUES ($1, $2, $3, $3)
            ON CONFLICT (id) DO UPDATE SET seen_at = excluded.seen_at
            """) { Parameters = { new() { Value = instance }, new() { Value = host }, new() { Value = now.UtcDateTime } } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM admin_instances WHERE seen_at < $1")
            { Parameters = { new() { Value = now.AddDays(-1).UtcDateTime } } });
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A clean stop: this instance's openings are closed already.</summary>
    public async Task RemoveInstanceAsync(Guid instance, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM admin_instances WHERE id = $1");
        command.Parameters.Add(new() { Value = instance });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<List<PortOpening>> HistoryAsync(int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM monitoring_port_openings ORDER BY id DESC LIMIT $1");
        command.Parameters.Add(new() { Value = limit });
        return await ReadAsync(command, cancellationToken);
    }

    private static async Task<List<PortOpening>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<PortOpening>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new PortOpening(
                reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6),
                Utc(reader.GetDateTime(7)), reader.GetInt32(8), Utc(reader.GetDateTime(9)),
                reader.IsDBNull(10) ? null : Utc(reader.GetDateTime(10)), reader.IsDBNull(11) ? null : reader.GetString(11),
                reader.IsDBNull(12) ? null : reader.GetString(12), reader.GetInt32(13), reader.GetInt32(14)));
        }

        return rows;
    }

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));
}
