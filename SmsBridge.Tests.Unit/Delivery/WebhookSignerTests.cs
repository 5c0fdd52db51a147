using System.Text;
using Microsoft.Extensions.Options;
using SmsBridge.Receiver;
using SmsBridge.Receiver.Delivery;
using SmsBridge.Tests.Delivery;

namespace SmsBridge.Tests.Delivery;

/// <summary>Webhook signatures as Standard Webhooks defines them, so any backend's library accepts them.</summary>
public sealed class WebhookSignerTests
{
    // The specification's own example (github.com/standard-webhooks/standard-webhooks, spec/standard-webhooks.md).
    private const string SpecSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string SpecId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static readonly DateTimeOffset SpecTimestamp = DateTimeOffset.FromUnixTimeSeconds(1614265330);
    private static readonly byte[] SpecBody = Encoding.UTF8.GetBytes("""{"test": 2432232314}""");

    private static WebhookSigner Signer(string secret, string? previous = null) =>
        new(Options.Create(new ReceiverSecrets { WebhookSecret = secret, WebhookSecretPrevious = previous }));

    [Fact]
    public void The_specification_example_signs_to_its_published_signature() =>
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", Signer(SpecSecret).Sign(SpecId, SpecTimestamp, SpecBody));

    [Fact]
    public void During_a_rotation_both_secrets_sign_and_a_backend_holding_either_accepts()
    {
        const string previous = "whsec_" + "c2Vjb25kLXNlY3JldC1vZi10d2VudHktZm91cg==";
        var header = Signer(SpecSecret, previous).Sign(SpecId, SpecTimestamp, SpecBody);
        Assert.Equal(2, header.Split(' ').Length);
        Assert.True(StandardWebhookVerifier.Verify(SpecSecret, SpecId, "1614265330", SpecBody, header, SpecTimestamp));
        Assert.True(StandardWebhookVerifier.Verify(previous, SpecId, "1614265330", SpecBody, header, SpecTimestamp));
    }

    [Fact]
    public void A_changed_body_id_or_timestamp_no_longer_verifies()
    {
        var header = Signer(SpecSecret).Sign(SpecId, SpecTimestamp, SpecBody);
        Assert.False(StandardWebhookVerifier.Verify(SpecSecret, SpecId, "1614265330", [.. SpecBody, (byte)' '], header, SpecTimestamp));
        Assert.False(StandardWebhookVerifier.Verify(SpecSecret, "msg_other", "1614265330", SpecBody, header, SpecTimestamp));
        Assert.False(StandardWebhookVerifier.Verify(SpecSecret, SpecId, "1614265331", SpecBody, header, SpecTimestamp));
    }
}
