using SmsBridge.Backup.Artefacts;
using SmsBridge.Backup.Configuration;
using SmsBridge.Backup.Restoring;
using SmsBridge.Backup.Running;

namespace SmsBridge.Tests.Backups;

/// <summary>Off-site copies through rclone to a real remote (WebDAV served by rclone on loopback), configured by an rclone.conf.</summary>
[Collection(BackupGraphCollection.Name)]
public sealed class RcloneOffsiteTests(BackupGraphFixture graph)
{
    private const string RemotePath = "smsbridge";

    [Fact]
    public async Task A_verified_backup_lands_on_the_rclone_remote_retention_applies_there_and_a_copy_fetched_back_restores()
    {
        await using var webdav = await RcloneWebDav.StartAsync();
        // Older copies already on the remote, put there through it as earlier runs would have: ten days in January 2020.
        var old = Enumerable.Range(1, 10).Select(d => $"202001{d:00}T060000Z-00{d:00}").ToList();
        foreach (var id in old)
        {
            var touch = await webdav.RcloneAsync("touch", $"{RcloneWebDav.Remote}:{RemotePath}/{id}/{BackupStore.ManifestFile}");
            Assert.True(touch.ExitCode == 0, touch.All);
        }

        var secrets = Directory.CreateTempSubdirectory("smsbridge-rclone-conf-").FullName;
        try
        {
            var config = await webdav.WriteConfigFileAsync(secrets);
            await using var services = graph.CreateServices(c =>
            {
                c["Backup:Offsite:RcloneRemote"] = $"{RcloneWebDav.Remote}:{RemotePath}";
                c["Backup:Offsite:RcloneConfig"] = config;
            });
            await BackupTestData.SeedAsync(graph.OwnerConnection, "r71", 12);
            var backup = await BackupServices.WhenLockFreeAsync(() => services.Get<BackupRunner>().RunAsync("manual", ProgressLines.None, CancellationToken.None));
            Assert.True(backup.Verified, backup.Error);
            var atBackup = await BackupTestData.ChecksumsAsync(graph.OwnerConnection);
            Assert.Equal($"rclone:{RcloneWebDav.Remote}:{RemotePath}/{backup.Id}", backup.Offsite);
            Assert.Equal(backup.Offsite, await BackupTestData.ScalarAsync<string>(graph.AppConnection, "SELECT offsite FROM backups WHERE id = $1", backup.Id));

            // What the far side stores is byte for byte the local backup (ciphertext and manifest only).
            var local = services.Get<BackupStore>().PathOf(backup.Id);
            var landed = Path.Combine(webdav.Folder, RemotePath, backup.Id);
            Assert.Equal(Directory.GetFiles(local).Select(Path.GetFileName).Order(StringComparer.Ordinal),
                Directory.GetFiles(landed).Select(Path.GetFileName).Order(StringComparer.Ordinal));
            foreach (var file in Directory.GetFiles(local))
            {
                Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(Path.Combine(landed, Path.GetFileName(file))));
            }

            // GFS on the remote, as listed through rclone: 7 days with backups, 4 ISO weeks, 3 months; January 1-4 were purged.
            Assert.Equal([.. old.Skip(4), backup.Id], await webdav.ListFoldersAsync(RemotePath));

            // The days after: the data changes.
            await BackupTestData.ChurnAsync(graph.OwnerConnection, "r71");
            await BackupTestData.SeedAsync(graph.OwnerConnection, "r72", 3);
            Assert.NotEqual(atBackup, await BackupTestData.ChecksumsAsync(graph.OwnerConnection));

            // A new machine with only the key: fetch the copy back with rclone, restore it.
            await using var fromRemote = graph.CreateServices(c => c["Secrets:BackupEncryptionKey"] = services.Configuration["Secrets:BackupEncryptionKey"]);
            var fetch = await webdav.RcloneAsync("copy", $"{RcloneWebDav.Remote}:{RemotePath}/{backup.Id}", Path.Combine(fromRemote.Directory, backup.Id));
            Assert.True(fetch.ExitCode == 0, fetch.All);
            var target = fromRemote.Get<BackupConnections>().RestoreTarget("smsbridge");
            var restored = await BackupServices.WhenLockFreeAsync(() =>
                fromRemote.Get<BackupRestorer>().RestoreAsync(backup.Id, target, ProgressLines.None, CancellationToken.None));
            Assert.Equal(backup.Id, restored.BackupId);
            Assert.Equal(atBackup, await BackupTestData.ChecksumsAsync(graph.OwnerConnection));
            Assert.Equal(0, await BackupTestData.MarkerCountAsync(graph.OwnerConnection, "r72"));
            Assert.Equal(1, await BackupTestData.MarkerCountAsync(graph.OwnerConnection, "r71"));
        }
        finally
        {
            Directory.Delete(secrets, recursive: true);
        }
    }
}
