using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SmsBridge.Admin.Auditing;
using SmsBridge.Admin.Backups;
using SmsBridge.Admin.Doctor;
using SmsBridge.Admin.Monitoring;
using SmsBridge.Data.Audit;
using SmsBridge.Tests.Deploy;

namespace SmsBridge.Tests.Doctor;

/// <summary>
/// doctor's checks over what the database records, on a real PostgreSQL with the schema: backups (a stale one fails, a
/// fresh one passes; the off-site copy; free disk) and monitoring ports (past expiry, opened without an audit row).
/// </summary>
public sealed class RecordCheckTests(ProductionPostgres postgres) : IClassFixture<ProductionPostgres>, IAsyncLifetime
{
    private NpgsqlDataSource _db = null!;

    public Task InitializeAsync()
    {
        _db = NpgsqlDataSource.Create(postgres.Connection("smsbridge_app", ProductionPostgres.AppPassword));
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static CheckResult Result(IReadOnlyList<CheckResult> results, string id) => Assert.Single(results, r => r.Id == id);

    private async Task ExecuteAsync(string sql, params object[] parameters)
    {
        await using var command = _db.CreateCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(new NpgsqlParameter { Value = p });
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A 1 MiB backup finished, verified and copied off-site at <paramref name="at"/>.</summary>
    private Task InsertVerifiedBackupAsync(string id, DateTime at) => ExecuteAsync("""
        INSERT INTO backups (id, kind, status, started_at, finished_at, verified_at, size_bytes, offsite)
        VALUES ($1, 'scheduled', 'verified', $2, $2, $2, 1048576, 'offsite:/' || $1)
        """, id, at);

    [Fact]
    public async Task A_stale_backup_fails_a_fresh_verified_one_passes_and_the_off_site_copy_and_disk_are_checked()
    {
        await ExecuteAsync("DELETE FROM backups");
        var backups = new BackupService(_db, new AdminChanges(_db, TimeProvider.System), TimeProvider.System);
        var folder = Directory.CreateTempSubdirectory("smsbridge-doctor-backups-").FullName;
        var options = new DoctorOptions { BackupDirectory = folder };
        try
        {
            var none = await new BackupChecks(backups, options, TimeProvider.System).RunAsync(CancellationToken.None);
            Assert.Equal(CheckStatus.Fail, Result(none, "backups.verified").Status);

            var stale = DateTime.UtcNow.AddDays(-3);
            await InsertVerifiedBackupAsync("stale", stale);
            var old = await new BackupChecks(backups, options, TimeProvider.System).RunAsync(CancellationToken.None);
            Assert.Equal(CheckStatus.Fail, Result(old, "backups.verified").Status);
            Assert.Contains("old", Result(old, "backups.verified").Evidence, StringComparison.Ordinal);
            Assert.Equal(CheckStatus.Warn, Result(old, "backups.offsite").Status);

            var fresh = DateTime.UtcNow.AddHours(-2);
            await InsertVerifiedBackupAsync("fresh", fresh);
            var good = await new BackupChecks(backups, options, TimeProvider.System).RunAsync(CancellationToken.None);
            Assert.All(good, r => Assert.Equal(CheckStatus.Pass, r.Status));

            var blind = await new BackupChecks(backups, new DoctorOptions(), TimeProvider.System).RunAsync(CancellationToken.None);
            Assert.Equal(CheckStatus.Warn, Result(blind, "backups.disk").Status);
            await ExecuteAsync("UPDATE backups SET size_bytes = 9223372036854775807 / 4 WHERE id = 'fresh'"); // more than any disk has
            var full = await new BackupChecks(backups, options, TimeProvider.System).RunAsync(CancellationToken.None);
            Assert.Equal(CheckStatus.Fail, Result(full, "backups.disk").Status);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
            await ExecuteAsync("DELETE FROM backups");
        }
    }

    [Fact]
    public async Task A_port_open_past_its_expiry_or_without_its_audit_row_fails_and_passes_once_closed()
    {
        var store = new PortOpeningStore(_db);
        var checks = new MonitoringPortChecks(store, TimeProvider.System);
        Assert.All(await checks.RunAsync(CancellationToken.None), r => Assert.Equal(CheckStatus.Pass, r.Status));

        // As a forwarder that never closed would leave it, opened (as far as the trail knows) by nobody.
        var openedAt = DateTime.UtcNow.AddHours(-2);
        await ExecuteAsync("""
            INSERT INTO monitoring_port_openings (service, external_port, bind_address, opened_by, opened_at, duration_minutes, expires_at)
            VALUES ('redis', 46379, '0.0.0.0', 'admin', $1, 60, $2)
            """, openedAt, openedAt.AddMinutes(60));
        var stuck = await checks.RunAsync(CancellationToken.None);
        Assert.Equal(CheckStatus.Fail, Result(stuck, "ports.expiry").Status);
        Assert.Contains("redis on 46379", Result(stuck, "ports.expiry").Evidence, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Fail, Result(stuck, "ports.audited").Status);

        await ExecuteAsync("""
            INSERT INTO audit_events (occurred_at, event_type, actor, subject, details)
            VALUES ($1, 'monitoring.port_opened', 'admin', 'redis', '{"external_port": 46379}')
            """, openedAt);
        Assert.Equal(CheckStatus.Pass, Result(await checks.RunAsync(CancellationToken.None), "ports.audited").Status);

        await ExecuteAsync("UPDATE monitoring_port_openings SET closed_at = now(), close_reason = 'user', closed_by = 'admin' WHERE closed_at IS NULL");
        Assert.All(await checks.RunAsync(CancellationToken.None), r => Assert.Equal(CheckStatus.Pass, r.Status));
    }

    [Fact]
    public async Task The_stored_run_is_what_the_monitoring_kits_exporter_query_reads_as_the_backup_role()
    {
        var stored = new DoctorResults(_db);
        await stored.SaveAsync(new DoctorReport(DateTimeOffset.UtcNow, [CheckResult.Pass("tls.expiry", "ok"), CheckResult.Fail("ports.expiry", "open", "close")]),
            CancellationToken.None);
        await stored.SaveAsync(new DoctorReport(DateTimeOffset.UtcNow, [CheckResult.Warn("ports.expiry", "late", "close")]), CancellationToken.None);

        var queries = Yaml.Load(Repo.Read("deploy/monitoring/postgres-exporter/queries.yaml"));
        var sql = (string)((Dictionary<object, object>)queries["smsbridge_doctor_check"])["query"];
        await using var reader = NpgsqlDataSource.Create(postgres.Connection("smsbridge_backup", ProductionPostgres.BackupPassword));
        await using var command = reader.CreateCommand(sql);
        await using var rows = await command.ExecuteReaderAsync();
        var exported = new List<(string, short)>();
        while (await rows.ReadAsync()) exported.Add((rows.GetString(0), rows.GetInt16(1)));
        Assert.Equal([("ports.expiry", (short)1)], exported); // the newest run replaced the one before
    }

    [Fact]
    public async Task A_default_short_or_absent_secret_of_the_admin_service_fails_and_generated_ones_pass()
    {
        static IConfiguration With(string? password) => new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Secrets:AdminPassword"] = password,
                ["ConnectionStrings:smsbridge"] = "Host=pgbouncer;Username=smsbridge_app;Password=Zq8Lm2Nx5Bv7Cc1Dd4Ee6Ff;Database=smsbridge",
                ["ConnectionStrings:cache"] = "cache:6379,password=Zq8Lm2Nx5Bv7Cc1Dd4Ee6Ff",
            }).Build();

        var absent = Result(await new SecretChecks(With(null), _db, TimeProvider.System).RunAsync(CancellationToken.None), "secrets.weak");
        Assert.Equal(CheckStatus.Fail, absent.Status);
        Assert.Equal("Secrets__AdminPassword is missing", absent.Evidence);

        var weak = Result(await new SecretChecks(With("admin"), _db, TimeProvider.System).RunAsync(CancellationToken.None), "secrets.weak");
        Assert.Equal(CheckStatus.Fail, weak.Status);
        Assert.Contains("Secrets__AdminPassword", weak.Evidence, StringComparison.Ordinal);
        Assert.DoesNotContain("admin\"", weak.Evidence, StringComparison.Ordinal); // names the setting, never the value
        var strong = Result(await new SecretChecks(With("q7Vf2LmX9sTc4RwB8nYh3KdJ"), _db, TimeProvider.System).RunAsync(CancellationToken.None), "secrets.weak");
        Assert.Equal(CheckStatus.Pass, strong.Status);
    }

    [Fact]
    public async Task The_webhook_secrets_age_comes_from_its_first_use_and_warns_after_a_year()
    {
        await ExecuteAsync("DELETE FROM secret_fingerprints");
        var config = new ConfigurationBuilder().Build();
        CheckResult AgeOf(IReadOnlyList<CheckResult> results) => Result(results, "secrets.webhook_age");

        Assert.Equal(CheckStatus.Warn, AgeOf(await new SecretChecks(config, _db, TimeProvider.System).RunAsync(CancellationToken.None)).Status);
        await ExecuteAsync("INSERT INTO secret_fingerprints VALUES ('webhook-secret', 'old', $1)", DateTime.UtcNow.AddDays(-400));
        var old = AgeOf(await new SecretChecks(config, _db, TimeProvider.System).RunAsync(CancellationToken.None));
        Assert.Equal(CheckStatus.Warn, old.Status);
        Assert.Contains("400 days", old.Evidence, StringComparison.Ordinal);
        await ExecuteAsync("INSERT INTO secret_fingerprints VALUES ('webhook-secret', 'rotated', $1)", DateTime.UtcNow.AddDays(-10));
        Assert.Equal(CheckStatus.Pass, AgeOf(await new SecretChecks(config, _db, TimeProvider.System).RunAsync(CancellationToken.None)).Status);
        await ExecuteAsync("DELETE FROM secret_fingerprints");
    }
}
