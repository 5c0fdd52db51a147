using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace SmsBridge.Tests.Admin;

/// <summary>Per-operator API tokens through the real API: scoped, shown once, stored hashed, revocable, capped by the owner's role.</summary>
[Collection(AdminGraphCollection.Name)]
public sealed class ApiTokenTests(AdminGraphFixture graph)
{
    private HttpClient Bearer(string token)
    {
        var client = graph.CreateClient(user: null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<JsonElement> CreateAsync(HttpClient client, object request) =>
        await AdminTestKit.JsonAsync(await client.PostAsJsonAsync("/admin/account/tokens", request), HttpStatusCode.Created);

    [Fact]
    public async Task A_token_acts_with_its_role_records_its_use_and_stops_when_revoked_or_expired()
    {
        const string owner = "token-owner";
        const string password = "token-owner-password";
        await graph.CreateAccountAsync(owner, password);
        using var admin = graph.CreateClient(owner, password);

        var scraper = await CreateAsync(admin, new { name = "laptop prometheus", role = "viewer", expires_in_days = 30 });
        var scraperToken = scraper.GetProperty("token").GetString()!;
        Assert.StartsWith("sbat_", scraperToken, StringComparison.Ordinal);
        Assert.Equal("viewer", scraper.GetProperty("role").GetString());
        var expires = scraper.GetProperty("expires_at").GetDateTimeOffset() - scraper.GetProperty("created_at").GetDateTimeOffset();
        Assert.Equal(TimeSpan.FromDays(30), expires);

        var writer = await CreateAsync(admin, new { name = "blacklist sync" });
        Assert.Equal("admin", writer.GetProperty("role").GetString());
        Assert.Equal(90, (writer.GetProperty("expires_at").GetDateTimeOffset() - writer.GetProperty("created_at").GetDateTimeOffset()).TotalDays);

        using (var viewerToken = Bearer(scraperToken))
        {
            Assert.Equal(HttpStatusCode.OK, (await viewerToken.GetAsync("/admin/monitoring/export-prometheus-config")).StatusCode);
            await AdminTestKit.ProblemAsync(await viewerToken.PostAsJsonAsync("/admin/blacklist", new { mobile_number = "+447700900771", reason = "t" }),
                HttpStatusCode.Forbidden, "FORBIDDEN");
            // A token cannot mint more tokens, whatever its role.
            await AdminTestKit.ProblemAsync(await viewerToken.PostAsJsonAsync("/admin/account/tokens", new { name = "child" }),
                HttpStatusCode.Forbidden, "FORBIDDEN");
        }

        using (var adminToken = Bearer(writer.GetProperty("token").GetString()!))
        {
            await AdminTestKit.JsonAsync(await adminToken.PostAsJsonAsync("/admin/blacklist", new { mobile_number = "+447700900772", reason = "token test" }),
                HttpStatusCode.Created);
            Assert.Equal(HttpStatusCode.OK, (await adminToken.DeleteAsync("/admin/blacklist/+447700900772")).StatusCode);
            Assert.Contains(await AdminTestKit.AuditAsync(graph.Database, "blacklist.added"), r => r.Actor == owner);
        }

        // Listed without the secret, with its last use; stored only as a hash.
        var listed = await AdminTestKit.JsonAsync(await admin.GetAsync("/admin/account/tokens"), HttpStatusCode.OK);
        var row = listed.GetProperty("tokens").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "laptop prometheus");
        Assert.Equal(JsonValueKind.Null, row.GetProperty("token").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, row.GetProperty("last_used_at").ValueKind);
        Assert.False(string.IsNullOrEmpty(row.GetProperty("last_used_from").GetString()));
        await using (var command = graph.Database.CreateCommand("SELECT count(*) FROM admin_api_tokens WHERE token_hash = sha256(convert_to($1, 'UTF8'))"))
        {
            command.Parameters.Add(new() { Value = scraperToken });
            Assert.Equal(1L, await command.ExecuteScalarAsync());
        }

        // Revoked: refused at once, and audited.
        var id = scraper.GetProperty("id").GetInt64();
        var revoked = await AdminTestKit.JsonAsync(await admin.DeleteAsync($"/admin/account/tokens/{id}"), HttpStatusCode.OK);
        Assert.Equal(owner, revoked.GetProperty("revoked_by").GetString());
        using (var afterRevoke = Bearer(scraperToken))
        {
            using var refused = await afterRevoke.GetAsync("/admin/settings");
            await AdminTestKit.ProblemAsync(refused, HttpStatusCode.Unauthorized, "UNAUTHORIZED");
            Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.Single().Scheme);
        }

        Assert.Contains(await AdminTestKit.AuditAsync(graph.Database, "token.created", "laptop prometheus"), r => r.Actor == owner);
        Assert.Contains(await AdminTestKit.AuditAsync(graph.Database, "token.revoked", "laptop prometheus"), r => r.Actor == owner);

        // Expired: refused like an unknown token.
        await using (var expire = graph.Database.CreateCommand("UPDATE admin_api_tokens SET expires_at = now() - interval '1 second' WHERE id = $1"))
        {
            expire.Parameters.Add(new() { Value = writer.GetProperty("id").GetInt64() });
            await expire.ExecuteNonQueryAsync();
        }

        using var expired = Bearer(writer.GetProperty("token").GetString()!);
        await AdminTestKit.ProblemAsync(await expired.GetAsync("/admin/settings"), HttpStatusCode.Unauthorized, "UNAUTHORIZED");
    }

    [Fact]
    public async Task A_token_is_capped_by_its_creators_role_now_and_bad_requests_are_refused_clearly()
    {
        using var viewer = graph.CreateClient(AdminGraphFixture.ViewerName);
        await AdminTestKit.ProblemAsync(await viewer.PostAsJsonAsync("/admin/account/tokens", new { name = "too high", role = "admin" }),
            HttpStatusCode.BadRequest, "VALIDATION_ERROR", "role");
        await AdminTestKit.ProblemAsync(await viewer.PostAsJsonAsync("/admin/account/tokens", new { name = "", role = "viewer" }),
            HttpStatusCode.BadRequest, "VALIDATION_ERROR", "name");
        await AdminTestKit.ProblemAsync(await viewer.PostAsJsonAsync("/admin/account/tokens", new { name = "forever", expires_in_days = 0 }),
            HttpStatusCode.BadRequest, "VALIDATION_ERROR", "expires_in_days");
        await CreateAsync(viewer, new { name = "viewer dashboards" });
        await AdminTestKit.ProblemAsync(await viewer.PostAsJsonAsync("/admin/account/tokens", new { name = "viewer dashboards" }),
            HttpStatusCode.Conflict, "ALREADY_EXISTS", "name");
        var others = await AdminTestKit.JsonAsync(await viewer.GetAsync("/admin/account/tokens"), HttpStatusCode.OK);
        Assert.All(others.GetProperty("tokens").EnumerateArray(), t => Assert.Equal(AdminGraphFixture.ViewerName, t.GetProperty("owner").GetString()));

        // An admin token whose owner is demoted acts as a viewer from then on.
        const string owner = "token-demoted";
        const string password = "token-demoted-password";
        await graph.CreateAccountAsync(owner, password);
        using var admin = graph.CreateClient(owner, password);
        var token = (await CreateAsync(admin, new { name = "ops script", role = "admin" })).GetProperty("token").GetString()!;
        await graph.CreateAccountAsync(owner, password, "viewer", "--update");
        using var capped = Bearer(token);
        Assert.Equal(HttpStatusCode.OK, (await capped.GetAsync("/admin/settings")).StatusCode);
        await AdminTestKit.ProblemAsync(await capped.PostAsJsonAsync("/admin/blacklist", new { mobile_number = "+447700900773", reason = "t" }),
            HttpStatusCode.Forbidden, "FORBIDDEN");
    }
}
