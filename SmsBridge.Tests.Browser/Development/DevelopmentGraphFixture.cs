using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Development;

/// <summary>
/// The graph as F5 runs it: the Aspire dashboard and the two development tools (sample backend, gateway simulator), with the
/// settings the first start gives (sync_url at the sample backend, nobody pointing it anywhere).
/// </summary>
public sealed class DevelopmentGraphFixture : IAsyncLifetime
{
    public AspireDashboard Dashboard { get; } = new();

    public DistributedApplication App { get; private set; } = null!;

    public Uri SampleBackend => App.HttpEndpoint("sample-backend");

    public Uri GatewaySimulator => App.HttpEndpoint("gateway-simulator");

    public async Task InitializeAsync() =>
        App = await TestGraph.StartAsync(configure: null, Dashboard, "AppHost:DevelopmentTools=true");

    public async Task DisposeAsync()
    {
        await App.DisposeAsync();
        Dashboard.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class DevelopmentGraphCollection : ICollectionFixture<DevelopmentGraphFixture>
{
    public const string Name = "development graph";
}
