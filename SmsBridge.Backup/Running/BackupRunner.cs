using System.Diagnostics;
using System.Reflection;
using System.Text;
using Microsoft.Extensions.Logging;
using SmsBridge.Backup.Artefacts;
using SmsBridge.Backup.Catalogue;
using SmsBridge.Backup.Configuration;
using SmsBridge.Backup.Dumping;
using SmsBridge.Backup.Encryption;
using SmsBridge.Backup.Monitoring;
using SmsBridge.Backup.Offsite;
using SmsBridge.Backup.Retention;
using SmsBridge.Backup.Tools;
using SmsBridge.Backup.Verification;

namespace SmsBridge.Backup.Running;

/// <summary>The outcome of one backup run, as the CLI prints it and the admin request records it.</summary>
public sealed record BackupRunResult(string Id, string Kind, bool Verified, long SizeBytes, double DurationSeconds, string? Stage = null,
    string? Error = null, string? Offsite = null, VerificationResult? Verification = null);

/// <summary>
/// One backup from start to proof: the database dump, settings and Redis snapshot as encrypted artefacts with a
/// manifest, published by rename, catalogued, verified by a real restore, copied off-site, then retention. Any
/// failure marks the run failed (catalogue, metric, error log) and leaves earlier backups untouched.
/// </summary>
public sealed class BackupRunner(
    BackupOptions options,
    BackupConnections connections,
    BackupStore store,
    BackupKey key,
    BackupCatalogue catalogue,
    BackupLockProvider locks,
    PostgresDumper dumper,
    RedisSnapshotter redis,
    BackupVerifier verifier,
    OffsiteCopier offsite,
    RetentionService retention,
    BackupMetrics metrics,
    BackupState state,
    TimeProvider time,
    ILogger<BackupRunner> logger)
{
    private static readonly string Version =
        typeof(BackupRunner).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>A scheduled or manual backup of the configured database, under the backup lock.</summary>
    public async Task<BackupRunResult> RunAsync(string kind, IProgress<string> progress, CancellationToken cancellationToken)
    {
        await using var held = await locks.AcquireAsync(cancellationToken);
        return await RunLockedAsync(kind, connections.SourceTarget(), includeRedis: true, applyRetention: true, progress, cancellationToken);
    }

    /// <summary>A backup while the caller already holds the lock (the safety backup before a restore).</summary>
    public async Task<BackupRunResult> RunLockedAsync(string kind, PostgresTarget source, bool includeRedis, bool applyRetention,
        IProgress<string> progress, CancellationToken cancellationToken)
    {
        var startedAt = time.GetUtcNow();
        var stopwatch = Stopwatch.StartNew();
        var id = BackupStore.NewId(startedAt);
        var stage = "catalogue";
        string? staging = null;
        try
        {
            if (catalogue.IsConfigured) await catalogue.InsertRunningAsync(id, kind, startedAt, cancellationToken);
            staging = store.CreateStaging(id);
            var manifest = await WriteArtefactsAsync(id, kind, startedAt, source, includeRedis, staging, s => stage = s, progress, cancellationToken);
            await BackupStore.WriteJsonAtomicallyAsync(Path.Combine(staging, BackupStore.ManifestFile), manifest, cancellationToken);
            var folder = store.Commit(staging, id);
            staging = null;
            var size = BackupStore.SizeOf(folder);
            stage = "catalogue";
            if (catalogue.IsConfigured) await catalogue.MarkCompletedAsync(id, manifest, size, folder, cancellationToken);
            progress.Report($"Backup {id} written ({size / 1024} KiB); verifying it by a restore");

            stage = "verify";
            var verification = await verifier.VerifyAsync(id, progress, cancellationToken);
            await store.WriteVerificationAsync(id, verification, cancellationToken);
            if (!verification.Verified) throw new BackupFailedException("verify", $"Backup {id} did not verify: {verification.Error}");
            if (catalogue.IsConfigured) await catalogue.MarkVerifiedAsync(id, verification.VerifiedAt, cancellationToken);
            state.Verified(startedAt);
            metrics.Succeeded(time.GetUtcNow(), stopwatch.Elapsed, size);
            logger.LogInformation("Backup {BackupId} ({Kind}) verified: {Size} bytes in {Seconds:0.0} s", id, kind, size, stopwatch.Elapsed.TotalSeconds);

            var copied = await CopyOffsiteAsync(id, folder, progress, cancellationToken);
            if (applyRetention) await ApplyRetentionAsync(progress, cancellationToken);
            return new BackupRunResult(id, kind, true, size, stopwatch.Elapsed.TotalSeconds, Offsite: copied, Verification: verification);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var error = ex is BackupFailedException or BackupIntegrityException or BackupVerificationException
                ? ex.Message
                : $"{ex.GetType().Name}: {ex.Message}";
            if (ex is BackupFailedException failed) stage = failed.Stage;
            metrics.Failed(stage, stopwatch.Elapsed);
            logger.LogError("Backup {BackupId} ({Kind}) FAILED at {Stage}: {Error}", id, kind, stage, error);
            progress.Report($"Backup {id} failed at {stage}: {error}");
            if (staging is not null && Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            await RecordFailureAsync(id, error);
            return new BackupRunResult(id, kind, false, 0, stopwatch.Elapsed.TotalSeconds, stage, error);
        }
    }

    private async Task<BackupManifest> WriteArtefactsAsync(string id, string kind, DateTimeOffset startedAt, PostgresTarget source, bool includeRedis,
        string staging, Action<string> enterStage, IProgress<string> progress, CancellationToken cancellationToken)
    {
        var writer = new ArtefactWriter(key, options.ChunkSize);
        var artefacts = new List<ArtefactEntry>();
        var timings = new Dictionary<string, long>();
        var clock = Stopwatch.StartNew();

        enterStage("dump");
        progress.Report($"Backup {id}: dumping database {source.Database} in one snapshot");
        DumpSnapshot snapshot;
        await using (var session = await dumper.BeginAsync(source, cancellationToken))
        {
            snapshot = session.Snapshot;
            progress.Report($"Snapshot {snapshot.Contents.Snapshot}: {snapshot.Contents.Tables.Count} tables, " +
                $"{snapshot.Contents.Tables.Sum(t => t.Rows)} rows; running pg_dump");
            artefacts.Add(await writer.WriteAsync(staging, BackupVerifier.PostgresArtefact,
                (stream, ct) => session.DumpAsync(stream, staging, ct), cancellationToken));
        }

        timings["dump"] = clock.ElapsedMilliseconds;
        if (snapshot.SettingsJson is { } settings)
        {
            artefacts.Add(await writer.WriteAsync(staging, BackupVerifier.SettingsArtefact,
                (stream, ct) => stream.WriteAsync(Encoding.UTF8.GetBytes(settings), ct).AsTask(), cancellationToken));
        }

        string? redisVersion = null;
        if (includeRedis && options.IncludeRedis && connections.Redis is { } redisConnection)
        {
            enterStage("redis");
            clock.Restart();
            progress.Report("Fetching a Redis snapshot (redis-cli --rdb)");
            var endpoint = RedisEndpoint.Parse(redisConnection);
            artefacts.Add(await writer.WriteAsync(staging, BackupVerifier.RedisArtefact,
                (stream, ct) => redis.SnapshotAsync(endpoint, stream, ct), cancellationToken));
            redisVersion = await redis.VersionAsync(cancellationToken);
            timings["redis"] = clock.ElapsedMilliseconds;
        }

        enterStage("manifest");
        return new BackupManifest
        {
            Id = id,
            Kind = kind,
            StartedAt = startedAt,
            FinishedAt = time.GetUtcNow(),
            Tools = new ToolVersions(await dumper.VersionAsync(cancellationToken), snapshot.ServerVersion, redisVersion, Version),
            Artefacts = artefacts,
            Database = snapshot.Contents,
            SettingsVersion = snapshot.SettingsVersion,
            TimingsMs = timings,
        };
    }

    private async Task<string?> CopyOffsiteAsync(string id, string folder, IProgress<string> progress, CancellationToken cancellationToken)
    {
        try
        {
            var copied = await offsite.CopyAsync(folder, id, progress, cancellationToken);
            if (copied is not null && catalogue.IsConfigured) await catalogue.SetOffsiteAsync(id, copied, cancellationToken);
            return copied;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // The backup itself is good; the alert is the failure metric and this error.
            metrics.Failed("offsite", TimeSpan.Zero);
            logger.LogError("Off-site copy of backup {BackupId} FAILED: {Error}", id, ex.Message);
            progress.Report($"Off-site copy failed: {ex.Message}");
            return null;
        }
    }

    private async Task ApplyRetentionAsync(IProgress<string> progress, CancellationToken cancellationToken)
    {
        try
        {
            await retention.ApplyAsync(dryRun: false, progress, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or Npgsql.NpgsqlException)
        {
            metrics.Failed("retention", TimeSpan.Zero);
            logger.LogError("Retention after a verified backup FAILED: {Error}", ex.Message);
        }
    }

    private async Task RecordFailureAsync(string id, string error)
    {
        if (!catalogue.IsConfigured) return;
        try
        {
            await catalogue.MarkFailedAsync(id, time.GetUtcNow(), error, CancellationToken.None);
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or InvalidOperationException or TimeoutException)
        {
            logger.LogWarning("Could not record the failure of backup {BackupId} in the catalogue: {Error}", id, ex.Message);
        }
    }
}
