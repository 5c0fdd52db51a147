using System.Text;
using System.Text.Json;
using static SmsBridge.AppHost.Publishing.ProductionStack;

namespace SmsBridge.AppHost.Publishing;

/// <summary>
/// The compose services, networks and volumes for one manifest: aspirate's translation (containers and projects as
/// services, expressions resolved) with parameters as compose secrets (<see cref="ComposeSecrets"/>) rather than .env
/// variables, plus the production hardening of every service.
/// </summary>
internal sealed class ComposeStack(JsonElement resources, string manifestDirectory, string outputDirectory)
{
    private readonly AspireManifest _manifest = new(resources);
    private readonly ManifestExpressions _expressions = new(resources, ComposeSecrets.Style);
    private readonly ComposeSecrets _secrets = new();

    private string Relative(string manifestRelativePath) =>
        Path.GetRelativePath(outputDirectory, Path.GetFullPath(manifestRelativePath, manifestDirectory)).Replace('\\', '/');

    /// <summary>The entrypoints' shell functions for the services that run a deploy/ entrypoint outside the manifest (PostgreSQL's come with its bind mounts).</summary>
    private string ScriptLibraryVolume => $"./{Relative(ScriptLibrary)}:{ScriptLibraryMount}:ro";

    public ComposeFile Compose()
    {
        var postgres = _manifest.Single("container.v0", "postgres");
        var redis = _manifest.Single("container.v0", "redis");
        var services = new OrderedDictionary<string, ComposeService>();
        foreach (var container in _manifest.OfType("container.v0"))
        {
            services[container.Name] = container.Name == postgres ? Postgres(container)
                : container.Name == redis ? Redis(container)
                : throw new InvalidDataException($"No production form for container '{container.Name}'.");
            if (container.Name == postgres) services[PoolerName] = Pooler(postgres);
        }

        foreach (var project in _manifest.OfType("project.v0")) services[project.Name] = Project(project, postgres);
        services[ProxyName] = Proxy();
        services[DashboardName] = Dashboard();

        var volumes = new OrderedDictionary<string, ComposeVolume>();
        foreach (var container in _manifest.OfType("container.v0"))
        {
            if (!container.Value.TryGetProperty("volumes", out var list)) continue;
            foreach (var volume in list.EnumerateArray()) volumes[volume.GetProperty("name").GetString()!] = new ComposeVolume();
        }

        return new ComposeFile
        {
            Services = services,
            Networks = new()
            {
                [InternalNetwork] = new ComposeNetwork { Internal = true, Ipam = Subnet(InternalSubnet) },
                [EdgeNetwork] = new ComposeNetwork { Ipam = Subnet(EdgeSubnet) },
            },
            Volumes = volumes,
            Secrets = _secrets.Declarations(),
        };
    }

    public static ComposeFile ReceiverPortOverride() => new()
    {
        Services = new()
        {
            ["receiver"] = new ComposeService { Ports = ["${RECEIVER_LAN_BIND:?set RECEIVER_LAN_BIND to the server's LAN address}:8080:8080"] },
        },
    };

    public static ComposeFile MonitoringPortsOverride() => new()
    {
        Services = new()
        {
            ["admin"] = new ComposeService
            {
                Ports = ["${MONITORING_BIND:?set MONITORING_BIND to the address the laptop reaches}:${MONITORING_PORTS:-19000-19009}:${MONITORING_PORTS:-19000-19009}"],
            },
        },
    };

    private static ComposeIpam Subnet(string subnet) => new([new ComposeSubnet(subnet)]);

    private ComposeService Postgres(JsonProperty container)
    {
        var spec = container.Value;
        var args = spec.GetProperty("args").EnumerateArray().Select(a => a.GetString()!).Concat(PostgresSettings);
        var volumes = Volumes(spec);
        volumes.Add("./postgres/pg_hba.conf:/etc/smsbridge/pg_hba.conf:ro");
        volumes.Add($"{LogRoot}/postgres:/var/log/postgresql");
        var service = Hardened(container.Name, spec.GetProperty("image").GetString()!, PostgresUser,
            ["/var/run/postgresql:uid=999,gid=999,mode=0775", "/tmp:mode=1777"]);
        service.Command = [.. args.Select(_expressions.Resolve)];
        WithSecretEnvironment(service, Environment(spec));
        service.Volumes = volumes;
        service.Networks = new ServiceNetworks(InternalNetwork);
        service.Healthcheck = Healthcheck("CMD-SHELL", PostgresReadyCheck);
        // The entrypoint sets up a fresh data folder, then runs as the same unprivileged user.
        service.StopGracePeriod = "60s";
        return service;
    }

    private ComposeService Pooler(string postgres)
    {
        var service = Hardened(PoolerName, "smsbridge/pgbouncer:${SMSBRIDGE_VERSION:-latest}", PoolerUser,
            ["/run/pgbouncer:uid=10002,gid=10002,mode=0700", "/tmp:mode=1777"]);
        service.Build = new ComposeBuild { Context = "./pgbouncer" };
        var pooled = resources.EnumerateObject()
            .Select(r => r.Value.TryGetProperty("connectionString", out var cs) ? cs.GetString()! : "")
            .First(cs => PooledRoles.Any(role => cs.Contains($"Username={role};", StringComparison.Ordinal)));
        var login = pooled.Split(';').ToDictionary(p => p[..p.IndexOf('=', StringComparison.Ordinal)], p => p[(p.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        WithSecretEnvironment(service, [("PGBOUNCER_USER", login["Username"]), ("PGBOUNCER_PASSWORD", _expressions.Resolve(login["Password"]))]);
        service.Volumes = ["./pgbouncer/pgbouncer.ini:/etc/pgbouncer/pgbouncer.ini:ro", ScriptLibraryVolume, $"{LogRoot}/pgbouncer:/var/log/pgbouncer"];
        service.Networks = new ServiceNetworks(InternalNetwork);
        service.DependsOn = DependsOn([postgres]);
        service.Healthcheck = Healthcheck("CMD", "pg_isready", "-h", "127.0.0.1", "-p", PoolerPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-q");
        return service;
    }

    private ComposeService Redis(JsonProperty container)
    {
        var spec = container.Value;
        var service = Hardened(container.Name, spec.GetProperty("image").GetString()!, RedisUser, ["/run/redis:uid=999,gid=999,mode=0700", "/tmp:mode=1777"]);
        // The manifest's plain --requirepass becomes ACL users: the app's default user without dangerous commands,
        // and a monitor user for redis_exporter that can read INFO and nothing else.
        service.Entrypoint = ["/bin/sh", "/etc/redis/entrypoint.sh"];
        WithSecretEnvironment(service, [.. Environment(spec), (RedisMonitorPassword, ComposeSecrets.Style.Parameter(RedisMonitorSecret))]);
        var volumes = Volumes(spec);
        volumes.Add("./redis/redis.conf:/etc/redis/redis.conf:ro");
        volumes.Add("./redis/entrypoint.sh:/etc/redis/entrypoint.sh:ro");
        volumes.Add(ScriptLibraryVolume);
        volumes.Add($"{LogRoot}/redis:/var/log/redis");
        service.Volumes = volumes;
        service.Networks = new ServiceNetworks(InternalNetwork);
        service.Healthcheck = Healthcheck("CMD-SHELL", RedisReadyCheckFromFile.Replace("$", "$$", StringComparison.Ordinal));
        return service;
    }

    private ComposeService Project(JsonProperty project, string postgres)
    {
        var name = project.Name;
        var spec = project.Value;
        var folder = Path.GetDirectoryName(spec.GetProperty("path").GetString()!)!.Replace('\\', '/');
        var service = Hardened(name, $"{ServiceImage(name)}:${{SMSBRIDGE_VERSION:-latest}}", DotnetUser, ["/tmp:mode=1777"]);
        var root = Relative(Path.GetDirectoryName(folder) is { Length: > 0 } parent ? parent : ".");
        service.Build = new ComposeBuild
        {
            Context = root,
            Dockerfile = ServiceDockerfile,
            Args = new() { [ServiceProjectArgument] = ServiceProject(spec.GetProperty("path").GetString()!) },
        };

        _expressions.Referenced.Clear();
        var (environment, secrets) = _secrets.Environment(Environment(spec));
        var dependencies = _expressions.Referenced.Where(r => r != name).ToList();
        foreach (var (key, value) in ServiceSettings(name)) environment[key] = value;
        // Empty unless the observability profile runs: the services then export nothing and lose nothing.
        environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = "${OTEL_EXPORTER_OTLP_ENDPOINT:-}";
        environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "grpc";
        environment["OTEL_EXPORTER_OTLP_HEADERS"] = "x-otlp-api-key=${DASHBOARD_OTLP_API_KEY:-}";
        environment["ForwardedHeaders__TrustedProxies__0"] = ProxyAddress + "/32";
        if (environment.ContainsKey("Monitoring__Endpoints__postgres"))
        {
            environment["Monitoring__Endpoints__pgbouncer"] = $"{PoolerName}:{PoolerPort}";
        }

        service.Environment = environment;
        ComposeSecrets.Grant(service, secrets);
        var volumes = new List<string> { $"{LogRoot}/{name}:{LogDirectory}" };
        foreach (var value in spec.GetProperty("env").EnumerateObject().Select(e => e.Value.GetString()!)
                     .Where(v => v.StartsWith(ServiceDataRoot + "/", StringComparison.Ordinal)))
        {
            volumes.Add($"{DataRoot}{value[ServiceDataRoot.Length..]}:{value}");
        }

        service.Volumes = volumes;
        // Internal for the data stores; edge because each is reached by the proxy (receiver, admin) or needs a way
        // out (webhooks to the backend, off-site backup copies), and published ports need a non-internal network.
        service.Networks = new ServiceNetworks(InternalNetwork, EdgeNetwork);
        service.DependsOn = DependsOn(dependencies);
        service.Healthcheck = Healthcheck("CMD", "bash", "-c", HttpProbe(HttpTargetPort, "/health"));
        service.StopGracePeriod = "40s";
        return service;
    }

    private static ComposeService Proxy()
    {
        var service = Hardened(ProxyName, ProxyImage, ProxyUser, ["/tmp:uid=101,gid=101,mode=0755"]);
        service.Ports = ["80:8080", "443:8443"];
        service.Volumes =
        [
            "./nginx/nginx.conf:/etc/nginx/nginx.conf:ro",
            "${SMSBRIDGE_TLS_DIR:-/etc/smsbridge/tls}:/etc/nginx/tls:ro",
            "${SMSBRIDGE_ACME_WEBROOT:-/var/www/certbot}:/var/www/certbot:ro",
            $"{LogRoot}/nginx:/var/log/nginx",
        ];
        service.Networks = ServiceNetworks.WithAddress(EdgeNetwork, ProxyAddress);
        service.DependsOn = DependsOn(["receiver", "admin"]);
        service.Healthcheck = Healthcheck("CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/nginx-health");
        return service;
    }

    private static ComposeService Dashboard()
    {
        var service = Hardened(DashboardName, DashboardImage, DotnetUser, ["/tmp:mode=1777"]);
        service.Profiles = [ObservabilityProfile];
        service.Environment = new()
        {
            ["DASHBOARD__FRONTEND__AUTHMODE"] = "BrowserToken",
            ["DASHBOARD__FRONTEND__BROWSERTOKEN"] = "${DASHBOARD_TOKEN}",
            ["DASHBOARD__OTLP__AUTHMODE"] = "ApiKey",
            ["DASHBOARD__OTLP__PRIMARYAPIKEY"] = "${DASHBOARD_OTLP_API_KEY}",
            ["DOTNET_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS"] = "false",
        };
        // The UI on the host's loopback only (reach it over SSH); OTLP on the internal network only.
        service.Ports = ["127.0.0.1:18888:18888"];
        service.Networks = new ServiceNetworks(InternalNetwork, EdgeNetwork);
        // The image has neither a shell nor an HTTP client to probe with; the UI answering is the check.
        service.Healthcheck = new ComposeHealthcheck { Disable = true };
        return service;
    }

    private static ComposeService Hardened(string name, string image, string user, List<string> tmpfs)
    {
        var (memory, cpus) = Limits.TryGetValue(name, out var limit) ? limit : DefaultLimits;
        return new ComposeService
        {
            Image = image,
            Restart = "unless-stopped",
            User = user,
            ReadOnly = true,
            Tmpfs = tmpfs,
            SecurityOpt = ["no-new-privileges:true"],
            CapDrop = ["ALL"],
            MemLimit = memory,
            Cpus = cpus,
            PidsLimit = 256,
            Logging = new ComposeLogging("json-file", new() { ["max-size"] = "10m", ["max-file"] = "5" }),
        };
    }

    /// <summary>A resource's environment with its expressions resolved (parameters still marked for <see cref="ComposeSecrets"/>).</summary>
    private List<(string Name, string Value)> Environment(JsonElement spec) =>
        AspireManifest.Environment(spec).Select(v => (v.Name, _expressions.Resolve(v.Value))).ToList();

    /// <summary>The environment of a service, every secret in it a mounted file.</summary>
    private void WithSecretEnvironment(ComposeService service, IEnumerable<(string Name, string Value)> resolved)
    {
        var (environment, secrets) = _secrets.Environment(resolved);
        service.Environment = environment;
        ComposeSecrets.Grant(service, secrets);
    }

    private List<string> Volumes(JsonElement spec)
    {
        var volumes = new List<string>();
        foreach (var key in new[] { "volumes", "bindMounts" })
        {
            if (!spec.TryGetProperty(key, out var list)) continue;
            foreach (var mount in list.EnumerateArray())
            {
                var source = key == "volumes" ? mount.GetProperty("name").GetString()! : Relative(mount.GetProperty("source").GetString()!);
                if (key == "bindMounts" && !source.StartsWith('.')) source = "./" + source;
                var suffix = mount.GetProperty("readOnly").GetBoolean() ? ":ro" : "";
                volumes.Add($"{source}:{mount.GetProperty("target").GetString()}{suffix}");
            }
        }

        return volumes;
    }

    private static OrderedDictionary<string, ComposeDependency> DependsOn(IEnumerable<string> services)
    {
        var dependencies = new OrderedDictionary<string, ComposeDependency>();
        foreach (var service in services.OrderBy(s => s, StringComparer.Ordinal)) dependencies[service] = new ComposeDependency("service_healthy");
        return dependencies;
    }

    private static ComposeHealthcheck Healthcheck(params string[] test) => new()
    {
        Test = [.. test],
        Interval = "10s",
        Timeout = "5s",
        Retries = 5,
        StartPeriod = "30s",
    };

    /// <summary>An HTTP GET with bash's /dev/tcp: the .NET images carry no curl or wget.</summary>
    public static string HttpProbe(int port, string path) =>
        $"exec 3<>/dev/tcp/127.0.0.1/{port} && printf 'GET {path} HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '";

    public string EnvironmentExample()
    {
        var text = new StringBuilder();
        text.Append("# ").Append(ComposePublisher.GeneratedBy).Append('\n')
            .Append("# deploy/setup-production.sh writes deploy/.env (mode 0600) from this file; do not commit it.\n\n")
            .Append($"# Secret files. deploy/setup-production.sh generates each into SMSBRIDGE_SECRETS_DIR (owner root, group {SecretReaderGroup},\n")
            .Append($"# mode 0440); compose mounts them at {SecretMountDirectory}/<name> and the services read them through *_FILE variables.\n")
            .Append("# No secret value is written in this file or in docker-compose.yml.\n");
        foreach (var parameter in _manifest.OfType("parameter.v0"))
        {
            var input = parameter.Value.GetProperty("inputs").GetProperty("value");
            var hint = input.TryGetProperty("default", out var d) && d.TryGetProperty("generate", out var g)
                ? $"at least {g.GetProperty("minLength").GetInt32()} random letters and digits"
                : "a formatted key: let setup-production.sh generate it";
            text.Append($"#   secret {parameter.Name}: {hint}\n");
        }

        text.Append($"#   secret {RedisMonitorSecret}: redis_exporter's read-only Redis user (the laptop monitoring kit)\n");
        text.Append("SMSBRIDGE_SECRETS_DIR=./secrets\n");

        text.Append("""

            # Production stack.
            COMPOSE_PROJECT_NAME=smsbridge
            # Aspire dashboard (profile "observability"): browser login token and the services' OTLP API key. The only secrets
            # kept here: the dashboard's image reads its settings from the environment alone (it has no shell to read a file).
            DASHBOARD_TOKEN=
            DASHBOARD_OTLP_API_KEY=
            # With the dashboard: COMPOSE_PROFILES=observability and OTEL_EXPORTER_OTLP_ENDPOINT=http://dashboard:18889
            COMPOSE_PROFILES=
            OTEL_EXPORTER_OTLP_ENDPOINT=
            # The public name certbot requests a certificate for.
            SMSBRIDGE_DOMAIN=
            SMSBRIDGE_VERSION=latest
            SMSBRIDGE_LOG_DIR=/var/log/smsbridge
            SMSBRIDGE_DATA_DIR=/var/lib/smsbridge
            SMSBRIDGE_TLS_DIR=/etc/smsbridge/tls
            SMSBRIDGE_ACME_WEBROOT=/var/www/certbot
            # Only with docker-compose.receiver-port.yml: the LAN address the receiver's 8080 is published on.
            RECEIVER_LAN_BIND=
            # Only with docker-compose.monitoring-ports.yml: the address and port range of the admin's monitoring forwarders
            # (the external ports configured in the admin service must fall inside the range).
            MONITORING_BIND=
            MONITORING_PORTS=19000-19009

            """);
        return text.ToString();
    }
}
