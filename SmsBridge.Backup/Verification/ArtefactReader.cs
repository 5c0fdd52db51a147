using System.Security.Cryptography;
using SmsBridge.Backup.Artefacts;
using SmsBridge.Backup.Encryption;

namespace SmsBridge.Backup.Verification;

/// <summary>Reads artefacts back: checks a file against the manifest's SHA-256, and decrypts it with its plaintext checked too.</summary>
public sealed class ArtefactReader(BackupKey key)
{
    public static async Task CheckHashAsync(string folder, ArtefactEntry entry, CancellationToken cancellationToken)
    {
        var path = Path.Combine(folder, entry.File);
        if (!File.Exists(path)) throw new BackupIntegrityException($"{entry.File} is missing from {folder}.");
        var info = new FileInfo(path);
        if (info.Length != entry.Size)
        {
            throw new BackupIntegrityException($"{entry.File} is {info.Length} bytes but the manifest says {entry.Size}: the file is damaged or incomplete.");
        }

        await using var stream = File.OpenRead(path);
        var hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
        if (!CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(hash), System.Text.Encoding.ASCII.GetBytes(entry.Sha256)))
        {
            throw new BackupIntegrityException($"SHA-256 of {entry.File} does not match the manifest: the file is damaged or was modified.");
        }
    }

    /// <summary>
    /// Decrypts one artefact file in a single streaming pass (the operator's <c>decrypt</c> command), checking on the way
    /// what <see cref="CheckHashAsync"/> and <see cref="DecryptToAsync"/> check in two passes: every chunk's tag first, so a
    /// damaged file is reported with the chunk at fault, then the file's and the plaintext's SHA-256 against the manifest.
    /// <paramref name="progress"/> gets the plaintext bytes written so far.
    /// </summary>
    public async Task DecryptFileAsync(string path, ArtefactEntry entry, Stream destination, Action<long>? progress,
        CancellationToken cancellationToken)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16,
            FileOptions.Asynchronous | FileOptions.SequentialScan);
        using var cipherHashing = new HashingStream(file, leaveOpen: true);
        using var decrypting = new DecryptingStream(cipherHashing, key, entry.Name);
        using var plainHashing = new HashingStream(decrypting, leaveOpen: true);
        var buffer = new byte[1 << 20];
        int read;
        while ((read = await plainHashing.ReadAsync(buffer, cancellationToken)) > 0)
        {
            await destination.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
            progress?.Invoke(plainHashing.BytesPassed);
        }

        // Every chunk authenticated, yet the file may be another backup's artefact of the same name and key.
        if (cipherHashing.BytesPassed != entry.Size || cipherHashing.HashHex() != entry.Sha256)
        {
            throw new BackupIntegrityException(
                $"SHA-256 of {entry.File} does not match the manifest: it is not the file this backup wrote (another backup's copy, or a changed manifest).");
        }

        if (plainHashing.BytesPassed != entry.PlainSize || plainHashing.HashHex() != entry.PlainSha256)
        {
            throw new BackupIntegrityException($"{entry.Name} decrypted but its content does not match the manifest's plaintext SHA-256.");
        }
    }

    /// <summary>Decrypts an artefact into <paramref name="destination"/>; throws on any authentication or hash mismatch.</summary>
    public async Task DecryptToAsync(string folder, ArtefactEntry entry, Stream destination, CancellationToken cancellationToken)
    {
        await using var file = new FileStream(Path.Combine(folder, entry.File), FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16,
            FileOptions.Asynchronous | FileOptions.SequentialScan);
        using var decrypting = new DecryptingStream(file, key, entry.Name);
        using var hashing = new HashingStream(decrypting, leaveOpen: true);
        await hashing.CopyToAsync(destination, 1 << 16, cancellationToken);
        if (hashing.BytesPassed != entry.PlainSize || hashing.HashHex() != entry.PlainSha256)
        {
            throw new BackupIntegrityException($"{entry.Name} decrypted but its content does not match the manifest's plaintext SHA-256.");
        }
    }
}
