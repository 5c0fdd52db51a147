using SmsBridge.AppHost.Publishing;

namespace SmsBridge.Tests.Deploy;

public sealed class NginxConfigTests
{
    private static readonly string Config = Repo.Read("deploy/nginx/nginx.conf");

    [Fact]
    public async Task Nginx_accepts_the_generated_config_with_a_throwaway_certificate()
    {
        var folder = Directory.CreateTempSubdirectory("smsbridge-nginx-").FullName;
        try
        {
            var certificate = await Tool.RunAsync("openssl",
            [
                "req", "-x509", "-nodes", "-newkey", "rsa:2048", "-days", "1", "-subj", "/CN=localhost",
                "-keyout", Path.Combine(folder, "privkey.pem"), "-out", Path.Combine(folder, "fullchain.pem"),
            ]);
            Assert.True(certificate.ExitCode == 0, certificate.All);
            // The one difference from production: where the certificate is (the container mounts it at /etc/nginx/tls).
            var config = Path.Combine(folder, "nginx.conf");
            await File.WriteAllTextAsync(config, Config.Replace("/etc/nginx/tls/", folder + "/", StringComparison.Ordinal));

            var test = await Tool.RunAsync("nginx", ["-t", "-c", config, "-e", "stderr"]);

            Assert.True(test.ExitCode == 0, test.All);
            Assert.Contains("syntax is ok", test.All, StringComparison.Ordinal);
            Assert.Contains("test is successful", test.All, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Nginx_rejects_a_config_whose_certificate_is_missing()
    {
        // Proves the check above reads the certificate: the same file without one fails.
        var folder = Directory.CreateTempSubdirectory("smsbridge-nginx-").FullName;
        try
        {
            var config = Path.Combine(folder, "nginx.conf");
            await File.WriteAllTextAsync(config, Config.Replace("/etc/nginx/tls/", folder + "/", StringComparison.Ordinal));

            var test = await Tool.RunAsync("nginx", ["-t", "-c", config, "-e", "stderr"]);

            Assert.NotEqual(0, test.ExitCode);
            Assert.Contains("fullchain.pem", test.All, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Config_redirects_to_https_sets_hsts_forwards_and_limits()
    {
        Assert.Contains("return 301 https://$host$request_uri;", Config, StringComparison.Ordinal);
        Assert.Contains("location /.well-known/acme-challenge/ {\n            root /var/www/certbot;", Config, StringComparison.Ordinal);
        Assert.Contains("add_header Strict-Transport-Security \"max-age=63072000; includeSubDomains\" always;", Config, StringComparison.Ordinal);
        foreach (var header in new[] { "X-Forwarded-For $proxy_add_x_forwarded_for", "X-Forwarded-Proto $scheme", "X-Forwarded-Host $host" })
        {
            Assert.Contains("proxy_set_header " + header, Config, StringComparison.Ordinal);
        }

        Assert.Contains("limit_req_zone $binary_remote_addr zone=api:10m", Config, StringComparison.Ordinal);
        Assert.Contains("ssl_protocols TLSv1.2 TLSv1.3;", Config, StringComparison.Ordinal);
        Assert.DoesNotContain("$request ", Config.Replace("$request_uri", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void Sms_receive_is_for_lan_sources_only_and_admin_goes_to_the_admin_service()
    {
        var receive = Block("location ^~ /sms/receive {");
        foreach (var range in ComposePublisher.LanRanges) Assert.Contains($"allow {range};", receive, StringComparison.Ordinal);
        Assert.Contains("deny all;", receive, StringComparison.Ordinal);
        Assert.True(receive.IndexOf("deny all;", StringComparison.Ordinal) > receive.LastIndexOf("allow ", StringComparison.Ordinal),
            "deny all must follow the allow lines");
        Assert.Contains("http://receiver:8080", receive, StringComparison.Ordinal);

        var admin = Block("location ^~ /admin {");
        Assert.Contains("http://admin:8080", admin, StringComparison.Ordinal);
        Assert.Contains("limit_req zone=admin", admin, StringComparison.Ordinal);
    }

    private static string Block(string opening)
    {
        var start = Config.IndexOf(opening, StringComparison.Ordinal);
        Assert.True(start >= 0, opening);
        return Config[start..Config.IndexOf("\n        }", start, StringComparison.Ordinal)];
    }
}
