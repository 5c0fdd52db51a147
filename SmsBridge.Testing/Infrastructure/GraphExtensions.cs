using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace SmsBridge.Tests.Infrastructure;

/// <summary>What the tests do to a running graph, over Aspire's resource notifications and commands.</summary>
public static class GraphExtensions
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    /// <summary>Waits until the resource is healthy; one that fails or never gets there is named with its last log lines.</summary>
    public static async Task WaitHealthyAsync(this DistributedApplication app, string name, CancellationToken cancellationToken)
    {
        try
        {
            await app.ResourceNotifications.WaitForResourceHealthyAsync(name, WaitBehavior.StopOnResourceUnavailable, cancellationToken);
        }
        catch (Exception ex) when (ex is DistributedApplicationException or OperationCanceledException)
        {
            throw new InvalidOperationException($"'{name}' did not become healthy ({ex.Message}). Its last log lines:\n{await app.LogTailAsync(name)}", ex);
        }
    }

    public static Task<string> LogTailAsync(this DistributedApplication app, string name, int lines = 30) =>
        Task.FromResult(string.Join('\n', app.Services.GetRequiredService<ConsoleTail>().Lines(name).TakeLast(lines)));

    /// <summary>
    /// Every resource's console output from its start, kept in memory (the last 2,000 lines each): DCP streams a process's
    /// output only while somebody watches, so a process that dies at start leaves nothing to read afterwards.
    /// </summary>
    public sealed class ConsoleTail
    {
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Queue<string>> _lines = new();

        /// <summary>Follows each resource instance as it appears (logs are kept per instance id, e.g. receiver-abc12).</summary>
        public void Follow(DistributedApplication app, CancellationToken stop)
        {
            var logs = app.Services.GetRequiredService<ResourceLoggerService>();
            var followed = new HashSet<string>();
            _ = Task.Run(async () =>
            {
                try
                {
                    await foreach (var update in app.ResourceNotifications.WatchAsync(stop))
                    {
                        if (!followed.Add(update.ResourceId)) continue;
                        var queue = _lines.GetOrAdd(update.Resource.Name, _ => new Queue<string>());
                        _ = Task.Run(() => CollectAsync(logs, update.ResourceId, queue, stop), CancellationToken.None);
                    }
                }
                catch (OperationCanceledException)
                {
                }
            }, CancellationToken.None);
        }

        private static async Task CollectAsync(ResourceLoggerService logs, string resourceId, Queue<string> queue, CancellationToken stop)
        {
            try
            {
                await foreach (var batch in logs.WatchAsync(resourceId).WithCancellation(stop))
                {
                    lock (queue)
                    {
                        foreach (var line in batch)
                        {
                            queue.Enqueue(line.Content);
                            if (queue.Count > 2000) queue.Dequeue();
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        public IReadOnlyList<string> Lines(string name)
        {
            if (!_lines.TryGetValue(name, out var queue)) return [];
            lock (queue) return [.. queue];
        }
    }

    public static IResourceBuilder<ProjectResource> Project(this IDistributedApplicationTestingBuilder builder, string name) =>
        builder.CreateResourceBuilder(builder.Resources.OfType<ProjectResource>().Single(r => r.Name == name));

    public static T GetResource<T>(this DistributedApplication app, string name) where T : IResource =>
        app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<T>().Single(r => r.Name == name);

    /// <summary>A parameter's value (the generated secrets).</summary>
    public static string Secret(this DistributedApplication app, string name) =>
        app.GetResource<ParameterResource>(name).GetValueAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult()!;

    /// <summary>The running instances of a project (one, or each replica), each with its own URL (not the graph's proxy) and pid.</summary>
    public static async Task<IReadOnlyList<Replica>> InstancesAsync(this DistributedApplication app, string resource)
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var seen = new Dictionary<string, ResourceEvent>();
        try
        {
            // WatchAsync replays every instance's latest state first; two seconds of it is the current picture.
            await foreach (var e in app.ResourceNotifications.WatchAsync(stop.Token))
            {
                if (e.Resource.Name == resource) seen[e.ResourceId] = e;
            }
        }
        catch (OperationCanceledException)
        {
        }

        return [.. seen.Values.Where(e => e.Snapshot.State?.Text == KnownResourceStates.Running).OrderBy(e => e.ResourceId).Select(e => new Replica(
            e.ResourceId,
            new Uri(e.Snapshot.EnvironmentVariables.Single(v => v.Name == "ASPNETCORE_URLS").Value!.Split(';')[0]),
            Convert.ToInt32(e.Snapshot.Properties.Single(p => p.Name == "executable.pid").Value, System.Globalization.CultureInfo.InvariantCulture)))];
    }

    public static Uri HttpEndpoint(this DistributedApplication app, string name) => app.GetEndpoint(name, "http");

    public static async Task<int> ProcessIdAsync(this DistributedApplication app, string name)
    {
        var running = await app.ResourceNotifications.WaitForResourceAsync(name,
            e => e.Snapshot.Properties.Any(p => p.Name == "executable.pid" && p.Value is not null)).WaitAsync(Timeout);
        return Convert.ToInt32(running.Snapshot.Properties.First(p => p.Name == "executable.pid").Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>kill -9 of the resource's process (and its children), as a crash would; waits until the graph sees it gone.</summary>
    public static async Task KillAsync(this DistributedApplication app, string name)
    {
        using (var process = Process.GetProcessById(await app.ProcessIdAsync(name))) process.Kill(entireProcessTree: true);
        await app.ResourceNotifications.WaitForResourceAsync(name, [KnownResourceStates.Exited, KnownResourceStates.Finished, KnownResourceStates.FailedToStart])
            .WaitAsync(Timeout);
    }

    public static async Task StopResourceAsync(this DistributedApplication app, string name)
    {
        var result = await app.ResourceCommands.ExecuteCommandAsync(name, KnownResourceCommands.StopCommand).WaitAsync(Timeout);
        Assert.True(result.Success, $"stop {name}: {result.Message}");
    }

    /// <summary>
    /// Starts a stopped or killed resource again and waits until it is healthy. A server started right after its
    /// predecessor stopped can find the port or the data folder's lock still held on a loaded machine and fail to start:
    /// it is started again, twice at most.
    /// </summary>
    public static async Task RestartResourceAsync(this DistributedApplication app, string name)
    {
        for (var attempt = 1; ; attempt++)
        {
            var command = app.ResourceNotifications.TryGetCurrentState(name, out var current) && current.Snapshot.State?.Text == KnownResourceStates.Running
                ? KnownResourceCommands.RestartCommand
                : KnownResourceCommands.StartCommand;
            var result = await app.ResourceCommands.ExecuteCommandAsync(name, command).WaitAsync(Timeout);
            Assert.True(result.Success, $"{command} {name}: {result.Message}");
            try
            {
                await app.ResourceNotifications.WaitForResourceHealthyAsync(name).WaitAsync(Timeout);
                return;
            }
            catch (DistributedApplicationException) when (attempt < 3)
            {
                await Task.Delay(TimeSpan.FromSeconds(2));
            }
        }
    }
}

/// <summary>One running instance of a project: its own URL (not the graph's proxy in front of it) and its process.</summary>
public sealed record Replica(string Id, Uri Url, int ProcessId);
