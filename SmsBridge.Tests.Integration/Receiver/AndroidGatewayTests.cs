using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Receiver;

/// <summary>The Android SMS Gateway app's signed sms:received webhook.</summary>
[Collection(GraphCollection.Name)]
public sealed class AndroidGatewayTests(GraphFixture graph)
{
    private VerificationFlow Flow => graph.Flow;

    [Fact]
    public async Task A_correctly_signed_webhook_is_normalised_and_verifies()
    {
        var mobile = VerificationFlow.NewMobile();
        var code = await Flow.RegisterAsync(mobile);
        // The app sends numbers without '+' and local times with an offset.
        var body = Webhook(mobile.TrimStart('+'), "ONBOARD:" + code, "2026-11-23T14:05:06.000+05:30");

        using var response = await SendAsync(body, DateTimeOffset.UtcNow);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<Received>())!.message_id;
        Assert.Equal("verified", await Flow.OutcomeAsync(id));
        Assert.Equal(mobile, await Flow.ScalarAsync<string>("SELECT mobile_number FROM sms_inbox WHERE id = $1", id));
        Assert.Equal(mobile.TrimStart('+'), await Flow.ScalarAsync<string>("SELECT mobile_raw FROM sms_inbox WHERE id = $1", id));
        Assert.Equal(new DateTime(2026, 11, 23, 8, 35, 6, DateTimeKind.Utc),
            await Flow.ScalarAsync<DateTime>("SELECT received_at FROM sms_inbox WHERE id = $1", id));
        Assert.Equal(body, await Flow.ScalarAsync<string>("SELECT raw_payload FROM sms_inbox WHERE id = $1", id));
    }

    [Fact]
    public async Task A_bad_signature_a_stale_timestamp_and_a_replay_are_rejected()
    {
        var body = Webhook(VerificationFlow.NewMobile().TrimStart('+'), "hello", "2026-11-23T14:05:06.000+05:30");

        using var tampered = await SendAsync(body.Replace("hello", "hellO", StringComparison.Ordinal), DateTimeOffset.UtcNow, signatureFor: body);
        Assert.Equal(HttpStatusCode.Unauthorized, tampered.StatusCode);

        using var stale = await SendAsync(body, DateTimeOffset.UtcNow.AddMinutes(-6));
        Assert.Equal(HttpStatusCode.Unauthorized, stale.StatusCode);

        var now = DateTimeOffset.UtcNow;
        using var first = await SendAsync(body, now);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        using var replay = await SendAsync(body, now);
        Assert.Equal(HttpStatusCode.Unauthorized, replay.StatusCode);
        Assert.Equal("UNAUTHORIZED", await VerificationFlowTests.ProblemCodeAsync(replay));
    }

    private static string Webhook(string phone, string message, string receivedAt) =>
        $$$"""{"event":"sms:received","id":"{{{Guid.NewGuid():N}}}","deviceId":"phone-1","webhookId":"w1","payload":{"messageId":"{{{Guid.NewGuid():N}}}","message":"{{{message}}}","phoneNumber":"{{{phone}}}","simNumber":1,"receivedAt":"{{{receivedAt}}}"}}""";

    private async Task<HttpResponseMessage> SendAsync(string body, DateTimeOffset at, string? signatureFor = null)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        // The gateway's scheme, written out independently of the receiver's code: hex HMAC-SHA256(key, body + timestamp).
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Flow.Secret("gateway-signing-key")),
            Encoding.UTF8.GetBytes((signatureFor ?? body) + timestamp)));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/sms/receive/android-sms-gateway")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Timestamp", timestamp);
        request.Headers.Add("X-Signature", signature);
        return await Flow.Receiver.SendAsync(request);
    }

    private sealed record Received(string status, Guid message_id, bool queued_for_processing);
}
