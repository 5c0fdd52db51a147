using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace SmsBridge.Receiver.Inbound;

/// <summary>
/// The Android SMS Gateway app's webhook signature: hex HMAC-SHA256 with the shared key over the raw body
/// followed directly by the <c>X-Timestamp</c> value (Unix seconds), accepted within a window of our clock.
/// </summary>
public static class GatewaySignature
{
    public static string Compute(byte[] key, byte[] body, string timestamp) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(key, (byte[])[.. body, .. Encoding.UTF8.GetBytes(timestamp)]));

    public static bool IsFresh(string? timestamp, DateTimeOffset now, TimeSpan window) =>
        long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
        && seconds < 100_000_000_000
        && Math.Abs(now.ToUnixTimeSeconds() - seconds) <= window.TotalSeconds;

    public static bool Matches(byte[] key, byte[] body, string timestamp, string? signature)
    {
        if (string.IsNullOrEmpty(signature) || signature.Length != 64) return false;
        var expected = Encoding.ASCII.GetBytes(Compute(key, body, timestamp));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signature.ToLowerInvariant()));
    }
}
