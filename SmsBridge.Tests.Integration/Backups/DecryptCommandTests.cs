using System.Buffers.Binary;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using SmsBridge.Backup.Artefacts;
using SmsBridge.Backup.CommandLine;
using SmsBridge.Backup.Configuration;
using SmsBridge.Backup.Verification;
using SmsBridge.Tests.Deploy;

namespace SmsBridge.Tests.Backups;

/// <summary>
/// Restore without SMS Bridge: <c>smsbridge-backup decrypt</c> with only the key and the manifest, then pg_restore by hand;
/// and the artefact format as SmsBridge.Backup/README.md documents it, followed with openssl and with .NET's primitives.
/// </summary>
[Collection(BackupGraphCollection.Name)]
public sealed class DecryptCommandTests(BackupGraphFixture graph)
{
    private const string PgRestore = "/usr/lib/postgresql/15/bin/pg_restore";

    [Fact]
    public async Task Decrypt_writes_the_dump_that_pg_restore_lists_and_restores_into_a_scratch_postgres_by_hand()
    {
        var (services, backup, _) = await graph.SharedBackupAsync();
        var store = services.Get<BackupStore>();
        var manifest = store.ReadManifest(backup.Id);
        var work = Directory.CreateTempSubdirectory("smsbridge-decrypt-").FullName;
        try
        {
            var dump = Path.Combine(work, "postgres.dump");
            var (code, output) = await DecryptAsync([Path.Combine(store.PathOf(backup.Id), "postgres.dump.enc"), "--out", dump], KeyOf(services));
            Assert.True(code == BackupCommandLine.Ok, output);
            Assert.Contains("matches the manifest", output, StringComparison.Ordinal);
            Assert.Contains($"Next: pg_restore --list {dump}", output, StringComparison.Ordinal);
            Assert.Equal(manifest.Artefact(BackupVerifier.PostgresArtefact)!.PlainSha256, Sha256Of(dump));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(dump));

            var list = await Tool.RunAsync(PgRestore, ["--list", dump]);
            Assert.True(list.ExitCode == 0, list.All);
            Assert.Contains("TABLE DATA public blacklist", list.Output, StringComparison.Ordinal);

            // pg_restore by hand into a PostgreSQL of its own (the throwaway kind verification uses), as its superuser.
            await using var scratch = await VerificationServers.StartPostgresAsync(services.Get<BackupOptions>(), CancellationToken.None);
            await scratch.CreateDatabaseAsync("by_hand", CancellationToken.None);
            var restore = await Tool.RunAsync(PgRestore,
                ["--no-owner", "--no-acl", "--exit-on-error", "--single-transaction", "--host", scratch.Folder, "--username", "postgres", "--dbname", "by_hand", dump]);
            Assert.True(restore.ExitCode == 0, restore.All);
            var restored = scratch.ConnectionString("postgres", null, "by_hand");
            foreach (var table in new[] { "public.blacklist", "public.onboarded_mobiles", "public.audit_events", "public.settings_versions" })
            {
                var expected = manifest.Database!.Tables.Single(t => t.Table == table).Rows;
                Assert.Equal(expected, await BackupTestData.ScalarAsync<long>(restored, $"SELECT count(*) FROM {table}"));
            }

            Assert.Equal(1, await BackupTestData.MarkerCountAsync(restored, "999"));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task Decrypt_refuses_a_damaged_chunk_by_its_number_a_wrong_key_and_operator_mistakes_in_one_line_without_output()
    {
        var (services, backup, _) = await graph.SharedBackupAsync();
        var work = Directory.CreateTempSubdirectory("smsbridge-decrypt-").FullName;
        try
        {
            var copy = Path.Combine(work, backup.Id);
            Directory.CreateDirectory(copy);
            foreach (var file in Directory.GetFiles(services.Get<BackupStore>().PathOf(backup.Id))) File.Copy(file, Path.Combine(copy, Path.GetFileName(file)));
            var artefact = Path.Combine(copy, "postgres.dump.enc");
            var output = Path.Combine(work, "postgres.dump");

            // One changed byte in the ciphertext of chunk 2 (4 KiB chunks in the tests: 17 bytes of chunk header, 16 of tag).
            var header = File.ReadAllBytes(artefact)[..44];
            var chunkSize = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(8));
            var chunk2 = 44 + 2L * (17 + chunkSize + 16);
            Assert.True(new FileInfo(artefact).Length > chunk2 + 17 + chunkSize, "the dump spans more than three chunks");
            var bytes = File.ReadAllBytes(artefact);
            bytes[chunk2 + 17 + 100] ^= 0x40;
            File.WriteAllBytes(artefact, bytes);
            var (code, text) = await DecryptAsync([artefact, "--out", output], KeyOf(services));
            Assert.Equal(BackupCommandLine.Failed, code);
            Assert.Contains($"error: postgres.dump is corrupt or was tampered with: chunk 2 (at byte {chunk2}) failed authentication", text, StringComparison.Ordinal);
            AssertOneErrorLine(text);
            Assert.False(File.Exists(output), "no output from a damaged artefact");
            Assert.False(File.Exists(output + ".partial"), "no partial output left behind");

            // The intact file with another key: named as a key problem, not as damage.
            var intact = Path.Combine(services.Get<BackupStore>().PathOf(backup.Id), "postgres.dump.enc");
            var wrongKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
            (code, text) = await DecryptAsync([intact, "--out", output], new() { ["Secrets:BackupEncryptionKey"] = wrongKey });
            Assert.Equal(BackupCommandLine.Failed, code);
            Assert.Contains("was encrypted with a different key: check Secrets__BackupEncryptionKey", text, StringComparison.Ordinal);
            AssertOneErrorLine(text);
            Assert.False(File.Exists(output));

            // Operator mistakes are refused before anything is read.
            (code, text) = await DecryptAsync([Path.Combine(work, "nope.enc"), "--out", output], KeyOf(services));
            Assert.Equal(BackupCommandLine.Refused, code);
            Assert.Contains("does not exist", text, StringComparison.Ordinal);
            File.Copy(intact, Path.Combine(work, "alone.enc"));
            (code, text) = await DecryptAsync([Path.Combine(work, "alone.enc"), "--out", output], KeyOf(services));
            Assert.Equal(BackupCommandLine.Refused, code);
            Assert.Contains("no manifest.json at", text, StringComparison.Ordinal);
            File.WriteAllText(output, "keep me");
            (code, text) = await DecryptAsync([intact, "--out", output], KeyOf(services));
            Assert.Equal(BackupCommandLine.Refused, code);
            Assert.Contains("already exists", text, StringComparison.Ordinal);
            Assert.Equal("keep me", File.ReadAllText(output));
            File.Delete(output);
            (code, text) = await DecryptAsync([intact, "--out", output], new());
            Assert.Equal(BackupCommandLine.Failed, code);
            Assert.Contains("Secrets:BackupEncryptionKey is missing", text, StringComparison.Ordinal);

            // The built executable, as an operator runs it: a line and an exit code, no stack trace.
            var dll = Path.Combine(AppContext.BaseDirectory, "SmsBridge.Backup.dll");
            var run = await Tool.RunAsync("dotnet", [dll, "decrypt", intact, "--out", output], new Dictionary<string, string> { ["Secrets__BackupEncryptionKey"] = wrongKey });
            Assert.Equal(BackupCommandLine.Failed, run.ExitCode);
            Assert.Contains("was encrypted with a different key", run.All, StringComparison.Ordinal);
            AssertOneErrorLine(run.All);
            run = await Tool.RunAsync("dotnet", [dll, "decrypt", Path.Combine(work, "nope.enc"), "--out", output]);
            Assert.Equal(BackupCommandLine.Refused, run.ExitCode);
            Assert.Equal($"refused: {Path.Combine(work, "nope.enc")} does not exist.", run.All.Trim());
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task The_readme_s_openssl_script_decrypts_every_artefact_by_hand_to_the_manifest_s_plaintext()
    {
        var (services, backup, _) = await graph.SharedBackupAsync();
        var store = services.Get<BackupStore>();
        var manifest = store.ReadManifest(backup.Id);
        var work = Directory.CreateTempSubdirectory("smsbridge-by-hand-").FullName;
        try
        {
            var script = Path.Combine(work, "decrypt-by-hand.sh");
            await File.WriteAllTextAsync(script, ReadmeBlock("decrypt-by-hand.sh"));
            var key = new Dictionary<string, string> { ["Secrets__BackupEncryptionKey"] = services.Configuration["Secrets:BackupEncryptionKey"]! };
            Assert.Equal(3, manifest.Artefacts.Count);
            foreach (var entry in manifest.Artefacts)
            {
                var plain = Path.Combine(work, entry.Name);
                var run = await Tool.RunAsync("bash", [script, Path.Combine(store.PathOf(backup.Id), entry.File), plain], key, work, TimeSpan.FromMinutes(2));
                Assert.True(run.ExitCode == 0, run.All);
                Assert.Equal(entry.PlainSha256, Sha256Of(plain));
                Assert.Contains(entry.PlainSha256, run.Output, StringComparison.Ordinal);
            }

            var list = await Tool.RunAsync(PgRestore, ["--list", Path.Combine(work, BackupVerifier.PostgresArtefact)]);
            Assert.True(list.ExitCode == 0, list.All);
            Assert.Contains("TABLE DATA public onboarded_mobiles", list.Output, StringComparison.Ordinal);

            var wrong = await Tool.RunAsync("bash", [script, Path.Combine(store.PathOf(backup.Id), "postgres.dump.enc"), Path.Combine(work, "wrong")],
                new Dictionary<string, string> { ["Secrets__BackupEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) }, work);
            Assert.Equal(1, wrong.ExitCode);
            Assert.Contains("wrong key", wrong.Error, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>
    /// Written from the README's "The artefact format" alone, with .NET's HKDF, HMAC and AES-GCM (not the product's
    /// Encryption code): header, key check, file key, chunk layout and associated data, with every tag checked.
    /// </summary>
    [Fact]
    public async Task The_readme_s_format_description_is_enough_to_authenticate_and_decrypt_every_chunk()
    {
        var (services, backup, _) = await graph.SharedBackupAsync();
        var store = services.Get<BackupStore>();
        var master = Convert.FromBase64String(services.Configuration["Secrets:BackupEncryptionKey"]!);
        foreach (var entry in store.ReadManifest(backup.Id).Artefacts)
        {
            var file = await File.ReadAllBytesAsync(Path.Combine(store.PathOf(backup.Id), entry.File));
            var header = file[..44];
            Assert.Equal("SBKPENC1", Encoding.ASCII.GetString(header, 0, 8));
            var chunkSize = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(8));
            var salt = header[12..28];
            byte[] checkInput = [.. Encoding.ASCII.GetBytes("smsbridge-backup/v1/key-check"), .. salt];
            Assert.Equal(header[28..44], HMACSHA256.HashData(master, checkInput)[..16]);
            var fileKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, master, 32, salt, Encoding.ASCII.GetBytes("smsbridge-backup/v1/file-key"));
            using var aes = new AesGcm(fileKey, 16);

            using var plain = new MemoryStream();
            var offset = 44;
            var chunks = new List<(int Offset, byte[] AssociatedData)>();
            for (long index = 0; ; index++)
            {
                var final = file[offset];
                var length = (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(offset + 1));
                Assert.InRange((uint)length, 0u, chunkSize);
                var nonce = file.AsSpan(offset + 5, 12);
                var cipher = file.AsSpan(offset + 17, length);
                var tag = file.AsSpan(offset + 17 + length, 16);
                var index64 = new byte[8];
                BinaryPrimitives.WriteInt64BigEndian(index64, index);
                var length32 = new byte[4];
                BinaryPrimitives.WriteUInt32BigEndian(length32, (uint)length);
                byte[] associated = [.. header, .. Encoding.UTF8.GetBytes(entry.Name), .. index64, final, .. length32];
                var output = new byte[length];
                aes.Decrypt(nonce, cipher, tag, output, associated);
                plain.Write(output);
                chunks.Add((offset, associated));
                offset += 17 + length + 16;
                if (final == 1) break;
                Assert.Equal(0, final);
                Assert.Equal(chunkSize, (uint)length);
            }

            Assert.Equal(file.Length, offset);
            Assert.Equal(entry.PlainSha256, Convert.ToHexStringLower(SHA256.HashData(plain.ToArray())));

            // The associated data binds the position: the first chunk read as if it were the second fails its tag.
            if (chunks.Count > 1)
            {
                var (first, _) = chunks[0];
                var length = (int)BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(first + 1));
                Assert.ThrowsAny<CryptographicException>(() => aes.Decrypt(file.AsSpan(first + 5, 12), file.AsSpan(first + 17, length),
                    file.AsSpan(first + 17 + length, 16), new byte[length], chunks[1].AssociatedData));
            }
        }
    }

    private static Dictionary<string, string?> KeyOf(BackupServices services) =>
        new() { ["Secrets:BackupEncryptionKey"] = services.Configuration["Secrets:BackupEncryptionKey"] };

    /// <summary>The command in-process, with only the key as configuration (no folder, no database, no Redis).</summary>
    private static async Task<(int Code, string Output)> DecryptAsync(string[] arguments, Dictionary<string, string?> configuration)
    {
        using var output = new StringWriter();
        var code = await BackupCommandLine.InvokeAsync(["decrypt", .. arguments], configuration, output);
        return (code, output.ToString());
    }

    private static void AssertOneErrorLine(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Single(lines, l => l.StartsWith("error:", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("at ", StringComparison.Ordinal) || l.Contains("Exception", StringComparison.Ordinal));
    }

    private static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>The fenced block between <c>&lt;!-- name --&gt;</c> and <c>&lt;!-- /name --&gt;</c> in SmsBridge.Backup/README.md.</summary>
    private static string ReadmeBlock(string name)
    {
        var readme = Repo.Read("SmsBridge.Backup/README.md");
        var start = readme.IndexOf($"<!-- {name} -->", StringComparison.Ordinal);
        var end = readme.IndexOf($"<!-- /{name} -->", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, $"README has a {name} block");
        var block = readme[start..end].Split('\n');
        var fence = Array.FindIndex(block, l => l.StartsWith("```", StringComparison.Ordinal));
        var close = Array.FindLastIndex(block, l => l.StartsWith("```", StringComparison.Ordinal));
        return string.Join('\n', block[(fence + 1)..close]) + "\n";
    }
}
