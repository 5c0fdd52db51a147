using System.Security.Cryptography;
using SmsBridge.Backup.Encryption;

namespace SmsBridge.Tests.Backups;

public sealed class ChunkedEncryptionTests
{
    private const int ChunkSize = 64;
    private static readonly BackupKey Key = new(RandomNumberGenerator.GetBytes(32));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(65)]
    [InlineData(1000)]
    public async Task Round_trips_any_length_including_exact_chunk_multiples(int length)
    {
        var plain = RandomNumberGenerator.GetBytes(length);
        var cipher = await EncryptAsync(plain, "postgres.dump");
        Assert.Equal(plain, await DecryptAsync(cipher, Key, "postgres.dump"));
        if (length >= 16) Assert.True(cipher.AsSpan().IndexOf(plain.AsSpan(0, 16)) < 0, "the plaintext does not appear in the artefact");
    }

    [Fact]
    public async Task A_wrong_key_is_reported_as_such()
    {
        var cipher = await EncryptAsync(RandomNumberGenerator.GetBytes(300), "postgres.dump");
        var error = await Assert.ThrowsAsync<BackupIntegrityException>(() => DecryptAsync(cipher, new BackupKey(RandomNumberGenerator.GetBytes(32)), "postgres.dump"));
        Assert.Contains("different key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_flipped_bit_anywhere_in_a_chunk_fails_authentication()
    {
        var cipher = await EncryptAsync(RandomNumberGenerator.GetBytes(300), "postgres.dump");
        foreach (var position in new[] { 44 + 5 + 12 + 3, cipher.Length / 2, cipher.Length - 1 })
        {
            var damaged = (byte[])cipher.Clone();
            damaged[position] ^= 0x80;
            var error = await Assert.ThrowsAsync<BackupIntegrityException>(() => DecryptAsync(damaged, Key, "postgres.dump"));
            Assert.Contains("postgres.dump", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Truncation_at_a_chunk_boundary_reordering_appending_and_renaming_are_all_detected()
    {
        var cipher = await EncryptAsync(RandomNumberGenerator.GetBytes(64 * 3 + 10), "postgres.dump");
        const int header = 44;
        const int record = 5 + 12 + ChunkSize + 16;

        var truncated = cipher[..(header + (2 * record))];
        Assert.Contains("truncated", (await Assert.ThrowsAsync<BackupIntegrityException>(() => DecryptAsync(truncated, Key, "postgres.dump"))).Message,
            StringComparison.Ordinal);

        var swapped = (byte[])cipher.Clone();
        cipher.AsSpan(header, record).CopyTo(swapped.AsSpan(header + record));
        cipher.AsSpan(header + record, record).CopyTo(swapped.AsSpan(header));
        Assert.Contains("chunk 0", (await Assert.ThrowsAsync<BackupIntegrityException>(() => DecryptAsync(swapped, Key, "postgres.dump"))).Message,
            StringComparison.Ordinal);

        byte[] appended = [.. cipher, 0x00];
        Assert.Contains("after its final chunk", (await Assert.ThrowsAsync<BackupIntegrityException>(() => DecryptAsync(appended, Key, "postgres.dump"))).Message,
            StringComparison.Ordinal);

        // Another artefact's file under this name (e.g. the Redis snapshot put in place of the dump).
        await Assert.ThrowsAsync<BackupIntegrityException>(() => DecryptAsync(cipher, Key, "redis.rdb"));
    }

    [Fact]
    public async Task An_unfinished_stream_leaves_a_file_that_does_not_decrypt()
    {
        using var output = new MemoryStream();
        await using (var encrypting = new EncryptingStream(output, Key, "postgres.dump", ChunkSize))
        {
            await encrypting.WriteAsync(RandomNumberGenerator.GetBytes(200));
        }

        var error = await Assert.ThrowsAsync<BackupIntegrityException>(() => DecryptAsync(output.ToArray(), Key, "postgres.dump"));
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_must_be_32_bytes_of_base64()
    {
        Assert.Contains("missing", Assert.Throws<InvalidOperationException>(() => BackupKey.FromBase64(null)).Message, StringComparison.Ordinal);
        Assert.Contains("base64", Assert.Throws<InvalidOperationException>(() => BackupKey.FromBase64("not base64!")).Message, StringComparison.Ordinal);
        Assert.Contains("16 bytes", Assert.Throws<InvalidOperationException>(() => BackupKey.FromBase64(Convert.ToBase64String(new byte[16]))).Message,
            StringComparison.Ordinal);
    }

    private static async Task<byte[]> EncryptAsync(byte[] plain, string name)
    {
        using var output = new MemoryStream();
        await using var encrypting = new EncryptingStream(output, Key, name, ChunkSize);
        // Odd write sizes, so buffering across chunk boundaries is exercised.
        for (var offset = 0; offset < plain.Length; offset += 37) await encrypting.WriteAsync(plain.AsMemory(offset, Math.Min(37, plain.Length - offset)));
        await encrypting.FinishAsync();
        return output.ToArray();
    }

    private static async Task<byte[]> DecryptAsync(byte[] cipher, BackupKey key, string name)
    {
        using var input = new MemoryStream(cipher);
        using var decrypting = new DecryptingStream(input, key, name);
        using var plain = new MemoryStream();
        await decrypting.CopyToAsync(plain);
        return plain.ToArray();
    }
}
