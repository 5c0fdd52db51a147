using System.Text.Json;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Backups;

/// <summary>The worker service as the graph runs it: the admin's requests in <c>backup_requests</c>, health and metrics.</summary>
[Collection(BackupGraphCollection.Name)]
public sealed class WorkerTests(BackupGraphFixture graph)
{
    [Fact]
    public async Task The_worker_carries_out_backup_and_verify_requests_and_reports_health_and_metrics()
    {
        using var client = graph.App.CreateHttpClient("backup", "http");
        Assert.Equal("healthy", await BackupHealthAsync(client));

        var backupRequest = await FileRequestAsync("backup", null);
        var (status, result, error) = await WaitForRequestAsync(backupRequest);
        Assert.True(status == "done", $"backup request ended {status}: {error}");
        using var backup = JsonDocument.Parse(result!);
        Assert.True(backup.RootElement.GetProperty("verified").GetBoolean());
        var id = backup.RootElement.GetProperty("id").GetString()!;
        Assert.Equal("verified", await BackupTestData.ScalarAsync<string>(graph.AppConnection, "SELECT status FROM backups WHERE id = $1", id));
        Assert.Equal("manual", await BackupTestData.ScalarAsync<string>(graph.AppConnection, "SELECT kind FROM backups WHERE id = $1", id));

        var verifyRequest = await FileRequestAsync("verify", id);
        (status, result, error) = await WaitForRequestAsync(verifyRequest);
        Assert.True(status == "done", $"verify request ended {status}: {error}");
        using (var verified = JsonDocument.Parse(result!))
        {
            Assert.True(verified.RootElement.GetProperty("tables_checked").GetInt32() > 5);
            Assert.True(verified.RootElement.GetProperty("indexes_checked").GetInt32() > 5);
        }

        var badRequest = await FileRequestAsync("verify", "../../etc");
        (status, _, error) = await WaitForRequestAsync(badRequest);
        Assert.Equal("failed", status);
        Assert.Contains("is not a backup id", error, StringComparison.Ordinal);

        Assert.Equal("healthy", await BackupHealthAsync(client));
        using var management = graph.App.CreateHttpClient("backup", "management");
        var metrics = await management.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Contains("smsbridge_backup_last_success", metrics, StringComparison.Ordinal);
        Assert.Contains("smsbridge_backup_duration", metrics, StringComparison.Ordinal);
        Assert.Matches(@"smsbridge_backup_verified\S*\s+1", metrics);
    }

    private Task<long> FileRequestAsync(string kind, string? backupId) =>
        BackupTestData.ScalarAsync<long>(graph.AppConnection,
            "INSERT INTO backup_requests (kind, backup_id, requested_by) VALUES ($1, $2, 'admin-test') RETURNING id", kind, (object?)backupId ?? DBNull.Value);

    private async Task<(string Status, string? Result, string? Error)> WaitForRequestAsync(long id)
    {
        (string, string?, string?) outcome = ("pending", null, null);
        await Eventually.TrueAsync(async () =>
        {
            await using var connection = new Npgsql.NpgsqlConnection(graph.AppConnection);
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand("SELECT status, result::text, error FROM backup_requests WHERE id = $1", connection);
            command.Parameters.Add(new() { Value = id });
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            outcome = (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2));
            return outcome.Item1 is "done" or "failed";
        }, TimeSpan.FromMinutes(2), $"backup request {id} to finish");
        return outcome;
    }

    private static async Task<string?> BackupHealthAsync(HttpClient client)
    {
        using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("checks").GetProperty("backups").GetString();
    }
}
