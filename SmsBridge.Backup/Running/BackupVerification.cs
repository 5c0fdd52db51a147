using Microsoft.Extensions.Logging;
using SmsBridge.Backup.Artefacts;
using SmsBridge.Backup.Catalogue;
using SmsBridge.Backup.Monitoring;
using SmsBridge.Backup.Verification;

namespace SmsBridge.Backup.Running;

/// <summary>Verifies an existing backup on request (CLI, admin) under the lock, and records the outcome on disk and in the catalogue.</summary>
public sealed class BackupVerification(
    BackupVerifier verifier,
    BackupStore store,
    BackupCatalogue catalogue,
    BackupLockProvider locks,
    BackupMetrics metrics,
    BackupState state,
    TimeProvider time,
    ILogger<BackupVerification> logger)
{
    public async Task<VerificationResult> VerifyAsync(string id, IProgress<string> progress, CancellationToken cancellationToken)
    {
        if (!store.Exists(id))
        {
            throw new FileNotFoundException($"Backup {id} was not found in {store.Root}. Run 'smsbridge-backup list' to see the backups.");
        }

        await using var held = await locks.AcquireAsync(cancellationToken);
        var manifest = store.ReadManifest(id);
        var result = await verifier.VerifyAsync(id, progress, cancellationToken);
        await store.WriteVerificationAsync(id, result, cancellationToken);
        if (result.Verified)
        {
            state.Verified(manifest.StartedAt);
            if (catalogue.IsConfigured) await catalogue.MarkVerifiedAsync(id, result.VerifiedAt, cancellationToken);
        }
        else
        {
            metrics.Failed("verify", TimeSpan.FromMilliseconds(result.DurationMs));
            logger.LogError("Backup {BackupId} FAILED verification: {Error}", id, result.Error);
            if (catalogue.IsConfigured) await catalogue.MarkFailedAsync(id, time.GetUtcNow(), result.Error ?? "verification failed", cancellationToken);
        }

        return result;
    }
}
