using System.Text.RegularExpressions;
using SmsBridge.AppHost.Publishing;

namespace SmsBridge.Tests.Deploy;

public sealed class ComposeTests
{
    private static readonly string[] InternalServices = ["postgres", ProductionStack.PoolerName, "cache"];

    private static Dictionary<object, object> Services() => Yaml.Load(Repo.Read("deploy/docker-compose.yml")).Map("services");

    [Fact]
    public void Committed_stack_equals_a_fresh_compose_publish_of_the_committed_manifest()
    {
        var files = ComposePublisher.Render(Repo.Read("aspire-manifest.json"), Repo.Root, Repo.DeployFolder);

        Assert.Equal(8, files.Count);
        foreach (var (path, content) in files)
        {
            Assert.True(File.Exists(Path.Combine(Repo.DeployFolder, path)), $"deploy/{path} is missing: run the compose publisher");
            Assert.True(content == File.ReadAllText(Path.Combine(Repo.DeployFolder, path)),
                $"deploy/{path} is stale: run `dotnet run --project SmsBridge.AppHost -- --publisher compose --output-path ../deploy`.");
        }
    }

    [Fact]
    public async Task Docker_compose_config_accepts_the_stack_with_and_without_an_env_file()
    {
        // As the issue states it: from the repository root, no .env needed to validate.
        var bare = await Tool.RunAsync("docker-compose", ["-f", "deploy/docker-compose.yml", "config", "-q"]);
        Assert.True(bare.ExitCode == 0, bare.All);
        Assert.Contains("The DASHBOARD_TOKEN variable is not set", bare.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("PASSWORD variable", bare.Error, StringComparison.Ordinal); // no secret is a variable any more

        var folder = Directory.CreateTempSubdirectory("smsbridge-compose-").FullName;
        try
        {
            var env = Path.Combine(folder, ".env");
            var setup = await Tool.RunAsync(Repo.PathOf("deploy/setup-production.sh"), ["--env-only", "--env-file", env, "--domain", "sms.example.org"]);
            Assert.True(setup.ExitCode == 0, setup.All);
            await File.AppendAllTextAsync(env, "RECEIVER_LAN_BIND=192.168.1.20\nMONITORING_BIND=192.168.1.20\n");

            var configured = await Tool.RunAsync("docker-compose",
                ["--env-file", env, "-f", "deploy/docker-compose.yml", "-f", "deploy/docker-compose.receiver-port.yml", "config"]);

            Assert.True(configured.ExitCode == 0, configured.All);
            Assert.DoesNotContain("is not set", configured.Error, StringComparison.Ordinal);
            var resolved = Yaml.Load(configured.Output).Map("services");
            Assert.Equal(["192.168.1.20:8080:8080/tcp"], resolved.Map("receiver").List("ports"));

            var monitoring = await Tool.RunAsync("docker-compose",
                ["--env-file", env, "-f", "deploy/docker-compose.yml", "-f", "deploy/docker-compose.monitoring-ports.yml", "config"]);
            Assert.True(monitoring.ExitCode == 0, monitoring.All);
            var adminPorts = Yaml.Load(monitoring.Output).Map("services").Map("admin").List("ports");
            Assert.Equal(10, adminPorts.Count);
            Assert.All(adminPorts, p => Assert.StartsWith("192.168.1.20:190", (string)p, StringComparison.Ordinal));
            // Every secret a service mounts is a file setup-production.sh wrote, in the folder .env names.
            var secrets = Yaml.Load(configured.Output).Map("secrets");
            Assert.Equal(14, secrets.Count);
            foreach (var (name, secret) in secrets)
            {
                Assert.Equal(Path.Combine(folder, "secrets", (string)name), secret.Text("file"));
                Assert.True(File.Exists(secret.Text("file")), $"{name} was not written");
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Every_service_is_non_root_read_only_without_privileges_and_limited()
    {
        foreach (var (name, service) in Services())
        {
            var user = service.Text("user");
            Assert.False(string.IsNullOrEmpty(user), $"{name} has no user");
            Assert.Matches(@"^[1-9][0-9]*:[1-9][0-9]*$", user!);
            Assert.Equal("true", ((Dictionary<object, object>)service)["read_only"]);
            Assert.Contains("no-new-privileges:true", service.List("security_opt"));
            Assert.Equal(["ALL"], service.List("cap_drop"));
            Assert.Empty(service.List("cap_add"));
            Assert.False(service.Has("privileged"), $"{name} is privileged");
            Assert.NotEmpty(service.List("tmpfs"));
            Assert.Equal("unless-stopped", service.Text("restart"));
            Assert.NotNull(service.Text("mem_limit"));
            Assert.NotNull(service.Text("cpus"));
            Assert.Equal("json-file", service.Map("logging").Text("driver"));
            var healthcheck = service.Map("healthcheck");
            if (name.ToString() == ProductionStack.DashboardName)
            {
                Assert.Equal("true", healthcheck["disable"]); // the image has no shell or HTTP client; documented
                continue;
            }

            Assert.NotEmpty(healthcheck.List("test"));
        }
    }

    [Fact]
    public void Data_stores_are_on_the_internal_network_only_and_publish_nothing()
    {
        var compose = Yaml.Load(Repo.Read("deploy/docker-compose.yml"));
        var services = compose.Map("services");
        var networks = compose.Map("networks");
        Assert.Equal("true", networks.Map(ProductionStack.InternalNetwork)["internal"]);
        Assert.False(networks.Map(ProductionStack.EdgeNetwork).Has("internal"));

        foreach (var name in InternalServices)
        {
            Assert.False(services.Map(name).Has("ports"), $"{name} publishes a port");
            Assert.False(services.Map(name).Has("expose"), $"{name} exposes a port");
            Assert.Equal([ProductionStack.InternalNetwork], services.Map(name).List("networks"));
        }

        // Only the proxy publishes 80/443; the dashboard only on the host's loopback; nobody else.
        foreach (var (name, service) in services)
        {
            var ports = service.List("ports").Cast<string>().ToList();
            switch (name)
            {
                case ProductionStack.ProxyName:
                    Assert.Equal(["80:8080", "443:8443"], ports);
                    break;
                case ProductionStack.DashboardName:
                    Assert.All(ports, p => Assert.StartsWith("127.0.0.1:", p, StringComparison.Ordinal));
                    Assert.Equal([ProductionStack.ObservabilityProfile], service.List("profiles"));
                    break;
                default:
                    Assert.Empty(ports);
                    break;
            }
        }
    }

    [Fact]
    public void Every_data_store_mounts_the_shell_functions_its_entrypoint_sources()
    {
        var services = Services();

        // PostgreSQL's init script, Redis's and PgBouncer's entrypoints read their secrets with deploy/lib/secret-files.sh.
        foreach (var name in InternalServices)
        {
            Assert.Contains($"./lib:{ProductionStack.ScriptLibraryMount}:ro", services.Map(name).List("volumes"));
        }

        Assert.True(File.Exists(Path.Combine(EntrypointScripts.Library, "secret-files.sh")));
    }

    [Fact]
    public void Apps_reach_postgres_through_pgbouncer_and_no_secret_is_written_in_the_file()
    {
        var text = Repo.Read("deploy/docker-compose.yml");
        var services = Services();

        foreach (var app in new[] { "receiver", "admin", "backup" })
        {
            var environment = services.Map(app).Map("environment");
            Assert.StartsWith("Host=pgbouncer;Port=6432;Username=smsbridge_app;", (string)environment["ConnectionStrings__smsbridge"], StringComparison.Ordinal);
            Assert.Equal("Production", environment["ASPNETCORE_ENVIRONMENT"]);
            Assert.Equal("${OTEL_EXPORTER_OTLP_ENDPOINT:-}", environment["OTEL_EXPORTER_OTLP_ENDPOINT"]);
            Assert.Equal(ProductionStack.ProxyAddress + "/32", environment["ForwardedHeaders__TrustedProxies__0"]);
            Assert.Contains(services.Map(app).List("volumes").Cast<string>(), v => v.EndsWith(":/var/log/smsbridge", StringComparison.Ordinal));
        }

        // Migrations (advisory lock, DDL) and pg_dump keep a direct session with the server.
        Assert.StartsWith("Host=postgres;Port=5432;Username=smsbridge_owner;",
            (string)services.Map("receiver").Map("environment")["ConnectionStrings__smsbridge-migrations"], StringComparison.Ordinal);
        Assert.StartsWith("Host=postgres;Port=5432;Username=smsbridge_backup;",
            (string)services.Map("backup").Map("environment")["ConnectionStrings__smsbridge-backup"], StringComparison.Ordinal);
        Assert.Equal("pgbouncer:6432", services.Map("admin").Map("environment")["Monitoring__Endpoints__pgbouncer"]);

        // No value and no variable of a secret: only the stack's plain variables and the optional dashboard's two keys.
        Assert.DoesNotMatch(@"(?i)password=", text);
        string[] plainVariables =
        [
            "SMSBRIDGE_VERSION", "SMSBRIDGE_LOG_DIR", "SMSBRIDGE_DATA_DIR", "SMSBRIDGE_TLS_DIR", "SMSBRIDGE_ACME_WEBROOT", "SMSBRIDGE_SECRETS_DIR",
            "OTEL_EXPORTER_OTLP_ENDPOINT", "DASHBOARD_TOKEN", "DASHBOARD_OTLP_API_KEY",
        ];
        Assert.All(Regex.Matches(text, @"\$\{([A-Z_]+)").Select(m => m.Groups[1].Value), v => Assert.Contains(v, plainVariables));
    }

    [Fact]
    public void Every_secret_is_a_compose_secret_mounted_where_its_FILE_variable_points()
    {
        var compose = Yaml.Load(Repo.Read("deploy/docker-compose.yml"));
        var declared = compose.Map("secrets");
        var mountedSomewhere = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, service) in compose.Map("services"))
        {
            var mounted = service.List("secrets").Cast<string>().ToList();
            var environment = service.Has("environment") ? service.Map("environment") : new Dictionary<object, object>();
            var files = environment.Where(e => ((string)e.Key).EndsWith("_FILE", StringComparison.Ordinal))
                .Select(e => (string)e.Value).ToList();
            // Each _FILE names a secret this service mounts, and each mounted secret is read.
            Assert.Equal(mounted.Order(), files.Select(f => f["/run/secrets/".Length..]).Distinct().Order());
            Assert.All(files, f => Assert.StartsWith("/run/secrets/", f, StringComparison.Ordinal));
            Assert.All(mounted, m => Assert.True(declared.ContainsKey(m), $"{name} mounts the undeclared {m}"));
            if (mounted.Count > 0) Assert.Equal([ProductionStack.SecretReaderGroup], service.List("group_add"));
            mountedSomewhere.UnionWith(mounted);

            foreach (var (key, value) in environment)
            {
                var variable = (string)key;
                Assert.False(variable.StartsWith("Secrets__", StringComparison.Ordinal) && !variable.EndsWith("_FILE", StringComparison.Ordinal),
                    $"{name}: {variable} holds a secret");
                if (variable.StartsWith("ConnectionStrings__", StringComparison.Ordinal) && !variable.EndsWith("_FILE", StringComparison.Ordinal))
                {
                    Assert.True(environment.ContainsKey(variable + "_PASSWORD_FILE"), $"{name}: {variable} has no password file");
                }
            }
        }

        Assert.Equal(declared.Keys.Cast<string>().Order(), mountedSomewhere.Order());
        foreach (var (name, secret) in declared) Assert.Equal($"${{SMSBRIDGE_SECRETS_DIR:-./secrets}}/{name}", secret.Text("file"));
        Assert.Contains("secrets/", Repo.Read("deploy/.gitignore").Split('\n'));
    }

    [Fact]
    public void Nginx_is_the_way_in_and_the_dashboard_is_optional()
    {
        var services = Services();
        var proxy = services.Map(ProductionStack.ProxyName);

        Assert.Equal(ProductionStack.ProxyAddress, proxy.Map("networks").Map(ProductionStack.EdgeNetwork)["ipv4_address"]);
        Assert.Contains("./nginx/nginx.conf:/etc/nginx/nginx.conf:ro", proxy.List("volumes"));
        Assert.Contains(services.Map("receiver").List("networks"), n => (string)n == ProductionStack.EdgeNetwork);
        Assert.DoesNotContain(services.Map("postgres").List("networks"), n => (string)n == ProductionStack.EdgeNetwork);

        var dashboard = services.Map(ProductionStack.DashboardName).Map("environment");
        Assert.Equal("BrowserToken", dashboard["DASHBOARD__FRONTEND__AUTHMODE"]);
        Assert.Equal("ApiKey", dashboard["DASHBOARD__OTLP__AUTHMODE"]);
        Assert.Equal("${DASHBOARD_OTLP_API_KEY}", dashboard["DASHBOARD__OTLP__PRIMARYAPIKEY"]);
    }
}
