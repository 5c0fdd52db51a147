using Npgsql;

namespace SmsBridge.Backup.Catalogue;

/// <summary>
/// One backup, verify, restore or prune at a time across every worker and CLI run: a session-level PostgreSQL
/// advisory lock, held on its own connection and released when that connection closes (even on a crash).
/// </summary>
public sealed class BackupLock : IAsyncDisposable
{
    /// <summary>"SBKP" in ASCII; the receiver's migrator uses its own key.</summary>
    private const long Key = 0x53424B50;

    private readonly NpgsqlConnection? _connection;

    private BackupLock(NpgsqlConnection? connection) => _connection = connection;

    /// <summary>A stand-in when no catalogue database is configured (a CLI run on a bare host): nothing to coordinate with.</summary>
    public static BackupLock None { get; } = new(null);

    /// <summary>The lock, or null when another backup operation holds it.</summary>
    public static async Task<BackupLock?> TryAcquireAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection);
            command.Parameters.Add(new() { Value = Key });
            if (await command.ExecuteScalarAsync(cancellationToken) is true) return new BackupLock(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is null) return;
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", _connection);
            command.Parameters.Add(new() { Value = Key });
            await command.ExecuteScalarAsync();
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // The connection is gone, and the lock with it.
        }

        await _connection.DisposeAsync();
    }
}

/// <summary>Another backup operation holds the lock.</summary>
public sealed class BackupBusyException() : Exception("Another backup, verification, restore or prune is running; try again when it has finished.");
