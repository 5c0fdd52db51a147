using SmsBridge.Backup.Configuration;

namespace SmsBridge.Backup.Offsite;

/// <summary>The configured off-site targets: a mounted folder and/or an rclone remote (none by default).</summary>
public sealed class OffsiteCopier(BackupOptions options)
{
    public IReadOnlyList<IOffsiteTarget> Targets { get; } = Build(options);

    private static List<IOffsiteTarget> Build(BackupOptions options)
    {
        var targets = new List<IOffsiteTarget>();
        if (!string.IsNullOrWhiteSpace(options.Offsite.Directory)) targets.Add(new DirectoryOffsite(options.Offsite.Directory));
        if (!string.IsNullOrWhiteSpace(options.Offsite.RcloneRemote)) targets.Add(new RcloneOffsite(options.Offsite.Rclone, options.Offsite.RcloneRemote, options.Offsite.RcloneConfig));
        return targets;
    }

    /// <summary>Copies a verified backup to every target; returns where it went ("; "-separated for the catalogue).</summary>
    public async Task<string?> CopyAsync(string localFolder, string id, IProgress<string> progress, CancellationToken cancellationToken)
    {
        if (Targets.Count == 0) return null;
        var places = new List<string>();
        foreach (var target in Targets)
        {
            progress.Report($"Copying {id} off-site to {target.Describe(id)}");
            await target.CopyAsync(localFolder, id, cancellationToken);
            places.Add(target.Describe(id));
        }

        return string.Join("; ", places);
    }
}
