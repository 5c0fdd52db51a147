using System.Text.Json;
using Npgsql;
using SmsBridge.Backup.Artefacts;
using SmsBridge.Backup.Configuration;
using SmsBridge.Backup.Dumping;
using SmsBridge.Backup.Restoring;
using SmsBridge.Backup.Running;
using SmsBridge.Backup.Verification;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Backups;

/// <summary>
/// The checks compare what the dump promises (counts and fingerprints taken in the dump's own snapshot, stored in the
/// manifest), never the live database: writes that go on during a backup or right after a restore are no mismatch,
/// and a dump that does not hold what its manifest promises still is one.
/// </summary>
[Collection(BackupGraphCollection.Name)]
public sealed class SnapshotConsistencyTests(BackupGraphFixture graph)
{
    [Fact]
    public async Task Rows_inserted_all_through_a_backup_and_its_restore_cause_no_false_mismatch()
    {
        await using var services = graph.CreateServices();
        await using var writer = new ContinuousWriter(graph.AppConnection);
        await writer.WaitForMoreAsync(20);

        var before = writer.Inserted;
        var backup = await BackupServices.WhenLockFreeAsync(() => services.Get<BackupRunner>().RunAsync("manual", ProgressLines.None, CancellationToken.None));
        Assert.True(backup.Verified, backup.Error);
        Assert.True(writer.Inserted > before, "rows were inserted while the backup was taken and verified");

        // The snapshot holds some of the writer's rows, and the live table has more by now.
        var promised = Rows(services.Get<BackupStore>().ReadManifest(backup.Id), "public.audit_events");
        Assert.True(await AuditRowsAsync() > promised, "the live table moved on after the snapshot");

        // Restore while the writer keeps going: it is blocked while the restore's transaction holds the tables and
        // writes again the moment it commits; the check inside that transaction is not disturbed by it.
        var restoreStarted = writer.Inserted;
        var lines = new List<string>();
        var restored = await BackupServices.WhenLockFreeAsync(() => services.Get<BackupRestorer>().RestoreAsync(backup.Id,
            services.Get<BackupConnections>().RestoreTarget("smsbridge"), new LineCollector(lines), CancellationToken.None));
        Assert.Equal(backup.Id, restored.BackupId);
        Assert.Contains(lines, l => l.Contains("tables of smsbridge matched backup", StringComparison.Ordinal));

        await writer.WaitForMoreAsync(10);
        Assert.True(writer.Inserted > restoreStarted, "the writer kept writing through the restore");
        Assert.True(await AuditRowsAsync() > promised, "rows written after the restore committed are in the live table");
    }

    [Fact]
    public async Task A_dump_that_does_not_hold_what_its_manifest_promises_fails_verification_and_its_restore_rolls_back()
    {
        // Both backups are kept (plain GFS would keep only the day's newest).
        await using var services = graph.CreateServices(c => c["Backup:Retention:Last"] = "2");
        var store = services.Get<BackupStore>();
        var runner = services.Get<BackupRunner>();
        var first = await BackupServices.WhenLockFreeAsync(() => runner.RunAsync("manual", ProgressLines.None, CancellationToken.None));
        Assert.True(first.Verified, first.Error);
        await BackupTestData.SeedAsync(graph.OwnerConnection, "m44", 7);
        var second = await BackupServices.WhenLockFreeAsync(() => runner.RunAsync("manual", ProgressLines.None, CancellationToken.None));
        Assert.True(second.Verified, second.Error);

        // The first backup's manifest over the second backup's (authentic, intact) dump: files and hashes agree, the rows do not.
        await using var mixed = graph.CreateServices(c => c["Secrets:BackupEncryptionKey"] = services.Configuration["Secrets:BackupEncryptionKey"]);
        var folder = mixed.Get<BackupStore>().PathOf(first.Id);
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(store.PathOf(first.Id)).Where(f => !f.EndsWith(BackupStore.VerificationFile, StringComparison.Ordinal)))
        {
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        }

        File.Copy(Path.Combine(store.PathOf(second.Id), "postgres.dump.enc"), Path.Combine(folder, "postgres.dump.enc"), overwrite: true);
        var manifest = store.ReadManifest(first.Id);
        var dump = manifest.Artefact(BackupVerifier.PostgresArtefact)!;
        manifest.Artefacts[manifest.Artefacts.IndexOf(dump)] = store.ReadManifest(second.Id).Artefact(BackupVerifier.PostgresArtefact)!;
        File.WriteAllText(Path.Combine(folder, BackupStore.ManifestFile), JsonSerializer.Serialize(manifest, BackupManifest.Json));
        var expectedRows = Rows(manifest, "public.blacklist");

        var verification = await BackupServices.WhenLockFreeAsync(() =>
            mixed.Get<BackupVerification>().VerifyAsync(first.Id, ProgressLines.None, CancellationToken.None));
        Assert.False(verification.Verified);
        Assert.Contains($"table public.blacklist has {expectedRows + 7} rows, expected {expectedRows}", verification.Error, StringComparison.Ordinal);

        var live = await BackupTestData.ChecksumsAsync(graph.OwnerConnection);
        var error = await Assert.ThrowsAsync<BackupFailedException>(() => BackupServices.WhenLockFreeAsync(() => mixed.Get<BackupRestorer>()
            .RestoreAsync(first.Id, mixed.Get<BackupConnections>().RestoreTarget("smsbridge"), ProgressLines.None, CancellationToken.None)));
        Assert.Contains($"does not match backup {first.Id}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains($"table public.blacklist has {expectedRows + 7} rows, expected {expectedRows}", error.Message, StringComparison.Ordinal);
        Assert.Contains("rolled back", error.Message, StringComparison.Ordinal);
        Assert.Equal(live, await BackupTestData.ChecksumsAsync(graph.OwnerConnection));
        Assert.Equal(1, await BackupTestData.MarkerCountAsync(graph.OwnerConnection, "m44"));
    }

    private static long Rows(BackupManifest manifest, string table) => manifest.Database!.Tables.Single(t => t.Table == table).Rows;

    private Task<long> AuditRowsAsync() => BackupTestData.ScalarAsync<long>(graph.OwnerConnection, "SELECT count(*) FROM audit_events");

    private sealed class LineCollector(List<string> lines) : IProgress<string>
    {
        public void Report(string value)
        {
            lock (lines) lines.Add(value);
        }
    }

    /// <summary>
    /// Inserts audit rows as the app role, as the services do, one after another until disposed. An insert that fails
    /// while a restore replaces the table is retried; only inserts that committed are counted.
    /// </summary>
    private sealed class ContinuousWriter : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;
        private long _inserted;

        public ContinuousWriter(string connectionString) => _loop = Task.Run(() => LoopAsync(connectionString, _stop.Token));

        public long Inserted => Interlocked.Read(ref _inserted);

        public async Task WaitForMoreAsync(long rows)
        {
            var target = Inserted + rows;
            await Eventually.TrueAsync(() => Task.FromResult(Inserted >= target || _loop.IsFaulted), TimeSpan.FromMinutes(1), $"{rows} more inserts");
            if (_loop.IsFaulted) await _loop;
        }

        private async Task LoopAsync(string connectionString, CancellationToken stop)
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await using var connection = new NpgsqlConnection(connectionString);
                    await connection.OpenAsync(stop);
                    while (!stop.IsCancellationRequested)
                    {
                        await using var insert = new NpgsqlCommand(
                            "INSERT INTO audit_events (occurred_at, event_type, actor, subject, details) VALUES (now(), 'backup.concurrent', 'writer', 'w', '{}')",
                            connection);
                        await insert.ExecuteNonQueryAsync(stop);
                        Interlocked.Increment(ref _inserted);
                        // Paced like a busy service rather than a benchmark: the machine is shared.
                        await Task.Delay(5, stop);
                    }
                }
                catch (Exception ex) when (ex is NpgsqlException && !stop.IsCancellationRequested)
                {
                    // The table was dropped and recreated under us by the restore: a new connection, and on.
                    await Task.Delay(20, CancellationToken.None);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try
            {
                await _loop;
            }
            catch (NpgsqlException) when (_stop.IsCancellationRequested)
            {
                // Cancelled mid-command.
            }

            _stop.Dispose();
        }
    }
}
