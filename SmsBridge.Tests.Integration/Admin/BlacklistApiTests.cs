using System.Net;
using System.Net.Http.Json;

namespace SmsBridge.Tests.Admin;

[Collection(AdminGraphCollection.Name)]
public sealed class BlacklistApiTests(AdminGraphFixture graph)
{
    [Fact]
    public async Task Add_list_and_remove_are_audited_with_the_mobile_masked()
    {
        using var admin = graph.CreateClient();
        const string mobile = "+447700900321";
        var added = await AdminTestKit.JsonAsync(await admin.PostAsJsonAsync("/admin/blacklist",
            new { mobile_number = mobile, reason = "fraud report 42" }), HttpStatusCode.Created);
        Assert.Equal(mobile, added.GetProperty("mobile_number").GetString());
        Assert.Equal("admin", added.GetProperty("created_by").GetString());

        var list = await AdminTestKit.JsonAsync(await admin.GetAsync("/admin/blacklist?search=900321"), HttpStatusCode.OK);
        Assert.Equal("fraud report 42", list.GetProperty("entries").EnumerateArray().Single().GetProperty("reason").GetString());

        await AdminTestKit.ProblemAsync(await admin.PostAsJsonAsync("/admin/blacklist", new { mobile_number = mobile, reason = "again" }),
            HttpStatusCode.Conflict, "ALREADY_EXISTS", "mobile_number");

        var audit = await AdminTestKit.AuditAsync(graph.Database, "blacklist.added", "fraud report 42");
        Assert.Single(audit);
        Assert.Equal("+********0321", audit[0].Subject);
        Assert.DoesNotContain(mobile, audit[0].Details, StringComparison.Ordinal);

        var removed = await AdminTestKit.JsonAsync(await admin.DeleteAsync($"/admin/blacklist/{Uri.EscapeDataString(mobile)}"), HttpStatusCode.OK);
        Assert.Equal(mobile, removed.GetProperty("mobile_number").GetString());
        await AdminTestKit.ProblemAsync(await admin.DeleteAsync($"/admin/blacklist/{Uri.EscapeDataString(mobile)}"), HttpStatusCode.NotFound, "NOT_FOUND");
        Assert.Single(await AdminTestKit.AuditAsync(graph.Database, "blacklist.removed", "fraud report 42"));

        await using var command = graph.Database.CreateCommand("SELECT count(*) FROM blacklist WHERE mobile_number = $1");
        command.Parameters.Add(new() { Value = mobile });
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }

    [Theory]
    [InlineData("""{"mobile_number":"07700900123","reason":"x"}""", "mobile_number")]
    [InlineData("""{"mobile_number":"+0447700900123","reason":"x"}""", "mobile_number")]
    [InlineData("""{"reason":"x"}""", "mobile_number")]
    [InlineData("""{"mobile_number":"+447700900777"}""", "reason")]
    [InlineData("""{"mobile_number":"+447700900777","reason":"  "}""", "reason")]
    public async Task Bad_entries_are_refused_with_the_field_at_fault(string body, string field)
    {
        using var admin = graph.CreateClient();
        using var response = await admin.PostAsync("/admin/blacklist", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        await AdminTestKit.ProblemAsync(response, HttpStatusCode.BadRequest, "VALIDATION_ERROR", field);
        await AdminTestKit.ProblemAsync(await admin.DeleteAsync("/admin/blacklist/not-a-number"), HttpStatusCode.BadRequest, "VALIDATION_ERROR");
    }
}
