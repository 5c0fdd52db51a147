using Npgsql;

namespace SmsBridge.Tests.Backups;

/// <summary>Seeds and reads rows as the database owner; checksums are computed here, independently of the product's fingerprints.</summary>
public static class BackupTestData
{
    /// <summary>The tables the tests seed and compare (the catalogue tables change with every backup, so they are left out).</summary>
    public static readonly string[] Tables = ["blacklist", "onboarded_mobiles", "settings_versions", "audit_events"];

    public static async Task ExecuteAsync(string connectionString, string sql, params object[] values)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<T?> ScalarAsync<T>(string connectionString, string sql, params object[] values)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        var result = await command.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    /// <summary>Seeds a batch of rows tagged with <paramref name="tag"/>, including one marker row only this batch has.</summary>
    public static async Task SeedAsync(string owner, string tag, int rows)
    {
        await ExecuteAsync(owner, """
            INSERT INTO blacklist (mobile_number, reason, created_by)
            SELECT '+4477' || $1 || lpad(g::text, 5, '0'), 'seeded ' || $1, 'backup-test' FROM generate_series(1, $2) g;
            """, tag, rows);
        await ExecuteAsync(owner, """
            INSERT INTO onboarded_mobiles (mobile_number, hash, onboarded_at)
            SELECT '+9198' || $1 || lpad(g::text, 5, '0'), md5($1 || g), timestamptz '2026-01-01' + g * interval '1 minute' FROM generate_series(1, $2) g;
            """, tag, rows);
        await ExecuteAsync(owner, """
            INSERT INTO audit_events (occurred_at, event_type, actor, subject, details)
            SELECT now(), 'backup.test', 'backup-test', $1, jsonb_build_object('n', g, 'tag', $1) FROM generate_series(1, $2) g;
            """, tag, rows);
        await ExecuteAsync(owner, "INSERT INTO settings_versions (settings, is_active, created_by, change_note) VALUES ('{}', false, 'backup-test', $1)",
            "marker " + tag);
    }

    /// <summary>Changes and deletes rows, as the days after a backup would.</summary>
    public static async Task ChurnAsync(string owner, string tag)
    {
        await ExecuteAsync(owner, "DELETE FROM blacklist WHERE mobile_number IN (SELECT mobile_number FROM blacklist ORDER BY mobile_number LIMIT 3)");
        await ExecuteAsync(owner, "UPDATE onboarded_mobiles SET hash = 'changed ' || $1 WHERE mobile_number IN (SELECT mobile_number FROM onboarded_mobiles ORDER BY mobile_number DESC LIMIT 5)", tag);
        await ExecuteAsync(owner, "DELETE FROM audit_events WHERE id % 4 = 0");
    }

    /// <summary>An md5 over every row of each table, in a fixed order.</summary>
    public static async Task<Dictionary<string, string>> ChecksumsAsync(string connectionString)
    {
        var sums = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var table in Tables)
        {
            await using var command = new NpgsqlCommand($"SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') FROM {table} t", connection);
            sums[table] = (string)(await command.ExecuteScalarAsync())!;
        }

        return sums;
    }

    public static Task<long> MarkerCountAsync(string connectionString, string tag) =>
        ScalarAsync<long>(connectionString, "SELECT count(*) FROM settings_versions WHERE change_note = $1", "marker " + tag)!;
}
