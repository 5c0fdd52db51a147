using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;

namespace SmsBridge.Tests.Backups;

/// <summary>
/// The schedule end to end, in a graph of its own: the backup worker process, told only "every minute" and an rclone
/// remote in its environment (as an operator configures it), takes a backup by itself on its own clock, verifies it,
/// copies it off-site and reports it in the catalogue, its health check and its metrics. Nothing asks it to.
/// </summary>
[LongRunning] // waits for the schedule's next minute
public sealed partial class ScheduledBackupTests
{
    private const string RemotePath = "scheduled";

    [Fact]
    public async Task On_a_one_minute_schedule_the_worker_takes_verifies_and_copies_off_site_a_backup_by_itself()
    {
        await using var webdav = await RcloneWebDav.StartAsync();
        await using var app = await TestGraph.StartAsync(builder =>
        {
            var backup = builder.Project("backup")
                .WithEnvironment("Backup__Schedule", "* * * * *")
                .WithEnvironment("Backup__Offsite__RcloneRemote", $"{RcloneWebDav.Remote}:{RemotePath}");
            foreach (var (name, value) in webdav.RemoteEnvironment()) backup.WithEnvironment(name, value);
        });
        var catalogue = (await app.GetConnectionStringAsync("smsbridge"))!;

        // The first slot is at most a minute away; a backup with its verification takes seconds.
        (string Id, string Status, string? Offsite, string? Location, string? Error) run = default;
        await Eventually.TrueAsync(async () =>
        {
            await using var connection = new NpgsqlConnection(catalogue);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT id, status, offsite, location, error FROM backups WHERE kind = 'scheduled' AND status IN ('verified', 'failed') ORDER BY started_at LIMIT 1",
                connection);
            await using var reader = await command.ExecuteReaderAsync();
            if (!await reader.ReadAsync()) return false;
            run = (reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4));
            // The off-site copy follows the verification; its place is recorded once it is there.
            return run.Status == "failed" || run.Offsite is not null;
        }, TimeSpan.FromMinutes(3), "a scheduled backup to be verified and copied off-site");

        Assert.True(run.Status == "verified", $"the scheduled backup {run.Id} failed: {run.Error}");
        Assert.Equal(0, await BackupTestData.ScalarAsync<long>(catalogue, "SELECT count(*) FROM backup_requests"));

        // Its slot, a whole minute, was claimed by the worker before it ran.
        var slot = await BackupTestData.ScalarAsync<DateTime>(catalogue, "SELECT slot FROM backup_slots ORDER BY slot LIMIT 1");
        Assert.Equal(0, slot.Second);
        Assert.Equal(run.Id![..13], slot.ToString("yyyyMMdd'T'HHmm", CultureInfo.InvariantCulture));

        // On disk where the worker keeps backups, and on the remote.
        Assert.True(File.Exists(Path.Combine(run.Location!, "manifest.json")), $"{run.Location} holds the backup");
        Assert.Equal($"rclone:{RcloneWebDav.Remote}:{RemotePath}/{run.Id}", run.Offsite);
        Assert.Equal(File.ReadAllBytes(Path.Combine(run.Location!, "postgres.dump.enc")),
            File.ReadAllBytes(Path.Combine(webdav.Folder, RemotePath, run.Id, "postgres.dump.enc")));
        Assert.Contains(run.Id, await webdav.ListFoldersAsync(RemotePath));
        using (var verification = JsonDocument.Parse(File.ReadAllText(Path.Combine(run.Location!, "verification.json"))))
        {
            Assert.True(verification.RootElement.GetProperty("verified").GetBoolean());
        }

        // Health and metrics of the worker process say so.
        using var client = app.CreateHttpClient("backup", "http");
        using (var health = JsonDocument.Parse(await client.GetStringAsync(new Uri("/health", UriKind.Relative))))
        {
            Assert.Equal("healthy", health.RootElement.GetProperty("checks").GetProperty("backups").GetString());
        }

        using var management = app.CreateHttpClient("backup", "management");
        var metrics = await management.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Matches(@"smsbridge_backup_verified\S*\s+1", metrics);
        var lastSuccess = LastSuccess().Match(metrics);
        Assert.True(lastSuccess.Success, "smsbridge_backup_last_success is exported");
        var at = DateTimeOffset.FromUnixTimeSeconds((long)double.Parse(lastSuccess.Groups[1].Value, CultureInfo.InvariantCulture));
        Assert.InRange(at, new DateTimeOffset(DateTime.SpecifyKind(slot, DateTimeKind.Utc)), DateTimeOffset.UtcNow);
    }

    [GeneratedRegex(@"(?m)^smsbridge_backup_last_success\S*\s+([0-9.eE+]+)")]
    private static partial Regex LastSuccess();
}
