namespace SmsBridge.Backup.Offsite;

/// <summary>A place verified backups are copied to, away from this machine's disk.</summary>
public interface IOffsiteTarget
{
    /// <summary>Where a copy lives, for the catalogue (e.g. "dir:/mnt/backups/20261123T060000Z-3f9a").</summary>
    string Describe(string id);

    Task CopyAsync(string localFolder, string id, CancellationToken cancellationToken);

    Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken);

    Task DeleteAsync(string id, CancellationToken cancellationToken);
}
