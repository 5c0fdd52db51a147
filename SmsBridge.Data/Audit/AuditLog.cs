using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace SmsBridge.Data.Audit;

/// <summary>
/// The audit trail's cold path: events are buffered and written in batches (every 2 s or 500 events,
/// whichever comes first) and flushed on shutdown. A full buffer makes <see cref="RecordAsync"/> wait
/// (back-pressure) rather than drop an event. Use <see cref="WriteNowAsync"/> where the caller must
/// know the row is stored (audit-only admin events), and <see cref="InsertAsync"/> to store it in the same transaction as
/// the change it records.
/// </summary>
public sealed class AuditLog(NpgsqlDataSource dataSource, ILogger<AuditLog> logger) : BackgroundService
{
    public const int BatchSize = 500;
    public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(2);

    private readonly Channel<AuditEvent> _buffer = Channel.CreateBounded<AuditEvent>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    public ValueTask RecordAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default) =>
        _buffer.Writer.WriteAsync(auditEvent, cancellationToken);

    public Task WriteNowAsync(AuditEvent auditEvent, CancellationToken cancellationToken = default) =>
        WriteBatchAsync([auditEvent], cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<AuditEvent>(BatchSize);
        try
        {
            while (await _buffer.Reader.WaitToReadAsync(stoppingToken))
            {
                using var window = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                window.CancelAfter(FlushInterval);
                try
                {
                    while (batch.Count < BatchSize && await _buffer.Reader.WaitToReadAsync(window.Token))
                    {
                        while (batch.Count < BatchSize && _buffer.Reader.TryRead(out var item)) batch.Add(item);
                    }
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // The flush interval elapsed: write what we have.
                }

                await WriteWithRetryAsync(batch, stoppingToken);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        var rest = new List<AuditEvent>();
        while (_buffer.Reader.TryRead(out var item)) rest.Add(item);
        if (rest.Count > 0) await WriteBatchAsync(rest, cancellationToken);
    }

    private async Task WriteWithRetryAsync(List<AuditEvent> batch, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await WriteBatchAsync(batch, cancellationToken);
                return;
            }
            catch (NpgsqlException ex)
            {
                // Keep the batch and retry: the buffer fills meanwhile and callers feel back-pressure.
                logger.LogWarning("Audit batch of {Count} not written yet ({Reason}); retrying", batch.Count, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    private async Task WriteBatchAsync(IReadOnlyCollection<AuditEvent> batch, CancellationToken cancellationToken)
    {
        if (batch.Count == 0) return;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await InsertAsync(connection, null, batch, cancellationToken);
    }

    /// <summary>
    /// Inserts the rows on the caller's connection and, when given, in the caller's transaction: an admin change and its
    /// audit row then commit (or roll back) together.
    /// </summary>
    public static async Task InsertAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, IReadOnlyCollection<AuditEvent> batch,
        CancellationToken cancellationToken)
    {
        if (batch.Count == 0) return;
        await using var command = new NpgsqlCommand("""
            INSERT INTO audit_events (occurred_at, event_type, actor, source_address, subject, details)
            SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[])
            """, connection, transaction);
        command.Parameters.Add(new() { Value = batch.Select(e => e.OccurredAt.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new() { Value = batch.Select(e => e.EventType).ToArray() });
        command.Parameters.Add(new() { Value = batch.Select(e => e.Actor).ToArray() });
        command.Parameters.Add(new() { Value = batch.Select(e => e.SourceAddress).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = batch.Select(e => e.Subject).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new()
        {
            Value = batch.Select(e => JsonSerializer.Serialize(e.Details ?? new Dictionary<string, object?>())).ToArray(),
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Jsonb,
        });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
