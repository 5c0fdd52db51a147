using System.Security.Cryptography;
using System.Text.Json;
using SmsBridge.Backup.Artefacts;
using SmsBridge.Backup.Configuration;
using SmsBridge.Backup.Restoring;
using SmsBridge.Backup.Running;

namespace SmsBridge.Tests.Backups;

[Collection(BackupGraphCollection.Name)]
public sealed class TamperingTests(BackupGraphFixture graph)
{
    [Fact]
    public async Task A_corrupted_byte_or_a_wrong_key_fails_verification_clearly_and_restores_nothing()
    {
        var (services, backup, _) = await graph.SharedBackupAsync();
        await BackupTestData.ExecuteAsync(graph.OwnerConnection, "INSERT INTO blacklist (mobile_number, reason, created_by) VALUES ('+447700999999', 'after', 'test')");
        var before = await BackupTestData.ChecksumsAsync(graph.OwnerConnection);
        var backupsBefore = await CountBackupsAsync();

        // 1. One flipped byte in the middle of the dump: the manifest's SHA-256 catches it.
        await using (var corrupt = Copy(services, backup.Id, c => { }))
        {
            var dump = Path.Combine(corrupt.Get<BackupStore>().PathOf(backup.Id), "postgres.dump.enc");
            FlipByte(dump);
            await AssertRejectedAsync(corrupt, backup.Id, "SHA-256 of postgres.dump.enc does not match the manifest");
        }

        // 2. The same flip with the manifest's hash "fixed" up: AES-GCM's tag still catches it.
        await using (var tampered = Copy(services, backup.Id, c => { }))
        {
            var folder = tampered.Get<BackupStore>().PathOf(backup.Id);
            var dump = Path.Combine(folder, "postgres.dump.enc");
            FlipByte(dump);
            var manifest = tampered.Get<BackupStore>().ReadManifest(backup.Id);
            var entry = manifest.Artefact("postgres.dump")!;
            manifest.Artefacts[manifest.Artefacts.IndexOf(entry)] = entry with { Sha256 = Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(dump))) };
            File.WriteAllText(Path.Combine(folder, BackupStore.ManifestFile), JsonSerializer.Serialize(manifest, BackupManifest.Json));
            await AssertRejectedAsync(tampered, backup.Id, "postgres.dump is corrupt or was tampered with");
        }

        // 3. The right files, the wrong key.
        await using (var wrongKey = Copy(services, backup.Id,
            c => c["Secrets:BackupEncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))))
        {
            await AssertRejectedAsync(wrongKey, backup.Id, "was encrypted with a different key");
        }

        Assert.Equal(before, await BackupTestData.ChecksumsAsync(graph.OwnerConnection));
        Assert.Equal(backupsBefore, await CountBackupsAsync());
    }

    private static async Task AssertRejectedAsync(BackupServices services, string id, string message)
    {
        var verification = await BackupServices.WhenLockFreeAsync(() =>
            services.Get<BackupVerification>().VerifyAsync(id, ProgressLines.None, CancellationToken.None));
        Assert.False(verification.Verified);
        Assert.Contains(message, verification.Error, StringComparison.Ordinal);

        var target = services.Get<BackupConnections>().RestoreTarget("smsbridge");
        var error = await Assert.ThrowsAnyAsync<Exception>(() => BackupServices.WhenLockFreeAsync(() =>
            services.Get<BackupRestorer>().RestoreAsync(id, target, ProgressLines.None, CancellationToken.None)));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    /// <summary>A copy of the backup in a folder of its own, with its own services (and possibly another key).</summary>
    private BackupServices Copy(BackupServices original, string id, Action<Dictionary<string, string?>> configure)
    {
        var copy = graph.CreateServices(c =>
        {
            c["Secrets:BackupEncryptionKey"] = original.Configuration["Secrets:BackupEncryptionKey"];
            configure(c);
        });
        var source = original.Get<BackupStore>().PathOf(id);
        var destination = copy.Get<BackupStore>().PathOf(id);
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.GetFiles(source)) File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        File.Delete(Path.Combine(destination, BackupStore.VerificationFile));
        return copy;
    }

    private static void FlipByte(string path)
    {
        var bytes = File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(path, bytes);
    }

    private Task<long> CountBackupsAsync() => BackupTestData.ScalarAsync<long>(graph.AppConnection, "SELECT count(*) FROM backups");
}
