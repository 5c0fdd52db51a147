using Npgsql;

namespace SmsBridge.Admin.Accounts;

/// <summary>Operator accounts and their recent login failures in PostgreSQL.</summary>
public sealed class UserStore(NpgsqlDataSource dataSource)
{
    public async Task<AdminUser?> FindAsync(string username, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT id, username, role, password_hash, totp_key_protected IS NOT NULL FROM admin_users WHERE username = $1");
        command.Parameters.Add(new() { Value = username });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new AdminUser(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetBoolean(4))
            : null;
    }

    public async Task<bool> AnyAdminAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT EXISTS (SELECT 1 FROM admin_users WHERE role = 'admin')");
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Creates the account (in <paramref name="transaction"/> when given, the audited change); false when the username is taken.</summary>
    public async Task<bool> CreateAsync(string username, string role, string passwordHash, string createdBy, CancellationToken cancellationToken,
        NpgsqlTransaction? transaction = null)
    {
        await using var command = Command("""
            INSERT INTO admin_users (username, role, password_hash, created_by) VALUES ($1, $2, $3, $4)
            ON CONFLICT (username) DO NOTHING
            """, transaction);
        command.Parameters.Add(new() { Value = username });
        command.Parameters.Add(new() { Value = role });
        command.Parameters.Add(new() { Value = passwordHash });
        command.Parameters.Add(new() { Value = createdBy });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Sets a new role and password for an existing account (in <paramref name="transaction"/> when given); false when there is none.</summary>
    public async Task<bool> UpdateAsync(string username, string role, string passwordHash, CancellationToken cancellationToken,
        NpgsqlTransaction? transaction = null)
    {
        await using var command = Command(
            "UPDATE admin_users SET role = $2, password_hash = $3, updated_at = now() WHERE username = $1", transaction);
        command.Parameters.Add(new() { Value = username });
        command.Parameters.Add(new() { Value = role });
        command.Parameters.Add(new() { Value = passwordHash });
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task UpdateHashAsync(long id, string passwordHash, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("UPDATE admin_users SET password_hash = $2, updated_at = now() WHERE id = $1");
        command.Parameters.Add(new() { Value = id });
        command.Parameters.Add(new() { Value = passwordHash });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Failures for this username since <paramref name="since"/>, and the oldest of them.</summary>
    public async Task<(int Count, DateTimeOffset? Oldest)> FailuresSinceAsync(string username, DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT count(*), min(failed_at) FROM admin_login_failures WHERE username = $1 AND failed_at > $2");
        command.Parameters.Add(new() { Value = username });
        command.Parameters.Add(new() { Value = since.UtcDateTime });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return ((int)reader.GetInt64(0), reader.IsDBNull(1) ? null : new DateTimeOffset(reader.GetDateTime(1), TimeSpan.Zero));
    }

    public async Task RecordFailureAsync(string username, DateTimeOffset at, string? sourceAddress, CancellationToken cancellationToken)
    {
        // Rows older than a day serve no window: prune them as we go.
        await using var batch = dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand("INSERT INTO admin_login_failures (username, failed_at, source_address) VALUES ($1, $2, $3)")
        {
            Parameters = { new() { Value = username }, new() { Value = at.UtcDateTime }, new() { Value = (object?)sourceAddress ?? DBNull.Value } },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand("DELETE FROM admin_login_failures WHERE failed_at < $1")
        {
            Parameters = { new() { Value = at.UtcDateTime.AddDays(-1) } },
        });
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task ClearFailuresAsync(string username, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM admin_login_failures WHERE username = $1");
        command.Parameters.Add(new() { Value = username });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private NpgsqlCommand Command(string sql, NpgsqlTransaction? transaction) =>
        transaction is null ? dataSource.CreateCommand(sql) : new NpgsqlCommand(sql, transaction.Connection, transaction);
}
