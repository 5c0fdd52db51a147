using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SmsBridge.Tests.Admin;

[Collection(AdminGraphCollection.Name)]
public sealed class SettingsApiTests(AdminGraphFixture graph)
{
    private async Task<JsonElement> ActiveAsync(HttpClient client) =>
        await AdminTestKit.JsonAsync(await client.GetAsync("/admin/settings"), HttpStatusCode.OK);

    [Fact]
    public async Task A_new_version_applies_only_the_changed_fields_and_a_rollback_restores_the_previous()
    {
        using var admin = graph.CreateClient();
        var before = await ActiveAsync(admin);
        var threshold = before.GetProperty("settings").GetProperty("count_threshold").GetInt32();

        var created = await AdminTestKit.JsonAsync(await admin.PostAsJsonAsync("/admin/settings",
            new { settings = new { count_threshold = threshold + 7 }, change_note = "tests: raise threshold" }), HttpStatusCode.Created);
        var version = created.GetProperty("version").GetInt32();
        Assert.True(version > before.GetProperty("version").GetInt32());
        Assert.True(created.GetProperty("is_active").GetBoolean());
        Assert.Equal(threshold + 7, created.GetProperty("settings").GetProperty("count_threshold").GetInt32());
        Assert.Equal(before.GetProperty("settings").GetProperty("allowed_countries").GetRawText(),
            created.GetProperty("settings").GetProperty("allowed_countries").GetRawText());
        Assert.Equal("admin", created.GetProperty("created_by").GetString());

        var audit = await AdminTestKit.AuditAsync(graph.Database, "settings.changed", $"\"version\": {version}");
        Assert.Single(audit);
        Assert.Contains("count_threshold", audit[0].Details, StringComparison.Ordinal);
        Assert.Contains("tests: raise threshold", audit[0].Details, StringComparison.Ordinal);
        Assert.Equal("127.0.0.1", audit[0].Source);

        var history = await AdminTestKit.JsonAsync(await admin.GetAsync("/admin/settings/history?limit=5"), HttpStatusCode.OK);
        Assert.Equal(version, history.GetProperty("versions")[0].GetProperty("version").GetInt32());

        var previous = before.GetProperty("version").GetInt32();
        var rolledBack = await AdminTestKit.JsonAsync(await admin.PostAsJsonAsync($"/admin/settings/{previous}/activate",
            new { change_note = "tests: roll back" }), HttpStatusCode.OK);
        Assert.True(rolledBack.GetProperty("is_active").GetBoolean());
        var now = await ActiveAsync(admin);
        Assert.Equal(previous, now.GetProperty("version").GetInt32());
        Assert.Equal(threshold, now.GetProperty("settings").GetProperty("count_threshold").GetInt32());
        Assert.Single(await AdminTestKit.AuditAsync(graph.Database, "settings.activated", "tests: roll back"));

        await AdminTestKit.ProblemAsync(await admin.PostAsJsonAsync("/admin/settings/999999/activate", new { }),
            HttpStatusCode.NotFound, "NOT_FOUND");
    }

    // Which field each bad value names is SettingsPatchTests' (unit); here, that the API answers it and changes nothing.
    [Theory]
    [InlineData("""{"settings":{"hash_length":3},"change_note":"x"}""", "hash_length")]
    [InlineData("""{"settings":{"hash_length":"eight"},"change_note":"x"}""", "hash_length")]
    [InlineData("""{"settings":{"no_such_field":1},"change_note":"x"}""", "no_such_field")]
    [InlineData("""{"settings":[1],"change_note":"x"}""", "settings")]
    [InlineData("""{"settings":{"count_threshold":3}}""", "change_note")]
    [InlineData("""{"settings":{"count_threshold":3},"change_note":"   "}""", "change_note")]
    public async Task A_bad_payload_is_refused_with_the_field_at_fault_and_nothing_changes(string body, string field)
    {
        using var admin = graph.CreateClient();
        var before = await ActiveAsync(admin);
        using var response = await admin.PostAsync("/admin/settings", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        await AdminTestKit.ProblemAsync(response, HttpStatusCode.BadRequest, "VALIDATION_ERROR", field);
        var after = await ActiveAsync(admin);
        Assert.Equal(before.GetProperty("version").GetInt32(), after.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Credentials_inside_urls_are_masked_wherever_shown()
    {
        using var admin = graph.CreateClient();
        var before = await ActiveAsync(admin);
        var created = await AdminTestKit.JsonAsync(await admin.PostAsJsonAsync("/admin/settings", new
        {
            settings = new { sync_url = "https://hook:s3cret-pass@backend.example.org/sync?token=abcdef123" },
            change_note = "tests: url with credentials",
        }), HttpStatusCode.Created);
        var shown = created.GetProperty("settings").GetProperty("sync_url").GetString()!;
        Assert.DoesNotContain("s3cret-pass", shown, StringComparison.Ordinal);
        Assert.DoesNotContain("abcdef123", shown, StringComparison.Ordinal);
        Assert.Contains("backend.example.org/sync", shown, StringComparison.Ordinal);
        var history = await admin.GetStringAsync("/admin/settings/history");
        Assert.DoesNotContain("s3cret-pass", history, StringComparison.Ordinal);

        // Stored unmasked: the receiver needs the real URL.
        await using (var command = graph.Database.CreateCommand("SELECT settings->>'sync_url' FROM settings_versions WHERE version = $1"))
        {
            command.Parameters.Add(new() { Value = created.GetProperty("version").GetInt32() });
            Assert.Contains("s3cret-pass", (string)(await command.ExecuteScalarAsync())!, StringComparison.Ordinal);
        }

        await AdminTestKit.JsonAsync(await admin.PostAsJsonAsync($"/admin/settings/{before.GetProperty("version").GetInt32()}/activate",
            new { change_note = "tests: back" }), HttpStatusCode.OK);
    }
}
