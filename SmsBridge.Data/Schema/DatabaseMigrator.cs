using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Npgsql;
using SmsBridge.Data.Settings;

namespace SmsBridge.Data.Schema;

/// <summary>
/// Applies the embedded <c>NNNN_name.sql</c> migrations in order, each in its own transaction, recorded in
/// <c>schema_migrations</c>, under a PostgreSQL advisory lock so several instances starting together apply
/// each exactly once. Runs as the owner role; services otherwise connect as the app role.
/// </summary>
/// <param name="firstSettings">The first settings version (the product's defaults unless a graph seeds e.g. its sync_url).</param>
public sealed partial class DatabaseMigrator(string ownerConnectionString, ILogger<DatabaseMigrator> logger, SmsBridgeSettings? firstSettings = null)
{
    private const long AdvisoryLockKey = 0x5_3B_21_D6_E0; // "smsbridge migrations"

    public async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, null, """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer     PRIMARY KEY,
                    name       text        NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now())
                """, cancellationToken);
            var applied = new HashSet<int>();
            await using (var read = new NpgsqlCommand("SELECT version FROM schema_migrations", connection))
            await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken)) applied.Add(reader.GetInt32(0));
            }

            foreach (var (version, name, sql) in Migrations().Where(m => !applied.Contains(m.Version)))
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, transaction, sql, cancellationToken);
                await using (var record = new NpgsqlCommand("INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", connection, transaction))
                {
                    record.Parameters.Add(new() { Value = version });
                    record.Parameters.Add(new() { Value = name });
                    await record.ExecuteNonQueryAsync(cancellationToken);
                }

                await transaction.CommitAsync(cancellationToken);
                logger.LogInformation("Applied migration {Version} {Name}", version, name);
            }

            // The seeded settings row is '{}' in SQL; the defaults live once, in SmsBridgeSettings.
            await using var seed = new NpgsqlCommand("UPDATE settings_versions SET settings = $1::jsonb WHERE settings = '{}'::jsonb", connection);
            seed.Parameters.Add(new() { Value = (firstSettings ?? new SmsBridgeSettings()).ToJson() });
            await seed.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    public static IEnumerable<(int Version, string Name, string Sql)> Migrations()
    {
        var assembly = typeof(DatabaseMigrator).Assembly;
        foreach (var resource in assembly.GetManifestResourceNames().Order(StringComparer.Ordinal))
        {
            var match = MigrationName().Match(resource);
            if (!match.Success) continue;
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            yield return (int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups[2].Value,
                reader.ReadToEnd());
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql,
        CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [GeneratedRegex(@"\.(\d{4})_([a-z0-9_]+)\.sql$")]
    private static partial Regex MigrationName();
}
