using System.Diagnostics;
using Npgsql;
using SmsBridge.Backup.Artefacts;
using SmsBridge.Backup.Configuration;
using SmsBridge.Backup.Dumping;
using SmsBridge.Backup.Encryption;
using SmsBridge.Backup.Tools;
using SmsBridge.Processes;

namespace SmsBridge.Backup.Verification;

/// <summary>
/// Proves a backup restores: every artefact's SHA-256 against the manifest, full decryption (so a wrong key
/// or a changed byte is found), the Redis snapshot loaded into a throwaway redis-server, and the dump restored
/// into a throwaway PostgreSQL where each table's rows must match the manifest's counts and fingerprints and
/// every btree index passes amcheck's <c>bt_index_check</c>.
/// </summary>
public sealed class BackupVerifier(BackupOptions options, BackupStore store, ArtefactReader reader, TimeProvider time)
{
    public const string PostgresArtefact = "postgres.dump";
    public const string RedisArtefact = "redis.rdb";
    public const string SettingsArtefact = "settings.json";

    public async Task<VerificationResult> VerifyAsync(string id, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        try
        {
            var manifest = store.ReadManifest(id);
            var folder = store.PathOf(id);
            if (manifest.Format != BackupManifest.CurrentFormat)
            {
                throw new BackupVerificationException($"Backup {id} has manifest format {manifest.Format}; this version reads format {BackupManifest.CurrentFormat}.");
            }

            progress.Report($"Checking the SHA-256 of {manifest.Artefacts.Count} artefacts");
            foreach (var entry in manifest.Artefacts) await ArtefactReader.CheckHashAsync(folder, entry, cancellationToken);

            if (manifest.Artefact(SettingsArtefact) is { } settings)
            {
                using var json = new MemoryStream();
                await reader.DecryptToAsync(folder, settings, json, cancellationToken);
                System.Text.Json.JsonDocument.Parse(json.ToArray()).Dispose();
            }

            long? redisKeys = null;
            if (manifest.Artefact(RedisArtefact) is { } redis)
            {
                progress.Report("Loading the Redis snapshot into a throwaway redis-server");
                await using var scratchRedis = await VerificationServers.StartRedisAsync(options,
                    (stream, ct) => reader.DecryptToAsync(folder, redis, stream, ct), cancellationToken);
                redisKeys = await scratchRedis.CountKeysAsync(cancellationToken);
            }

            var (tables, indexes) = manifest.Artefact(PostgresArtefact) is { } dump && manifest.Database is { } database
                ? await VerifyDatabaseAsync(folder, dump, database, progress, cancellationToken)
                : throw new BackupVerificationException($"Backup {id} has no PostgreSQL dump in its manifest.");

            progress.Report($"Verified: {tables} tables match the manifest, {indexes} btree indexes pass amcheck" +
                (redisKeys is { } keys ? $", the Redis snapshot holds {keys} keys" : ""));
            return new VerificationResult
            {
                Verified = true,
                VerifiedAt = time.GetUtcNow(),
                TablesChecked = tables,
                IndexesChecked = indexes,
                RedisKeys = redisKeys,
                DurationMs = stopwatch.ElapsedMilliseconds,
            };
        }
        catch (Exception ex) when (ex is BackupIntegrityException or BackupVerificationException or BackupFailedException
                                       or FileNotFoundException or InvalidDataException or System.Text.Json.JsonException or PostgresException)
        {
            progress.Report($"Verification failed: {ex.Message}");
            return new VerificationResult
            {
                Verified = false,
                VerifiedAt = time.GetUtcNow(),
                DurationMs = stopwatch.ElapsedMilliseconds,
                Error = ex.Message,
            };
        }
    }

    private async Task<(int Tables, int Indexes)> VerifyDatabaseAsync(string folder, ArtefactEntry dump, DatabaseContents expected,
        IProgress<string> progress, CancellationToken cancellationToken)
    {
        progress.Report("Starting a throwaway PostgreSQL for the restore test");
        await using var scratch = await VerificationServers.StartPostgresAsync(options, cancellationToken);
        await scratch.CreateDatabaseAsync("verify", cancellationToken);
        var target = new PostgresTarget(new NpgsqlConnectionStringBuilder(scratch.ConnectionString("postgres", null, "verify")) { CommandTimeout = 0 }.ConnectionString);

        progress.Report($"Restoring {dump.File} ({dump.PlainSize / 1024} KiB) into it");
        List<string> arguments = ["--no-owner", "--no-acl", "--exit-on-error"];
        arguments.AddRange(target.ConnectionArguments());
        var result = await ExternalProgram.RunAsync(new ProgramInvocation(options.PgRestore, arguments),
            writeInput: (stdin, ct) => reader.DecryptToAsync(folder, dump, stdin, ct), cancellationToken: cancellationToken);
        if (!result.Succeeded) throw new BackupVerificationException($"pg_restore of the dump failed (exit code {result.ExitCode}): {result.ErrorTail.Trim()}");

        await using var connection = target.OpenConnection();
        await connection.OpenAsync(cancellationToken);
        progress.Report($"Comparing {expected.Tables.Count} tables with the manifest");
        var actual = await TableFingerprints.CaptureAsync(connection, cancellationToken);
        var problems = TableFingerprints.Compare(expected.Tables, actual);
        if (problems.Count > 0) throw new BackupVerificationException("The restored dump does not match the manifest: " + string.Join("; ", problems));

        var indexes = await CheckIndexesAsync(connection, progress, cancellationToken);
        return (expected.Tables.Count, indexes);
    }

    private static async Task<int> CheckIndexesAsync(NpgsqlConnection connection, IProgress<string> progress, CancellationToken cancellationToken)
    {
        await using (var extension = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS amcheck", connection))
        {
            await extension.ExecuteNonQueryAsync(cancellationToken);
        }

        var indexes = new List<(uint Oid, string Name)>();
        await using (var list = new NpgsqlCommand("""
            SELECT c.oid, c.oid::regclass::text
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_am a ON a.oid = c.relam
                 JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE a.amname = 'btree' AND i.indisvalid AND c.relpersistence <> 't'
              AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'
            ORDER BY 2
            """, connection))
        await using (var reader = await list.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) indexes.Add((reader.GetFieldValue<uint>(0), reader.GetString(1)));
        }

        progress.Report($"Running amcheck on {indexes.Count} btree indexes");
        foreach (var (oid, name) in indexes)
        {
            await using var check = new NpgsqlCommand("SELECT bt_index_check($1::oid::regclass, true)", connection);
            check.Parameters.Add(new NpgsqlParameter { Value = oid, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Oid });
            try
            {
                await check.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (PostgresException ex)
            {
                throw new BackupVerificationException($"amcheck found index {name} corrupt: {ex.MessageText}");
            }
        }

        return indexes.Count;
    }
}
