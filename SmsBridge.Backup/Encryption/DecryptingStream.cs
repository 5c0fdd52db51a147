using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SmsBridge.Backup.Encryption;

/// <summary>
/// A read-only stream over an <see cref="EncryptingStream"/> artefact. It returns a chunk only after its tag
/// verified, and fails with <see cref="BackupIntegrityException"/> on a wrong key, a damaged or reordered
/// chunk, a missing end or trailing bytes; so a consumer never sees unauthenticated plaintext.
/// </summary>
public sealed class DecryptingStream : Stream
{
    private readonly Stream _input;
    private readonly BackupKey _key;
    private readonly string _artefactName;
    private AesGcm? _aes;
    private byte[]? _header;
    private int _chunkSize;
    private byte[] _plain = [];
    private int _plainOffset;
    private int _plainLength;
    private long _index;
    private long _consumed;
    private bool _sawFinal;

    public DecryptingStream(Stream input, BackupKey key, string artefactName)
    {
        _input = input;
        _key = key;
        _artefactName = artefactName;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_plainOffset == _plainLength)
        {
            if (_sawFinal)
            {
                await EnsureNoTrailingBytesAsync(cancellationToken);
                return 0;
            }

            await ReadChunkAsync(cancellationToken);
        }

        var take = Math.Min(buffer.Length, _plainLength - _plainOffset);
        _plain.AsSpan(_plainOffset, take).CopyTo(buffer.Span);
        _plainOffset += take;
        return take;
    }

    private async Task ReadHeaderAsync(CancellationToken cancellationToken)
    {
        var header = new byte[ChunkFormat.HeaderSize];
        if (await ReadFullyAsync(header, cancellationToken) < header.Length || !header.AsSpan(0, 8).SequenceEqual(ChunkFormat.Magic))
        {
            throw new BackupIntegrityException($"{_artefactName} is not an SMS Bridge encrypted backup artefact (bad or missing header).");
        }

        _chunkSize = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(8));
        if (_chunkSize < 1 || _chunkSize > ChunkFormat.MaxChunkSize)
        {
            throw new BackupIntegrityException($"{_artefactName} has a damaged header (chunk size {_chunkSize}).");
        }

        var salt = header.AsSpan(12, ChunkFormat.SaltSize);
        var check = header.AsSpan(12 + ChunkFormat.SaltSize, ChunkFormat.CheckSize);
        if (!CryptographicOperations.FixedTimeEquals(check, _key.CheckValue(salt)))
        {
            throw new BackupIntegrityException(
                $"{_artefactName} was encrypted with a different key: check Secrets__BackupEncryptionKey (the key in use when the backup was made is needed).");
        }

        _aes = new AesGcm(_key.DeriveFileKey(salt), ChunkFormat.TagSize);
        _plain = new byte[_chunkSize];
        _header = header;
    }

    private async Task ReadChunkAsync(CancellationToken cancellationToken)
    {
        if (_header is null) await ReadHeaderAsync(cancellationToken);
        // Where the chunk starts in the file, so an operator can find the damaged bytes (e.g. against another copy).
        var at = $"chunk {_index} (at byte {_consumed})";
        var prefix = new byte[ChunkFormat.RecordPrefixSize + ChunkFormat.NonceSize];
        var read = await ReadFullyAsync(prefix, cancellationToken);
        if (read < prefix.Length)
        {
            throw new BackupIntegrityException(
                $"{_artefactName} is truncated: it ends after chunk {_index} without its final chunk (incomplete copy or a dump that failed).");
        }

        var flag = prefix[0];
        var length = BinaryPrimitives.ReadInt32BigEndian(prefix.AsSpan(1));
        if (flag > 1 || length < 0 || length > _chunkSize)
        {
            throw new BackupIntegrityException($"{_artefactName} is corrupt: {at} has a damaged header.");
        }

        var body = new byte[length + ChunkFormat.TagSize];
        if (await ReadFullyAsync(body, cancellationToken) < body.Length)
        {
            throw new BackupIntegrityException($"{_artefactName} is truncated inside {at}.");
        }

        var final = flag == 1;
        try
        {
            _aes!.Decrypt(prefix.AsSpan(ChunkFormat.RecordPrefixSize), body.AsSpan(0, length), body.AsSpan(length), _plain.AsSpan(0, length),
                ChunkFormat.AssociatedData(_header!, _artefactName, _index, final, length));
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new BackupIntegrityException(
                $"{_artefactName} is corrupt or was tampered with: {at} failed authentication (a changed, reordered or misplaced chunk).");
        }

        _index++;
        _sawFinal = final;
        _plainOffset = 0;
        _plainLength = length;
    }

    private async Task EnsureNoTrailingBytesAsync(CancellationToken cancellationToken)
    {
        var probe = new byte[1];
        if (await _input.ReadAsync(probe, cancellationToken) > 0)
        {
            throw new BackupIntegrityException($"{_artefactName} has unexpected bytes after its final chunk (appended or tampered with).");
        }
    }

    private async Task<int> ReadFullyAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await _input.ReadAsync(buffer[total..], cancellationToken);
            if (read == 0) break;
            total += read;
            _consumed += read;
        }

        return total;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _aes?.Dispose();
        base.Dispose(disposing);
    }
}
