using Microsoft.Extensions.Configuration;

namespace SmsBridge.AppHost.Hosting;

/// <summary>
/// The tests' entry point, used as Aspire.Hosting.Testing is: create the builder with the app's graph,
/// build, start, talk to resources, dispose to stop everything. Each call gets its own ports and data folder.
/// </summary>
public static class DistributedApplicationTestingBuilder
{
    public static DistributedApplicationBuilder Create(Action<TestingOptions>? configure = null)
    {
        var testing = new TestingOptions();
        configure?.Invoke(testing);
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(testing.Configuration)
            .Build();
        var builder = new DistributedApplicationBuilder(new AppHostOptions
        {
            RepositoryRoot = RepositoryRoot.Find(),
            DataDirectory = Path.Combine(Path.GetTempPath(), "smsbridge-tests", Guid.NewGuid().ToString("N")[..12]),
            StreamLogs = Environment.GetEnvironmentVariable("SMSBRIDGE_TEST_LOGS") == "1",
            FastUnsafeStorage = true,
            DeleteDataOnDispose = Environment.GetEnvironmentVariable("SMSBRIDGE_TEST_KEEP_DATA") != "1",
            OtlpEndpoint = testing.OtlpEndpoint,
            Dashboard = testing.Dashboard,
            StartTimeout = TimeSpan.FromSeconds(60),
        }, configuration);
        if (testing.DeclareGraph) AppGraph.Declare(builder);
        return builder;
    }
}

public sealed class TestingOptions
{
    /// <summary>Configuration the graph reads (e.g. <c>ConnectionStrings:cache</c> to use an existing Redis).</summary>
    public Dictionary<string, string?> Configuration { get; } = [];

    public string? OtlpEndpoint { get; set; }

    /// <summary>Serve the developer dashboard, as run mode does, and export the services' telemetry to it.</summary>
    public bool Dashboard { get; set; }

    /// <summary>False for a test that declares its own graph.</summary>
    public bool DeclareGraph { get; set; } = true;
}
