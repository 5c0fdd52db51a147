using SmsBridge.Backup.Artefacts;

namespace SmsBridge.Backup.Offsite;

/// <summary>
/// A mounted folder (NFS, SMB, USB disk). Each backup is copied into a <c>.partial-</c> folder and renamed when
/// complete, so the far side never shows a half copy under a backup's name.
/// </summary>
public sealed class DirectoryOffsite(string root) : IOffsiteTarget
{
    public string Describe(string id) => "dir:" + Path.Combine(root, id);

    public async Task CopyAsync(string localFolder, string id, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"The off-site folder {root} does not exist: is it mounted? (Backup__Offsite__Directory)");
        }

        var final = Path.Combine(root, id);
        if (Directory.Exists(final)) return;
        var partial = Path.Combine(root, ".partial-" + id);
        if (Directory.Exists(partial)) Directory.Delete(partial, recursive: true);
        Directory.CreateDirectory(partial);
        File.SetUnixFileMode(partial, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        foreach (var file in Directory.EnumerateFiles(localFolder))
        {
            await using var source = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous);
            await using var destination = BackupStore.CreatePrivateFile(Path.Combine(partial, Path.GetFileName(file)));
            await source.CopyToAsync(destination, cancellationToken);
            await destination.FlushAsync(cancellationToken);
            destination.Flush(flushToDisk: true);
        }

        Directory.Move(partial, final);
    }

    public Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<string>>(Directory.Exists(root)
            ? [.. Directory.EnumerateDirectories(root).Select(Path.GetFileName).OfType<string>().Where(BackupStore.IsValidId)]
            : []);

    public Task DeleteAsync(string id, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(root, id);
        if (BackupStore.IsValidId(id) && Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        return Task.CompletedTask;
    }
}
