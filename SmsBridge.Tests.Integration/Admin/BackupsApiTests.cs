using System.Net;
using System.Net.Http.Json;

namespace SmsBridge.Tests.Admin;

[Collection(AdminGraphCollection.Name)]
public sealed class BackupsApiTests(AdminGraphFixture graph)
{
    private async Task<string> CatalogueBackupAsync()
    {
        var id = "tests-" + Guid.NewGuid().ToString("N")[..10];
        await using var insert = graph.Database.CreateCommand("""
            INSERT INTO backups (id, kind, status, started_at, finished_at, size_bytes, location)
            VALUES ($1, 'manual', 'completed', now() - interval '1 minute', now(), 12345, 'local')
            """);
        insert.Parameters.Add(new() { Value = id });
        await insert.ExecuteNonQueryAsync();
        return id;
    }

    private async Task<(string Kind, string? BackupId, string By)> RequestAsync(long id)
    {
        await using var command = graph.Database.CreateCommand("SELECT kind, backup_id, requested_by FROM backup_requests WHERE id = $1");
        command.Parameters.Add(new() { Value = id });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"backup request {id} is stored");
        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetString(2));
    }

    [Fact]
    public async Task Backups_are_listed_and_backup_and_verify_requests_are_filed_for_the_worker()
    {
        using var admin = graph.CreateClient();
        var id = await CatalogueBackupAsync();
        var list = await AdminTestKit.JsonAsync(await admin.GetAsync("/admin/backups"), HttpStatusCode.OK);
        Assert.Contains(list.GetProperty("backups").EnumerateArray(), b => b.GetProperty("id").GetString() == id);

        var backup = await AdminTestKit.JsonAsync(await admin.PostAsync("/admin/backups", null), HttpStatusCode.Accepted);
        Assert.Equal(("backup", (string?)null, "admin"), await RequestAsync(backup.GetProperty("id").GetInt64()));

        var verify = await AdminTestKit.JsonAsync(await admin.PostAsync($"/admin/backups/{id}/verify", null), HttpStatusCode.Accepted);
        Assert.Equal(("verify", id, "admin"), await RequestAsync(verify.GetProperty("id").GetInt64()));
        Assert.NotEmpty(await AdminTestKit.AuditAsync(graph.Database, "backup.verify_requested", id));

        await AdminTestKit.ProblemAsync(await admin.PostAsync("/admin/backups/no-such-backup/verify", null), HttpStatusCode.NotFound, "NOT_FOUND");
    }

    [Fact]
    public async Task Restore_needs_a_single_use_confirmation_token_for_that_backup()
    {
        using var admin = graph.CreateClient();
        var id = await CatalogueBackupAsync();
        var other = await CatalogueBackupAsync();

        var step1 = await AdminTestKit.JsonAsync(await admin.PostAsync($"/admin/backups/{id}/restore", null), HttpStatusCode.OK);
        var token = step1.GetProperty("confirmation_token").GetString()!;
        Assert.Equal(id, step1.GetProperty("backup_id").GetString());
        Assert.True(step1.GetProperty("expires_at").GetDateTimeOffset() > DateTimeOffset.UtcNow);
        await using (var none = graph.Database.CreateCommand("SELECT count(*) FROM backup_requests WHERE kind = 'restore' AND backup_id = $1"))
        {
            none.Parameters.Add(new() { Value = id });
            Assert.Equal(0L, await none.ExecuteScalarAsync());
        }

        await AdminTestKit.ProblemAsync(await admin.PostAsJsonAsync($"/admin/backups/{other}/restore", new { confirmation_token = token }),
            HttpStatusCode.BadRequest, "CONFIRMATION_INVALID", "confirmation_token");
        await AdminTestKit.ProblemAsync(await admin.PostAsJsonAsync($"/admin/backups/{id}/restore", new { confirmation_token = "guessed" }),
            HttpStatusCode.BadRequest, "CONFIRMATION_INVALID", "confirmation_token");

        var filed = await AdminTestKit.JsonAsync(await admin.PostAsJsonAsync($"/admin/backups/{id}/restore", new { confirmation_token = token }),
            HttpStatusCode.Accepted);
        Assert.Equal(("restore", id, "admin"), await RequestAsync(filed.GetProperty("id").GetInt64()));
        Assert.NotEmpty(await AdminTestKit.AuditAsync(graph.Database, "backup.restore_requested", id));

        await AdminTestKit.ProblemAsync(await admin.PostAsJsonAsync($"/admin/backups/{id}/restore", new { confirmation_token = token }),
            HttpStatusCode.BadRequest, "CONFIRMATION_INVALID");
        await AdminTestKit.ProblemAsync(await admin.PostAsync("/admin/backups/no-such-backup/restore", null), HttpStatusCode.NotFound, "NOT_FOUND");
    }
}
