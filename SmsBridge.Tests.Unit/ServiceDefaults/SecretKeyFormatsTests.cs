using SmsBridge.ServiceDefaults.Secrets;

namespace SmsBridge.Tests.ServiceDefaults;

/// <summary>Secrets that are keys must decode to key material of the right size, or start is refused with what is wrong.</summary>
public sealed class SecretKeyFormatsTests
{
    private static string Base64Of(int bytes) => Convert.ToBase64String(new byte[bytes]);

    [Theory]
    [InlineData("PinEncryptionKey")]
    [InlineData("hashkey")]
    [InlineData("BackupEncryptionKey")]
    public void A_base64_key_must_hold_exactly_32_bytes(string name)
    {
        Assert.Null(SecretKeyFormats.Problem(name, Base64Of(32)));
        Assert.Null(SecretKeyFormats.Problem(name, " " + Base64Of(32) + "\n"));
        Assert.Contains("32 bytes", SecretKeyFormats.Problem(name, Base64Of(31)), StringComparison.Ordinal);
        Assert.NotNull(SecretKeyFormats.Problem(name, "not base64 at all!"));
    }

    [Fact]
    public void The_webhook_secret_is_whsec_and_24_to_64_bytes()
    {
        Assert.Null(SecretKeyFormats.Problem("WebhookSecret", "whsec_" + Base64Of(24)));
        Assert.Null(SecretKeyFormats.Problem("WebhookSecret", Base64Of(64)));
        Assert.NotNull(SecretKeyFormats.Problem("WebhookSecret", "whsec_" + Base64Of(23)));
        Assert.NotNull(SecretKeyFormats.Problem("WebhookSecret", "whsec_" + Base64Of(65)));
    }

    [Fact]
    public void A_password_secret_has_no_key_format() => Assert.Null(SecretKeyFormats.Problem("AdminPassword", "anything"));
}
