using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using SmsBridge.Processes;

namespace SmsBridge.Benchmarks.Ceilings;

/// <summary>
/// PostgreSQL's own ceiling on this machine: pgbench as the superuser, against the graph's server, with one
/// transaction = one row inserted into a copy of <c>sms_inbox</c> (same columns, constraints and indexes), as the
/// intake's write is. The copy, <c>bench.sms_inbox</c>, is this benchmark's own table, not the product's: it lives in a
/// scratch schema that is dropped afterwards, so its SQL stays here rather than in the inbox's module (Data/Inbox).
/// </summary>
public static partial class PgBench
{
    public const string Executable = "/usr/lib/postgresql/15/bin/pgbench";

    // pgbench reads ":name" (letters or digits) as a variable, so literal colons are written as chr(58); the mobile is
    // computed once in a subselect so that its variable is bound once.
    private const string Script = """
        \set n random(100000000, 999999999)
        INSERT INTO bench.sms_inbox (id, dedupe_key, source, source_address, mobile_number, mobile_raw, message, raw_payload, sender, received_at, received_at_raw, accepted_at) SELECT gen_random_uuid(), CAST(gen_random_uuid() AS text), 'api', '127.0.0.1', v.mobile, v.mobile, v.message, '{"mobile_number"' || chr(58) || '"' || v.mobile || '","message"' || chr(58) || '"' || v.message || '","received_at"' || chr(58) || '"' || v.at || '"}', NULL, now(), v.at, now() FROM (SELECT '+447' || CAST(:n AS text) AS mobile, 'ONBOARD' || chr(58) || 'ZZZZZZZZ' AS message, CAST(now() AS text) AS at) AS v ON CONFLICT DO NOTHING RETURNING id;
        """;

    public static async Task<CeilingResult> RunAsync(string superuserConnectionString, string database, int clients, TimeSpan duration)
    {
        var connection = new NpgsqlConnectionStringBuilder(superuserConnectionString) { Database = database };
        await ExecuteAsync(connection.ConnectionString, """
            CREATE SCHEMA IF NOT EXISTS bench;
            DROP TABLE IF EXISTS bench.sms_inbox;
            CREATE TABLE bench.sms_inbox (LIKE public.sms_inbox INCLUDING ALL);
            """);
        var scriptFile = Path.Combine(Path.GetTempPath(), $"smsbridge-pgbench-{Environment.ProcessId}.sql");
        await File.WriteAllTextAsync(scriptFile, Script);
        try
        {
            var output = (await ExternalProgram.CaptureAsync(new ProgramInvocation(Executable,
            [
                "-n", "-M", "prepared", "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", "2",
                "-T", ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture), "-f", scriptFile,
                "-h", connection.Host!, "-p", connection.Port.ToString(CultureInfo.InvariantCulture), "-U", connection.Username!, database,
            ])
            {
                Environment = new Dictionary<string, string?> { ["PGPASSWORD"] = connection.Password! },
                Timeout = duration + TimeSpan.FromMinutes(1),
            })).EnsureSucceeded().All;
            var tps = TpsLine().Match(output);
            var latency = LatencyLine().Match(output);
            if (!tps.Success) throw new InvalidOperationException("pgbench printed no tps line:\n" + output);
            return new CeilingResult("pgbench one-row inbox insert (prepared)", double.Parse(tps.Groups[1].Value, CultureInfo.InvariantCulture),
                latency.Success ? double.Parse(latency.Groups[1].Value, CultureInfo.InvariantCulture) : null);
        }
        finally
        {
            File.Delete(scriptFile);
            await ExecuteAsync(connection.ConnectionString, "DROP SCHEMA bench CASCADE");
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex TpsLine();

    [GeneratedRegex(@"latency average = ([0-9.]+) ms")]
    private static partial Regex LatencyLine();
}

/// <summary>Operations per second a tool reached, and its average latency where it reports one.</summary>
public sealed record CeilingResult(string Name, double PerSecond, double? AverageLatencyMs);
