using Microsoft.Extensions.Time.Testing;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SmsBridge.Admin.Auditing;
using SmsBridge.Admin.Monitoring;
using SmsBridge.Data.Audit;
using SmsBridge.Data.Settings;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Admin;

/// <summary>Expiry by an injected clock: the forwarder alone (real sockets), and the registry with its PostgreSQL record.</summary>
[Collection(AdminGraphCollection.Name)]
public sealed class PortExpiryTests(AdminGraphFixture graph)
{
    [Fact]
    public async Task A_forwarder_closes_its_listener_and_connections_when_the_clock_reaches_expiry()
    {
        using var echo = new TcpListener(IPAddress.Loopback, 0);
        echo.Start();
        using var serverStop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var server = Task.Run(async () =>
        {
            using var peer = await echo.AcceptTcpClientAsync(serverStop.Token);
            var stream = peer.GetStream();
            var buffer = new byte[256];
            int read;
            while ((read = await stream.ReadAsync(buffer, serverStop.Token)) > 0) await stream.WriteAsync(buffer.AsMemory(0, read), serverStop.Token);
        });

        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var forwarder = PortForwarder.Start(new IPEndPoint(IPAddress.Loopback, 0), (IPEndPoint)echo.LocalEndpoint, null,
            TimeSpan.FromSeconds(5), NullLogger.Instance);
        var expired = new TaskCompletionSource();
        forwarder.ExpireAt(clock.GetUtcNow().AddMinutes(15), clock, async () =>
        {
            await forwarder.CloseAsync();
            expired.TrySetResult();
        });

        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, forwarder.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("hello"));
        var answer = new byte[5];
        await stream.ReadExactlyAsync(answer);
        Assert.Equal("hello", Encoding.ASCII.GetString(answer));

        clock.Advance(TimeSpan.FromMinutes(14) + TimeSpan.FromSeconds(59));
        Assert.False(forwarder.IsClosed, "still open one second before expiry");

        clock.Advance(TimeSpan.FromSeconds(1));
        await expired.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(forwarder.IsClosed);

        using var readTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var cut = false;
        try
        {
            cut = await stream.ReadAsync(new byte[16], readTimeout.Token) == 0;
        }
        catch (IOException)
        {
            cut = true;
        }

        Assert.True(cut, "the open connection is cut at expiry");
        var refused = await Assert.ThrowsAsync<SocketException>(async () =>
        {
            using var late = new TcpClient();
            await late.ConnectAsync(IPAddress.Loopback, forwarder.Port);
        });
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        await serverStop.CancelAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => server);
    }

    [Fact]
    public async Task The_registry_records_expiry_in_postgres_and_audits_it()
    {
        // A registry of its own on the shared database, forwarding "pgbouncer" (absent in this graph, so the admin
        // service never holds it) to the graph's Redis. Not started: its start-up reconciliation is the admin's job.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = Options.Create(new MonitoringOptions
        {
            BindAddress = "127.0.0.1",
            Endpoints = { ["pgbouncer"] = $"127.0.0.1:{graph.App.GetEndpoint("cache", "tcp").Port}" },
        });
        var registry = new PortRegistry(new PortOpeningStore(graph.Database), new SettingsVersions(graph.Database, clock), options,
            new AdminChanges(graph.Database, clock),
            clock, NullLogger<PortRegistry>.Instance);

        var opened = await registry.OpenAsync("pgbouncer", 15, null, new Actor("expiry-test", "192.0.2.9"), default);
        Assert.True(opened.Succeeded, opened.Failure?.Detail);
        var opening = opened.Value!;
        // This registry is not started, so it sends no heartbeats: say its instance is alive, or the graph's admin, at its next
        // beat, closes the opening as left by a dead instance (reconcile) before the clock reaches its expiry.
        await using (var instance = graph.Database.CreateCommand("SELECT instance_id FROM monitoring_port_openings WHERE id = $1"))
        {
            instance.Parameters.Add(new() { Value = opening.Id });
            await new PortOpeningStore(graph.Database).BeatAsync((Guid)(await instance.ExecuteScalarAsync())!, "expiry-test", clock.GetUtcNow(), default);
        }

        var (exit, output) = await AdminTestKit.RedisCliAsync(opening.ExternalPort, graph.RedisPassword, "PING");
        Assert.True(exit == 0 && output == "PONG", $"redis-cli: {exit} {output}");

        clock.Advance(TimeSpan.FromMinutes(15));
        string? reason = null;
        await Eventually.TrueAsync(async () =>
        {
            await using var command = graph.Database.CreateCommand("SELECT close_reason FROM monitoring_port_openings WHERE id = $1");
            command.Parameters.Add(new() { Value = opening.Id });
            reason = await command.ExecuteScalarAsync() as string;
            return reason is not null;
        }, TimeSpan.FromSeconds(15), "the opening is recorded closed");
        Assert.Equal("expiry", reason);
        Assert.Empty(registry.Snapshot());
        var closes = await AdminTestKit.AuditAsync(graph.Database, "monitoring.port_closed", $"\"external_port\": {opening.ExternalPort}");
        Assert.Contains(closes, c => c.Actor == "system" && c.Details.Contains("\"reason\": \"expiry\"", StringComparison.Ordinal));
        var (afterExit, afterOutput) = await AdminTestKit.RedisCliAsync(opening.ExternalPort, graph.RedisPassword, "PING");
        Assert.False(afterExit == 0 && afterOutput == "PONG", "the port no longer forwards after expiry");
    }
}
