using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace SmsBridge.Tests.Infrastructure;

/// <summary>
/// The whole graph through Aspire.Hosting.Testing: its own data folder and ports, fsync off, every wait with a timeout.
/// A resource that fails names itself and its last log lines.
/// </summary>
public sealed class AspireGraph : IAsyncDisposable
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static readonly string[] ResourceNames = ["postgres", "cache", "receiver", "admin", "backup"];

    private AspireGraph(DistributedApplication app, string dataDirectory)
    {
        App = app;
        DataDirectory = dataDirectory;
    }

    public DistributedApplication App { get; }

    public string DataDirectory { get; }

    public static async Task<AspireGraph> StartAsync(Action<IDistributedApplicationTestingBuilder>? configure = null, params string[] args)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var data = Directory.CreateTempSubdirectory("smsbridge-test-").FullName;
        File.SetUnixFileMode(data, (UnixFileMode)0b111_101_101);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.SmsBridge_AppHost>(
            [$"AppHost:DataDirectory={data}", "AppHost:FastUnsafeStorage=true", .. args],
            (options, host) => host.EnvironmentName = "Development", timeout.Token);
        configure?.Invoke(builder);
        var app = await builder.BuildAsync(timeout.Token);
        _ = Task.Run(async () =>
        {
            await foreach (var e in app.ResourceNotifications.WatchAsync(timeout.Token))
            {
                if (e.Snapshot.State?.Text == "Finished")
                {
                    await File.AppendAllTextAsync("/tmp/aspire-states.log", $"EXIT {e.Snapshot.ExitCode} " + string.Join(" | ", e.Snapshot.Properties.Select(p => p.Name + "=" + p.Value)) + "\n");
                    var logs = app.Services.GetRequiredService<ResourceLoggerService>();
                    using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    try
                    {
                        await foreach (var batch in logs.GetAllAsync(e.Resource.Name).WithCancellation(stop.Token))
                            await File.AppendAllLinesAsync("/tmp/aspire-states.log", batch.Select(l => "LOG " + l.Content));
                    }
                    catch (OperationCanceledException) { }
                }
                await File.AppendAllTextAsync("/tmp/aspire-states.log",
                    $"{DateTime.UtcNow:HH:mm:ss} {e.Resource.Name} {e.Snapshot.State?.Text} {e.Snapshot.HealthStatus} {string.Join(";", e.Snapshot.HealthReports.Select(h => h.Name + "=" + h.Status + ":" + h.Description + h.ExceptionText))}\n");
            }
        });
        await app.StartAsync(timeout.Token);
        var graph = new AspireGraph(app, data);
        foreach (var name in ResourceNames) await graph.WaitHealthyAsync(name, timeout.Token);
        return graph;
    }

    public async Task WaitHealthyAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(name, WaitBehavior.StopOnResourceUnavailable, cancellationToken);
        }
        catch (Exception ex) when (ex is DistributedApplicationException or OperationCanceledException)
        {
            var states = string.Join(", ", ResourceNames.Select(n =>
                App.ResourceNotifications.TryGetCurrentState(n, out var e) ? $"{n}={e.Snapshot.State?.Text}/{e.Snapshot.HealthStatus}" : $"{n}=?"));
            throw new InvalidOperationException($"'{name}' did not become healthy ({ex.Message}). States: {states}\n{await LogTailAsync(name)}", ex);
        }
    }

    public async Task<string> LogTailAsync(string name, int lines = 30)
    {
        var logs = App.Services.GetRequiredService<ResourceLoggerService>();
        var all = new List<string>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await foreach (var batch in logs.GetAllAsync(name).WithCancellation(stop.Token)) all.AddRange(batch.Select(l => l.Content));
        }
        catch (OperationCanceledException)
        {
        }

        return string.Join('\n', all.TakeLast(lines));
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync().AsTask().WaitAsync(Timeout);
        if (Environment.GetEnvironmentVariable("SMSBRIDGE_TEST_KEEP_DATA") != "1") Directory.Delete(DataDirectory, recursive: true);
    }
}
