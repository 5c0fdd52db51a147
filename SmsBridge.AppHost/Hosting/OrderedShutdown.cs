using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SmsBridge.AppHost.Hosting;

/// <summary>
/// On Ctrl+C or SIGTERM, stops the services before DCP tears everything down at once: a service still running when
/// PostgreSQL or Redis goes away logs 57P01 and connection errors on every stop. Hosts run every StoppingAsync before
/// any StopAsync, so this runs before Aspire's orchestrator stops DCP.
/// </summary>
internal sealed class OrderedShutdown(DistributedApplicationModel model, ResourceCommandService commands, ILogger<OrderedShutdown> logger)
    : IHostedLifecycleService
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(20);

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Limit);
        var services = model.Resources.OfType<ProjectResource>().Select(p => p.Name).ToList();
        try
        {
            await Task.WhenAll(services.Select(name => commands.ExecuteCommandAsync(name, KnownResourceCommands.StopCommand, limit.Token)));
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
        {
            logger.LogWarning("Stopping the services first did not finish ({Reason}); stopping everything now.", ex.Message);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
