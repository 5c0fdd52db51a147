using Microsoft.Extensions.Hosting;
using Npgsql;
using SmsBridge.Data.Notifications;

namespace SmsBridge.Data.Settings;

/// <summary>
/// The active settings version, held in memory and reloaded whenever <c>settings_versions</c> changes
/// (LISTEN/NOTIFY), so an admin change reaches every instance within moments, without a restart.
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
        await using var command = _dataSource.CreateCommand("SELECT version, settings::text FROM settings_versions WHERE is_active");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (await reader.ReadAsync(cancellationToken))
        {
            _active = new ActiveSettings(reader.GetInt32(0), SmsBridgeSettings.FromJson(reader.GetString(1)));
        }
    }

    private sealed record ActiveSettings(int Version, SmsBridgeSettings Settings);
}
