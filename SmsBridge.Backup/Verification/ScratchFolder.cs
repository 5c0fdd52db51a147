using System.Diagnostics;
using SmsBridge.Backup.Configuration;
using SmsBridge.Processes;

namespace SmsBridge.Backup.Verification;

/// <summary>
/// A private temporary folder (0700) for a throwaway server or a restore's files, owned by the account that runs them. Folders a
/// crashed run left behind are found by their prefix; their server is killed and the folder deleted.
/// </summary>
public sealed class ScratchFolder : IDisposable
{
    public const string Prefix = "smsbridge-scratch-";

    private ScratchFolder(string path, string? owner)
    {
        Path = path;
        Owner = owner;
    }

    public string Path { get; }

    /// <summary>The account servers in here run as (when this process is root), else null.</summary>
    public string? Owner { get; }

    public static async Task<ScratchFolder> CreateAsync(BackupOptions options, CancellationToken cancellationToken)
    {
        var parent = Parent(options);
        // Short names: a Unix socket path must stay under 108 bytes.
        var path = System.IO.Path.Combine(parent, Prefix + Guid.NewGuid().ToString("N")[..10]);
        var owner = Environment.UserName == "root" ? options.ResolveScratchUser() : null;
        await ServiceAccount.CreatePrivateFolderAsync(path, owner, cancellationToken);
        return new ScratchFolder(path, owner);
    }

    /// <summary>Removes folders left by a run that died; only called while holding the backup lock.</summary>
    public static int RemoveStale(BackupOptions options)
    {
        var parent = Parent(options);
        if (!Directory.Exists(parent)) return 0;
        var removed = 0;
        foreach (var folder in Directory.EnumerateDirectories(parent, Prefix + "*"))
        {
            KillServer(System.IO.Path.Combine(folder, "data", "postmaster.pid"), folder);
            KillServer(System.IO.Path.Combine(folder, "redis.pid"), folder);
            try
            {
                Directory.Delete(folder, recursive: true);
                removed++;
            }
            catch (IOException)
            {
                // Still in use; the next run tries again.
            }
        }

        return removed;
    }

    /// <summary>
    /// One parent per backup folder, so stale-folder cleanup only ever touches this deployment's scratch servers,
    /// never those of another instance or test graph sharing the machine's temp folder.
    /// </summary>
    private static string Parent(BackupOptions options) =>
        options.ScratchDirectory ?? System.IO.Path.Combine(System.IO.Path.GetTempPath(), "smsbridge-scratch",
            Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(options.Directory)))[..8]);

    private static void KillServer(string pidFile, string folder)
    {
        if (!File.Exists(pidFile)) return;
        if (!int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid)) return;
        try
        {
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            if (!commandLine.Contains(folder, StringComparison.Ordinal)) return;
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
            process.WaitForExit(5000);
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or InvalidOperationException or UnauthorizedAccessException)
        {
            // Gone already.
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A server still writing its last file; RemoveStale deletes it next time.
        }
    }
}
