using SmsBridge.Backup.Artefacts;
using SmsBridge.Backup.Configuration;
using SmsBridge.Backup.Verification;

namespace SmsBridge.Backup.Catalogue;

/// <summary>
/// Takes the backup lock for one operation and, holding it, clears what a crashed run left: half-written
/// backup folders and throwaway servers. Nobody else can be using them while we hold the lock.
/// </summary>
public sealed class BackupLockProvider(BackupCatalogue catalogue, BackupStore store, BackupOptions options)
{
    public async Task<BackupLock> AcquireAsync(CancellationToken cancellationToken)
    {
        if (!catalogue.IsConfigured) return BackupLock.None;
        var held = await BackupLock.TryAcquireAsync(catalogue.DataSource, cancellationToken) ?? throw new BackupBusyException();
        store.RemovePartials();
        ScratchFolder.RemoveStale(options);
        return held;
    }
}
