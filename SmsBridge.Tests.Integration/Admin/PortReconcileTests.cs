using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Npgsql;

namespace SmsBridge.Tests.Admin;

/// <summary>Breaks the admin service on purpose (kill -9, restart), so it runs on a graph of its own.</summary>
public sealed class PortReconcileTests
{
    [Fact]
    public async Task Ports_recorded_open_by_a_killed_run_are_reconciled_and_a_clean_stop_closes_them_as_shutdown()
    {
        // Reconciled once the killed instance misses three heartbeats: short ones here.
        await using var app = await AdminGraphFixture.StartAsync(builder =>
            builder.Project("admin").WithEnvironment("Monitoring__InstanceHeartbeat", "00:00:01"));
        await using var db = NpgsqlDataSource.Create((await app.GetConnectionStringAsync("smsbridge"))!);
        using var admin = app.CreateHttpClient("admin", "http");
        var password = app.Secret("admin-password");
        admin.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("admin:" + password)));
        await AdminTestKit.UseFreeMonitoringPortsAsync(admin);

        var first = await AdminTestKit.JsonAsync(await admin.PostAsJsonAsync("/admin/monitoring/open-port",
            new { service = "redis", duration_minutes = 60 }), HttpStatusCode.OK);
        var port = first.GetProperty("external_port").GetInt32();

        await app.KillAsync("admin");
        Assert.Equal((null, null), await RowAsync(db, port));
        await app.RestartResourceAsync("admin");

        await Eventually.TrueAsync(async () => await RowAsync(db, port) == ("reconcile", "system"), TimeSpan.FromSeconds(20),
            "the killed run's opening closed as reconcile by the new one");
        var reconciled = await AdminTestKit.AuditAsync(db, "monitoring.port_reconciled", $"\"external_port\": {port}");
        Assert.Single(reconciled);
        Assert.Equal("redis", reconciled[0].Subject);
        Assert.Contains("\"opened_by\": \"admin\"", reconciled[0].Details, StringComparison.Ordinal);

        // Open again, then stop the service cleanly: the forwarder closes and the row says why.
        await AdminTestKit.JsonAsync(await admin.PostAsJsonAsync("/admin/monitoring/open-port",
            new { service = "redis", duration_minutes = 15 }), HttpStatusCode.OK);
        await app.StopResourceAsync("admin");
        Assert.Equal(("shutdown", "system"), await RowAsync(db, port));
        var refused = await Assert.ThrowsAsync<SocketException>(async () =>
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
        });
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    /// <summary>The close reason and closer of the newest opening on this port.</summary>
    private static async Task<(string? Reason, string? ClosedBy)> RowAsync(NpgsqlDataSource db, int port)
    {
        await using var command = db.CreateCommand(
            "SELECT close_reason, closed_by FROM monitoring_port_openings WHERE external_port = $1 ORDER BY id DESC LIMIT 1");
        command.Parameters.Add(new() { Value = port });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
    }
}
