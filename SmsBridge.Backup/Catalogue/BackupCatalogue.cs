using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using SmsBridge.Backup.Artefacts;
using SmsBridge.Backup.Configuration;

namespace SmsBridge.Backup.Catalogue;

/// <summary>
/// The <c>backups</c> table the admin UI reads (app role). The folder on disk stays the source of truth:
/// <see cref="SyncFromStoreAsync"/> rebuilds the rows from the manifests, e.g. after a restore replaced the table.
/// Status: running, completed (written, not yet verified), verified, failed.
/// </summary>
public sealed class BackupCatalogue : IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource? _dataSource;

    public BackupCatalogue(BackupConnections connections)
    {
        if (connections.Catalogue is null) return;
        var builder = new NpgsqlConnectionStringBuilder(connections.Catalogue) { MaxPoolSize = 4, Timeout = 10 };
        builder.ApplicationName ??= "SmsBridge.Backup";
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    /// <summary>False when no catalogue connection is configured (the CLI on a host without the database).</summary>
    public bool IsConfigured => _dataSource is not null;

    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException(
        "The backup catalogue needs ConnectionStrings__smsbridge (the app role's connection string).");

    public async Task InsertRunningAsync(string id, string kind, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand(
            "INSERT INTO backups (id, kind, status, started_at) VALUES ($1, $2, 'running', $3)");
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = kind });
        command.Parameters.Add(new() { Value = startedAt.UtcDateTime });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task MarkCompletedAsync(string id, BackupManifest manifest, long size, string location, CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand("""
            UPDATE backups SET status = 'completed', finished_at = $2, size_bytes = $3, location = $4, manifest = $5, error = NULL
            WHERE id = $1
            """);
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = manifest.FinishedAt.UtcDateTime });
        command.Parameters.Add(new() { Value = size });
        command.Parameters.Add(new() { Value = location });
        command.Parameters.Add(new() { Value = Json(manifest), NpgsqlDbType = NpgsqlDbType.Jsonb });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task MarkVerifiedAsync(string id, DateTimeOffset verifiedAt, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE backups SET status = 'verified', verified_at = $2, error = NULL WHERE id = $1",
            cancellationToken, id, verifiedAt.UtcDateTime);

    public Task MarkFailedAsync(string id, DateTimeOffset finishedAt, string error, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE backups SET status = 'failed', finished_at = coalesce(finished_at, $2), verified_at = NULL, error = $3 WHERE id = $1",
            cancellationToken, id, finishedAt.UtcDateTime, error);

    public Task SetOffsiteAsync(string id, string offsite, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE backups SET offsite = $2 WHERE id = $1", cancellationToken, id, offsite);

    public Task DeleteAsync(string id, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM backups WHERE id = $1", cancellationToken, id);

    /// <summary>Rows left 'running' by a process that died; only called while holding the backup lock.</summary>
    public Task FailInterruptedAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        ExecuteAsync("UPDATE backups SET status = 'failed', finished_at = $1, error = 'Interrupted: the backup process stopped before it finished.' WHERE status = 'running'",
            cancellationToken, now.UtcDateTime);

    /// <summary>Failed runs that left no backup behind, older than <paramref name="before"/>, go with retention.</summary>
    public Task DeleteFailedBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM backups WHERE status = 'failed' AND started_at < $1", cancellationToken, before.UtcDateTime);

    public async Task<DateTimeOffset?> LatestVerifiedAsync(CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand("SELECT max(started_at) FROM backups WHERE status = 'verified'");
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime started ? new DateTimeOffset(started, TimeSpan.Zero) : null;
    }

    /// <summary>Start of the latest scheduled or manual run that did not fail (for catching up missed slots).</summary>
    public async Task<DateTimeOffset?> LatestRunAsync(CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand(
            "SELECT max(started_at) FROM backups WHERE kind IN ('scheduled', 'manual') AND status <> 'failed'");
        return await command.ExecuteScalarAsync(cancellationToken) is DateTime started ? new DateTimeOffset(started, TimeSpan.Zero) : null;
    }

    /// <summary>Catalogue rows, newest first (for <c>list</c>: failed runs have no folder on disk).</summary>
    public async Task<List<CatalogueEntry>> ListAsync(CancellationToken cancellationToken)
    {
        await using var command = DataSource.CreateCommand(
            "SELECT id, kind, status, started_at, size_bytes, offsite, error FROM backups ORDER BY started_at DESC");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var entries = new List<CatalogueEntry>();
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new CatalogueEntry(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                new DateTimeOffset(reader.GetDateTime(3), TimeSpan.Zero), reader.IsDBNull(4) ? null : reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return entries;
    }

    /// <summary>
    /// Makes the table agree with the folder: every backup on disk is upserted from its manifest and verification
    /// file; rows of completed or verified backups whose folder is gone are removed.
    /// </summary>
    public async Task SyncFromStoreAsync(BackupStore store, CancellationToken cancellationToken)
    {
        var stored = store.List();
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var backup in stored)
        {
            var status = backup.Verification switch
            {
                { Verified: true } => "verified",
                { Verified: false } => "failed",
                null => "completed",
            };
            await using var upsert = new NpgsqlCommand("""
                INSERT INTO backups (id, kind, status, started_at, finished_at, verified_at, size_bytes, location, manifest, error)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, status = excluded.status, started_at = excluded.started_at,
                    finished_at = excluded.finished_at, verified_at = excluded.verified_at, size_bytes = excluded.size_bytes,
                    location = excluded.location, manifest = excluded.manifest, error = excluded.error
                """, connection, transaction);
            upsert.Parameters.Add(new() { Value = backup.Id });
            upsert.Parameters.Add(new() { Value = backup.Manifest.Kind });
            upsert.Parameters.Add(new() { Value = status });
            upsert.Parameters.Add(new() { Value = backup.Manifest.StartedAt.UtcDateTime });
            upsert.Parameters.Add(new() { Value = backup.Manifest.FinishedAt.UtcDateTime });
            upsert.Parameters.Add(new() { Value = backup.Verified ? backup.Verification!.VerifiedAt.UtcDateTime : DBNull.Value });
            upsert.Parameters.Add(new() { Value = backup.SizeBytes });
            upsert.Parameters.Add(new() { Value = store.PathOf(backup.Id) });
            upsert.Parameters.Add(new() { Value = Json(backup.Manifest), NpgsqlDbType = NpgsqlDbType.Jsonb });
            upsert.Parameters.Add(new() { Value = (object?)backup.Verification?.Error ?? DBNull.Value });
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var prune = new NpgsqlCommand(
            "DELETE FROM backups WHERE status IN ('completed', 'verified') AND NOT (id = ANY($1))", connection, transaction))
        {
            prune.Parameters.Add(new() { Value = stored.Select(b => b.Id).ToArray() });
            await prune.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static string Json(BackupManifest manifest) => JsonSerializer.Serialize(manifest, BackupManifest.Json);

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_dataSource is not null) await _dataSource.DisposeAsync();
    }

    public void Dispose() => _dataSource?.Dispose();
}

public sealed record CatalogueEntry(string Id, string Kind, string Status, DateTimeOffset StartedAt, long? SizeBytes, string? Offsite, string? Error);
