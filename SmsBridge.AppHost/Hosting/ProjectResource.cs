using System.Net.Http.Json;
using System.Text.Json;

namespace SmsBridge.AppHost.Hosting;

/// <summary>
/// A .NET project of this repository, launched from its build output with Aspire's environment:
/// <c>ConnectionStrings__*</c>, <c>services__*</c>, <c>OTEL_*</c>, <c>ASPNETCORE_URLS</c>.
/// Besides its public <c>http</c> endpoint it gets a <c>management</c> port for <c>/metrics</c>.
/// </summary>
public sealed class ProjectResource(string name, string projectFolder) : ProcessResource(name)
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(5) };

    public string ProjectFolder { get; } = projectFolder;

    public int HttpPort { get; } = PortAllocator.Next();

    public int ManagementPort { get; } = PortAllocator.Next();

    public Uri HttpEndpoint => new($"http://127.0.0.1:{HttpPort}");

    public Uri ManagementEndpoint => new($"http://127.0.0.1:{ManagementPort}");

    public bool IsExternal { get; internal set; }

    /// <summary>Environment entries, some resolved only at start (connection strings, parameters).</summary>
    public Dictionary<string, Func<string?>> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>The same environment as the manifest writes it: Aspire expressions instead of values.</summary>
    public Dictionary<string, string> ManifestEnvironment { get; } = new(StringComparer.Ordinal);

    /// <summary>Writable folders under the data folder, by the environment variable that names them.</summary>
    public Dictionary<string, string> DataDirectories { get; } = new(StringComparer.Ordinal);

    /// <summary>The last <c>/health</c> body, for error messages and the dashboard.</summary>
    public string? LastHealth { get; private set; }

    private string DllPath(AppHostContext context) =>
        Path.Combine(context.Options.RepositoryRoot, ProjectFolder, "bin", context.Options.Configuration, "net10.0", ProjectFolder + ".dll");

    protected override string PidMarker => ProjectFolder + ".dll";

    protected override async Task<(string, IReadOnlyList<string>, IDictionary<string, string?>, string)> PrepareAsync(
        AppHostContext context, CancellationToken cancellationToken)
    {
        var dll = DllPath(context);
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException(
                $"'{Name}' is not built: {dll} is missing. Run 'dotnet build -c {context.Options.Configuration}' first.");
        }

        var home = context.DataPath("home", Name);
        await context.Launcher.PrepareDirectoryAsync(home);
        await context.Launcher.PrepareDirectoryAsync(context.DataPath("logs"));
        var environment = new Dictionary<string, string?>
        {
            ["HOME"] = home,
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
            ["DOTNET_NOLOGO"] = "1",
            ["ASPNETCORE_ENVIRONMENT"] = context.Options.Environment,
            ["DOTNET_ENVIRONMENT"] = context.Options.Environment,
            ["ASPNETCORE_URLS"] = HttpEndpoint.ToString().TrimEnd('/'),
            ["Management__Port"] = ManagementPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Logging__Files__Directory"] = context.DataPath("logs"),
            ["OTEL_SERVICE_NAME"] = Name,
            ["OTEL_RESOURCE_ATTRIBUTES"] = $"service.instance.id={Guid.NewGuid():N}",
        };
        if (context.Options.OtlpEndpoint is { } otlp)
        {
            environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = otlp;
            environment["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf";
            environment["OTEL_BSP_SCHEDULE_DELAY"] = "1000";
            environment["OTEL_BLRP_SCHEDULE_DELAY"] = "1000";
            environment["OTEL_METRIC_EXPORT_INTERVAL"] = "1000";
            environment["OTEL_TRACES_SAMPLER"] = "always_on";
            if (context.Options.OtlpHeaders is { } headers) environment["OTEL_EXPORTER_OTLP_HEADERS"] = headers;
        }

        foreach (var (variable, folder) in DataDirectories)
        {
            await context.Launcher.PrepareDirectoryAsync(context.DataPath(folder));
            environment[variable] = context.DataPath(folder);
        }

        foreach (var (key, value) in Environment) environment[key] = value();
        return ("dotnet", [dll], environment, Path.GetDirectoryName(dll)!);
    }

    public override async Task<bool> IsHealthyAsync(CancellationToken cancellationToken)
    {
        if (HasExited) return false;
        try
        {
            using var response = await Probe.GetAsync(new Uri(HttpEndpoint, "/health"), cancellationToken);
            LastHealth = await response.Content.ReadAsStringAsync(cancellationToken);
            if (!response.IsSuccessStatusCode) return false;
            using var body = JsonDocument.Parse(LastHealth);
            return body.RootElement.GetProperty("status").GetString() == "healthy";
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return false;
        }
    }
}
