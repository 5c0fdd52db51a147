using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Admin;

/// <summary>The on-demand monitoring ports, for real: forwarders on loopback to the graph's Redis, driven with redis-cli.</summary>
[Collection(AdminGraphCollection.Name)]
public sealed class MonitoringPortsApiTests(AdminGraphFixture graph) : IAsyncLifetime
{
    private readonly HttpClient _admin = graph.CreateClient();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // Leave no port open for the next test of the collection.
        using var _ = await _admin.PostAsync("/admin/monitoring/close-all", null);
        _admin.Dispose();
    }

    private async Task<int> ExternalPortAsync(string service)
    {
        var config = await AdminTestKit.JsonAsync(await _admin.GetAsync("/admin/monitoring/port-config"), HttpStatusCode.OK);
        return config.GetProperty("ports").GetProperty(service).GetInt32();
    }

    [Fact]
    public async Task Open_redis_for_15_minutes_then_redis_cli_pings_through_it_and_close_cuts_everything()
    {
        var external = await ExternalPortAsync("redis");
        var opened = await AdminTestKit.JsonAsync(await _admin.PostAsJsonAsync("/admin/monitoring/open-port",
            new { service = "redis", duration_minutes = 15 }), HttpStatusCode.OK);
        Assert.Equal("open", opened.GetProperty("status").GetString());
        Assert.Equal(external, opened.GetProperty("external_port").GetInt32());
        var expires = opened.GetProperty("expires_at").GetDateTimeOffset() - opened.GetProperty("opened_at").GetDateTimeOffset();
        Assert.Equal(TimeSpan.FromMinutes(15), expires);

        var (exit, output) = await AdminTestKit.RedisCliAsync(external, graph.RedisPassword, "PING");
        Assert.True(exit == 0 && output == "PONG", $"redis-cli through the forwarder: exit {exit}, '{output}'");

        // A connection that stays open across the close must be cut.
        using var held = new TcpClient();
        await held.ConnectAsync(IPAddress.Loopback, external);
        var stream = held.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"AUTH {graph.RedisPassword}\r\nPING\r\n"));
        Assert.Contains("+PONG", await ReadUntilAsync(stream, "+PONG"), StringComparison.Ordinal);

        var status = await AdminTestKit.JsonAsync(await _admin.GetAsync("/admin/monitoring/port-status"), HttpStatusCode.OK);
        var redis = status.GetProperty("ports").EnumerateArray().Single(p => p.GetProperty("service").GetString() == "redis");
        Assert.Equal("open", redis.GetProperty("status").GetString());
        Assert.Equal("admin", redis.GetProperty("opened_by").GetString());
        Assert.True(redis.GetProperty("remaining_seconds").GetInt64() is > 0 and <= 900);
        Assert.True(redis.GetProperty("active_connections").GetInt32() >= 1);

        var closed = await AdminTestKit.JsonAsync(await _admin.PostAsJsonAsync("/admin/monitoring/close-port", new { service = "redis" }),
            HttpStatusCode.OK);
        Assert.True(closed.GetProperty("was_open").GetBoolean());
        Assert.Equal("user", closed.GetProperty("closed").GetProperty("close_reason").GetString());

        // The held connection is cut: the next read ends (0 bytes) or fails with a reset.
        using (var readTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            var cut = false;
            try
            {
                cut = await stream.ReadAsync(new byte[64], readTimeout.Token) == 0;
            }
            catch (IOException)
            {
                cut = true;
            }

            Assert.True(cut, "the open connection was cut when the port closed");
        }

        var refused = await Assert.ThrowsAsync<SocketException>(async () =>
        {
            using var late = new TcpClient();
            await late.ConnectAsync(IPAddress.Loopback, external);
        });
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);

        var opens = await AdminTestKit.AuditAsync(graph.Database, "monitoring.port_opened", "\"external_port\": " + external);
        Assert.NotEmpty(opens);
        Assert.Equal("admin", opens[0].Actor);
        Assert.Equal("127.0.0.1", opens[0].Source);
        Assert.Equal("redis", opens[0].Subject);
        var closes = await AdminTestKit.AuditAsync(graph.Database, "monitoring.port_closed", "\"reason\": \"user\"");
        Assert.Contains(closes, c => c.Subject == "redis" && c.Actor == "admin");
    }

    [Fact]
    public async Task A_client_outside_allowed_source_is_refused_and_counted()
    {
        var external = await ExternalPortAsync("redis");
        await AdminTestKit.JsonAsync(await _admin.PostAsJsonAsync("/admin/monitoring/open-port",
            new { service = "redis", duration_minutes = 15, allowed_source = "10.0.0.0/8" }), HttpStatusCode.OK);

        var (exit, output) = await AdminTestKit.RedisCliAsync(external, graph.RedisPassword, "PING");
        Assert.False(exit == 0 && output == "PONG", "a client from 127.0.0.1 got through a port restricted to 10.0.0.0/8");

        var status = await AdminTestKit.JsonAsync(await _admin.GetAsync("/admin/monitoring/port-status"), HttpStatusCode.OK);
        var redis = status.GetProperty("ports").EnumerateArray().Single(p => p.GetProperty("service").GetString() == "redis");
        Assert.Equal("10.0.0.0/8", redis.GetProperty("allowed_source").GetString());
        Assert.True(redis.GetProperty("refused_connections").GetInt64() >= 1);
        Assert.Equal(0, redis.GetProperty("connections").GetInt64());

        var closed = await AdminTestKit.JsonAsync(await _admin.PostAsJsonAsync("/admin/monitoring/close-port", new { service = "redis" }),
            HttpStatusCode.OK);
        Assert.True(closed.GetProperty("closed").GetProperty("refused_connections").GetInt32() >= 1, "the refusal is recorded in the history");
    }

    [Fact]
    public async Task Opening_is_validated_and_refused_while_open_or_unavailable()
    {
        await AdminTestKit.ProblemAsync(await _admin.PostAsJsonAsync("/admin/monitoring/open-port",
            new { service = "redis", duration_minutes = 14 }), HttpStatusCode.BadRequest, "VALIDATION_ERROR", "duration_minutes");
        await AdminTestKit.ProblemAsync(await _admin.PostAsJsonAsync("/admin/monitoring/open-port",
            new { service = "redis", duration_minutes = 241 }), HttpStatusCode.BadRequest, "VALIDATION_ERROR", "duration_minutes");
        await AdminTestKit.ProblemAsync(await _admin.PostAsJsonAsync("/admin/monitoring/open-port",
            new { service = "mysql", duration_minutes = 60 }), HttpStatusCode.BadRequest, "VALIDATION_ERROR", "service");
        await AdminTestKit.ProblemAsync(await _admin.PostAsJsonAsync("/admin/monitoring/open-port",
            new { service = "redis", duration_minutes = 60, allowed_source = "not-a-cidr" }), HttpStatusCode.BadRequest, "VALIDATION_ERROR", "allowed_source");
        await AdminTestKit.ProblemAsync(await _admin.PostAsync("/admin/monitoring/open-port",
            new StringContent("{not json", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
        // The local graph has no pgbouncer: reported unavailable, never a 500.
        await AdminTestKit.ProblemAsync(await _admin.PostAsJsonAsync("/admin/monitoring/open-port",
            new { service = "pgbouncer", duration_minutes = 60 }), HttpStatusCode.Conflict, "MONITORING_SERVICE_UNAVAILABLE");

        await AdminTestKit.JsonAsync(await _admin.PostAsJsonAsync("/admin/monitoring/open-port",
            new { service = "metrics", duration_minutes = 240 }), HttpStatusCode.OK);
        await AdminTestKit.ProblemAsync(await _admin.PostAsJsonAsync("/admin/monitoring/open-port",
            new { service = "metrics", duration_minutes = 60 }), HttpStatusCode.Conflict, "PORT_ALREADY_OPEN");

        // The receiver's Prometheus endpoint answers through the forwarded metrics port.
        using var scrape = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        using var metrics = await scrape.GetAsync(new Uri($"http://127.0.0.1:{await ExternalPortAsync("metrics")}/metrics"));
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal("text/plain", metrics.Content.Headers.ContentType?.MediaType);

        // The config cannot change while a port is open.
        await AdminTestKit.ProblemAsync(await _admin.PostAsJsonAsync("/admin/monitoring/port-config", new { redis = 40001 }),
            HttpStatusCode.Conflict, "PORTS_OPEN");
        await AdminTestKit.ProblemAsync(await _admin.PostAsync("/admin/monitoring/port-config/reset", null), HttpStatusCode.Conflict, "PORTS_OPEN");
        await AdminTestKit.ProblemAsync(await _admin.PostAsJsonAsync("/admin/settings",
            new { settings = new { monitoring_ports = new { redis = 40002 } }, change_note = "tests: sneak a port change" }),
            HttpStatusCode.Conflict, "PORTS_OPEN");
        var locked = await AdminTestKit.JsonAsync(await _admin.GetAsync("/admin/monitoring/port-config"), HttpStatusCode.OK);
        Assert.True(locked.GetProperty("locked").GetBoolean());
    }

    [Fact]
    public async Task Open_all_opens_every_available_service_and_close_all_closes_them()
    {
        var services = await AdminTestKit.JsonAsync(await _admin.GetAsync("/admin/monitoring/services"), HttpStatusCode.OK);
        var available = services.GetProperty("services").EnumerateArray()
            .Where(s => s.GetProperty("available").GetBoolean()).Select(s => s.GetProperty("service").GetString()).ToList();
        Assert.Equal(["metrics", "postgres", "redis"], available);
        Assert.False(services.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("service").GetString() == "pgbouncer")
            .GetProperty("available").GetBoolean());

        await AdminTestKit.ProblemAsync(await _admin.PostAsJsonAsync("/admin/monitoring/open-all", new { duration_minutes = 1 }),
            HttpStatusCode.BadRequest, "VALIDATION_ERROR", "duration_minutes");
        var opened = await AdminTestKit.JsonAsync(await _admin.PostAsJsonAsync("/admin/monitoring/open-all", new { duration_minutes = 30 }),
            HttpStatusCode.OK);
        Assert.Equal(available, opened.GetProperty("opened").EnumerateArray().Select(o => o.GetProperty("service").GetString()).ToList());
        Assert.Equal("pgbouncer", opened.GetProperty("skipped").EnumerateArray().Single().GetProperty("service").GetString());

        // PostgreSQL answers through its forwarded port too (a TCP connect plus an SSL request gets the server's one-byte answer).
        using (var pg = new TcpClient())
        {
            await pg.ConnectAsync(IPAddress.Loopback, await ExternalPortAsync("postgres"));
            var stream = pg.GetStream();
            await stream.WriteAsync(new byte[] { 0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x2F });
            var answer = new byte[1];
            Assert.Equal(1, await stream.ReadAsync(answer));
            Assert.Contains((char)answer[0], "SN");
        }

        var closed = await AdminTestKit.JsonAsync(await _admin.PostAsync("/admin/monitoring/close-all", null), HttpStatusCode.OK);
        Assert.Equal(3, closed.GetProperty("closed").GetArrayLength());
        var status = await AdminTestKit.JsonAsync(await _admin.GetAsync("/admin/monitoring/port-status"), HttpStatusCode.OK);
        Assert.All(status.GetProperty("ports").EnumerateArray(), p => Assert.Equal("closed", p.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Port_config_is_validated_changed_scanned_and_reset()
    {
        await AdminTestKit.ProblemAsync(await _admin.PostAsJsonAsync("/admin/monitoring/port-config", new { redis = 80 }),
            HttpStatusCode.BadRequest, "VALIDATION_ERROR", "redis");
        await AdminTestKit.ProblemAsync(await _admin.PostAsJsonAsync("/admin/monitoring/port-config", new { redis = 70000 }),
            HttpStatusCode.BadRequest, "VALIDATION_ERROR", "redis");
        await AdminTestKit.ProblemAsync(await _admin.PostAsJsonAsync("/admin/monitoring/port-config", new { redis = "x" }),
            HttpStatusCode.BadRequest, "VALIDATION_ERROR", "redis");
        await AdminTestKit.ProblemAsync(await _admin.PostAsJsonAsync("/admin/monitoring/port-config", new { mysql = 40000 }),
            HttpStatusCode.BadRequest, "VALIDATION_ERROR", "mysql");
        var metricsPort = await ExternalPortAsync("metrics");
        await AdminTestKit.ProblemAsync(await _admin.PostAsJsonAsync("/admin/monitoring/port-config", new { redis = metricsPort }),
            HttpStatusCode.BadRequest, "VALIDATION_ERROR", "monitoring_ports");

        // A port another program listens on is refused.
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var taken = ((IPEndPoint)squatter.LocalEndpoint).Port;
        await AdminTestKit.ProblemAsync(await _admin.PostAsJsonAsync("/admin/monitoring/port-config", new { redis = taken }),
            HttpStatusCode.Conflict, "PORT_IN_USE", "redis");

        var scan = await AdminTestKit.JsonAsync(await _admin.GetAsync($"/admin/monitoring/port-config/available-ports?from={taken}&to={taken + 50}&limit=5"),
            HttpStatusCode.OK);
        var free = scan.GetProperty("free_ports").EnumerateArray().Select(p => p.GetInt32()).ToList();
        Assert.DoesNotContain(taken, free);
        Assert.InRange(free.Count, 1, 5);
        Assert.True(scan.GetProperty("configured").GetProperty("redis").GetProperty("free").GetBoolean());
        await AdminTestKit.ProblemAsync(await _admin.GetAsync("/admin/monitoring/port-config/available-ports?from=80"),
            HttpStatusCode.BadRequest, "VALIDATION_ERROR");

        var before = await AdminTestKit.JsonAsync(await _admin.GetAsync("/admin/monitoring/port-config"), HttpStatusCode.OK);
        var changed = await AdminTestKit.JsonAsync(await _admin.PostAsJsonAsync("/admin/monitoring/port-config",
            new { redis = free[0], change_note = "tests: move redis" }), HttpStatusCode.OK);
        Assert.Equal(free[0], changed.GetProperty("ports").GetProperty("redis").GetInt32());
        Assert.True(changed.GetProperty("settings_version").GetInt32() > before.GetProperty("settings_version").GetInt32(),
            "a port-config change is a new settings version");
        Assert.NotEmpty(await AdminTestKit.AuditAsync(graph.Database, "monitoring.port_config_changed", $"\"redis\": {free[0]}"));

        var reset = await AdminTestKit.JsonAsync(await _admin.PostAsync("/admin/monitoring/port-config/reset", null), HttpStatusCode.OK);
        Assert.Equal(reset.GetProperty("defaults").GetRawText(), reset.GetProperty("ports").GetRawText());
        Assert.NotEmpty(await AdminTestKit.AuditAsync(graph.Database, "monitoring.port_config_reset"));

        // Back to free ports for the other tests.
        await AdminTestKit.UseFreeMonitoringPortsAsync(_admin);
    }

    [Fact]
    public async Task Exported_prometheus_config_targets_the_configured_ports_and_passes_promtool()
    {
        using var response = await _admin.GetAsync("/admin/monitoring/export-prometheus-config?host=monitor.example.org");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("prometheus.yml", response.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
        var yaml = await response.Content.ReadAsStringAsync();
        Assert.Contains($"monitor.example.org:{await ExternalPortAsync("metrics")}", yaml, StringComparison.Ordinal);
        Assert.Contains($"redis://monitor.example.org:{await ExternalPortAsync("redis")}", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("pgbouncer", yaml, StringComparison.Ordinal);

        var file = Path.Combine(Path.GetTempPath(), $"prometheus-{Guid.NewGuid():N}.yml");
        await File.WriteAllTextAsync(file, yaml);
        try
        {
            var promtool = await ExternalProgram.CaptureAsync(new ProgramInvocation("promtool", ["check", "config", file]) { Timeout = TimeSpan.FromSeconds(30) });
            Assert.True(promtool.Succeeded, "promtool check config: " + promtool.All);
        }
        finally
        {
            File.Delete(file);
        }

        await AdminTestKit.ProblemAsync(await _admin.GetAsync("/admin/monitoring/export-prometheus-config?host=evil%0Ainjected:%20x"),
            HttpStatusCode.BadRequest, "VALIDATION_ERROR", "host");
    }

    [Fact]
    public async Task Logs_of_each_service_are_listed_and_downloadable_without_path_traversal()
    {
        JsonElement list = default;
        await Eventually.TrueAsync(async () =>
        {
            list = await AdminTestKit.JsonAsync(await _admin.GetAsync("/admin/monitoring/logs/list"), HttpStatusCode.OK);
            var names = list.GetProperty("services").EnumerateArray().Select(s => s.GetProperty("service").GetString()).ToList();
            return names.Contains("admin") && names.Contains("receiver");
        }, TimeSpan.FromSeconds(30), "admin and receiver log files are listed");

        var receiver = list.GetProperty("services").EnumerateArray().Single(s => s.GetProperty("service").GetString() == "receiver");
        var file = receiver.GetProperty("files")[0].GetProperty("name").GetString()!;
        using var download = await _admin.GetAsync($"/admin/monitoring/logs/download/receiver?file={Uri.EscapeDataString(file)}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(file, download.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        using var newest = await _admin.GetAsync("/admin/monitoring/logs/download/admin");
        Assert.Equal(HttpStatusCode.OK, newest.StatusCode);

        foreach (var attempt in new[]
        {
            "/admin/monitoring/logs/download/receiver?file=..%2F..%2F..%2Fetc%2Fpasswd",
            "/admin/monitoring/logs/download/..%2F..%2Fetc?file=passwd",
            "/admin/monitoring/logs/download/receiver?file=%2Fetc%2Fpasswd",
            "/admin/monitoring/logs/download/nosuchservice",
        })
        {
            using var response = await _admin.GetAsync(attempt);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{attempt} answered {(int)response.StatusCode}");
            Assert.DoesNotContain("root:", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    private static async Task<string> ReadUntilAsync(NetworkStream stream, string marker)
    {
        var text = new StringBuilder();
        var buffer = new byte[256];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!text.ToString().Contains(marker, StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, timeout.Token);
            if (read == 0) break;
            text.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        return text.ToString();
    }
}
