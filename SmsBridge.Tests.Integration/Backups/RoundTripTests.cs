using SmsBridge.Backup.Artefacts;
using SmsBridge.Backup.Configuration;
using SmsBridge.Backup.Restoring;
using SmsBridge.Backup.Running;

namespace SmsBridge.Tests.Backups;

[Collection(BackupGraphCollection.Name)]
public sealed class RoundTripTests(BackupGraphFixture graph)
{
    [Fact]
    public async Task Each_of_several_backups_restores_the_data_exactly_as_it_was_when_taken()
    {
        await using var services = graph.CreateServices(c => c["Backup:Retention:Last"] = "10");
        var runner = services.Get<BackupRunner>();
        var taken = new List<(string Id, string Tag, Dictionary<string, string> Checksums)>();
        string[] tags = ["101", "202", "303"];

        foreach (var tag in tags)
        {
            await BackupTestData.SeedAsync(graph.OwnerConnection, tag, 30);
            var backup = await BackupServices.WhenLockFreeAsync(() => runner.RunAsync("manual", ProgressLines.None, CancellationToken.None));
            Assert.True(backup.Verified, backup.Error);
            taken.Add((backup.Id, tag, await BackupTestData.ChecksumsAsync(graph.OwnerConnection)));
            await BackupTestData.ChurnAsync(graph.OwnerConnection, tag);
        }

        var changed = await BackupTestData.ChecksumsAsync(graph.OwnerConnection);
        Assert.All(taken, t => Assert.NotEqual(t.Checksums, changed));

        var restorer = services.Get<BackupRestorer>();
        var target = services.Get<BackupConnections>().RestoreTarget("smsbridge");
        foreach (var (id, tag, checksums) in new[] { taken[1], taken[0], taken[2] })
        {
            var restored = await BackupServices.WhenLockFreeAsync(() => restorer.RestoreAsync(id, target, ProgressLines.None, CancellationToken.None));

            Assert.Equal(checksums, await BackupTestData.ChecksumsAsync(graph.OwnerConnection));
            foreach (var other in tags)
            {
                var expected = string.CompareOrdinal(other, tag) <= 0 ? 1 : 0;
                Assert.Equal(expected, await BackupTestData.MarkerCountAsync(graph.OwnerConnection, other));
            }

            Assert.True(services.Get<BackupStore>().Exists(restored.SafetyBackupId), "a safety backup was taken before the restore");
            Assert.NotNull(restored.RedisRdb);
            Assert.True(File.Exists(restored.RedisRdb));
        }

        // The restore brought back an older catalogue table; it was rebuilt from the folder.
        var catalogued = await BackupTestData.ScalarAsync<long>(graph.AppConnection,
            "SELECT count(*) FROM backups WHERE id = ANY($1) AND status = 'verified'", (object)taken.Select(t => t.Id).ToArray());
        Assert.Equal(3, catalogued);
    }
}
