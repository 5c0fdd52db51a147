using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Admin;

/// <summary>
/// An admin change and its audit row commit together or not at all. Each test makes PostgreSQL refuse the audit row after
/// the change's SQL ran (<see cref="AuditRefusal"/>, matched to this test's own marker) and checks through the real API that
/// neither the change nor a row claiming it is stored; then, without the refusal, that the same change stores both.
/// </summary>
[Collection(AdminGraphCollection.Name)]
public sealed class AdminChangeAtomicityTests(AdminGraphFixture graph) : IDisposable
{
    private readonly HttpClient _admin = graph.CreateClient();
    private readonly string _marker = "atomicity-" + Guid.NewGuid().ToString("N")[..12];

    [Fact]
    public async Task A_settings_version_is_stored_with_its_audit_row_or_not_at_all()
    {
        var before = await ActiveVersionAsync();
        var change = new { settings = new { }, change_note = _marker };
        await using (await AuditRefusal.CreateAsync(graph.App, $"NEW.details->>'change_note' = '{_marker}'"))
        {
            using var refused = await _admin.PostAsJsonAsync("/admin/settings", change);
            await AdminTestKit.ProblemAsync(refused, HttpStatusCode.InternalServerError, "INTERNAL_ERROR");
        }

        Assert.Equal(before, await ActiveVersionAsync());
        Assert.Equal(0, await CountAsync("SELECT count(*) FROM settings_versions WHERE change_note = $1"));
        Assert.Empty(await AdminTestKit.AuditAsync(graph.Database, "settings.changed", _marker));

        using var stored = await _admin.PostAsJsonAsync("/admin/settings", change);
        var version = (await AdminTestKit.JsonAsync(stored, HttpStatusCode.Created)).GetProperty("version").GetInt32();
        Assert.Equal(version, await ActiveVersionAsync());
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM settings_versions WHERE change_note = $1"));
        Assert.Equal($"settings version {version}", Assert.Single(await AdminTestKit.AuditAsync(graph.Database, "settings.changed", _marker)).Subject);
    }

    [Fact]
    public async Task A_blacklist_entry_is_added_and_removed_with_its_audit_row_or_not_at_all()
    {
        var mobile = VerificationFlow.NewMobile("+447705");
        var entry = new { mobile_number = mobile, reason = _marker };
        var path = "/admin/blacklist/" + Uri.EscapeDataString(mobile);
        await using (await AuditRefusal.CreateAsync(graph.App, $"NEW.details->>'reason' = '{_marker}'"))
        {
            using var refused = await _admin.PostAsJsonAsync("/admin/blacklist", entry);
            await AdminTestKit.ProblemAsync(refused, HttpStatusCode.InternalServerError, "INTERNAL_ERROR");
        }

        Assert.Equal(0, await BlacklistedAsync(mobile));
        Assert.Empty(await AdminTestKit.AuditAsync(graph.Database, "blacklist.added", _marker));

        using (var added = await _admin.PostAsJsonAsync("/admin/blacklist", entry))
        {
            await AdminTestKit.JsonAsync(added, HttpStatusCode.Created);
        }

        Assert.Equal(1, await BlacklistedAsync(mobile));
        Assert.Single(await AdminTestKit.AuditAsync(graph.Database, "blacklist.added", _marker));

        // Removing fails the same way: the entry stays, and no row says it went.
        await using (await AuditRefusal.CreateAsync(graph.App, $"NEW.details->>'reason' = '{_marker}'"))
        {
            using var refused = await _admin.DeleteAsync(new Uri(path, UriKind.Relative));
            await AdminTestKit.ProblemAsync(refused, HttpStatusCode.InternalServerError, "INTERNAL_ERROR");
        }

        Assert.Equal(1, await BlacklistedAsync(mobile));
        Assert.Empty(await AdminTestKit.AuditAsync(graph.Database, "blacklist.removed", _marker));

        using (var removed = await _admin.DeleteAsync(new Uri(path, UriKind.Relative)))
        {
            await AdminTestKit.JsonAsync(removed, HttpStatusCode.OK);
        }

        Assert.Equal(0, await BlacklistedAsync(mobile));
        Assert.Single(await AdminTestKit.AuditAsync(graph.Database, "blacklist.removed", _marker));
    }

    [Fact]
    public async Task A_port_opens_only_with_its_opening_and_audit_rows_stored()
    {
        const string Service = "metrics";
        var port = (await AdminTestKit.JsonAsync(await _admin.GetAsync(new Uri("/admin/monitoring/port-config", UriKind.Relative)), HttpStatusCode.OK))
            .GetProperty("ports").GetProperty(Service).GetInt32();
        var open = new { service = Service, duration_minutes = 15, allowed_source = "127.0.0.1/32" };
        var openedBefore = await OpeningsAsync(Service);
        try
        {
            // Openings run one at a time in this collection, so refusing every port_opened row while this test holds it is safe.
            await using (await AuditRefusal.CreateAsync(graph.App, "NEW.event_type = 'monitoring.port_opened'"))
            {
                using var refused = await _admin.PostAsJsonAsync("/admin/monitoring/open-port", open);
                await AdminTestKit.ProblemAsync(refused, HttpStatusCode.InternalServerError, "INTERNAL_ERROR");
            }

            Assert.Equal(openedBefore, await OpeningsAsync(Service));
            Assert.Equal(0, await CountAsync("SELECT count(*) FROM monitoring_port_openings WHERE service = $1 AND closed_at IS NULL", Service));
            var connect = await Assert.ThrowsAsync<SocketException>(async () =>
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
            });
            Assert.Equal(SocketError.ConnectionRefused, connect.SocketErrorCode); // the bound port was let go
            var status = await AdminTestKit.JsonAsync(await _admin.GetAsync(new Uri("/admin/monitoring/port-status", UriKind.Relative)), HttpStatusCode.OK);
            Assert.Contains(status.GetProperty("ports").EnumerateArray(),
                p => p.GetProperty("service").GetString() == Service && p.GetProperty("status").GetString() == "closed");

            var auditedBefore = (await AdminTestKit.AuditAsync(graph.Database, "monitoring.port_opened", $"\"external_port\": {port},")).Count;
            using (var opened = await _admin.PostAsJsonAsync("/admin/monitoring/open-port", open))
            {
                await AdminTestKit.JsonAsync(opened, HttpStatusCode.OK);
            }

            Assert.Equal(1, await CountAsync("SELECT count(*) FROM monitoring_port_openings WHERE service = $1 AND closed_at IS NULL", Service));
            Assert.Equal(auditedBefore + 1, (await AdminTestKit.AuditAsync(graph.Database, "monitoring.port_opened", $"\"external_port\": {port},")).Count);
            using var forwarded = new TcpClient();
            await forwarded.ConnectAsync(IPAddress.Loopback, port);
        }
        finally
        {
            using var _ = await _admin.PostAsJsonAsync("/admin/monitoring/close-port", new { service = Service });
        }
    }

    [Fact]
    public async Task A_close_that_cannot_be_recorded_still_closes_the_port_and_is_reconciled_with_its_audit_row()
    {
        const string Service = "metrics";
        using (var opened = await _admin.PostAsJsonAsync("/admin/monitoring/open-port", new { service = Service, duration_minutes = 15 }))
        {
            await AdminTestKit.JsonAsync(opened, HttpStatusCode.OK);
        }

        var (id, port) = await OpenRowAsync(Service);
        var closedNeedle = $"\"external_port\": {port}, \"refused_connections\"";
        var closesBefore = (await AdminTestKit.AuditAsync(graph.Database, "monitoring.port_closed", closedNeedle)).Count;
        await using (await AuditRefusal.CreateAsync(graph.App, "NEW.event_type = 'monitoring.port_closed'"))
        {
            using var refused = await _admin.PostAsJsonAsync("/admin/monitoring/close-port", new { service = Service });
            await AdminTestKit.ProblemAsync(refused, HttpStatusCode.InternalServerError, "INTERNAL_ERROR");
        }

        // The socket closed before the record was attempted: a port never stays open because its close was not recorded.
        var connect = await Assert.ThrowsAsync<SocketException>(async () =>
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
        });
        Assert.Equal(SocketError.ConnectionRefused, connect.SocketErrorCode);
        Assert.Equal(closesBefore, (await AdminTestKit.AuditAsync(graph.Database, "monitoring.port_closed", closedNeedle)).Count);

        // The row still said open, with no row claiming the close; the admin service's next heartbeat closes it, audited.
        await Eventually.TrueAsync(async () => await CloseReasonAsync(id) is not null, TimeSpan.FromSeconds(45), "the row is reconciled");
        Assert.Equal("reconcile", await CloseReasonAsync(id));
        Assert.Single(await AdminTestKit.AuditAsync(graph.Database, "monitoring.port_reconciled", $"\"opening_id\": {id},"));
    }

    [Fact]
    public async Task An_account_from_create_admin_is_stored_with_its_audit_row_or_not_at_all()
    {
        var username = "atomic-" + Guid.NewGuid().ToString("N")[..8];
        string[] args = ["create-admin", "--username", username, "--role", "viewer"];
        await using (await AuditRefusal.CreateAsync(graph.App, $"NEW.subject = '{username}'"))
        {
            var (exit, _, error) = await AdminGraphFixture.RunCliAsync(graph.App, graph.DatabaseConnectionString, "atomic-password-123", args);
            Assert.Equal(1, exit);
            Assert.Contains("nothing was stored", error, StringComparison.Ordinal);
        }

        Assert.Equal(0, await CountAsync("SELECT count(*) FROM admin_users WHERE username = $1", username));
        Assert.Empty(await AdminTestKit.AuditAsync(graph.Database, "auth.user_created", username));

        var (created, output, _) = await AdminGraphFixture.RunCliAsync(graph.App, graph.DatabaseConnectionString, "atomic-password-123", args);
        Assert.True(created == 0, output);
        Assert.Equal(1, await CountAsync("SELECT count(*) FROM admin_users WHERE username = $1", username));
        Assert.Single(await AdminTestKit.AuditAsync(graph.Database, "auth.user_created", username));
    }

    private async Task<(long Id, int Port)> OpenRowAsync(string service)
    {
        await using var command = graph.Database.CreateCommand(
            "SELECT id, external_port FROM monitoring_port_openings WHERE service = $1 AND closed_at IS NULL");
        command.Parameters.Add(new() { Value = service });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"{service} has an open row");
        return (reader.GetInt64(0), reader.GetInt32(1));
    }

    private async Task<string?> CloseReasonAsync(long id)
    {
        await using var command = graph.Database.CreateCommand("SELECT close_reason FROM monitoring_port_openings WHERE id = $1");
        command.Parameters.Add(new() { Value = id });
        return await command.ExecuteScalarAsync() as string;
    }

    private async Task<int> ActiveVersionAsync() =>
        (await AdminTestKit.JsonAsync(await _admin.GetAsync(new Uri("/admin/settings", UriKind.Relative)), HttpStatusCode.OK)).GetProperty("version").GetInt32();

    private Task<long> BlacklistedAsync(string mobile) => CountAsync("SELECT count(*) FROM blacklist WHERE mobile_number = $1", mobile);

    private Task<long> OpeningsAsync(string service) => CountAsync("SELECT count(*) FROM monitoring_port_openings WHERE service = $1", service);

    private async Task<long> CountAsync(string sql, string? argument = null)
    {
        await using var command = graph.Database.CreateCommand(sql);
        command.Parameters.Add(new() { Value = argument ?? _marker });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public void Dispose() => _admin.Dispose();
}
