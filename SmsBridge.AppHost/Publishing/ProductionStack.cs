namespace SmsBridge.AppHost.Publishing;

/// <summary>The facts of the production stack that the manifest does not carry: networks, the pooler, users, limits.</summary>
public static class ProductionStack
{
    public const string InternalNetwork = "internal";
    public const string InternalSubnet = "172.30.10.0/24";
    public const string EdgeNetwork = "edge";
    public const string EdgeSubnet = "172.30.20.0/24";

    /// <summary>The TLS proxy's fixed address: the only source the services believe X-Forwarded-* from.</summary>
    public const string ProxyAddress = "172.30.20.10";

    /// <summary>The port every service's Kestrel listens on for HTTP inside its container (the manifest's http target port).</summary>
    public const int HttpTargetPort = 8080;

    /// <summary>The management (health, metrics) port inside each service's container.</summary>
    public const int ManagementTargetPort = 9464;

    /// <summary>Where a service keeps its rotating log files inside its container.</summary>
    public const string LogDirectory = "/var/log/smsbridge";

    /// <summary>Where a service's data folders go inside its container (one per <c>WithDataDirectory</c>); <see cref="DataRoot"/> on the host.</summary>
    public const string ServiceDataRoot = "/var/lib/smsbridge";

    public const string PoolerName = "pgbouncer";
    public const int PoolerPort = 6432;

    /// <summary>
    /// Roles whose connections go through PgBouncer. The owner (migrations under an advisory lock, DDL) and the backup
    /// reader (pg_dump's long snapshot) keep a direct session with the server.
    /// </summary>
    public static readonly string[] PooledRoles = ["smsbridge_app"];

    public const string ProxyName = "nginx";
    public const string ProxyImage = "docker.io/nginxinc/nginx-unprivileged:1.27.3-alpine";
    public const string DashboardName = "dashboard";
    public const string DashboardImage = "mcr.microsoft.com/dotnet/aspire-dashboard:9.1";
    public const string ObservabilityProfile = "observability";

    // Numeric users of each image (the images' own unprivileged accounts), so non-root is visible in the compose file.
    public const string PostgresUser = "999:999";
    public const string RedisUser = "999:999";
    public const string PoolerUser = "10002:10002";
    public const string DotnetUser = "1654:1654";
    public const string ProxyUser = "101:101";

    public const string LogRoot = "${SMSBRIDGE_LOG_DIR:-/var/log/smsbridge}";
    public const string DataRoot = "${SMSBRIDGE_DATA_DIR:-/var/lib/smsbridge}";

    /// <summary>Redis memory ceiling, below the container's limit so that Redis refuses writes before the kernel kills it.</summary>
    public const string RedisMaxMemory = "256mb";

    public static readonly Dictionary<string, (string Memory, string Cpus)> Limits = new(StringComparer.Ordinal)
    {
        ["postgres"] = ("1g", "1.0"),
        [PoolerName] = ("128m", "0.5"),
        ["cache"] = ("384m", "0.5"),
        ["receiver"] = ("512m", "1.0"),
        ["admin"] = ("384m", "0.5"),
        ["backup"] = ("512m", "0.5"),
        [ProxyName] = ("128m", "0.5"),
        [DashboardName] = ("512m", "0.5"),
    };

    public static readonly (string Memory, string Cpus) DefaultLimits = ("512m", "0.5");

    /// <summary>What the services run with in production, beyond the manifest's environment.</summary>
    public static IEnumerable<(string Name, string Value)> ServiceSettings(string service) =>
    [
        ("ASPNETCORE_ENVIRONMENT", "Production"),
        ("DOTNET_ENVIRONMENT", "Production"),
        ("OTEL_SERVICE_NAME", service),
    ];

    /// <summary>A service's image without its tag: built from <see cref="ServiceDockerfile"/> for its project.</summary>
    public static string ServiceImage(string service) => $"smsbridge/{service}";

    /// <summary>The one Dockerfile of the services, at the repository root (the build context).</summary>
    public const string ServiceDockerfile = "Dockerfile";

    /// <summary>The Dockerfile's build argument that names the project to publish: <c>SmsBridge.Receiver</c>.</summary>
    public const string ServiceProjectArgument = "PROJECT";

    /// <summary>
    /// The value of <see cref="ServiceProjectArgument"/> for a manifest's project path: the Dockerfile finds the project at
    /// <c>&lt;PROJECT&gt;/&lt;PROJECT&gt;.csproj</c>, so its folder and file must share the name.
    /// </summary>
    public static string ServiceProject(string projectPath)
    {
        var project = Path.GetFileNameWithoutExtension(projectPath);
        var folder = Path.GetFileName(Path.GetDirectoryName(projectPath.Replace('\\', '/')));
        return folder == project
            ? project
            : throw new InvalidDataException($"{projectPath}: the Dockerfile builds <name>/<name>.csproj, and this project's folder is named otherwise.");
    }

    /// <summary>
    /// PostgreSQL's settings beyond the manifest's: listen for the services, the stack's pg_hba.conf, a connection
    /// ceiling, and daily rotating log files.
    /// </summary>
    public static readonly string[] PostgresSettings =
    [
        "-c", "listen_addresses=*", "-c", "hba_file=/etc/smsbridge/pg_hba.conf", "-c", "max_connections=100",
        "-c", "logging_collector=on", "-c", "log_directory=/var/log/postgresql", "-c", "log_filename=postgresql-%a.log",
        "-c", "log_truncate_on_rotation=on", "-c", "log_rotation_age=1d",
    ];

    /// <summary>A shell command that succeeds once PostgreSQL accepts connections on its socket.</summary>
    public const string PostgresReadyCheck = "pg_isready -h /var/run/postgresql -U postgres -d postgres -q";

    /// <summary>Redis's read-only monitor user (redis_exporter), a secret of the stack that the manifest does not declare.</summary>
    public const string RedisMonitorPassword = "REDIS_MONITOR_PASSWORD";

    /// <summary>The same secret as a compose secret (<c>/run/secrets/redis-monitor-password</c>).</summary>
    public const string RedisMonitorSecret = "redis-monitor-password";

    /// <summary>A shell command that succeeds once Redis answers its monitor user.</summary>
    public const string RedisReadyCheck = "redis-cli --no-auth-warning --user monitor --pass \"$REDIS_MONITOR_PASSWORD\" ping | grep -q PONG";

    /// <summary>
    /// The same check with the password read from its secret file; redis-cli takes it from <c>REDISCLI_AUTH</c>, so it is not
    /// on a command line either.
    /// </summary>
    public const string RedisReadyCheckFromFile =
        "REDISCLI_AUTH=\"$(cat \"$REDIS_MONITOR_PASSWORD_FILE\")\" redis-cli --no-auth-warning --user monitor ping | grep -q PONG";

    /// <summary>
    /// The shell functions that the data stores' entrypoints source (deploy/lib/secret-files.sh reads their passwords), by its
    /// path from the repository root; every container that runs one of those scripts mounts it at <see cref="ScriptLibraryMount"/>.
    /// </summary>
    public const string ScriptLibrary = "deploy/lib";

    /// <summary>Where the containers mount <see cref="ScriptLibrary"/>: the scripts' default for <c>SMSBRIDGE_LIB_DIR</c>.</summary>
    public const string ScriptLibraryMount = "/opt/smsbridge/lib";

    /// <summary>Where compose mounts each secret inside a container.</summary>
    public const string SecretMountDirectory = "/run/secrets";

    /// <summary>Where the secret files are on the host: deploy/setup-production.sh writes them there.</summary>
    public const string SecretsRoot = "${SMSBRIDGE_SECRETS_DIR:-./secrets}";

    /// <summary>
    /// The group that may read the secret files (root owns them, mode 0440). Compose bind-mounts a secret file as it is on the
    /// host, and one secret is read by containers of different users (the app password by PostgreSQL's init, PgBouncer and
    /// the services), so the containers that mount secrets join this group instead of the files being world-readable. No
    /// image or host account uses the number.
    /// </summary>
    public const string SecretReaderGroup = "10500";

    /// <summary>The compose variable that carries a parameter: <c>smsbridge-app-password</c> → <c>SMSBRIDGE_APP_PASSWORD</c>.</summary>
    public static string Variable(string parameter) => parameter.Replace('-', '_').ToUpperInvariant();
}
