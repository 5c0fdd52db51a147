using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using SmsBridge.Backup.Artefacts;
using SmsBridge.Backup.Catalogue;
using SmsBridge.Backup.Configuration;
using SmsBridge.Backup.Dumping;
using SmsBridge.Backup.Encryption;
using SmsBridge.Backup.Monitoring;
using SmsBridge.Backup.Running;
using SmsBridge.Backup.Tools;
using SmsBridge.Processes;
using SmsBridge.Backup.Verification;

namespace SmsBridge.Backup.Restoring;

public sealed record RestoreResult(string BackupId, string TargetDatabase, string SafetyBackupId, int TablesChecked, string? RedisRdb,
    string? RedisInstructions);

/// <summary>
/// Restores a backup into a real database as its owner: the artefacts are checked and fully decrypted first (a
/// damaged or foreign backup restores nothing), a verified safety backup of the target is taken, then pg_restore
/// replaces the backup's objects in ONE transaction (all or nothing) that commits only once every table's count and
/// fingerprint matched the manifest. The Redis snapshot is written out for the operator to load.
/// </summary>
public sealed partial class BackupRestorer(
    BackupOptions options,
    BackupStore store,
    ArtefactReader reader,
    BackupRunner runner,
    BackupLockProvider locks,
    BackupCatalogue catalogue,
    BackupMetrics metrics,
    ILogger<BackupRestorer> logger)
{
    /// <summary>TOC entries a database owner cannot restore: extensions are the superuser's (amcheck is installed by the init script).</summary>
    [GeneratedRegex(@"^\d+; \d+ \d+ (EXTENSION|COMMENT - EXTENSION) ")]
    private static partial Regex SuperuserOnlyEntry();

    public async Task<RestoreResult> RestoreAsync(string id, PostgresTarget target, IProgress<string> progress, CancellationToken cancellationToken)
    {
        await using var held = await locks.AcquireAsync(cancellationToken);
        try
        {
            return await RestoreLockedAsync(id, target, progress, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            metrics.RestoreFailed();
            logger.LogError("Restore of backup {BackupId} into {Database} FAILED: {Error}", id, target.Database, ex.Message);
            throw;
        }
    }

    private async Task<RestoreResult> RestoreLockedAsync(string id, PostgresTarget target, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var manifest = store.ReadManifest(id);
        var folder = store.PathOf(id);
        var dump = manifest.Artefact(BackupVerifier.PostgresArtefact) ?? throw new InvalidDataException($"Backup {id} has no database dump.");
        var expected = manifest.Database ?? throw new InvalidDataException($"Backup {id} has no table counts in its manifest.");

        progress.Report($"[1/5] Checking backup {id}: SHA-256 and full decryption of every artefact");
        foreach (var entry in manifest.Artefacts)
        {
            await ArtefactReader.CheckHashAsync(folder, entry, cancellationToken);
            await reader.DecryptToAsync(folder, entry, Stream.Null, cancellationToken);
        }

        progress.Report($"[2/5] Safety backup of database {target.Database} before it is replaced");
        var safety = await runner.RunLockedAsync("safety", target, includeRedis: false, applyRetention: false, progress, cancellationToken);
        if (!safety.Verified)
        {
            throw new BackupFailedException("restore", $"The safety backup of {target.Database} failed ({safety.Error}); nothing was restored.");
        }

        progress.Report($"[3/5] Restoring {id} into {target.Database} in one transaction that commits only if all " +
            $"{expected.Tables.Count} tables match the manifest (safety backup: {safety.Id})");
        using (var scratch = await ScratchFolder.CreateAsync(options, cancellationToken))
        {
            var list = Path.Combine(scratch.Path, "restore.list");
            await File.WriteAllTextAsync(list, await RestorableEntriesAsync(folder, dump, cancellationToken), cancellationToken);
            await RestoreIntoAsync(id, folder, dump, expected.Tables, target, list, scratch.Path, safety.Id, progress, cancellationToken);
        }

        progress.Report($"[4/5] Committed: {expected.Tables.Count} tables of {target.Database} matched backup {id}; rebuilding the backups catalogue");
        await ResyncCatalogueAsync(cancellationToken);

        progress.Report("[5/5] Redis");
        var (rdb, instructions) = await WriteRedisSnapshotAsync(id, folder, manifest, cancellationToken);
        progress.Report(instructions ?? "This backup holds no Redis snapshot.");
        logger.LogWarning("Backup {BackupId} was restored into {Database}; safety backup {SafetyId}", id, target.Database, safety.Id);
        return new RestoreResult(id, target.Database, safety.Id, expected.Tables.Count, rdb, instructions);
    }

    private async Task<string> RestorableEntriesAsync(string folder, ArtefactEntry dump, CancellationToken cancellationToken)
    {
        var listing = "";
        var result = await ExternalProgram.RunAsync(new ProgramInvocation(options.PgRestore, ["--list"]),
            async (stdout, ct) =>
            {
                using var text = new StreamReader(stdout, Encoding.UTF8);
                listing = await text.ReadToEndAsync(ct);
            },
            (stdin, ct) => reader.DecryptToAsync(folder, dump, stdin, ct), cancellationToken);
        if (!result.Succeeded) throw new BackupFailedException("restore", $"pg_restore --list failed: {result.ErrorTail.Trim()}");
        return string.Join('\n', listing.Split('\n').Where(line => !SuperuserOnlyEntry().IsMatch(line))) + "\n";
    }

    /// <summary>
    /// pg_restore writes the restore as SQL, which psql runs between our own BEGIN and COMMIT with the manifest check
    /// before COMMIT (<see cref="RestoreCheckScript"/>). COMMIT is sent only after pg_restore finished: a dump that breaks
    /// off, a failed statement or a mismatch leaves the transaction open or aborted, and the server rolls it back.
    /// </summary>
    private async Task RestoreIntoAsync(string id, string folder, ArtefactEntry dump, IReadOnlyList<TableContents> expected, PostgresTarget target,
        string list, string privateDirectory, string safetyId, IProgress<string> progress, CancellationToken cancellationToken)
    {
        using var passFile = target.CreatePassFile(privateDirectory);
        // --no-owner/--no-acl: objects belong to the restoring owner, whose default privileges grant the app and backup roles.
        var script = new ProgramInvocation(options.PgRestore,
            ["--clean", "--if-exists", "--exit-on-error", "--no-owner", "--no-acl", "--verbose", "--use-list", list, "--file", "-"])
        {
            OnErrorLine = line =>
            {
                if (line.Contains("processing data for table", StringComparison.Ordinal))
                {
                    progress.Report($"      data: {line[(line.IndexOf("table", StringComparison.Ordinal) + 6)..]}");
                }
            },
        };
        string? mismatch = null;
        List<string> arguments = ["--no-psqlrc", "--quiet", "--set", "ON_ERROR_STOP=1", "--file", "-"];
        arguments.AddRange(target.ConnectionArguments());
        var psql = new ProgramInvocation(options.Psql, arguments)
        {
            Environment = new Dictionary<string, string?>(passFile.Environment) { ["PGOPTIONS"] = "-c client_min_messages=warning" },
            OnErrorLine = line =>
            {
                var at = line.IndexOf(RestoreCheckScript.MismatchMarker, StringComparison.Ordinal);
                if (at >= 0) mismatch = line[(at + RestoreCheckScript.MismatchMarker.Length)..].Trim();
            },
        };
        var result = await ExternalProgram.RunAsync(psql, writeInput: async (sql, ct) =>
        {
            await sql.WriteAsync(Encoding.UTF8.GetBytes(RestoreCheckScript.Begin), ct);
            var written = await ExternalProgram.RunAsync(script, readOutput: (restoreSql, ct2) => restoreSql.CopyToAsync(sql, 1 << 16, ct2),
                writeInput: (archive, ct2) => reader.DecryptToAsync(folder, dump, archive, ct2), cancellationToken: ct);
            if (!written.Succeeded)
            {
                throw new BackupFailedException("restore",
                    $"pg_restore could not read the dump (exit code {written.ExitCode}); nothing was committed, {target.Database} is unchanged: {LastError(written.ErrorTail)}");
            }

            await sql.WriteAsync(Encoding.UTF8.GetBytes(RestoreCheckScript.Check(expected) + RestoreCheckScript.Commit), ct);
        }, cancellationToken: cancellationToken);
        if (mismatch is not null)
        {
            throw new BackupFailedException("restore",
                $"The restored data does not match backup {id}: {mismatch}. The restore was rolled back; {target.Database} is unchanged " +
                $"(safety backup {safetyId} holds it too).");
        }

        if (!result.Succeeded)
        {
            throw new BackupFailedException("restore",
                $"The restore failed (psql exit code {result.ExitCode}) and rolled back; {target.Database} is unchanged: {LastError(result.ErrorTail)}");
        }
    }

    private static string LastError(string errorTail) =>
        errorTail.Split('\n').LastOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase))?.Trim() ?? errorTail.Trim();

    /// <summary>Restoring the catalogue's own database brought back an older <c>backups</c> table: rebuild it from disk.</summary>
    private async Task ResyncCatalogueAsync(CancellationToken cancellationToken)
    {
        if (!catalogue.IsConfigured) return;
        try
        {
            await catalogue.SyncFromStoreAsync(store, cancellationToken);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or InvalidOperationException)
        {
            logger.LogWarning("The backup catalogue could not be rebuilt after the restore: {Error}", ex.Message);
        }
    }

    private async Task<(string?, string?)> WriteRedisSnapshotAsync(string id, string folder, BackupManifest manifest, CancellationToken cancellationToken)
    {
        if (manifest.Artefact(BackupVerifier.RedisArtefact) is not { } entry) return (null, null);
        var directory = Path.Combine(store.Root, "restored", id);
        Directory.CreateDirectory(directory);
        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var path = Path.Combine(directory, "dump.rdb");
        File.Delete(path);
        await using (var file = BackupStore.CreatePrivateFile(path))
        {
            await reader.DecryptToAsync(folder, entry, file, cancellationToken);
        }

        var instructions = $"""
            The Redis snapshot of {id} is in {path}. Redis holds only what rebuilds itself (codes, rate counters), so loading it is optional. To load it:
              1. stop Redis (the AppHost's 'cache' resource, or: redis-cli SHUTDOWN NOSAVE);
              2. in Redis's data folder move appendonlydir/ aside (with appendonly on, Redis would load that instead) and copy this file there as dump.rdb, owned by the Redis user;
              3. start Redis with --appendonly no, check the keys (redis-cli DBSIZE), then run: redis-cli CONFIG SET appendonly yes   (rebuilds the append-only file).
            """;
        return (path, instructions);
    }
}
