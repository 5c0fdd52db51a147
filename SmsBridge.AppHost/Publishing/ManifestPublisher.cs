using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using SmsBridge.AppHost.Hosting;

namespace SmsBridge.AppHost.Publishing;

/// <summary>
/// Writes the declared graph as an Aspire manifest (schema aspire-8.0): what each resource is, how it is reached and
/// what it is given, as expressions such as <c>{cache.connectionString}</c>. No value of any parameter is written,
/// so the output is the same on every machine and every run.
/// </summary>
public static class ManifestPublisher
{
    public const string Schema = "https://json.schemastore.org/aspire-8.0.json";

    public const string PostgresImage = "docker.io/library/postgres:15.8";

    public const string RedisImage = "docker.io/library/redis:7.2.5";

    /// <summary>Where a project keeps its rotating log files inside its container.</summary>
    public const string LogDirectory = "/var/log/smsbridge";

    /// <summary>Where a project's data folders go inside its container (one per <c>WithDataDirectory</c>).</summary>
    public const string DataRoot = "/var/lib/smsbridge";

    public const int HttpTargetPort = 8080;

    public const int ManagementTargetPort = 9464;

    public static string Publish(IEnumerable<Resource> resources, string repositoryRoot, string manifestDirectory)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions
               {
                   Indented = true,
                   Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
               }))
        {
            json.WriteStartObject();
            json.WriteString("$schema", Schema);
            json.WriteStartObject("resources");
            foreach (var resource in resources)
            {
                json.WriteStartObject(resource.Name);
                Describe(json, resource, new ManifestPaths(repositoryRoot, manifestDirectory));
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void Describe(Utf8JsonWriter json, Resource resource, ManifestPaths paths)
    {
        switch (resource)
        {
            case ParameterResource parameter:
                WriteParameter(json, parameter);
                break;
            case PostgresServerResource postgres:
                WritePostgres(json, postgres, paths);
                break;
            case PostgresDatabaseResource database:
                json.WriteString("type", "value.v0");
                json.WriteString("connectionString", ConnectionString(database.App));
                break;
            case ConnectionStringResource { Login: { } login }:
                json.WriteString("type", "value.v0");
                json.WriteString("connectionString", ConnectionString(login));
                break;
            case ConnectionStringResource external:
                // An existing server given by configuration: the deployer supplies it, as Aspire's AddConnectionString.
                json.WriteString("type", "parameter.v0");
                json.WriteString("connectionString", $"{{{external.Name}.value}}");
                json.WriteString("value", $"{{{external.Name}.inputs.value}}");
                WriteInputs(json, generate: false);
                break;
            case RedisResource redis:
                WriteRedis(json, redis);
                break;
            case ProjectResource project:
                WriteProject(json, project, paths);
                break;
            default:
                throw new NotSupportedException($"Resource '{resource.Name}' ({resource.GetType().Name}) has no manifest form.");
        }
    }

    private static void WriteParameter(Utf8JsonWriter json, ParameterResource parameter)
    {
        json.WriteString("type", "parameter.v0");
        json.WriteString("value", $"{{{parameter.Name}.inputs.value}}");
        // Keys and signing secrets have a format (base64, whsec_) that "generate" cannot express: the deployer supplies them.
        WriteInputs(json, generate: parameter.IsPassword, secret: parameter.Secret);
    }

    private static void WriteInputs(Utf8JsonWriter json, bool generate, bool secret = true)
    {
        json.WriteStartObject("inputs");
        json.WriteStartObject("value");
        json.WriteString("type", "string");
        json.WriteBoolean("secret", secret);
        if (generate)
        {
            json.WriteStartObject("default");
            json.WriteStartObject("generate");
            json.WriteNumber("minLength", 22);
            json.WriteBoolean("special", false); // the value goes into connection strings and config lines unquoted
            json.WriteEndObject();
            json.WriteEndObject();
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WritePostgres(Utf8JsonWriter json, PostgresServerResource postgres, ManifestPaths paths)
    {
        var name = postgres.Name;
        json.WriteString("type", "container.v0");
        json.WriteString("connectionString",
            $"Host={{{name}.bindings.tcp.host}};Port={{{name}.bindings.tcp.port}};Username=postgres;Password={{{postgres.Password.Name}.value}}");
        json.WriteString("image", PostgresImage);
        WriteArray(json, "args", ["-c", "password_encryption=scram-sha-256", "-c", "log_connections=on", "-c", "log_disconnections=on"]);
        json.WriteStartObject("env");
        json.WriteString("POSTGRES_HOST_AUTH_METHOD", "scram-sha-256");
        json.WriteString("POSTGRES_INITDB_ARGS", "--auth-host=scram-sha-256 --auth-local=scram-sha-256");
        json.WriteString("POSTGRES_USER", "postgres");
        json.WriteString("POSTGRES_PASSWORD", $"{{{postgres.Password.Name}.value}}");
        // The roles' passwords, read by deploy/postgres/initdb.d on the first start (the same SQL the AppHost runs).
        foreach (var database in postgres.Databases)
        {
            foreach (var login in new[] { database.Owner, database.App, database.Backup })
            {
                json.WriteString(login.Role.ToUpperInvariant() + "_PASSWORD", $"{{{login.Password.Name}.value}}");
            }
        }

        json.WriteEndObject();
        WriteTcpBinding(json, 5432);
        json.WriteStartArray("bindMounts");
        WriteMount(json, "source", paths.Relative("deploy/postgres/initdb.d"), "/docker-entrypoint-initdb.d");
        WriteMount(json, "source", paths.Relative("SmsBridge.AppHost/Resources"), "/opt/smsbridge/sql");
        json.WriteEndArray();
        json.WriteStartArray("volumes");
        WriteMount(json, "name", "smsbridge-postgres-data", "/var/lib/postgresql/data", readOnly: false);
        json.WriteEndArray();
    }

    private static void WriteRedis(Utf8JsonWriter json, RedisResource redis)
    {
        var name = redis.Name;
        json.WriteString("type", "container.v0");
        json.WriteString("connectionString", $"{{{name}.bindings.tcp.host}}:{{{name}.bindings.tcp.port}},password={{{redis.Password.Name}.value}}");
        json.WriteString("image", RedisImage);
        json.WriteString("entrypoint", "/bin/sh");
        WriteArray(json, "args", ["-c", "redis-server --requirepass \"$REDIS_PASSWORD\" --appendonly yes --protected-mode yes"]);
        json.WriteStartObject("env");
        json.WriteString("REDIS_PASSWORD", $"{{{redis.Password.Name}.value}}");
        json.WriteEndObject();
        WriteTcpBinding(json, 6379);
        json.WriteStartArray("volumes");
        WriteMount(json, "name", $"smsbridge-{name}-data", "/data", readOnly: false);
        json.WriteEndArray();
    }

    private static void WriteProject(Utf8JsonWriter json, ProjectResource project, ManifestPaths paths)
    {
        var name = project.Name;
        json.WriteString("type", "project.v0");
        json.WriteString("path", paths.Relative($"{project.ProjectFolder}/{project.ProjectFolder}.csproj"));
        json.WriteStartObject("env");
        json.WriteString("OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EXCEPTION_LOG_ATTRIBUTES", "true");
        json.WriteString("OTEL_DOTNET_EXPERIMENTAL_OTLP_EMIT_EVENT_LOG_ATTRIBUTES", "true");
        json.WriteString("OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY", "in_memory");
        json.WriteString("HTTP_PORTS", $"{{{name}.bindings.http.targetPort}}");
        json.WriteString("Management__Port", $"{{{name}.bindings.management.targetPort}}");
        json.WriteString("Logging__Files__Directory", LogDirectory);
        foreach (var (variable, folder) in project.DataDirectories) json.WriteString(variable, $"{DataRoot}/{folder}");
        foreach (var (variable, expression) in project.ManifestEnvironment) json.WriteString(variable, expression);
        json.WriteEndObject();
        json.WriteStartObject("bindings");
        WriteBinding(json, "http", "http", "http", HttpTargetPort, project.IsExternal);
        WriteBinding(json, "management", "http", "http", ManagementTargetPort, external: false);
        json.WriteEndObject();
    }

    private static string ConnectionString(DatabaseLogin login)
    {
        var server = login.Database.Server.Name;
        return $"Host={{{server}.bindings.tcp.host}};Port={{{server}.bindings.tcp.port}};Username={login.Role};" +
               $"Password={{{login.Password.Name}.value}};Database={login.Database.DatabaseName}";
    }

    private static void WriteTcpBinding(Utf8JsonWriter json, int targetPort)
    {
        json.WriteStartObject("bindings");
        WriteBinding(json, "tcp", "tcp", "tcp", targetPort, external: false);
        json.WriteEndObject();
    }

    private static void WriteBinding(Utf8JsonWriter json, string name, string scheme, string transport, int targetPort, bool external)
    {
        json.WriteStartObject(name);
        json.WriteString("scheme", scheme);
        json.WriteString("protocol", "tcp");
        json.WriteString("transport", transport);
        json.WriteNumber("targetPort", targetPort);
        if (external) json.WriteBoolean("external", true);
        json.WriteEndObject();
    }

    private static void WriteMount(Utf8JsonWriter json, string sourceKey, string source, string target, bool readOnly = true)
    {
        json.WriteStartObject();
        json.WriteString(sourceKey, source);
        json.WriteString("target", target);
        json.WriteBoolean("readOnly", readOnly);
        json.WriteEndObject();
    }

    private static void WriteArray(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values) json.WriteStringValue(value);
        json.WriteEndArray();
    }

    /// <summary>Paths in the manifest are relative to the manifest's own folder, with forward slashes.</summary>
    private sealed record ManifestPaths(string RepositoryRoot, string ManifestDirectory)
    {
        public string Relative(string repositoryPath) =>
            Path.GetRelativePath(ManifestDirectory, Path.Combine(RepositoryRoot, repositoryPath)).Replace('\\', '/');
    }
}
