using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SmsBridge.Tests.Infrastructure;

/// <summary>
/// Starts the whole graph through Aspire.Hosting.Testing: its own data folder and ports, fsync off, every wait with a
/// timeout, and a resource that fails named with its last log lines. The receiver trusts forwarded headers from loopback,
/// so tests can speak as a non-LAN source through a "proxy" (X-Forwarded-For). The development tools (sample backend,
/// gateway simulator) are left out unless a test asks for them with <c>AppHost:DevelopmentTools=true</c>.
/// </summary>
public static class TestGraph
{
    /// <summary>The product's resources, in every graph.</summary>
    public static readonly string[] ResourceNames = ["postgres", "cache", "receiver", "admin", "backup"];

    public static readonly string[] DevelopmentToolNames = ["sample-backend", "gateway-simulator"];

    public static Task<DistributedApplication> StartAsync(Action<IDistributedApplicationTestingBuilder>? configure = null,
        params string[] args) => StartAsync(configure, dashboard: null, args);

    /// <summary>With <paramref name="dashboard"/>, the real Aspire dashboard runs too, on its ports and keys.</summary>
    public static async Task<DistributedApplication> StartAsync(Action<IDistributedApplicationTestingBuilder>? configure,
        AspireDashboard? dashboard, params string[] args)
    {
        using var timeout = new CancellationTokenSource(GraphExtensions.Timeout);
        var folder = new DataFolder();
        // Not waiting for DCP's resource cleanup on dispose: DCP still stops every process, but the wait took ~20 s per graph.
        string[] arguments =
        [
            $"AppHost:DataDirectory={folder.Path}", "AppHost:FastUnsafeStorage=true", "AppHost:PersistSecrets=false",
            "AppHost:DevelopmentTools=false", "DcpPublisher:WaitForResourceCleanup=false", .. args,
        ];
        var builder = dashboard is null
            ? await DistributedApplicationTestingBuilder.CreateAsync<Projects.SmsBridge_AppHost>(arguments,
                (_, host) => host.EnvironmentName = "Development", timeout.Token)
            : await DistributedApplicationTestingBuilder.CreateAsync<Projects.SmsBridge_AppHost>(
                new DistributedApplicationTestingBuilderOptions { EnableDashboard = true }, ["--environment=Development", .. arguments], timeout.Token);
        dashboard?.Configure(builder);
        // Resource output is kept by ConsoleTail; copying every line (and every health probe) into the test host's log only costs CPU.
        builder.Services.AddLogging(logging => logging
            .AddFilter("SmsBridge.AppHost.Resources", LogLevel.None)
            .AddFilter("System.Net.Http.HttpClient", LogLevel.Warning)
            .AddFilter("Aspire.Hosting", LogLevel.Warning)
            .AddFilter("SmsBridge.AppHost.Hosting", LogLevel.Warning));
        builder.Services.AddSingleton(folder);
        var console = new GraphExtensions.ConsoleTail();
        builder.Services.AddSingleton(console);
        builder.Services.AddHostedService(_ => folder); // stopped after the orchestrator: the folder goes once every process has
        builder.Project("receiver").WithEnvironment("ForwardedHeaders__TrustedProxies__0", "127.0.0.1/32");
        if (dashboard is null)
        {
            // No dashboard to export to: without this the services would send OTLP every second to the testing
            // host's default endpoint, where nothing listens, and spend CPU on retries all test long.
            foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
            {
                builder.CreateResourceBuilder(project).WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", "");
            }
        }

        configure?.Invoke(builder);
        var app = await builder.BuildAsync(timeout.Token);
        console.Follow(app, app.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        // StartAsync returns only once every resource has started, which never happens when one fails: watch health meanwhile.
        var starting = app.StartAsync(timeout.Token);
        try
        {
            foreach (var name in ResourceNames.Concat(DevelopmentToolNames).Where(n => builder.Resources.Any(r => r.Name == n)))
            {
                await app.WaitHealthyAsync(name, timeout.Token);
            }

            await starting;
            if (dashboard is not null) await dashboard.AttachAsync(app, timeout.Token);
            return app;
        }
        catch
        {
            _ = starting.ContinueWith(t => t.Exception, TaskScheduler.Default);
            await app.DisposeAsync();
            throw;
        }
    }

    public static string DataDirectory(this DistributedApplication app) => app.Services.GetRequiredService<DataFolder>().Path;

    public sealed class DataFolder : IHostedLifecycleService
    {
        public string Path { get; } = CreateReachable();

        /// <summary>Removes the folder; PostgreSQL may still be writing its last files while DCP stops it, so a few tries.</summary>
        public async Task StoppedAsync(CancellationToken cancellationToken)
        {
            if (Environment.GetEnvironmentVariable("SMSBRIDGE_TEST_KEEP_DATA") == "1") return;
            KeepLogsOfUnhandledExceptions();
            for (var attempt = 1; Directory.Exists(Path); attempt++)
            {
                try
                {
                    Directory.Delete(Path, recursive: true);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && attempt < 20)
                {
                    await Task.Delay(500, CancellationToken.None);
                }
            }
        }

        public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        /// <summary>A service that answered 500 somewhere in the run: its logs go to TestResults/graph-logs/ before the folder does.</summary>
        private void KeepLogsOfUnhandledExceptions()
        {
            var logs = System.IO.Path.Combine(Path, "logs");
            if (!Directory.Exists(logs)) return;
            var files = Directory.EnumerateFiles(logs, "*.log", SearchOption.AllDirectories).ToList();
            if (!files.Any(AnsweredA500)) return;
            var target = System.IO.Path.Combine(Repo.Root, "TestResults", "graph-logs", System.IO.Path.GetFileName(Path));
            foreach (var file in files)
            {
                var copy = System.IO.Path.Combine(target, System.IO.Path.GetRelativePath(logs, file));
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(copy)!);
                File.Copy(file, copy, overwrite: true);
            }
        }

        /// <summary>An unhandled exception other than a bad request (those are answered 400) in a service's log.</summary>
        private static bool AnsweredA500(string file)
        {
            string? previous = null;
            foreach (var line in File.ReadLines(file))
            {
                if (previous?.Contains("An unhandled exception has occurred", StringComparison.Ordinal) == true
                    && !line.StartsWith("Microsoft.AspNetCore.Http.BadHttpRequestException", StringComparison.Ordinal)) return true;
                previous = line;
            }

            return false;
        }

        private static string CreateReachable()
        {
            var path = Directory.CreateTempSubdirectory("smsbridge-test-").FullName;
            File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101); // the service account must enter it
            return path;
        }
    }
}
