using System.Net;
using System.Text.Json;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Receiver;

[Collection(GraphCollection.Name)]
public sealed class ReplayTests(GraphFixture graph)
{
    private VerificationFlow Flow => graph.Flow;

    [Fact]
    public async Task The_same_sms_posted_twice_gets_one_message_id_and_one_verification()
    {
        var mobile = VerificationFlow.NewMobile();
        var code = await Flow.RegisterAsync(mobile);
        var receivedAt = DateTimeOffset.UtcNow;

        var first = await Flow.ReceiveAsync(mobile, "ONBOARD:" + code, receivedAt);
        var second = await Flow.ReceiveAsync(mobile, "ONBOARD:" + code, receivedAt);

        Assert.Equal(first, second);
        Assert.Equal("verified", await Flow.OutcomeAsync(first));
        Assert.Equal(1L, await Flow.ScalarAsync<long>("SELECT count(*) FROM sms_inbox WHERE mobile_number = $1", mobile));
    }

    [Fact]
    public async Task The_same_code_used_twice_verifies_once()
    {
        var mobile = VerificationFlow.NewMobile();
        var code = await Flow.RegisterAsync(mobile);
        var first = await Flow.ReceiveAsync(mobile, "ONBOARD:" + code, DateTimeOffset.UtcNow.AddSeconds(-1));
        Assert.Equal("verified", await Flow.OutcomeAsync(first));
        var second = await Flow.ReceiveAsync(mobile, "ONBOARD:" + code);
        Assert.Equal("rejected:header_hash_check", await Flow.OutcomeAsync(second));
    }

    [Fact]
    public async Task Fifty_concurrent_receives_of_one_code_verify_exactly_once()
    {
        var mobile = VerificationFlow.NewMobile();
        var code = await Flow.RegisterAsync(mobile);
        var start = DateTimeOffset.UtcNow.AddMinutes(-1);

        var ids = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => Flow.ReceiveAsync(mobile, "ONBOARD:" + code, start.AddMilliseconds(i))));

        Assert.Equal(50, ids.Distinct().Count());
        var outcomes = await Task.WhenAll(ids.Select(id => Flow.OutcomeAsync(id)));
        Assert.Equal(1, outcomes.Count(o => o == "verified"));
    }

    [Fact]
    public async Task Form_posts_are_accepted_like_json()
    {
        var mobile = VerificationFlow.NewMobile();
        var code = await Flow.RegisterAsync(mobile);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["mobile_number"] = mobile,
            ["message"] = "ONBOARD:" + code,
            ["received_at"] = DateTimeOffset.UtcNow.ToString("O"),
        });
        using var response = await Flow.Gateway.PostAsync(new Uri("/sms/receive?apiKey=" + Uri.EscapeDataString(Flow.Secret("gateway-api-key")), UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("received", body.RootElement.GetProperty("status").GetString());
        Assert.True(body.RootElement.GetProperty("queued_for_processing").GetBoolean());
        Assert.Equal("verified", await Flow.OutcomeAsync(body.RootElement.GetProperty("message_id").GetGuid()));
    }
}
