using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace SmsBridge.Receiver.Delivery;

/// <summary>
/// Standard Webhooks signatures: <c>v1,&lt;base64 HMAC-SHA256 of "{id}.{timestamp}.{body}"&gt;</c> keyed with the
/// decoded <c>whsec_</c> secret; during a rotation the previous secret signs too (space-separated).
/// </summary>
public sealed class WebhookSigner
{
    private readonly byte[][] _keys;

    public WebhookSigner(IOptions<ReceiverSecrets> secrets)
    {
        _keys = new[] { secrets.Value.WebhookSecret, secrets.Value.WebhookSecretPrevious }
            .Where(s => !string.IsNullOrEmpty(s))
            .Select(s => Decode(s!))
            .ToArray();
    }

    public string Sign(string id, DateTimeOffset timestamp, byte[] body)
    {
        var content = Encoding.UTF8.GetBytes($"{id}.{timestamp.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}.");
        byte[] signed = [.. content, .. body];
        return string.Join(' ', _keys.Select(key => "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed))));
    }

    private static byte[] Decode(string secret) =>
        Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret["whsec_".Length..] : secret);
}
