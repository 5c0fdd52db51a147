using System.Net;
using System.Text.Json;
using SmsBridge.Admin.Doctor;
using SmsBridge.Tests.Admin;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Doctor;

/// <summary>
/// One set of checks, three ways in, against the running graph: <c>GET /admin/doctor</c>, the CLI (<c>doctor --json</c>,
/// exit 1 when a check fails) and the gauge on the management port's /metrics.
/// </summary>
[Collection(AdminGraphCollection.Name)]
public sealed class DoctorSurfaceTests(AdminGraphFixture graph)
{
    private static readonly string[] Areas = ["proxy.", "postgres.", "redis.", "ports.", "backups.", "secrets.", "dotnet."];

    [Fact]
    public async Task The_api_reports_every_area_with_evidence_and_a_fix_for_what_does_not_pass_and_metrics_carry_it()
    {
        using var admin = graph.CreateClient();
        var report = await AdminTestKit.JsonAsync(await admin.GetAsync("/admin/doctor"), HttpStatusCode.OK);
        var results = report.GetProperty("results").EnumerateArray().ToList();
        Assert.All(Areas, area => Assert.Contains(results, r => r.GetProperty("id").GetString()!.StartsWith(area, StringComparison.Ordinal)));
        Assert.All(results, r =>
        {
            Assert.Contains(r.GetProperty("status").GetString(), new[] { "pass", "warn", "fail" });
            Assert.False(string.IsNullOrWhiteSpace(r.GetProperty("evidence").GetString()));
            if (r.GetProperty("status").GetString() != "pass") Assert.False(string.IsNullOrWhiteSpace(r.GetProperty("fix").GetString()));
        });
        Assert.Equal("pass", results.Single(r => r.GetProperty("id").GetString() == "postgres.trust").GetProperty("status").GetString());
        Assert.Equal("pass", results.Single(r => r.GetProperty("id").GetString() == "redis.password").GetProperty("status").GetString());
        // The receiver recorded its webhook secret's first use when it started.
        Assert.Equal("pass", results.Single(r => r.GetProperty("id").GetString() == "secrets.webhook_age").GetProperty("status").GetString());

        using var scrape = new HttpClient();
        var metrics = await scrape.GetStringAsync(new Uri(graph.App.GetEndpoint("admin", "management"), "/metrics"));
        Assert.Matches("""smsbridge_doctor_check_status\{[^}]*check="postgres\.trust"[^}]*\} 0""", metrics);

        using var viewer = graph.CreateClient(AdminGraphFixture.ViewerName);
        using var read = await viewer.GetAsync("/admin/doctor");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode); // reading is for every operator
        using var anonymous = graph.CreateClient(user: null);
        using var refused = await anonymous.GetAsync("/admin/doctor");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task A_spoofed_forwarded_header_is_ignored_from_an_untrusted_address_and_flagged_from_a_trusted_one()
    {
        // The test graph's receiver trusts X-Forwarded-For from 127.0.0.1/32 (tests speak through a "proxy" that way), so
        // from 127.0.0.1 the spoofed header is believed, and from 127.0.0.2 (also loopback, also LAN) it must be ignored.
        var receiver = Assert.Single(await graph.App.InstancesAsync("receiver")).Url;
        var trusted = await new ProxyChecks(receiver, IPAddress.Loopback).RunAsync(CancellationToken.None);
        Assert.Equal(CheckStatus.Fail, Assert.Single(trusted).Status);
        Assert.Contains("TrustedProxies", Assert.Single(trusted).Fix, StringComparison.Ordinal);

        var untrusted = await new ProxyChecks(receiver, IPAddress.Parse("127.0.0.2")).RunAsync(CancellationToken.None);
        Assert.Equal(CheckStatus.Pass, Assert.Single(untrusted).Status);
    }

    [Fact]
    public async Task The_cli_prints_json_and_exits_1_when_a_check_fails_and_says_what_is_wrong_with_its_arguments()
    {
        var cache = await graph.App.GetConnectionStringAsync("cache");
        var (exit, output, error) = await AdminGraphFixture.RunCliAsync(graph.App, graph.DatabaseConnectionString, null,
            "doctor", "--json", $"ConnectionStrings:cache={cache}");
        using var report = JsonDocument.Parse(output);
        var results = report.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Contains(results, r => r.GetProperty("id").GetString() == "postgres.app_role");
        var failed = results.Any(r => r.GetProperty("status").GetString() == "fail");
        Assert.True(exit == (failed ? 1 : 0), $"exit {exit} with failures={failed}: {error}");

        // The test graph copies no backup off-site: a warning, with its fix on the next line.
        var table = await AdminGraphFixture.RunCliAsync(graph.App, graph.DatabaseConnectionString, null, "doctor");
        Assert.Matches(@"WARN +backups\.offsite +no off-site copy at all\n +fix: set Backup__Offsite__Directory", table.Output);
        Assert.Matches(@"\d+ passed, \d+ warnings, \d+ failed", table.Output);

        var usage = await AdminGraphFixture.RunCliAsync(graph.App, null, null, "doctor", "--url", "http://plain.example");
        Assert.Equal(2, usage.Exit);
        Assert.Contains("https://", usage.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", usage.Error, StringComparison.Ordinal);
        var help = await AdminGraphFixture.RunCliAsync(graph.App, null, null, "doctor", "--help");
        Assert.Equal(0, help.Exit);
        Assert.Contains("--json", help.Output, StringComparison.Ordinal);
    }
}
