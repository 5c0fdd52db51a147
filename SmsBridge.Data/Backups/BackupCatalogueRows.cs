using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace SmsBridge.Data.Backups;

/// <summary>
/// The backup catalogue (backups): the backup worker writes a row per run (running, completed, verified, failed) and
/// rebuilds the rows from the folder's manifests; the admin service lists them and checks an id before it files a request.
/// The one place this table's SQL lives.
/// </summary>
public static class BackupCatalogueRows
{
    private const string Columns = "id, kind, status, started_at, finished_at, verified_at, size_bytes, location, offsite, manifest::text, error";

    public static Task InsertRunningAsync(NpgsqlDataSource dataSource, string id, string kind, DateTimeOffset startedAt,
        CancellationToken cancellationToken) =>
        ExecuteAsync(dataSource, "INSERT INTO backups (id, kind, status, started_at) VALUES ($1, $2, 'running', $3)",
            cancellationToken, id, kind, startedAt.UtcDateTime);

    /// <summary>The run wrote its backup: where, how big, and its manifest (JSON).</summary>
    public static async Task MarkCompletedAsync(NpgsqlDataSource dataSource, string id, DateTimeOffset finishedAt, long size,
        string location, string manifestJson, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE backups SET status = 'completed', finished_at = $2, size_bytes = $3, location = $4, manifest = $5, error = NULL
            WHERE id = $1
            """);
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = finishedAt.UtcDateTime });
        command.Parameters.Add(new() { Value = size });
        command.Parameters.Add(new() { Value = location });
        command.Parameters.Add(new() { Value = manifestJson, NpgsqlDbType = NpgsqlDbType.Jsonb });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static Task MarkVerifiedAsync(NpgsqlDataSource dataSource, string id, DateTimeOffset verifiedAt, CancellationToken cancellationToken) =>
        ExecuteAsync(dataSource, "UPDATE backups SET status = 'verified', verified_at = $2, error = NULL WHERE id = $1",
            cancellationToken, id, verifiedAt.UtcDateTime);

    public static Task MarkFailedAsync(NpgsqlDataSource dataSource, string id, DateTimeOffset finishedAt, string error,
        CancellationToken cancellationToken) =>
        ExecuteAsync(dataSource, "UPDATE backups SET status = 'failed', finished_at = coalesce(finished_at, $2), verified_at = NULL, error = $3 WHERE id = $1",
            cancellationToken, id, finishedAt.UtcDateTime, error);

    public static Task SetOffsiteAsync(NpgsqlDataSource dataSource, string id, string offsite, CancellationToken cancellationToken) =>
        ExecuteAsync(dataSource, "UPDATE backups SET offsite = $2 WHERE id = $1", cancellationToken, id, offsite);

    public static Task DeleteAsync(NpgsqlDataSource dataSource, string id, CancellationToken cancellationToken) =>
        ExecuteAsync(dataSource, "DELETE FROM backups WHERE id = $1", cancellationToken, id);

    /// <summary>Rows left 'running' by a process that died; only called while holding the backup lock.</summary>
    public static Task FailInterruptedAsync(NpgsqlDataSource dataSource, DateTimeOffset now, CancellationToken cancellationToken) =>
        ExecuteAsync(dataSource, "UPDATE backups SET status = 'failed', finished_at = $1, error = 'Interrupted: the backup process stopped before it finished.' WHERE status = 'running'",
            cancellationToken, now.UtcDateTime);

    /// <summary>Failed runs that left no backup behind, older than <paramref name="before"/>, go with retention.</summary>
    public static Task DeleteFailedBeforeAsync(NpgsqlDataSource dataSource, DateTimeOffset before, CancellationToken cancellationToken) =>
        ExecuteAsync(dataSource, "DELETE FROM backups WHERE status = 'failed' AND started_at < $1", cancellationToken, before.UtcDateTime);

    public static Task<DateTimeOffset?> LatestVerifiedAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
        LatestStartAsync(dataSource, "SELECT max(started_at) FROM backups WHERE status = 'verified'", cancellationToken);

    /// <summary>Start of the latest scheduled or manual run that did not fail (for catching up missed slots).</summary>
    public static Task<DateTimeOffset?> LatestRunAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken) =>
        LatestStartAsync(dataSource, "SELECT max(started_at) FROM backups WHERE kind IN ('scheduled', 'manual') AND status <> 'failed'",
            cancellationToken);

    public static async Task<bool> ExistsAsync(NpgsqlDataSource dataSource, string id, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT 1 FROM backups WHERE id = $1");
        command.Parameters.Add(new() { Value = id });
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    /// <summary>The latest <paramref name="limit"/> rows in full, newest first (the admin API and UI).</summary>
    public static async Task<List<BackupRecord>> ListAsync(NpgsqlDataSource dataSource, int limit, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM backups ORDER BY started_at DESC LIMIT $1");
        command.Parameters.Add(new() { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<BackupRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new BackupRecord(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                reader.IsDBNull(6) ? null : reader.GetInt64(6), reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8), reader.IsDBNull(9) ? null : JsonDocument.Parse(reader.GetString(9)).RootElement.Clone(),
                reader.IsDBNull(10) ? null : reader.GetString(10)));
        }

        return rows;
    }

    /// <summary>Every row in short, newest first (the backup CLI's <c>list</c>: failed runs have no folder on disk).</summary>
    public static async Task<List<CatalogueEntry>> ListEntriesAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, kind, status, started_at, size_bytes, offsite, error FROM backups ORDER BY started_at DESC");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<CatalogueEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new CatalogueEntry(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                reader.GetFieldValue<DateTimeOffset>(3), reader.IsDBNull(4) ? null : reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return entries;
    }

    /// <summary>Writes the row of a backup found on disk, in the caller's transaction (the sync that rebuilds the table).</summary>
    public static async Task UpsertStoredAsync(NpgsqlTransaction transaction, StoredBackupRow row, CancellationToken cancellationToken)
    {
        await using var upsert = new NpgsqlCommand("""
            INSERT INTO backups (id, kind, status, started_at, finished_at, verified_at, size_bytes, location, manifest, error)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, status = excluded.status, started_at = excluded.started_at,
                finished_at = excluded.finished_at, verified_at = excluded.verified_at, size_bytes = excluded.size_bytes,
                location = excluded.location, manifest = excluded.manifest, error = excluded.error
            """, transaction.Connection, transaction);
        upsert.Parameters.Add(new() { Value = row.Id });
        upsert.Parameters.Add(new() { Value = row.Kind });
        upsert.Parameters.Add(new() { Value = row.Status });
        upsert.Parameters.Add(new() { Value = row.StartedAt.UtcDateTime });
        upsert.Parameters.Add(new() { Value = row.FinishedAt.UtcDateTime });
        upsert.Parameters.Add(new() { Value = (object?)row.VerifiedAt?.UtcDateTime ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        upsert.Parameters.Add(new() { Value = row.SizeBytes });
        upsert.Parameters.Add(new() { Value = row.Location });
        upsert.Parameters.Add(new() { Value = row.ManifestJson, NpgsqlDbType = NpgsqlDbType.Jsonb });
        upsert.Parameters.Add(new() { Value = (object?)row.Error ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
        await upsert.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Removes, in the caller's transaction, the rows of completed or verified backups whose folder is gone.</summary>
    public static async Task DeleteMissingFromStoreAsync(NpgsqlTransaction transaction, string[] storedIds, CancellationToken cancellationToken)
    {
        await using var prune = new NpgsqlCommand(
            "DELETE FROM backups WHERE status IN ('completed', 'verified') AND NOT (id = ANY($1))", transaction.Connection, transaction);
        prune.Parameters.Add(new() { Value = storedIds });
        await prune.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<DateTimeOffset?> LatestStartAsync(NpgsqlDataSource dataSource, string sql, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime started ? new DateTimeOffset(started) : null;
    }

    private static async Task ExecuteAsync(NpgsqlDataSource dataSource, string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>One row of the backup catalogue (<c>backups</c>), written by the backup worker.</summary>
public sealed record BackupRecord(
    string Id,
    string Kind,
    string Status,
    DateTimeOffset StartedAt,
    DateTimeOffset? FinishedAt,
    DateTimeOffset? VerifiedAt,
    long? SizeBytes,
    string? Location,
    string? Offsite,
    JsonElement? Manifest,
    string? Error);

/// <summary>A catalogue row in short, as the backup CLI's <c>list</c> shows a run that left no folder.</summary>
public sealed record CatalogueEntry(string Id, string Kind, string Status, DateTimeOffset StartedAt, long? SizeBytes, string? Offsite, string? Error);

/// <summary>The row of a backup on disk, from its manifest (as JSON) and verification file, for the sync that rebuilds the table.</summary>
public sealed record StoredBackupRow(
    string Id,
    string Kind,
    string Status,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    DateTimeOffset? VerifiedAt,
    long SizeBytes,
    string Location,
    string ManifestJson,
    string? Error);
