using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace SmsBridge.Backup.Artefacts;

/// <summary>
/// The backup folder: one sub-folder per backup (<c>20261123T060000Z-3f9a</c>) holding the encrypted artefacts,
/// <c>manifest.json</c> and <c>verification.json</c>. A backup is built in a <c>.partial-</c> folder and renamed
/// only when complete, so a crash never leaves a half backup under a final name. Files are 0600, folders 0700.
/// </summary>
public sealed partial class BackupStore
{
    public const string ManifestFile = "manifest.json";
    public const string VerificationFile = "verification.json";
    private const string PartialPrefix = ".partial-";
    private const UnixFileMode PrivateDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public BackupStore(string root)
    {
        Root = Path.GetFullPath(root);
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    [GeneratedRegex("^[0-9]{8}T[0-9]{6}Z-[0-9a-f]{4}$")]
    private static partial Regex IdPattern();

    /// <summary>Ids come from the admin API and the command line: only this shape may become a path.</summary>
    public static bool IsValidId(string? id) => id is not null && IdPattern().IsMatch(id);

    public static string NewId(DateTimeOffset now) =>
        $"{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2))}";

    /// <summary>When a backup started, from its id (used for off-site copies, which have no catalogue).</summary>
    public static DateTimeOffset TimestampOf(string id) =>
        DateTimeOffset.ParseExact(id[..16], "yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.AssumeUniversal | System.Globalization.DateTimeStyles.AdjustToUniversal);

    public string PathOf(string id) => IsValidId(id)
        ? Path.Combine(Root, id)
        : throw new ArgumentException($"'{id}' is not a backup id (expected e.g. 20261123T060000Z-3f9a).", nameof(id));

    public bool Exists(string id) => IsValidId(id) && File.Exists(Path.Combine(Root, id, ManifestFile));

    public string CreateStaging(string id)
    {
        var staging = Path.Combine(Root, PartialPrefix + id);
        Directory.CreateDirectory(staging);
        File.SetUnixFileMode(staging, PrivateDirectory);
        return staging;
    }

    /// <summary>Publishes a complete backup under its final name (an atomic rename within the folder).</summary>
    public string Commit(string staging, string id)
    {
        var final = PathOf(id);
        Directory.Move(staging, final);
        return final;
    }

    public static FileStream CreatePrivateFile(string path) => new(path, new FileStreamOptions
    {
        Mode = FileMode.CreateNew,
        Access = FileAccess.Write,
        UnixCreateMode = PrivateFile,
        Options = FileOptions.Asynchronous,
        BufferSize = 1 << 16,
    });

    public static async Task WriteJsonAtomicallyAsync<T>(string path, T value, CancellationToken cancellationToken)
    {
        var temporary = path + ".tmp";
        File.Delete(temporary);
        await using (var stream = CreatePrivateFile(temporary))
        {
            await JsonSerializer.SerializeAsync(stream, value, BackupManifest.Json, cancellationToken);
            await stream.FlushAsync(cancellationToken);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    public BackupManifest ReadManifest(string id)
    {
        var path = Path.Combine(PathOf(id), ManifestFile);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"Backup {id} was not found in {Root} (no {ManifestFile}). Run 'smsbridge-backup list' to see the backups.");
        }

        return JsonSerializer.Deserialize<BackupManifest>(File.ReadAllText(path), BackupManifest.Json)
            ?? throw new InvalidDataException($"{path} is empty.");
    }

    public VerificationResult? ReadVerification(string id)
    {
        var path = Path.Combine(PathOf(id), VerificationFile);
        return File.Exists(path) ? JsonSerializer.Deserialize<VerificationResult>(File.ReadAllText(path), BackupManifest.Json) : null;
    }

    public Task WriteVerificationAsync(string id, VerificationResult result, CancellationToken cancellationToken) =>
        WriteJsonAtomicallyAsync(Path.Combine(PathOf(id), VerificationFile), result, cancellationToken);

    /// <summary>Every complete backup on disk, oldest first.</summary>
    public IReadOnlyList<StoredBackup> List()
    {
        var backups = new List<StoredBackup>();
        foreach (var folder in Directory.EnumerateDirectories(Root))
        {
            var id = Path.GetFileName(folder);
            if (!IsValidId(id) || !File.Exists(Path.Combine(folder, ManifestFile))) continue;
            try
            {
                var manifest = ReadManifest(id);
                backups.Add(new StoredBackup(manifest, ReadVerification(id), SizeOf(folder)));
            }
            catch (Exception ex) when (ex is JsonException or IOException or InvalidDataException)
            {
                // An unreadable manifest is left alone for the operator; it is neither listed nor pruned.
            }
        }

        return [.. backups.OrderBy(b => b.Manifest.StartedAt)];
    }

    public void Delete(string id)
    {
        var path = PathOf(id);
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
    }

    /// <summary>Removes what a crash left half-written; such folders never had a final name.</summary>
    public int RemovePartials()
    {
        var removed = 0;
        foreach (var folder in Directory.EnumerateDirectories(Root, PartialPrefix + "*"))
        {
            Directory.Delete(folder, recursive: true);
            removed++;
        }

        return removed;
    }

    public static long SizeOf(string folder) =>
        new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
}

/// <summary>A complete backup found on disk.</summary>
public sealed record StoredBackup(BackupManifest Manifest, VerificationResult? Verification, long SizeBytes)
{
    public string Id => Manifest.Id;

    public bool Verified => Verification?.Verified == true;
}
