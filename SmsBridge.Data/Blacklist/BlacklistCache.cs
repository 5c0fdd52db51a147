using System.Collections.Frozen;
using Microsoft.Extensions.Hosting;
using Npgsql;
using SmsBridge.Data.Notifications;

namespace SmsBridge.Data.Blacklist;

/// <summary>The blacklist in memory; PostgreSQL is authoritative and every change reloads it (LISTEN/NOTIFY).</summary>
public sealed class BlacklistCache : IBlacklist, IHostedService
{
    private readonly NpgsqlDataSource _dataSource;
    private volatile FrozenSet<string> _mobiles = FrozenSet<string>.Empty;

    public BlacklistCache(NpgsqlDataSource dataSource, DatabaseNotifications notifications)
    {
        _dataSource = dataSource;
        notifications.Subscribe(DatabaseChannels.BlacklistChanged, ReloadAsync);
    }

    public bool Contains(string mobile) => _mobiles.Contains(mobile);

    public Task StartAsync(CancellationToken cancellationToken) => ReloadAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        var mobiles = await BlacklistEntries.MobilesAsync(_dataSource, cancellationToken);
        _mobiles = mobiles.ToFrozenSet(StringComparer.Ordinal);
    }
}
