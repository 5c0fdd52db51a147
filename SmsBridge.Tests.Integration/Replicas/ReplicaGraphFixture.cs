using System.Net.Http.Headers;
using SmsBridge.Tests.Delivery;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Replicas;

/// <summary>
/// Two receivers, two admin instances and two backup workers on one PostgreSQL and one Redis (AppHost:Replicas:*), with
/// short leases, heartbeats and a backup every minute, and the webhooks going to a sink in the test.
/// </summary>
public sealed class ReplicaGraphFixture : IAsyncLifetime
{
    public static readonly TimeSpan InboxLease = TimeSpan.FromSeconds(5);
    public static readonly TimeSpan AdminHeartbeat = TimeSpan.FromSeconds(2);

    public DistributedApplication App { get; private set; } = null!;

    public VerificationFlow Flow { get; private set; } = null!;

    public WebhookSink Sink { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        App = await TestGraph.StartAsync(builder =>
            {
                DeliveryFlow.FastPacing(builder);
                builder.Project("receiver").WithEnvironment("Receiver__InboxLease", InboxLease.ToString());
                builder.Project("admin").WithEnvironment("Monitoring__BindAddress", "127.0.0.1")
                    .WithEnvironment("Monitoring__InstanceHeartbeat", AdminHeartbeat.ToString());
                builder.Project("backup").WithEnvironment("Backup__Schedule", "* * * * *");
            },
            "AppHost:Replicas:receiver=2", "AppHost:Replicas:admin=2", "AppHost:Replicas:backup=2");
        Flow = new VerificationFlow(App);
        Sink = new WebhookSink(Flow.Secret("webhook-secret"));
        await Sink.StartAsync();
        await Flow.PointAtAsync(Sink);
    }

    /// <summary>The running instances of a replicated resource, each with its own URL (not the graph's proxy) and pid.</summary>
    public Task<IReadOnlyList<Replica>> ReplicasAsync(string resource) => App.InstancesAsync(resource);

    /// <summary>
    /// Starts a killed instance again (restarts a running one) and waits until it runs, healthy, as a new process. By
    /// instance: the graph's own waits take resource names, and a replica's is its resource's.
    /// </summary>
    public async Task RestartAsync(Replica replica)
    {
        var running = App.ResourceNotifications.TryGetCurrentState(replica.Id, out var current)
                      && current.Snapshot.State?.Text == KnownResourceStates.Running;
        var result = await App.ResourceCommands.ExecuteCommandAsync(replica.Id,
            running ? KnownResourceCommands.RestartCommand : KnownResourceCommands.StartCommand).WaitAsync(GraphExtensions.Timeout);
        Assert.True(result.Success, $"start {replica.Id}: {result.Message}");
        // The snapshot's health right after a start can still be the old process's: ask the new one itself.
        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Eventually.TrueAsync(async () =>
            {
                var again = (await ReplicasAsync(replica.Id[..replica.Id.LastIndexOf('-')])).SingleOrDefault(r => r.Id == replica.Id);
                if (again is null || again.ProcessId == replica.ProcessId) return false;
                try
                {
                    using var health = await probe.GetAsync(new Uri(again.Url, "/health"));
                    return health.IsSuccessStatusCode;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(90), $"{replica.Id} running again and answering /health");
    }

    public HttpClient BackendOf(Replica receiver)
    {
        var client = new HttpClient { BaseAddress = receiver.Url, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Flow.Secret("backend-api-key"));
        return client;
    }

    public HttpClient GatewayOf(Replica receiver)
    {
        var client = new HttpClient { BaseAddress = receiver.Url, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Add("X-Api-Key", Flow.Secret("gateway-api-key"));
        return client;
    }

    public HttpClient AdminOf(Replica admin)
    {
        var client = new HttpClient { BaseAddress = admin.Url, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("admin:" + Flow.Secret("admin-password"))));
        return client;
    }

    public async Task DisposeAsync()
    {
        await Sink.DisposeAsync();
        Flow.Dispose();
        await App.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class ReplicaGraphCollection : ICollectionFixture<ReplicaGraphFixture>
{
    public const string Name = "replica graph";
}
