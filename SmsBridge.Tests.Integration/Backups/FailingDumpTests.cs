using System.Diagnostics.Metrics;
using Npgsql;
using SmsBridge.Backup.Artefacts;
using SmsBridge.Backup.Monitoring;
using SmsBridge.Backup.Running;

namespace SmsBridge.Tests.Backups;

[Collection(BackupGraphCollection.Name)]
public sealed class FailingDumpTests(BackupGraphFixture graph)
{
    [Fact]
    public async Task A_dump_with_bad_credentials_fails_the_run_raises_the_failure_metric_and_keeps_earlier_backups()
    {
        var (good, earlier, _) = await graph.SharedBackupAsync();
        var earlierFiles = Directory.GetFiles(good.Get<BackupStore>().PathOf(earlier.Id)).ToDictionary(f => f, File.ReadAllBytes);

        // Same folder and key, but the backup role's password is wrong.
        var badCredentials = new NpgsqlConnectionStringBuilder(graph.BackupRoleConnection) { Password = "not-the-password" }.ConnectionString;
        await using var bad = new BackupServices(new Dictionary<string, string?>(good.Configuration)
        {
            ["ConnectionStrings:smsbridge-backup"] = badCredentials,
        }, good.Directory + "-unused");
        var failures = new List<(long Value, string? Stage)>();
        using var listener = new MeterListener();
        var metrics = bad.Get<BackupMetrics>();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == metrics.Meter && instrument.Name == "smsbridge.backup.failures") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            lock (failures) failures.Add((value, tags.ToArray().FirstOrDefault(t => t.Key == "stage").Value as string));
        });
        listener.Start();

        var failed = await BackupServices.WhenLockFreeAsync(() => bad.Get<BackupRunner>().RunAsync("scheduled", ProgressLines.None, CancellationToken.None));

        Assert.False(failed.Verified);
        Assert.Equal("dump", failed.Stage);
        Assert.Contains("password authentication failed", failed.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", failed.Error, StringComparison.Ordinal);
        lock (failures) Assert.Equal([(1L, "dump")], failures);

        Assert.Equal("failed", await BackupTestData.ScalarAsync<string>(graph.AppConnection, "SELECT status FROM backups WHERE id = $1", failed.Id));
        Assert.Equal([earlier.Id], good.Get<BackupStore>().List().Select(b => b.Id));
        Assert.Empty(Directory.GetDirectories(good.Directory, ".partial-*"));
        foreach (var (file, bytes) in earlierFiles) Assert.Equal(bytes, File.ReadAllBytes(file));
        Assert.True(good.Get<BackupStore>().ReadVerification(earlier.Id)!.Verified);
    }
}
