using System.Text.Json;

namespace SmsBridge.Tests.Deploy;

public sealed class MonitoringKitTests
{
    private static string Kit(string relative) => Repo.PathOf(Path.Combine("deploy/monitoring", relative));

    [Fact]
    public async Task Promtool_accepts_the_rendered_prometheus_config()
    {
        var rendered = Path.Combine(Path.GetTempPath(), $"smsbridge-prometheus-{Guid.NewGuid():N}.yml");
        try
        {
            var render = await Tool.RunAsync(Kit("start.sh"), ["--env", Kit("monitoring.env.example"), "--render-only", rendered]);
            Assert.True(render.ExitCode == 0, render.All);

            var check = await Tool.RunAsync("promtool", ["check", "config", rendered]);

            Assert.True(check.ExitCode == 0, check.All);
            Assert.Contains("SUCCESS", check.All, StringComparison.Ordinal);
            var config = Yaml.Load(await File.ReadAllTextAsync(rendered));
            var jobs = config.List("scrape_configs").Select(j => j.Text("job_name")).ToList();
            Assert.Equal(["smsbridge", "postgres", "redis", "node", "prometheus"], jobs);
            Assert.Contains("sms.example.org:19001", await File.ReadAllTextAsync(rendered), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(rendered);
        }
    }

    [Fact]
    public async Task The_admin_export_fills_the_targets()
    {
        var folder = Directory.CreateTempSubdirectory("smsbridge-export-").FullName;
        try
        {
            var export = Path.Combine(folder, "export.yml");
            await File.WriteAllTextAsync(export, """
                scrape_configs:
                  - job_name: 'smsbridge-metrics'
                    static_configs:
                      - targets: ['203.0.113.9:20001']
                  - job_name: "smsbridge-postgres"
                    static_configs:
                      - targets: ["203.0.113.9:20002"]
                  - job_name: smsbridge-redis
                    static_configs:
                      - targets: [203.0.113.9:20003]
                """);
            var rendered = Path.Combine(folder, "prometheus.yml");

            var render = await Tool.RunAsync(Kit("start.sh"), ["--env", Kit("monitoring.env.example"), "--export", export, "--render-only", rendered]);

            Assert.True(render.ExitCode == 0, render.All);
            var text = await File.ReadAllTextAsync(rendered);
            Assert.Contains("203.0.113.9:20001", text, StringComparison.Ordinal);
            Assert.DoesNotContain("sms.example.org", text, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Promtool_accepts_the_rules_and_their_unit_tests_pass()
    {
        var check = await Tool.RunAsync("promtool", ["check", "rules", Kit("prometheus/rules/smsbridge.yml")]);
        Assert.True(check.ExitCode == 0, check.All);

        var rules = Yaml.Load(Repo.Read("deploy/monitoring/prometheus/rules/smsbridge.yml"))
            .List("groups").SelectMany(g => g.List("rules")).Select(r => r.Text("alert")).ToHashSet();
        foreach (var alert in new[]
                 {
                     "SmsBridgeServiceDown", "SmsBridgeHighErrorRate", "SmsBridgeSlowP95", "SmsBridgeOutboxBacklog", "SmsBridgeOutboxOldestTooOld",
                     "SmsBridgeDeadLetters", "SmsBridgeBackupTooOld", "SmsBridgeBackupFailed", "SmsBridgeDoctorCheckFailing", "PostgresqlDown", "PostgresqlTooManyConnections",
                     "RedisDown", "RedisOutOfConfiguredMaxmemory", "RedisMissingBackup", "HostOutOfDiskSpace",
                 })
        {
            Assert.Contains(alert, rules);
        }

        var test = await Tool.RunAsync("promtool", ["test", "rules", "smsbridge-tests.yml"], workingDirectory: Kit("prometheus/rules/tests"));

        Assert.True(test.ExitCode == 0, test.All);
        Assert.Contains("SUCCESS", test.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_rule_tests_catch_a_changed_threshold()
    {
        // The unit tests are not vacuous: with a 24-hour backup threshold the backup expectations fail.
        var folder = Directory.CreateTempSubdirectory("smsbridge-rules-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(folder, "tests"));
            await File.WriteAllTextAsync(Path.Combine(folder, "smsbridge.yml"),
                Repo.Read("deploy/monitoring/prometheus/rules/smsbridge.yml").Replace("> 26 * 3600", "> 24 * 3600", StringComparison.Ordinal));
            File.Copy(Kit("prometheus/rules/tests/smsbridge-tests.yml"), Path.Combine(folder, "tests", "smsbridge-tests.yml"));

            var test = await Tool.RunAsync("promtool", ["test", "rules", "smsbridge-tests.yml"], workingDirectory: Path.Combine(folder, "tests"));

            Assert.NotEqual(0, test.ExitCode);
            Assert.Contains("SmsBridgeBackupTooOld", test.All, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Amtool_accepts_the_alertmanager_example()
    {
        var check = await Tool.RunAsync("amtool", ["check-config", Kit("alertmanager/alertmanager.yml")]);

        Assert.True(check.ExitCode == 0, check.All);
        Assert.Contains("SUCCESS", check.All, StringComparison.Ordinal);
    }

    [Fact]
    public void Grafana_provisioning_and_dashboards_are_valid_and_use_the_provisioned_source()
    {
        var datasource = Yaml.Load(Repo.Read("deploy/monitoring/grafana/provisioning/datasources/prometheus.yml")).List("datasources").Single();
        var uid = datasource.Text("uid");
        var provider = Yaml.Load(Repo.Read("deploy/monitoring/grafana/provisioning/dashboards/smsbridge.yml")).List("providers").Single();
        var path = provider.Map("options").Text("path")!;
        Assert.Contains($":{path}:ro", Repo.Read("deploy/monitoring/start.sh"), StringComparison.Ordinal);

        var dashboards = Directory.GetFiles(Kit("grafana/dashboards"), "*.json");
        Assert.Equal(2, dashboards.Length);
        var uids = new HashSet<string>();
        foreach (var file in dashboards)
        {
            using var dashboard = JsonDocument.Parse(File.ReadAllText(file));
            var root = dashboard.RootElement;
            Assert.True(uids.Add(root.GetProperty("uid").GetString()!), file);
            Assert.False(string.IsNullOrWhiteSpace(root.GetProperty("title").GetString()));
            var panels = root.GetProperty("panels").EnumerateArray().ToList();
            Assert.True(panels.Count >= 6, file);
            Assert.Equal(panels.Count, panels.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
            foreach (var panel in panels)
            {
                Assert.Equal(uid, panel.GetProperty("datasource").GetProperty("uid").GetString());
                Assert.Contains(panel.GetProperty("targets").EnumerateArray(), t => !string.IsNullOrWhiteSpace(t.GetProperty("expr").GetString()));
            }
        }
    }
}
