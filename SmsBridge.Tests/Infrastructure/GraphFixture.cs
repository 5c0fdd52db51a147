using SmsBridge.AppHost.Hosting;

namespace SmsBridge.Tests.Infrastructure;

/// <summary>
/// One running graph shared by the tests of a collection that only read or add their own data
/// (each uses its own mobile numbers). Tests that break things start their own graph.
/// </summary>
public sealed class GraphFixture : IAsyncLifetime
{
    public DistributedApplication App { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = DistributedApplicationTestingBuilder.Create().Build();
        await App.StartAsync().WaitAsync(TimeSpan.FromMinutes(3));
    }

    public async Task DisposeAsync() => await App.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class GraphCollection : ICollectionFixture<GraphFixture>
{
    public const string Name = "graph";
}
