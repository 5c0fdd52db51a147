using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace SmsBridge.Tests.Admin;

/// <summary>Helpers the admin tests share: problem assertions, audit look-ups, redis-cli through a forwarded port.</summary>
public static class AdminTestKit
{
    public static readonly string[] Services = ["metrics", "postgres", "pgbouncer", "redis"];

    /// <summary>Moves every monitoring port to a free loopback port (the defaults may be taken on a shared machine).</summary>
    public static async Task UseFreeMonitoringPortsAsync(HttpClient admin)
    {
        var body = Services.ToDictionary(s => s, _ => (object)FreePorts.Next());
        body["change_note"] = "tests: free ports";
        using var response = await admin.PostAsJsonAsync("/admin/monitoring/port-config", body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts the contract's problem body: status, <c>code</c>, <c>timestamp</c>, and (if given) the field at fault.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code, string? field = null)
    {
        var body = await JsonAsync(response, status);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.True(body.TryGetProperty("timestamp", out _), "problem has a timestamp");
        if (field is not null) Assert.Equal(field, body.GetProperty("field").GetString());
        return body;
    }

    /// <summary>Audit rows of one type whose subject or details mention <paramref name="needle"/>, newest first.</summary>
    public static async Task<List<(string Actor, string? Source, string? Subject, string Details)>> AuditAsync(NpgsqlDataSource db,
        string eventType, string? needle = null)
    {
        await using var command = db.CreateCommand("""
            SELECT actor, source_address, subject, details::text FROM audit_events
            WHERE event_type = $1 AND ($2::text IS NULL OR coalesce(subject, '') || details::text LIKE '%' || $2 || '%')
            ORDER BY id DESC
            """);
        command.Parameters.Add(new() { Value = eventType });
        command.Parameters.Add(new() { Value = (object?)needle ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string?, string?, string)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3)));
        }

        return rows;
    }

    /// <summary>Runs redis-cli against a port (password through REDISCLI_AUTH, never on the command line).</summary>
    public static async Task<(int Exit, string Output)> RedisCliAsync(int port, string password, params string[] command)
    {
        var result = await ExternalProgram.CaptureAsync(
            new ProgramInvocation("redis-cli", ["-h", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. command])
            {
                Environment = new Dictionary<string, string?> { ["REDISCLI_AUTH"] = password },
                Timeout = TimeSpan.FromSeconds(20),
            });
        return (result.ExitCode, result.All.Trim());
    }
}
