namespace SmsBridge.Tests.Infrastructure;

/// <summary>
/// One running graph shared by the tests of a collection that only read or add their own data
/// (each uses its own mobile numbers). Tests that break things start their own graph.
/// </summary>
public class GraphFixture : IAsyncLifetime
{
    private readonly Action<IDistributedApplicationTestingBuilder>? _configure;

    public GraphFixture()
    {
    }

    /// <summary>A shared graph configured for its collection (xunit wants one public constructor per fixture).</summary>
    protected GraphFixture(Action<IDistributedApplicationTestingBuilder> configure) => _configure = configure;

    public DistributedApplication App { get; private set; } = null!;

    public VerificationFlow Flow { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await TestGraph.StartAsync(_configure);
        Flow = new VerificationFlow(App);
    }

    public async Task DisposeAsync()
    {
        Flow.Dispose();
        await App.DisposeAsync();
    }
}

/// <remarks>xunit reads [CollectionDefinition] only in the test assembly: each one using it derives a definition.</remarks>
public abstract class GraphCollection : ICollectionFixture<GraphFixture>
{
    public const string Name = "graph";
}

/// <summary>
/// One graph for the tests that stop, kill or restart PostgreSQL or Redis and bring them back: they run one after
/// another on it (each leaves it healthy), which saves a graph's start and stop per test.
/// </summary>
/// <remarks>xunit reads [CollectionDefinition] only in the test assembly: each one using it derives a definition.</remarks>
public abstract class OutageGraphCollection : ICollectionFixture<GraphFixture>
{
    public const string Name = "outage graph";
}
