using System.Buffers.Binary;
using System.Security.Cryptography;

namespace SmsBridge.Backup.Encryption;

/// <summary>
/// A write-only stream that encrypts what is written to it with AES-256-GCM, chunk by chunk, so any size
/// streams through in bounded memory. Only <see cref="FinishAsync"/> writes the final chunk: a stream disposed
/// without it (a failed dump) leaves a file that decryption rejects as truncated, never a short "valid" one.
/// </summary>
public sealed class EncryptingStream : Stream
{
    private readonly Stream _output;
    private readonly string _artefactName;
    private readonly int _chunkSize;
    private readonly byte[] _buffer;
    private readonly AesGcm _aes;
    private byte[]? _header;
    private readonly byte[] _salt = RandomNumberGenerator.GetBytes(ChunkFormat.SaltSize);
    private readonly byte[] _check;
    private int _buffered;
    private long _index;
    private bool _finished;

    public EncryptingStream(Stream output, BackupKey key, string artefactName, int chunkSize = ChunkFormat.DefaultChunkSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunkSize, ChunkFormat.MaxChunkSize);
        _output = output;
        _artefactName = artefactName;
        _chunkSize = chunkSize;
        _buffer = new byte[chunkSize];
        _aes = new AesGcm(key.DeriveFileKey(_salt), ChunkFormat.TagSize);
        _check = key.CheckValue(_salt);
    }

    /// <summary>Plaintext bytes written so far.</summary>
    public long PlainLength { get; private set; }

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => !_finished;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => PlainLength; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        while (!buffer.IsEmpty)
        {
            // A full chunk is written only once more data arrives, since the last chunk must carry the final flag.
            if (_buffered == _chunkSize) await EmitAsync(final: false, cancellationToken);
            var take = Math.Min(buffer.Length, _chunkSize - _buffered);
            buffer.Span[..take].CopyTo(_buffer.AsSpan(_buffered));
            _buffered += take;
            PlainLength += take;
            buffer = buffer[take..];
        }
    }

    /// <summary>Writes the final chunk and flushes; nothing can be written afterwards.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken = default)
    {
        if (_finished) return;
        await EmitAsync(final: true, cancellationToken);
        _finished = true;
        await _output.FlushAsync(cancellationToken);
    }

    private async Task EmitAsync(bool final, CancellationToken cancellationToken)
    {
        if (_header is null)
        {
            _header = ChunkFormat.Header(_chunkSize, _salt, _check);
            await _output.WriteAsync(_header, cancellationToken);
        }

        var record = new byte[ChunkFormat.RecordPrefixSize + ChunkFormat.NonceSize + _buffered + ChunkFormat.TagSize];
        record[0] = final ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt32BigEndian(record.AsSpan(1), _buffered);
        var nonce = record.AsSpan(ChunkFormat.RecordPrefixSize, ChunkFormat.NonceSize);
        RandomNumberGenerator.Fill(nonce);
        var cipher = record.AsSpan(ChunkFormat.RecordPrefixSize + ChunkFormat.NonceSize, _buffered);
        var tag = record.AsSpan(ChunkFormat.RecordPrefixSize + ChunkFormat.NonceSize + _buffered, ChunkFormat.TagSize);
        _aes.Encrypt(nonce, _buffer.AsSpan(0, _buffered), cipher, tag,
            ChunkFormat.AssociatedData(_header, _artefactName, _index, final, _buffered));
        await _output.WriteAsync(record, cancellationToken);
        _index++;
        _buffered = 0;
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _aes.Dispose();
        base.Dispose(disposing);
    }
}
