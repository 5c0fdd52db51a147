using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SmsBridge.Tests.Delivery;

/// <summary>
/// How a backend checks SMS Bridge's webhooks (Standard Webhooks): recompute
/// base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{raw body}")) with the key decoded from
/// <c>whsec_&lt;base64&gt;</c>, compare in constant time with any <c>v1,</c> signature in the header
/// (several, space-separated, during a secret rotation), and refuse timestamps outside a tolerance.
/// Then dedupe by webhook-id: delivery is at least once.
/// </summary>
public static class StandardWebhookVerifier
{
    public static bool Verify(string secret, string webhookId, string webhookTimestamp, byte[] body, string signatureHeader,
        DateTimeOffset now, TimeSpan? tolerance = null)
    {
        if (!long.TryParse(webhookTimestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return false;
        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > (tolerance ?? TimeSpan.FromMinutes(5)).TotalSeconds) return false;

        var key = Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret[6..] : secret);
        var signed = Encoding.UTF8.GetBytes($"{webhookId}.{webhookTimestamp}.").Concat(body).ToArray();
        var expected = Encoding.ASCII.GetBytes(Convert.ToBase64String(HMACSHA256.HashData(key, signed)));
        foreach (var candidate in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = candidate.Split(',', 2);
            if (parts.Length == 2 && parts[0] == "v1" && CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(parts[1])))
            {
                return true;
            }
        }

        return false;
    }
}
