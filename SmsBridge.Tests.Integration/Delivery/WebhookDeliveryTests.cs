using System.Text;
using System.Text.Json;
using SmsBridge.Tests.Infrastructure;

namespace SmsBridge.Tests.Delivery;

/// <summary>Signed webhooks to a real backend stub: retries, dead-letter and recovery, erasure after delivery.</summary>
[Collection(DeliveryGraphCollection.Name)]
public sealed class WebhookDeliveryTests(DeliveryGraphFixture graph)
{
    private VerificationFlow Flow => graph.Flow;

    private string Secret => Flow.Secret("webhook-secret");

    [Fact]
    public async Task Webhook_is_signed_and_a_tampered_body_or_old_timestamp_fails_verification()
    {
        await using var sink = new WebhookSink(Secret);
        await sink.StartAsync();
        await Flow.PointAtAsync(sink);
        var mobile = VerificationFlow.NewMobile();

        var id = await Flow.OnboardAsync(mobile, "7531");
        await Flow.WaitDeliveredAsync([id], TimeSpan.FromSeconds(15));

        var delivery = Assert.Single(sink.Received, r => r.Id == id.ToString());
        Assert.True(delivery.SignatureValid);
        using var body = JsonDocument.Parse(delivery.Body);
        Assert.Equal(id, body.RootElement.GetProperty("event_id").GetGuid());
        Assert.Equal(mobile, body.RootElement.GetProperty("mobile_number").GetString());
        Assert.Equal("7531", body.RootElement.GetProperty("pin").GetString());
        Assert.EndsWith("Z", body.RootElement.GetProperty("verified_at").GetString(), StringComparison.Ordinal);

        var tampered = Encoding.UTF8.GetBytes(delivery.BodyText.Replace("7531", "7532", StringComparison.Ordinal));
        Assert.False(StandardWebhookVerifier.Verify(Secret, delivery.Id, delivery.Timestamp, tampered, delivery.Signature, DateTimeOffset.UtcNow));
        Assert.False(StandardWebhookVerifier.Verify(Secret, delivery.Id, delivery.Timestamp, delivery.Body, delivery.Signature,
            DateTimeOffset.UtcNow.AddMinutes(10)));
        Assert.False(StandardWebhookVerifier.Verify("whsec_" + Convert.ToBase64String(new byte[32]), delivery.Id, delivery.Timestamp,
            delivery.Body, delivery.Signature, DateTimeOffset.UtcNow));

        // Delivered: the PIN ciphertext is gone; a salted, keyed hash remains.
        Assert.Null(await Flow.ScalarAsync<byte[]>("SELECT pin_ciphertext FROM webhook_outbox WHERE id = $1", id));
        var hash = await Flow.ScalarAsync<byte[]>("SELECT pin_hash FROM webhook_outbox WHERE id = $1", id);
        Assert.Equal(32, hash!.Length);
    }

    [Fact]
    public async Task Three_503s_then_200_is_one_delivery_of_four_attempts_with_one_webhook_id()
    {
        await using var sink = new WebhookSink(Secret) { Respond = attempt => attempt <= 3 ? 503 : 200 };
        await sink.StartAsync();
        await Flow.PointAtAsync(sink);

        var id = await Flow.OnboardAsync(VerificationFlow.NewMobile());
        await Flow.WaitDeliveredAsync([id], TimeSpan.FromSeconds(30));

        var attempts = sink.Received.Where(r => r.Id == id.ToString()).ToList();
        Assert.Equal([503, 503, 503, 200], attempts.Select(a => a.Status));
        Assert.All(attempts, a => Assert.True(a.SignatureValid));
        Assert.Single(attempts.Select(a => a.BodyText).Distinct());
        Assert.Equal(4L, await Flow.ScalarAsync<long>("SELECT count(*) FROM webhook_attempts WHERE outbox_id = $1", id));
        Assert.Equal(3L, await Flow.ScalarAsync<long>("SELECT count(*) FROM webhook_attempts WHERE outbox_id = $1 AND status_code = 503", id));
    }

    [Fact]
    public async Task A_400_is_dead_lettered_at_once_and_recovery_redelivers_it_once_the_backend_is_fixed()
    {
        await using var sink = new WebhookSink(Secret) { Respond = _ => 400 };
        await sink.StartAsync();
        await Flow.PointAtAsync(sink);

        var id = await Flow.OnboardAsync(VerificationFlow.NewMobile());
        await Eventually.TrueAsync(async () => await Flow.ScalarAsync<string>("SELECT status FROM webhook_outbox WHERE id = $1", id) == "dead",
            TimeSpan.FromSeconds(15), "the hand-off is dead-lettered");
        Assert.Single(sink.Received, r => r.Id == id.ToString());

        sink.Respond = _ => 204;
        await Flow.ExecuteAsync("INSERT INTO recovery_requests (requested_by) VALUES ('operator')");

        await Flow.WaitDeliveredAsync([id], TimeSpan.FromSeconds(15));
        Assert.Equal("done", await Flow.ScalarAsync<string>("SELECT status FROM recovery_requests ORDER BY id DESC LIMIT 1"));
        Assert.True(await Flow.ScalarAsync<int>("SELECT requeued FROM recovery_requests ORDER BY id DESC LIMIT 1") >= 1);
        Assert.Equal(2, sink.Received.Count(r => r.Id == id.ToString()));
    }
}
