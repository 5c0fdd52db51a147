using Npgsql;
using SmsBridge.Backup.Artefacts;

namespace SmsBridge.Backup.Dumping;

/// <summary>
/// Per-table row counts and an order-independent fingerprint of the rows (the sum of a 64-bit hash of each row's
/// text form), taken in the dump's snapshot and again after a restore: equal fingerprints mean the same rows,
/// not just as many. The session settings fix the text form of timestamps, floats and bytea on both sides. Tables the
/// schema marks volatile (a <c>COMMENT</c> starting "volatile:", e.g. heartbeats) are rewritten by running services within
/// seconds of a restore, so they are not compared.
/// </summary>
public static class TableFingerprints
{
    /// <summary>The text form every fingerprint is taken in, as <c>SET</c> statements (<c>SET LOCAL</c> inside a restore's transaction).</summary>
    internal static string SessionSettings(bool local = false) => string.Join("; ",
        new[] { "TIME ZONE 'UTC'", "DateStyle = 'ISO, YMD'", "IntervalStyle = 'postgres'", "extra_float_digits = 3", "bytea_output = 'hex'" }
            .Select(setting => (local ? "SET LOCAL " : "SET ") + setting));

    /// <summary>A table's row count and fingerprint; <c>{0}</c> is the table's quoted name, its rows aliased <c>t</c>.</summary>
    internal const string CountAndFingerprint = "SELECT count(*), coalesce(sum(hashtextextended(t::text, 0)::numeric), 0)::text FROM {0} t";

    private const string UserTables = """
        SELECT format('%I.%I', n.nspname, c.relname)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
          AND n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp%'
          AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
          AND coalesce(obj_description(c.oid, 'pg_class'), '') NOT LIKE 'volatile:%'
        ORDER BY 1
        """;

    public static async Task<List<TableContents>> CaptureAsync(NpgsqlConnection connection, CancellationToken cancellationToken,
        NpgsqlTransaction? transaction = null)
    {
        await using (var settings = new NpgsqlCommand(SessionSettings(), connection, transaction))
        {
            await settings.ExecuteNonQueryAsync(cancellationToken);
        }

        var tables = new List<string>();
        await using (var list = new NpgsqlCommand(UserTables, connection, transaction))
        await using (var reader = await list.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken)) tables.Add(reader.GetString(0));
        }

        var contents = new List<TableContents>();
        foreach (var table in tables)
        {
            // The name was quoted by the server (format %I); identifiers cannot be bound as parameters.
            await using var count = new NpgsqlCommand(string.Format(System.Globalization.CultureInfo.InvariantCulture, CountAndFingerprint, table),
                connection, transaction);
            await using var reader = await count.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            contents.Add(new TableContents(table, reader.GetInt64(0), reader.GetString(1)));
        }

        return contents;
    }

    /// <summary>Every difference between what the manifest recorded and what a restored database holds.</summary>
    public static List<string> Compare(IReadOnlyList<TableContents> expected, IReadOnlyList<TableContents> actual)
    {
        var problems = new List<string>();
        var found = actual.ToDictionary(t => t.Table, StringComparer.Ordinal);
        foreach (var table in expected)
        {
            if (!found.TryGetValue(table.Table, out var restored))
            {
                problems.Add($"table {table.Table} is missing");
            }
            else if (restored.Rows != table.Rows)
            {
                problems.Add($"table {table.Table} has {restored.Rows} rows, expected {table.Rows}");
            }
            else if (restored.Fingerprint != table.Fingerprint)
            {
                problems.Add($"table {table.Table} has {restored.Rows} rows as expected but different contents");
            }
        }

        return problems;
    }
}
