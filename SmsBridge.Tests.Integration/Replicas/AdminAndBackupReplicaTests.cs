using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using SmsBridge.Tests.Admin;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Replicas;

/// <summary>
/// Two admin instances and two backup workers on one database: a monitoring port lives in the instance that opened it and
/// outlives a restart of the other (whose start-up reconciliation and heartbeats leave a live instance's openings alone),
/// and is closed as reconcile by the survivor once its own instance is killed; each scheduled backup slot runs once.
/// </summary>
[Collection(ReplicaGraphCollection.Name)]
public sealed class AdminAndBackupReplicaTests(ReplicaGraphFixture graph)
{
    [Fact]
    public async Task A_port_opened_on_one_admin_instance_survives_a_restart_of_the_other_and_closes_when_its_own_dies()
    {
        var admins = await graph.ReplicasAsync("admin");
        Assert.Equal(2, admins.Count);
        var (owner, other) = (admins[0], admins[1]);
        using var ownerApi = graph.AdminOf(owner);
        using var otherApi = graph.AdminOf(other);
        await AdminTestKit.UseFreeMonitoringPortsAsync(ownerApi);

        using var opened = await ownerApi.PostAsJsonAsync("/admin/monitoring/open-port", new { service = "redis", duration_minutes = 15 });
        var opening = await AdminTestKit.JsonAsync(opened, HttpStatusCode.OK);
        var port = opening.GetProperty("external_port").GetInt32();
        var id = await graph.Flow.ScalarAsync<long>("SELECT id FROM monitoring_port_openings WHERE service = 'redis' AND closed_at IS NULL");
        using (var twice = await otherApi.PostAsJsonAsync("/admin/monitoring/open-port", new { service = "redis", duration_minutes = 15 }))
        {
            await AdminTestKit.ProblemAsync(twice, HttpStatusCode.Conflict, "PORT_ALREADY_OPEN");
        }

        await graph.RestartAsync(other);
        using (var restarted = graph.AdminOf((await graph.ReplicasAsync("admin")).Single(r => r.Id == other.Id))) // a new process, a new port
        using (var health = await restarted.GetAsync("/health"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        await Task.Delay(4 * ReplicaGraphFixture.AdminHeartbeat); // its start-up reconciliation and a few heartbeats have run

        Assert.Null(await graph.Flow.ScalarAsync<DateTime?>("SELECT closed_at FROM monitoring_port_openings WHERE id = $1", id));
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(IPAddress.Loopback, port); // the owner still forwards
        }

        using (var owners = System.Diagnostics.Process.GetProcessById(owner.ProcessId)) owners.Kill();
        try
        {
            await Eventually.TrueAsync(async () =>
                    await graph.Flow.ScalarAsync<string>("SELECT close_reason FROM monitoring_port_openings WHERE id = $1", id) == "reconcile",
                TimeSpan.FromSeconds(30), "the dead owner's opening closed as reconcile by the live instance");
        }
        finally
        {
            await graph.RestartAsync(owner);
        }

        var audit = await AdminTestKit.AuditAsync(graph.Flow.Database, "monitoring.port_reconciled");
        Assert.Contains(audit, a => a.Details.Contains($"\"opening_id\": {id}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_backup_workers_run_each_scheduled_slot_once()
    {
        // The schedule is every minute from the graph's start; wait for a slot whose backup has finished.
        await Eventually.TrueAsync(async () => await graph.Flow.ScalarAsync<long>("""
                SELECT count(*) FROM backup_slots s
                WHERE EXISTS (SELECT 1 FROM backups b WHERE b.kind = 'scheduled' AND b.finished_at IS NOT NULL AND b.started_at >= s.slot)
                """) >= 1,
            TimeSpan.FromSeconds(150), "a scheduled slot run to the end");

        // Never two backups for one slot. (A slot whose claimer finds a backup still running is skipped, as with one worker.)
        var twice = await graph.Flow.ScalarAsync<long>("""
            SELECT count(*) FROM backup_slots s
            WHERE (SELECT count(*) FROM backups b
                   WHERE b.kind = 'scheduled' AND b.started_at >= s.slot AND b.started_at < s.slot + interval '1 minute') > 1
            """);
        Assert.Equal(0, twice);
        Assert.Contains("is taken by another backup worker", await graph.App.LogTailAsync("backup", 2000), StringComparison.Ordinal);
    }
}
