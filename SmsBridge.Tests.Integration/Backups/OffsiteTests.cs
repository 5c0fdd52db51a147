using SmsBridge.Backup.Artefacts;
using SmsBridge.Backup.Running;

namespace SmsBridge.Tests.Backups;

[Collection(BackupGraphCollection.Name)]
public sealed class OffsiteTests(BackupGraphFixture graph)
{
    [Fact]
    public async Task A_verified_backup_is_copied_to_the_offsite_folder_restorable_from_there_and_retention_applies_there_too()
    {
        var offsite = Path.Combine(Path.GetTempPath(), "smsbridge-offsite-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(offsite);
        try
        {
            // Older copies already off-site: ten days in January 2020.
            var old = Enumerable.Range(1, 10).Select(d => $"202001{d:00}T060000Z-00{d:00}").ToList();
            foreach (var id in old) Directory.CreateDirectory(Path.Combine(offsite, id));

            await using var services = graph.CreateServices(c => c["Backup:Offsite:Directory"] = offsite);
            var backup = await BackupServices.WhenLockFreeAsync(() => services.Get<BackupRunner>().RunAsync("manual", ProgressLines.None, CancellationToken.None));
            Assert.True(backup.Verified, backup.Error);
            Assert.Equal("dir:" + Path.Combine(offsite, backup.Id), backup.Offsite);
            Assert.Equal(backup.Offsite, await BackupTestData.ScalarAsync<string>(graph.AppConnection, "SELECT offsite FROM backups WHERE id = $1", backup.Id));

            var local = services.Get<BackupStore>().PathOf(backup.Id);
            foreach (var file in Directory.GetFiles(local))
            {
                Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(offsite, backup.Id, Path.GetFileName(file))));
            }

            // GFS over the off-site copies: 7 days with backups, 4 ISO weeks, 3 months; January 1-4 go.
            string[] kept = [.. old.Skip(4), backup.Id];
            Assert.Equal(kept.Order(StringComparer.Ordinal), Directory.GetDirectories(offsite).Select(Path.GetFileName).Order(StringComparer.Ordinal));

            // The copy alone (another folder, same key) verifies: it is a complete backup.
            await using var fromOffsite = graph.CreateServices(c =>
            {
                c["Backup:Directory"] = offsite;
                c["Secrets:BackupEncryptionKey"] = services.Configuration["Secrets:BackupEncryptionKey"];
            });
            File.Delete(Path.Combine(offsite, backup.Id, BackupStore.VerificationFile));
            var verified = await BackupServices.WhenLockFreeAsync(() =>
                fromOffsite.Get<BackupVerification>().VerifyAsync(backup.Id, ProgressLines.None, CancellationToken.None));
            Assert.True(verified.Verified, verified.Error);
        }
        finally
        {
            if (Directory.Exists(offsite)) Directory.Delete(offsite, recursive: true);
        }
    }
}
