using Microsoft.Extensions.Hosting;
using Npgsql;
using SmsBridge.Data.Notifications;

namespace SmsBridge.Data.Settings;

/// <summary>
/// The active settings version, held in memory and reloaded (through <see cref="SettingsVersions"/>) whenever
/// <c>settings_versions</c> changes (LISTEN/NOTIFY), so an admin change reaches every instance within moments, without a restart.
/// </summary>
public sealed class SettingsStore : IHostedService
{
    private readonly NpgsqlDataSource _dataSource;
    private volatile ActiveSettings _active = new(0, new SmsBridgeSettings());

    public SettingsStore(NpgsqlDataSource dataSource, DatabaseNotifications notifications)
    {
        _dataSource = dataSource;
        notifications.Subscribe(DatabaseChannels.SettingsChanged, ReloadAsync);
    }

    public SmsBridgeSettings Current => _active.Settings;

    public int Version => _active.Version;

    public Task StartAsync(CancellationToken cancellationToken) => ReloadAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        if (await SettingsVersions.ReadActiveAsync(connection, null, cancellationToken) is { } active)
        {
            _active = new ActiveSettings(active.Version, active.Settings);
        }
    }

    private sealed record ActiveSettings(int Version, SmsBridgeSettings Settings);
}
