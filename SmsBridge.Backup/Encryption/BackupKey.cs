using System.Security.Cryptography;
using System.Text;

namespace SmsBridge.Backup.Encryption;

/// <summary>
/// The 256-bit key every artefact is encrypted with (<c>Secrets:BackupEncryptionKey</c>, base64). Each file gets
/// its own key derived with HKDF from a random salt, and a short check value so a wrong key is told apart
/// from a damaged file.
/// </summary>
public sealed class BackupKey
{
    private static readonly byte[] FileKeyInfo = Encoding.ASCII.GetBytes("smsbridge-backup/v1/file-key");
    private static readonly byte[] CheckLabel = Encoding.ASCII.GetBytes("smsbridge-backup/v1/key-check");
    private readonly byte[] _key;

    public BackupKey(byte[] key)
    {
        if (key.Length != 32) throw new ArgumentException("The backup encryption key must be 32 bytes (256 bits).", nameof(key));
        _key = (byte[])key.Clone();
    }

    public static BackupKey FromBase64(string? base64)
    {
        if (string.IsNullOrWhiteSpace(base64))
        {
            throw new InvalidOperationException(
                "Secrets:BackupEncryptionKey is missing. Set Secrets__BackupEncryptionKey to 32 random bytes in base64 (openssl rand -base64 32).");
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            throw new InvalidOperationException("Secrets:BackupEncryptionKey is not valid base64. Generate one with: openssl rand -base64 32");
        }

        if (bytes.Length != 32)
        {
            throw new InvalidOperationException(
                $"Secrets:BackupEncryptionKey decodes to {bytes.Length} bytes; it must be 32. Generate one with: openssl rand -base64 32");
        }

        return new BackupKey(bytes);
    }

    internal byte[] DeriveFileKey(ReadOnlySpan<byte> salt) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, _key, 32, salt.ToArray(), FileKeyInfo);

    internal byte[] CheckValue(ReadOnlySpan<byte> salt)
    {
        var input = new byte[CheckLabel.Length + salt.Length];
        CheckLabel.CopyTo(input, 0);
        salt.CopyTo(input.AsSpan(CheckLabel.Length));
        return HMACSHA256.HashData(_key, input)[..16];
    }
}
