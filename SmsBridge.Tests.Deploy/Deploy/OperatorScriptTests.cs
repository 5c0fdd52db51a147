namespace SmsBridge.Tests.Deploy;

public sealed class OperatorScriptTests
{
    public static TheoryData<string> OperatorScripts => new()
    {
        "deploy/setup-production.sh", "deploy/certbot/obtain-certificate.sh", "deploy/certbot/check-expiry.sh",
        "deploy/monitoring/start.sh", "deploy/monitoring/stop.sh", "deploy/monitoring/check.sh",
    };

    [Theory]
    [MemberData(nameof(OperatorScripts))]
    public async Task Every_operator_script_answers_help(string script)
    {
        var help = await Tool.RunAsync(Repo.PathOf(script), ["--help"]);

        Assert.True(help.ExitCode == 0, help.All);
        Assert.Contains("Usage", help.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_script_parses_and_is_executable()
    {
        var scripts = Directory.GetFiles(Repo.DeployFolder, "*.sh", SearchOption.AllDirectories)
            .Where(s => !s.Contains("/monitoring/run/", StringComparison.Ordinal)).ToList();
        Assert.True(scripts.Count >= 10, string.Join(", ", scripts));

        foreach (var script in scripts)
        {
            var shell = File.ReadLines(script).First().Contains("bash", StringComparison.Ordinal) ? "bash" : "sh";
            var syntax = await Tool.RunAsync(shell, ["-n", script]);
            Assert.True(syntax.ExitCode == 0, $"{script}: {syntax.All}");
            Assert.True(File.GetUnixFileMode(script).HasFlag(UnixFileMode.UserExecute), $"{script} is not executable");
        }
    }

    [Fact]
    public async Task Setup_prepares_host_folders_owned_by_each_containers_user_and_a_placeholder_certificate()
    {
        var folder = Directory.CreateTempSubdirectory("smsbridge-host-").FullName;
        try
        {
            var env = Path.Combine(folder, ".env");
            Assert.Equal(0, (await Tool.RunAsync(Repo.PathOf("deploy/setup-production.sh"), ["--env-only", "--env-file", env, "--domain", "sms.example.org"])).ExitCode);
            var text = await File.ReadAllTextAsync(env);
            foreach (var (name, path) in new[] { ("SMSBRIDGE_LOG_DIR", "logs"), ("SMSBRIDGE_DATA_DIR", "data"), ("SMSBRIDGE_TLS_DIR", "tls"), ("SMSBRIDGE_ACME_WEBROOT", "www") })
            {
                text = System.Text.RegularExpressions.Regex.Replace(text, $"(?m)^{name}=.*$", $"{name}={Path.Combine(folder, path)}");
            }

            await File.WriteAllTextAsync(env, text);

            var prepared = await Tool.RunAsync(Repo.PathOf("deploy/setup-production.sh"), ["--host-only", "--env-file", env]);

            Assert.True(prepared.ExitCode == 0, prepared.All);
            foreach (var (path, owner) in new[]
                     {
                         ("logs/receiver", 1654), ("logs/admin", 1654), ("logs/backup", 1654), ("logs/postgres", 999), ("logs/redis", 999),
                         ("logs/pgbouncer", 10002), ("logs/nginx", 101), ("data/admin", 1654), ("data/backups", 1654),
                     })
            {
                var stat = await Tool.RunAsync("stat", ["-c", "%u %a", Path.Combine(folder, path)]);
                Assert.Equal($"{owner} 750", stat.Output.Trim());
            }

            var key = await Tool.RunAsync("stat", ["-c", "%U %g %a", Path.Combine(folder, "tls", "privkey.pem")]);
            Assert.Equal("root 101 640", key.Output.Trim());
            var certificate = await Tool.RunAsync("openssl", ["x509", "-in", Path.Combine(folder, "tls", "fullchain.pem"), "-noout", "-subject"]);
            Assert.Contains("sms.example.org", certificate.Output, StringComparison.Ordinal);

            // Run again: folders are kept, the placeholder is not replaced.
            var before = await File.ReadAllTextAsync(Path.Combine(folder, "tls", "fullchain.pem"));
            Assert.Equal(0, (await Tool.RunAsync(Repo.PathOf("deploy/setup-production.sh"), ["--host-only", "--env-file", env])).ExitCode);
            Assert.Equal(before, await File.ReadAllTextAsync(Path.Combine(folder, "tls", "fullchain.pem")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Expiry_check_fails_for_a_certificate_about_to_expire()
    {
        var folder = Directory.CreateTempSubdirectory("smsbridge-expiry-").FullName;
        try
        {
            var pem = Path.Combine(folder, "fullchain.pem");
            Assert.Equal(0, (await Tool.RunAsync("openssl",
                ["req", "-x509", "-nodes", "-newkey", "rsa:2048", "-days", "10", "-subj", "/CN=localhost", "-keyout", Path.Combine(folder, "key.pem"), "-out", pem])).ExitCode);

            var soon = await Tool.RunAsync(Repo.PathOf("deploy/certbot/check-expiry.sh"), ["--file", pem, "--days", "21"]);
            var fine = await Tool.RunAsync(Repo.PathOf("deploy/certbot/check-expiry.sh"), ["--file", pem, "--days", "5"]);

            Assert.Equal(1, soon.ExitCode);
            Assert.Contains("expires within 21 days", soon.Error, StringComparison.Ordinal);
            Assert.Equal(0, fine.ExitCode);
            Assert.Contains("Expires:", fine.Output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
