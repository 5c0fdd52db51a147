using SmsBridge.Backup.Artefacts;
using SmsBridge.Backup.Encryption;

namespace SmsBridge.Backup.Dumping;

/// <summary>
/// Writes one encrypted artefact: plaintext from <c>produce</c> is hashed, encrypted in chunks and hashed again
/// on its way to <c>name.enc.tmp</c>, fsynced, then renamed to <c>name.enc</c>. Plaintext never touches disk.
/// </summary>
public sealed class ArtefactWriter(BackupKey key, int chunkSize)
{
    public async Task<ArtefactEntry> WriteAsync(string folder, string name, Func<Stream, CancellationToken, Task> produce,
        CancellationToken cancellationToken)
    {
        var file = name + ".enc";
        var final = Path.Combine(folder, file);
        var temporary = final + ".tmp";
        try
        {
            string cipherHash, plainHash;
            long cipherSize, plainSize;
            await using (var output = BackupStore.CreatePrivateFile(temporary))
            {
                using var cipherHashing = new HashingStream(output, leaveOpen: true);
                using var encrypting = new EncryptingStream(cipherHashing, key, name, chunkSize);
                using var plainHashing = new HashingStream(encrypting, leaveOpen: true);
                await produce(plainHashing, cancellationToken);
                await encrypting.FinishAsync(cancellationToken);
                await output.FlushAsync(cancellationToken);
                output.Flush(flushToDisk: true);
                (cipherHash, cipherSize, plainHash, plainSize) =
                    (cipherHashing.HashHex(), cipherHashing.BytesPassed, plainHashing.HashHex(), plainHashing.BytesPassed);
            }

            File.Move(temporary, final);
            return new ArtefactEntry(name, file, cipherSize, cipherHash, plainSize, plainHash);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
