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
