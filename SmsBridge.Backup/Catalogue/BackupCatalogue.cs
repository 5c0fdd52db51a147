using System.Text.Json;
using Npgsql;
using SmsBridge.Backup.Artefacts;
using SmsBridge.Backup.Configuration;
using SmsBridge.Data.Backups;

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

    public Task InsertRunningAsync(string id, string kind, DateTimeOffset startedAt, CancellationToken cancellationToken) =>
        BackupCatalogueRows.InsertRunningAsync(DataSource, id, kind, startedAt, cancellationToken);

    public Task MarkCompletedAsync(string id, BackupManifest manifest, long size, string location, CancellationToken cancellationToken) =>
        BackupCatalogueRows.MarkCompletedAsync(DataSource, id, manifest.FinishedAt, size, location, Json(manifest), cancellationToken);

    public Task MarkVerifiedAsync(string id, DateTimeOffset verifiedAt, CancellationToken cancellationToken) =>
        BackupCatalogueRows.MarkVerifiedAsync(DataSource, id, verifiedAt, cancellationToken);

    public Task MarkFailedAsync(string id, DateTimeOffset finishedAt, string error, CancellationToken cancellationToken) =>
        BackupCatalogueRows.MarkFailedAsync(DataSource, id, finishedAt, error, cancellationToken);

    public Task SetOffsiteAsync(string id, string offsite, CancellationToken cancellationToken) =>
        BackupCatalogueRows.SetOffsiteAsync(DataSource, id, offsite, cancellationToken);

    public Task DeleteAsync(string id, CancellationToken cancellationToken) =>
        BackupCatalogueRows.DeleteAsync(DataSource, id, cancellationToken);

    /// <summary>Rows left 'running' by a process that died; only called while holding the backup lock.</summary>
    public Task FailInterruptedAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        BackupCatalogueRows.FailInterruptedAsync(DataSource, now, cancellationToken);

    /// <summary>Failed runs that left no backup behind, older than <paramref name="before"/>, go with retention.</summary>
    public Task DeleteFailedBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken) =>
        BackupCatalogueRows.DeleteFailedBeforeAsync(DataSource, before, cancellationToken);

    public Task<DateTimeOffset?> LatestVerifiedAsync(CancellationToken cancellationToken) =>
        BackupCatalogueRows.LatestVerifiedAsync(DataSource, cancellationToken);

    /// <summary>Start of the latest scheduled or manual run that did not fail (for catching up missed slots).</summary>
    public Task<DateTimeOffset?> LatestRunAsync(CancellationToken cancellationToken) =>
        BackupCatalogueRows.LatestRunAsync(DataSource, cancellationToken);

    /// <summary>Catalogue rows, newest first (for <c>list</c>: failed runs have no folder on disk).</summary>
    public Task<List<CatalogueEntry>> ListAsync(CancellationToken cancellationToken) =>
        BackupCatalogueRows.ListEntriesAsync(DataSource, cancellationToken);

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
            await BackupCatalogueRows.UpsertStoredAsync(transaction, new StoredBackupRow(backup.Id, backup.Manifest.Kind, status,
                backup.Manifest.StartedAt, backup.Manifest.FinishedAt, backup.Verified ? backup.Verification!.VerifiedAt : null,
                backup.SizeBytes, store.PathOf(backup.Id), Json(backup.Manifest), backup.Verification?.Error), cancellationToken);
        }

        await BackupCatalogueRows.DeleteMissingFromStoreAsync(transaction, [.. stored.Select(b => b.Id)], cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static string Json(BackupManifest manifest) => JsonSerializer.Serialize(manifest, BackupManifest.Json);

    public async ValueTask DisposeAsync()
    {
        if (_dataSource is not null) await _dataSource.DisposeAsync();
    }

    public void Dispose() => _dataSource?.Dispose();
}
