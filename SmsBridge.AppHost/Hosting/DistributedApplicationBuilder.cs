using Microsoft.Extensions.Configuration;

namespace SmsBridge.AppHost.Hosting;

/// <summary>
/// Declares the application graph, as Aspire's builder does, and builds a <see cref="DistributedApplication"/>
/// that runs it from the machine's own binaries (no Docker).
/// </summary>
public sealed class DistributedApplicationBuilder
{
    private readonly List<Resource> _resources = [];

    public DistributedApplicationBuilder(AppHostOptions options, IConfiguration configuration)
    {
        Options = options;
        Configuration = configuration;
        Directory.CreateDirectory(options.DataDirectory);
        Secrets = new SecretStore(Path.Combine(options.DataDirectory, "secrets.json"));
    }

    public AppHostOptions Options { get; }

    public IConfiguration Configuration { get; }

    public SecretStore Secrets { get; }

    public IReadOnlyList<Resource> Resources => _resources;

    /// <summary>Run mode: data under <c>.data/</c> at the repository root, logs streamed to the console.</summary>
    public static DistributedApplicationBuilder CreateBuilder(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        var root = RepositoryRoot.Find();
        return new DistributedApplicationBuilder(new AppHostOptions
        {
            RepositoryRoot = root,
            DataDirectory = configuration["AppHost:DataDirectory"] ?? Path.Combine(root, ".data"),
            StreamLogs = true,
            OtlpEndpoint = configuration["AppHost:OtlpEndpoint"],
            Dashboard = !string.Equals(configuration["AppHost:Dashboard"], "false", StringComparison.OrdinalIgnoreCase),
            DashboardPort = int.TryParse(configuration["AppHost:DashboardPort"], out var port) ? port : null,
        }, configuration);
    }

    public IResourceBuilder<T> AddResource<T>(T resource) where T : Resource
    {
        if (_resources.Any(r => r.Name == resource.Name))
        {
            throw new InvalidOperationException($"A resource named '{resource.Name}' is declared twice.");
        }

        _resources.Add(resource);
        return new ResourceBuilder<T>(resource, this);
    }

    /// <summary>A builder for a resource already declared (Aspire's <c>CreateResourceBuilder</c>).</summary>
    public IResourceBuilder<T> CreateResourceBuilder<T>(T resource) where T : Resource => new ResourceBuilder<T>(resource, this);

    /// <summary>A secret parameter: <c>Parameters:{name}</c> from configuration, else the secrets file, else generated.</summary>
    public IResourceBuilder<ParameterResource> AddParameter(string name, Func<string>? generate = null)
    {
        var parameter = new ParameterResource(name, generate ?? (() => SecretStore.Password())) { IsPassword = generate is null };
        parameter.Resolve(Configuration[$"Parameters:{name}"], Secrets);
        return AddResource(parameter);
    }

    public IResourceBuilder<PostgresServerResource> AddPostgres(string name) =>
        AddResource(new PostgresServerResource(name, AddParameter($"{name}-password").Resource));

    public IResourceBuilder<RedisResource> AddRedis(string name) =>
        AddResource(new RedisResource(name, AddParameter($"{name}-password").Resource));

    /// <summary>An existing server, given as <c>ConnectionStrings:{name}</c>; nothing is started for it.</summary>
    public IResourceBuilder<ConnectionStringResource> AddConnectionString(string name, string? fallbackName = null)
    {
        var value = Configuration.GetConnectionString(name)
            ?? (fallbackName is null ? null : Configuration.GetConnectionString(fallbackName))
            ?? throw new InvalidOperationException($"ConnectionStrings:{name} is not configured.");
        return AddResource(new ConnectionStringResource(name, () => value));
    }

    /// <summary>A project of this repository, by its folder name (Aspire generates <c>Projects.X</c> types for this).</summary>
    public IResourceBuilder<ProjectResource> AddProject(string name, string projectFolder) =>
        AddResource(new ProjectResource(name, projectFolder));

    public DistributedApplication Build() => new(Options, _resources);
}
