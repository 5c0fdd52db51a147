using Npgsql;

namespace SmsBridge.Data.Settings;

/// <summary>
/// The settings versions (settings_versions), the one place their SQL lives. Writes run in the caller's transaction (the
/// admin change that audits them) under one transaction-scoped advisory lock so two operators never race; the table's
/// trigger announces every change to the services when that transaction commits, and <see cref="SettingsStore"/> follows.
/// </summary>
public sealed class SettingsVersions(NpgsqlDataSource dataSource, TimeProvider time)
{
    private const long WriteLock = 0x5_3B_21_D6_E1; // "smsbridge settings writes"
    private const string Columns = "version, is_active, created_at, created_by, change_note, activated_at, settings::text";
    private const string ActiveSql = $"SELECT {Columns} FROM settings_versions WHERE is_active";

    public async Task<SettingsVersion> GetActiveAsync(CancellationToken cancellationToken) =>
        (await QueryAsync(ActiveSql, null, cancellationToken)).Single();

    public async Task<SettingsVersion?> GetAsync(int version, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {Columns} FROM settings_versions WHERE version = $1", version, cancellationToken)).SingleOrDefault();

    public Task<List<SettingsVersion>> HistoryAsync(int limit, CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {Columns} FROM settings_versions ORDER BY version DESC LIMIT $1", limit, cancellationToken);

    /// <summary>
    /// The active version on the caller's connection and, when given, in its transaction (a dump reads it in its snapshot);
    /// null when none is active.
    /// </summary>
    public static async Task<SettingsVersion?> ReadActiveAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(ActiveSql, connection, transaction);
        return (await ReadAsync(command, cancellationToken)).SingleOrDefault();
    }

    /// <summary>Whether the database has the table at all: a dump may be taken of one the migrations have not reached.</summary>
    public static async Task<bool> ExistAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var exists = new NpgsqlCommand("SELECT to_regclass('settings_versions') IS NOT NULL", connection, transaction);
        return await exists.ExecuteScalarAsync(cancellationToken) is true;
    }

    /// <summary>Stores a new version and makes it the active one, in <paramref name="transaction"/>.</summary>
    public async Task<int> CreateActiveAsync(NpgsqlTransaction transaction, SmsBridgeSettings settings, string createdBy, string changeNote,
        CancellationToken cancellationToken)
    {
        var connection = transaction.Connection!;
        await LockAsync(connection, transaction, cancellationToken);
        var now = time.GetUtcNow().UtcDateTime;
        await using (var off = new NpgsqlCommand("UPDATE settings_versions SET is_active = false WHERE is_active", connection, transaction))
        {
            await off.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var insert = new NpgsqlCommand("""
            INSERT INTO settings_versions (settings, is_active, created_at, created_by, change_note, activated_at)
            VALUES ($1::jsonb, true, $2, $3, $4, $2) RETURNING version
            """, connection, transaction);
        insert.Parameters.Add(new() { Value = settings.ToJson() });
        insert.Parameters.Add(new() { Value = now });
        insert.Parameters.Add(new() { Value = createdBy });
        insert.Parameters.Add(new() { Value = changeNote });
        return (int)(await insert.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Makes an existing version the active one, in <paramref name="transaction"/>; false when there is no such version.</summary>
    public async Task<bool> ActivateAsync(NpgsqlTransaction transaction, int version, CancellationToken cancellationToken)
    {
        var connection = transaction.Connection!;
        await LockAsync(connection, transaction, cancellationToken);
        await using (var exists = new NpgsqlCommand("SELECT 1 FROM settings_versions WHERE version = $1", connection, transaction))
        {
            exists.Parameters.Add(new() { Value = version });
            if (await exists.ExecuteScalarAsync(cancellationToken) is null) return false;
        }

        await using (var off = new NpgsqlCommand("UPDATE settings_versions SET is_active = false WHERE is_active AND version <> $1", connection, transaction))
        {
            off.Parameters.Add(new() { Value = version });
            await off.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var on = new NpgsqlCommand(
            "UPDATE settings_versions SET is_active = true, activated_at = $2 WHERE version = $1 AND NOT is_active", connection, transaction))
        {
            on.Parameters.Add(new() { Value = version });
            on.Parameters.Add(new() { Value = time.GetUtcNow().UtcDateTime });
            await on.ExecuteNonQueryAsync(cancellationToken);
        }

        return true;
    }

    private static async Task LockAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({WriteLock})", connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<List<SettingsVersion>> QueryAsync(string sql, int? argument, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        if (argument is { } value) command.Parameters.Add(new() { Value = value });
        return await ReadAsync(command, cancellationToken);
    }

    private static async Task<List<SettingsVersion>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<SettingsVersion>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new SettingsVersion(
                reader.GetInt32(0),
                reader.GetBoolean(1),
                new DateTimeOffset(reader.GetDateTime(2), TimeSpan.Zero),
                reader.GetString(3),
                reader.GetString(4),
                reader.IsDBNull(5) ? null : new DateTimeOffset(reader.GetDateTime(5), TimeSpan.Zero),
                SmsBridgeSettings.FromJson(reader.GetString(6))));
        }

        return rows;
    }
}
