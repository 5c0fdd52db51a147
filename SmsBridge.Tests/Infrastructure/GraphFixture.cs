using SmsBridge.AppHost.Hosting;

namespace SmsBridge.Tests.Infrastructure;

/// <summary>
/// One running graph shared by the tests of a collection that only read or add their own data
/// (each uses its own mobile numbers). Tests that break things start their own graph.
/// </summary>
public sealed class GraphFixture : IAsyncLifetime
{
    public DistributedApplication App { get; private set; } = null!;

    public VerificationFlow Flow { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await TestGraph.StartAsync();
        Flow = new VerificationFlow(App);
    }

    public async Task DisposeAsync()
    {
        Flow.Dispose();
        await App.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class GraphCollection : ICollectionFixture<GraphFixture>
{
    public const string Name = "graph";
}

public static class TestGraph
{
    /// <summary>
    /// Starts the whole graph. The receiver trusts forwarded headers from loopback so tests can speak as
    /// a non-LAN source through a "proxy" (X-Forwarded-For).
    /// </summary>
    public static async Task<DistributedApplication> StartAsync(Action<DistributedApplicationBuilder>? configure = null)
    {
        var builder = DistributedApplicationTestingBuilder.Create();
        builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "receiver")
            .Environment["ForwardedHeaders__TrustedProxies__0"] = () => "127.0.0.1/32";
        configure?.Invoke(builder);
        var app = builder.Build();
        await app.StartAsync().WaitAsync(TimeSpan.FromMinutes(3));
        return app;
    }
}
