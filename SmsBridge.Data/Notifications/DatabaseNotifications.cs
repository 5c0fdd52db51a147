using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace SmsBridge.Data.Notifications;

/// <summary>
/// One LISTEN connection per process, shared by every cache and worker that follows a table. After a
/// reconnect every subscriber is called once, since notifications sent while disconnected are lost.
/// </summary>
public sealed class DatabaseNotifications(NpgsqlDataSource dataSource, ILogger<DatabaseNotifications> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, List<Func<CancellationToken, Task>>> _subscribers = new();

    public void Subscribe(string channel, Func<CancellationToken, Task> onChange) =>
        _subscribers.GetOrAdd(channel, _ => []).Add(onChange);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var firstConnection = true;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                var pending = new ConcurrentQueue<string>();
                connection.Notification += (_, e) => pending.Enqueue(e.Channel);
                foreach (var channel in _subscribers.Keys)
                {
                    await using var listen = new NpgsqlCommand($"LISTEN {channel}", connection);
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                if (!firstConnection) await NotifyAllAsync(stoppingToken);
                firstConnection = false;

                while (!stoppingToken.IsCancellationRequested)
                {
                    // Returns on a notification, or after the keep-alive interval: then a ping detects a dead connection.
                    if (await connection.WaitAsync(TimeSpan.FromSeconds(15), stoppingToken))
                    {
                        var channels = new HashSet<string>();
                        while (pending.TryDequeue(out var channel)) channels.Add(channel);
                        foreach (var channel in channels) await NotifyAsync(channel, stoppingToken);
                    }
                    else
                    {
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteNonQueryAsync(stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
            {
                logger.LogWarning("Change notifications interrupted ({Reason}); reconnecting", ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
            }
        }
    }

    private async Task NotifyAllAsync(CancellationToken cancellationToken)
    {
        foreach (var channel in _subscribers.Keys) await NotifyAsync(channel, cancellationToken);
    }

    private async Task NotifyAsync(string channel, CancellationToken cancellationToken)
    {
        if (!_subscribers.TryGetValue(channel, out var handlers)) return;
        foreach (var handler in handlers)
        {
            try
            {
                await handler(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "A subscriber to {Channel} failed", channel);
            }
        }
    }
}
