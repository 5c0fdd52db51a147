using Microsoft.Extensions.Time.Testing;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SmsBridge.Admin.Accounts;
using SmsBridge.Admin.Auditing;
using SmsBridge.Data.Audit;

namespace SmsBridge.Tests.Admin;

[Collection(AdminGraphCollection.Name)]
public sealed class AuthTests(AdminGraphFixture graph)
{
    /// <summary>Every endpoint of the contract's admin section: method, path, whether it changes state.</summary>
    public static TheoryData<string, string, bool> Endpoints => new()
    {
        { "GET", "/admin/monitoring/services", false },
        { "POST", "/admin/monitoring/open-port", true },
        { "POST", "/admin/monitoring/close-port", true },
        { "GET", "/admin/monitoring/port-status", false },
        { "POST", "/admin/monitoring/open-all", true },
        { "POST", "/admin/monitoring/close-all", true },
        { "GET", "/admin/monitoring/port-config", false },
        { "POST", "/admin/monitoring/port-config", true },
        { "POST", "/admin/monitoring/port-config/reset", true },
        { "GET", "/admin/monitoring/port-config/available-ports", false },
        { "GET", "/admin/monitoring/export-prometheus-config", false },
        { "GET", "/admin/monitoring/logs/list", false },
        { "GET", "/admin/monitoring/logs/download/admin", false },
        { "GET", "/admin/settings", false },
        { "GET", "/admin/settings/history", false },
        { "POST", "/admin/settings", true },
        { "POST", "/admin/settings/1/activate", true },
        { "GET", "/admin/blacklist", false },
        { "POST", "/admin/blacklist", true },
        { "DELETE", "/admin/blacklist/+447700900999", true },
        { "POST", "/admin/trigger-recovery", true },
        { "GET", "/admin/sms/5b0c8a9e-2f7a-4c51-9f7e-3c1d2e4f5a6b", false },
        { "GET", "/admin/audit", false },
        { "GET", "/admin/backups", false },
        { "POST", "/admin/backups", true },
        { "POST", "/admin/backups/none/verify", true },
        { "POST", "/admin/backups/none/restore", true },
    };

    private static HttpRequestMessage Request(string method, string path) => new(new HttpMethod(method), path)
    {
        Content = method == "GET" ? null : new StringContent("{}", Encoding.UTF8, "application/json"),
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Anonymous_callers_get_401_with_a_basic_challenge(string method, string path, bool writes)
    {
        _ = writes;
        using var anonymous = graph.CreateClient(user: null);
        using var response = await anonymous.SendAsync(Request(method, path));
        await AdminTestKit.ProblemAsync(response, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Viewers_read_but_get_403_on_every_write(string method, string path, bool writes)
    {
        using var viewer = graph.CreateClient(AdminGraphFixture.ViewerName);
        using var response = await viewer.SendAsync(Request(method, path));
        if (writes)
        {
            await AdminTestKit.ProblemAsync(response, HttpStatusCode.Forbidden, "FORBIDDEN");
        }
        else
        {
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound,
                $"{method} {path} for a viewer answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Fact]
    public async Task A_wrong_password_or_malformed_header_is_401_and_audited()
    {
        using var wrong = graph.CreateClient("admin", "not-the-password-at-all");
        await AdminTestKit.ProblemAsync(await wrong.GetAsync("/admin/settings"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        using var malformed = graph.CreateClient(user: null);
        malformed.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", "%%%");
        await AdminTestKit.ProblemAsync(await malformed.GetAsync("/admin/settings"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        var rows = await AdminTestKit.AuditAsync(graph.Database, "auth.login_failed");
        Assert.Contains(rows, r => r.Actor == "admin" && r.Source == "127.0.0.1");
        // Clear the failure so the shared admin account never nears its lockout.
        using var right = graph.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await right.GetAsync("/admin/settings")).StatusCode);
    }

    [Fact]
    public async Task Five_bad_passwords_lock_the_account_even_for_the_right_password()
    {
        const string user = "lockout-api";
        const string password = "lockout-password-123";
        var (exit, _, error) = await AdminGraphFixture.RunCliAsync(graph.App, graph.DatabaseConnectionString, password,
            "create-admin", "--username", user, "--role", "viewer");
        Assert.True(exit == 0, error);

        using (var right = graph.CreateClient(user, password))
        {
            Assert.Equal(HttpStatusCode.OK, (await right.GetAsync("/admin/settings")).StatusCode);
        }

        using var wrong = graph.CreateClient(user, "wrong-password-456");
        for (var i = 0; i < 5; i++)
        {
            await AdminTestKit.ProblemAsync(await wrong.GetAsync("/admin/settings"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
        }

        using var locked = graph.CreateClient(user, password);
        using var response = await locked.GetAsync("/admin/settings");
        await AdminTestKit.ProblemAsync(response, HttpStatusCode.Unauthorized, "ACCOUNT_LOCKED");
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Contains(await AdminTestKit.AuditAsync(graph.Database, "auth.locked_out"), r => r.Actor == user);
    }

    [Fact]
    public async Task Lockout_ends_after_the_window_by_the_injected_clock()
    {
        const string user = "lockout-clock";
        const string password = "clock-password-1234";
        var (exit, _, error) = await AdminGraphFixture.RunCliAsync(graph.App, graph.DatabaseConnectionString, password,
            "create-admin", "--username", user, "--role", "viewer");
        Assert.True(exit == 0, error);

        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var audit = new AdminAudit(new AuditLog(graph.Database, NullLogger<AuditLog>.Instance), clock);
        using var cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = 100 });
        var login = new LoginService(new UserStore(graph.Database), audit, clock, Options.Create(new LoginOptions()), cache);

        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(LoginOutcome.Failed, (await login.CheckAsync(user, "wrong-password-456", "192.0.2.1", default)).Outcome);
            clock.Advance(TimeSpan.FromSeconds(10));
        }

        var locked = await login.CheckAsync(user, password, "192.0.2.1", default);
        Assert.Equal(LoginOutcome.LockedOut, locked.Outcome);
        Assert.InRange(locked.RetryAfter!.Value, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));

        clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(LoginOutcome.LockedOut, (await login.CheckAsync(user, password, "192.0.2.1", default)).Outcome);

        clock.Advance(TimeSpan.FromMinutes(1));
        var after = await login.CheckAsync(user, password, "192.0.2.1", default);
        Assert.Equal(LoginOutcome.Succeeded, after.Outcome);
        Assert.Equal(user, after.User!.Username);
    }

    [Fact]
    public async Task Failed_logins_from_one_address_are_throttled_across_usernames()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var audit = new AdminAudit(new AuditLog(graph.Database, NullLogger<AuditLog>.Instance), clock);
        using var cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = 100 });
        var login = new LoginService(new UserStore(graph.Database), audit, clock,
            Options.Create(new LoginOptions { FailuresPerMinutePerAddress = 3 }), cache);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(LoginOutcome.Failed, (await login.CheckAsync($"spray-{i}", "wrong-password-456", "192.0.2.77", default)).Outcome);
        }

        var throttled = await login.CheckAsync(AdminGraphFixture.ViewerName, AdminGraphFixture.ViewerPassword, "192.0.2.77", default);
        Assert.Equal(LoginOutcome.Throttled, throttled.Outcome);
        Assert.NotNull(throttled.RetryAfter);
        // Another address is not affected.
        Assert.Equal(LoginOutcome.Succeeded,
            (await login.CheckAsync(AdminGraphFixture.ViewerName, AdminGraphFixture.ViewerPassword, "192.0.2.78", default)).Outcome);
    }

    [Fact]
    public async Task Create_admin_cli_has_help_and_refuses_short_passwords_and_duplicates()
    {
        var (exit, output, _) = await AdminGraphFixture.RunCliAsync(graph.App, null, null, "create-admin", "--help");
        Assert.Equal(0, exit);
        Assert.Contains("--username", output, StringComparison.Ordinal);
        Assert.Contains("SMSBRIDGE_ADMIN_PASSWORD", output, StringComparison.Ordinal);

        (exit, _, var error) = await AdminGraphFixture.RunCliAsync(graph.App, graph.DatabaseConnectionString, "short",
            "create-admin", "--username", "cli-short");
        Assert.Equal(1, exit);
        Assert.Contains("at least 12", error, StringComparison.Ordinal);

        (exit, _, error) = await AdminGraphFixture.RunCliAsync(graph.App, graph.DatabaseConnectionString, "whatever-password-1",
            "create-admin", "--username", AdminGraphFixture.ViewerName);
        Assert.Equal(1, exit);
        Assert.Contains("--update", error, StringComparison.Ordinal);

        (exit, _, error) = await AdminGraphFixture.RunCliAsync(graph.App, null, null, "create-admin", "--bogus");
        Assert.Equal(2, exit);
        Assert.Contains("Usage", error, StringComparison.Ordinal);

        // A new account works at once, with its role.
        (exit, _, error) = await AdminGraphFixture.RunCliAsync(graph.App, graph.DatabaseConnectionString, "second-admin-pass-1",
            "create-admin", "--username", "second-admin", "--role", "admin");
        Assert.True(exit == 0, error);
        using var second = graph.CreateClient("second-admin", "second-admin-pass-1");
        using var response = await second.PostAsJsonAsync("/admin/blacklist", new { mobile_number = "+447700900555", reason = "cli admin can write" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.NotEmpty(await AdminTestKit.AuditAsync(graph.Database, "auth.user_created", "second-admin"));
    }
}
