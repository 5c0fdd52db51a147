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
