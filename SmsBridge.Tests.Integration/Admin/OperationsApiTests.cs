using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Admin;

[Collection(AdminGraphCollection.Name)]
public sealed class OperationsApiTests(AdminGraphFixture graph)
{
    [Fact]
    public async Task Trigger_recovery_files_a_request_and_answers_the_workers_result()
    {
        using var admin = graph.CreateClient();
        var call = admin.PostAsync("/admin/trigger-recovery", null);

        // Play the delivery worker unless the real one answers first: finish the request while the endpoint waits.
        long id = 0;
        await Eventually.TrueAsync(async () =>
        {
            await using var find = graph.Database.CreateCommand("SELECT id FROM recovery_requests WHERE requested_by = 'admin' ORDER BY id DESC LIMIT 1");
            id = await find.ExecuteScalarAsync() is long found ? found : 0;
            return id > 0;
        }, TimeSpan.FromSeconds(10), "the recovery request row");
        await using (var finish = graph.Database.CreateCommand(
            "UPDATE recovery_requests SET status = 'done', requeued = 3, finished_at = now() WHERE id = $1 AND status = 'pending'"))
        {
            finish.Parameters.Add(new() { Value = id });
            await finish.ExecuteNonQueryAsync();
        }

        using var response = await call;
        var body = await AdminTestKit.JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal(id, body.GetProperty("request_id").GetInt64());
        await using var row = graph.Database.CreateCommand("SELECT status, requeued FROM recovery_requests WHERE id = $1");
        row.Parameters.Add(new() { Value = id });
        await using var reader = await row.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal(reader.GetString(0), body.GetProperty("status").GetString());
        Assert.Equal(reader.GetInt32(1), body.GetProperty("requeued").GetInt32());
        Assert.NotEmpty(await AdminTestKit.AuditAsync(graph.Database, "recovery.triggered", $"recovery request {id}"));
    }

    [Fact]
    public async Task Sms_lookup_finds_a_message_by_id_and_refuses_bad_ids()
    {
        using var viewer = graph.CreateClient(AdminGraphFixture.ViewerName);
        var id = Guid.NewGuid();
        await using (var insert = graph.Database.CreateCommand("""
            INSERT INTO sms_inbox (id, dedupe_key, source, mobile_number, mobile_raw, message, raw_payload, received_at, received_at_raw, outcome)
            VALUES ($1, $2, 'api', '+447700900444', '447700900444', 'ONBOARD:ABCDEFGH', '{}', now(), '2026-11-23T09:00:00Z', 'rejected:blacklist_check')
            """))
        {
            insert.Parameters.Add(new() { Value = id });
            insert.Parameters.Add(new() { Value = "tests-" + id });
            await insert.ExecuteNonQueryAsync();
        }

        var sms = await AdminTestKit.JsonAsync(await viewer.GetAsync($"/admin/sms/{id}"), HttpStatusCode.OK);
        Assert.Equal(id, sms.GetProperty("message_id").GetGuid());
        Assert.Equal("rejected:blacklist_check", sms.GetProperty("outcome").GetString());
        Assert.Equal("ONBOARD:ABCDEFGH", sms.GetProperty("message").GetString());

        await AdminTestKit.ProblemAsync(await viewer.GetAsync($"/admin/sms/{Guid.NewGuid()}"), HttpStatusCode.NotFound, "NOT_FOUND");
        await AdminTestKit.ProblemAsync(await viewer.GetAsync("/admin/sms/not-a-uuid"), HttpStatusCode.BadRequest, "VALIDATION_ERROR", "message_id");
    }

    [Fact]
    public async Task Audit_search_filters_by_type_prefix_actor_and_time_and_pages()
    {
        using var admin = graph.CreateClient();
        var from = DateTimeOffset.UtcNow.AddSeconds(-1);
        for (var i = 0; i < 3; i++)
        {
            using var added = await admin.PostAsJsonAsync("/admin/blacklist", new { mobile_number = $"+44770090060{i}", reason = "audit search" });
            Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        }

        var url = $"/admin/audit?event_type=blacklist.&actor=admin&from={Uri.EscapeDataString(from.ToString("O"))}&limit=2";
        var page = await AdminTestKit.JsonAsync(await admin.GetAsync(url), HttpStatusCode.OK);
        var events = page.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.StartsWith("blacklist.", e.GetProperty("event_type").GetString(), StringComparison.Ordinal));
        Assert.All(events, e => Assert.Equal("admin", e.GetProperty("actor").GetString()));
        var next = page.GetProperty("next_before_id").GetInt64();
        var rest = await AdminTestKit.JsonAsync(await admin.GetAsync(url + $"&before_id={next}"), HttpStatusCode.OK);
        Assert.True(rest.GetProperty("events").GetArrayLength() >= 1);
        Assert.All(rest.GetProperty("events").EnumerateArray(), e => Assert.True(e.GetProperty("id").GetInt64() < next));

        var none = await AdminTestKit.JsonAsync(await admin.GetAsync("/admin/audit?actor=nobody-at-all"), HttpStatusCode.OK);
        Assert.Equal(0, none.GetProperty("events").GetArrayLength());
        Assert.Equal(JsonValueKind.Null, none.GetProperty("next_before_id").ValueKind);

        await AdminTestKit.ProblemAsync(await admin.GetAsync("/admin/audit?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z"),
            HttpStatusCode.BadRequest, "VALIDATION_ERROR", "to");
        await AdminTestKit.ProblemAsync(await admin.GetAsync("/admin/audit?from=yesterday"), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }
}
