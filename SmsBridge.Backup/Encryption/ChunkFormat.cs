using System.Buffers.Binary;
using System.Text;

namespace SmsBridge.Backup.Encryption;

/// <summary>
/// The on-disk layout of an encrypted artefact: a header (magic, chunk size, salt, key check), then chunks of
/// <c>final flag | length | nonce | ciphertext | tag</c>. Every chunk authenticates the header, the artefact's
/// name, its index and its final flag, so a swapped, reordered, truncated or extended file fails to decrypt.
/// </summary>
internal static class ChunkFormat
{
    public static readonly byte[] Magic = "SBKPENC1"u8.ToArray();
    public const int SaltSize = 16;
    public const int CheckSize = 16;
    public const int HeaderSize = 8 + 4 + SaltSize + CheckSize;
    public const int RecordPrefixSize = 1 + 4;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int DefaultChunkSize = 1 << 20;
    public const int MaxChunkSize = 16 << 20;

    public static byte[] Header(int chunkSize, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> check)
    {
        var header = new byte[HeaderSize];
        Magic.CopyTo(header, 0);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(8), chunkSize);
        salt.CopyTo(header.AsSpan(12));
        check.CopyTo(header.AsSpan(12 + SaltSize));
        return header;
    }

    public static byte[] AssociatedData(byte[] header, string artefactName, long index, bool final, int length)
    {
        var name = Encoding.UTF8.GetBytes(artefactName);
        var data = new byte[header.Length + name.Length + 8 + 1 + 4];
        header.CopyTo(data, 0);
        name.CopyTo(data, header.Length);
        var tail = data.AsSpan(header.Length + name.Length);
        BinaryPrimitives.WriteInt64BigEndian(tail, index);
        tail[8] = final ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt32BigEndian(tail[9..], length);
        return data;
    }
}

/// <summary>An artefact that cannot be trusted: wrong key, damaged, truncated or tampered with.</summary>
public sealed class BackupIntegrityException(string message) : Exception(message);
