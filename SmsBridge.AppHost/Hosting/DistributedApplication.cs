using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using SmsBridge.AppHost.Dashboard;

namespace SmsBridge.AppHost.Hosting;

/// <summary>
/// The running graph: starts each resource once everything it waits for is healthy, with a timeout on every
/// wait that names the resource and shows its last log lines; stops everything it started, in reverse.
/// </summary>
public sealed class DistributedApplication : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Resource, Lazy<Task>> _starts = new();
    private readonly AppHostContext _context;
    private readonly List<Resource> _started = [];

    internal DistributedApplication(AppHostOptions options, IReadOnlyList<Resource> resources)
    {
        Options = options;
        Resources = resources;
        _context = new AppHostContext(options, new ProcessLauncher(options.ServiceUser));
    }

    public AppHostOptions Options { get; }

    public IReadOnlyList<Resource> Resources { get; }

    /// <summary>The developer dashboard, once started (when <see cref="AppHostOptions.Dashboard"/> is on).</summary>
    public DashboardServer? Dashboard { get; private set; }

    public static DistributedApplicationBuilder CreateBuilder(string[] args) => DistributedApplicationBuilder.CreateBuilder(args);

    public T GetResource<T>(string name) where T : Resource =>
        Resources.OfType<T>().SingleOrDefault(r => r.Name == name)
        ?? throw new ArgumentException($"No resource '{name}' of type {typeof(T).Name}.", nameof(name));

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_context.Launcher.ServiceUser is { } user) await ServiceAccount.EnsureAsync(user);
        await StartDashboardAsync();
        if (Options.StreamLogs)
        {
            foreach (var resource in Resources) resource.Logs.LineAdded += line => ConsoleOutput.Line(resource.Name, line);
        }

        try
        {
            await Task.WhenAll(Resources.Select(r => EnsureStarted(r, cancellationToken)));
        }
        catch
        {
            await StopAsync();
            throw;
        }
    }

    /// <summary>Before any project starts, so each is given the dashboard as its OTLP endpoint (unless one was configured).</summary>
    private async Task StartDashboardAsync()
    {
        if (!Options.Dashboard || Dashboard is not null) return;
        var dashboard = new DashboardServer(this, Options.DashboardPort);
        await dashboard.StartAsync();
        Dashboard = dashboard;
        if (Options.OtlpEndpoint is null)
        {
            Options.OtlpEndpoint = dashboard.OtlpEndpoint;
            Options.OtlpHeaders = $"{DashboardServer.OtlpApiKeyHeader}={dashboard.OtlpApiKey}";
        }

        if (Options.StreamLogs) ConsoleOutput.Info("Dashboard: " + dashboard.LoginUrl);
    }

    private Task EnsureStarted(Resource resource, CancellationToken cancellationToken) =>
        _starts.GetOrAdd(resource, r => new Lazy<Task>(() => StartOneAsync(r, cancellationToken))).Value;

    private async Task StartOneAsync(Resource resource, CancellationToken cancellationToken)
    {
        await Task.WhenAll(resource.WaitsFor.Select(d => EnsureStarted(d, cancellationToken)));
        lock (_started) _started.Add(resource);
        await resource.StartAsync(_context, cancellationToken);
        await WaitForResourceHealthyAsync(resource, Options.StartTimeout, cancellationToken);
    }

    public Task WaitForResourceHealthyAsync(string name, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        WaitForResourceHealthyAsync(Resources.Single(r => r.Name == name), timeout ?? Options.StartTimeout, cancellationToken);

    private static async Task WaitForResourceHealthyAsync(Resource resource, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await resource.IsHealthyAsync(cancellationToken))
            {
                resource.State = ResourceState.Healthy;
                return;
            }

            if (resource is ProcessResource { HasExited: true } exited)
            {
                throw new ResourceFailedException(resource, $"exited with code {exited.ExitCode?.ToString() ?? "?"} before it was healthy");
            }

            if (DateTime.UtcNow > deadline)
            {
                resource.State = ResourceState.Unhealthy;
                var detail = resource is ProjectResource { LastHealth: { } health } ? $"; last /health: {health}" : "";
                throw new ResourceFailedException(resource, $"did not become healthy within {timeout.TotalSeconds:0} s{detail}");
            }

            await Task.Delay(200, cancellationToken);
        }
    }

    /// <summary>Stops a resource gracefully (SIGTERM or its own clean-shutdown signal), for outage tests.</summary>
    public Task StopResourceAsync(string name) => GetResource<ProcessResource>(name).StopAsync();

    /// <summary>Starts a stopped or killed resource again, on the same port and data, and waits for it to be healthy.</summary>
    public async Task RestartResourceAsync(string name, CancellationToken cancellationToken = default)
    {
        var resource = GetResource<ProcessResource>(name);
        await resource.StopAsync();
        await resource.StartAsync(_context, cancellationToken);
        await WaitForResourceHealthyAsync(resource, Options.StartTimeout, cancellationToken);
    }

    public HttpClient CreateHttpClient(string name, string endpoint = "http")
    {
        var project = GetResource<ProjectResource>(name);
        return new HttpClient
        {
            BaseAddress = endpoint == "management" ? project.ManagementEndpoint : project.HttpEndpoint,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    public Task<string?> GetConnectionStringAsync(string name) =>
        Task.FromResult(Resources.OfType<IResourceWithConnectionString>().SingleOrDefault(r => r.Name == name)?.ConnectionString);

    /// <summary>Run mode: start, print the resources, stream logs, and stop everything on Ctrl+C or SIGTERM.</summary>
    public async Task<int> RunAsync()
    {
        var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stopping.TrySetResult();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var cts = new CancellationTokenSource();
        var start = StartAsync(cts.Token);
        var first = await Task.WhenAny(start, stopping.Task);
        if (first == stopping.Task)
        {
            await cts.CancelAsync();
            await StopAsync();
            return 130;
        }

        try
        {
            await start;
        }
        catch (ResourceFailedException ex)
        {
            ConsoleOutput.Info("Start failed: " + ex.Message);
            return 1;
        }

        ConsoleOutput.ResourceTable(Resources);
        if (Dashboard is { } dashboard) ConsoleOutput.Info("Dashboard: " + dashboard.LoginUrl + "  (login link with this run's token)");
        foreach (var parameter in Resources.OfType<ParameterResource>().Where(p => p.WasGenerated && p.FirstRunNotice is not null))
        {
            ConsoleOutput.Info(string.Format(System.Globalization.CultureInfo.InvariantCulture, parameter.FirstRunNotice!, parameter.Value)
                + "  (shown on first run only; kept in " + Path.Combine(Options.DataDirectory, "secrets.json") + ")");
        }
        await stopping.Task;
        ConsoleOutput.Info("Stopping…");
        await StopAsync();
        if (Dashboard is not null) await Dashboard.DisposeAsync();
        ConsoleOutput.Info("Stopped. No child process is left running.");
        return 0;
    }

    public async Task StopAsync()
    {
        List<Resource> started;
        lock (_started) started = [.. _started];
        // Projects first, then the data stores they use.
        await Task.WhenAll(started.OfType<ProjectResource>().Select(r => r.StopAsync()));

        await Task.WhenAll(started.Where(r => r is not ProjectResource).Select(r => r.StopAsync()));
        lock (_started) _started.Clear();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (Dashboard is not null) await Dashboard.DisposeAsync();
        _context.Launcher.Dispose();
        if (Options.DeleteDataOnDispose && Directory.Exists(Options.DataDirectory))
        {
            KeepLogsOfUnhandledExceptions();
            Directory.Delete(Options.DataDirectory, recursive: true);
        }
    }

    /// <summary>
    /// A test graph whose services logged an unhandled exception (a 500) keeps their logs under
    /// TestResults/graph-logs/ before its data folder goes, so a failure seen only under load can be read afterwards.
    /// </summary>
    private void KeepLogsOfUnhandledExceptions()
    {
        var logs = Path.Combine(Options.DataDirectory, "logs");
        if (!Directory.Exists(logs)) return;
        var files = Directory.EnumerateFiles(logs, "*.log", SearchOption.AllDirectories).ToList();
        if (!files.Any(f => File.ReadLines(f).Any(l => l.Contains("An unhandled exception has occurred", StringComparison.Ordinal)))) return;
        var target = Path.Combine(Options.RepositoryRoot, "TestResults", "graph-logs", Path.GetFileName(Options.DataDirectory.TrimEnd('/')));
        foreach (var file in files)
        {
            var copy = Path.Combine(target, Path.GetRelativePath(logs, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy, overwrite: true);
        }
    }
}

public sealed class ResourceFailedException(Resource resource, string reason)
    : Exception($"Resource '{resource.Name}' {reason}. Last log lines:\n  {string.Join("\n  ", resource.Logs.Tail(20))}")
{
    public Resource Resource { get; } = resource;
}
