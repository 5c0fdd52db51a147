using SmsBridge.AppHost.Hosting;

namespace SmsBridge.AppHost.Dashboard;

/// <summary>
/// Keeps the health of started resources current for the dashboard: the start-up wait sets Healthy once,
/// this notices later changes (a service whose database went away turns Unhealthy, and back).
/// </summary>
internal sealed class ResourceMonitor : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(3);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public ResourceMonitor(IReadOnlyList<Resource> resources) => _loop = RunAsync(resources, _stop.Token);

    private static async Task RunAsync(IReadOnlyList<Resource> resources, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                // Only resources the start-up wait has finished with: it owns Starting and Running.
                var checks = resources.Where(r => r.State is ResourceState.Healthy or ResourceState.Unhealthy).Select(async r =>
                {
                    var healthy = await r.IsHealthyAsync(cancellationToken);
                    if (r.State is ResourceState.Healthy or ResourceState.Unhealthy)
                    {
                        r.State = healthy ? ResourceState.Healthy : ResourceState.Unhealthy;
                    }
                });
                await Task.WhenAll(checks);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
