using System.Text.Json;
using static SmsBridge.AppHost.Publishing.ProductionStack;

namespace SmsBridge.AppHost.Publishing;

/// <summary>
/// Turns an Aspire manifest into a production compose stack, as aspirate would (one service per container or project,
/// <c>restart: unless-stopped</c>), then hardens it: parameters as compose secrets (files, never values or .env
/// variables), an internal network with no published port, PgBouncer in front of PostgreSQL, a TLS proxy as the only way in, non-root read-only containers
/// without capabilities, healthchecks, limits and host log folders.
/// </summary>
public static class ComposePublisher
{
    internal const string GeneratedBy = "Generated from aspire-manifest.json by `dotnet run --project SmsBridge.AppHost -- --publisher compose`.";

    /// <summary>The files of the stack, by path relative to <paramref name="outputDirectory"/>.</summary>
    public static IReadOnlyList<(string Path, string Content)> Render(string manifestJson, string manifestDirectory, string outputDirectory)
    {
        using var manifest = JsonDocument.Parse(manifestJson);
        var resources = manifest.RootElement.GetProperty("resources");
        var stack = new ComposeStack(resources, manifestDirectory, outputDirectory);
        var aspire = new AspireManifest(resources);
        var postgres = aspire.Single("container.v0", "postgres");
        var database = aspire.DatabaseOf(postgres);
        var roles = aspire.DatabaseRoles();

        return
        [
            ("docker-compose.yml", ComposeYaml.Write(stack.Compose(), GeneratedBy + "\nSecrets are files (compose secrets: from SMSBRIDGE_SECRETS_DIR, written by deploy/setup-production.sh); see docs/operations.md.")),
            ("docker-compose.receiver-port.yml", ComposeYaml.Write(ComposeStack.ReceiverPortOverride(),
                GeneratedBy + "\nOpt-in: publish the receiver's port 8080 on a LAN address for gateways that cannot use HTTPS.\n" +
                "docker-compose -f docker-compose.yml -f docker-compose.receiver-port.yml up -d")),
            ("docker-compose.monitoring-ports.yml", ComposeYaml.Write(ComposeStack.MonitoringPortsOverride(),
                GeneratedBy + "\nOpt-in: publish the admin service's on-demand monitoring forwarders (POST /admin/monitoring/open-port)\n" +
                "on one host address; nothing listens on them until a port is opened, and each closes itself at expiry.\n" +
                "docker-compose -f docker-compose.yml -f docker-compose.monitoring-ports.yml up -d")),
            (".env.example", stack.EnvironmentExample()),
            ("nginx/nginx.conf", EmbeddedTemplate.Render("nginx.conf", new()
            {
                ["ApiRate"] = "10r/s",
                ["AdminRate"] = "5r/s",
                ["TlsDirectory"] = "/etc/nginx/tls",
                ["LanAllow"] = string.Concat(LanRanges.Select(range => $"            allow {range};\n")).TrimEnd('\n'),
                ["ReceiverUrl"] = $"http://receiver:{HttpTargetPort}",
                ["AdminUrl"] = $"http://admin:{HttpTargetPort}",
            })),
            ("pgbouncer/pgbouncer.ini", EmbeddedTemplate.Render("pgbouncer.ini", new()
            {
                ["Database"] = database,
                ["ServerHost"] = postgres,
                ["ServerPort"] = "5432",
                ["PoolerPort"] = PoolerPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            })),
            ("postgres/pg_hba.conf", EmbeddedTemplate.Render("pg_hba.conf", new()
            {
                ["Database"] = database,
                ["Roles"] = string.Join(',', roles),
                ["InternalSubnet"] = InternalSubnet,
            })),
            ("redis/redis.conf", EmbeddedTemplate.Render("redis.conf", new() { ["Port"] = "6379", ["MaxMemory"] = RedisMaxMemory })),
        ];
    }

    /// <summary>Private ranges a gateway phone on the LAN posts from.</summary>
    public static readonly string[] LanRanges = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"];
}
