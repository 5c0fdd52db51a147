using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SmsBridge.AppHost.Hosting;

/// <summary>Writes each resource's state and health changes to the AppHost's console, so a terminal shows what the dashboard shows.</summary>
internal sealed class StartupReport(ResourceNotificationService notifications, ILogger<StartupReport> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var last = new Dictionary<string, string>();
        try
        {
            await foreach (var update in notifications.WatchAsync(stoppingToken))
            {
                // The graph's processes only: parameters, connection strings and Aspire's hidden helpers have no state to report.
                if (update.Resource is ParameterResource or ConnectionStringResource || update.Snapshot.IsHidden) continue;
                var state = $"{update.Snapshot.State?.Text ?? "?"}{(update.Snapshot.HealthStatus is { } health ? $" ({health})" : "")}";
                if (last.GetValueOrDefault(update.Resource.Name) == state) continue;
                last[update.Resource.Name] = state;
                logger.LogInformation("{Resource}: {State}", update.Resource.Name, state);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
