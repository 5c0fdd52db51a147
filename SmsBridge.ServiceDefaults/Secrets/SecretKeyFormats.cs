namespace SmsBridge.ServiceDefaults.Secrets;

/// <summary>
/// The secrets that are keys rather than passwords: their value must decode to key material of the right size, so a
/// malformed one is refused at start with the other secret problems instead of failing later with a stack trace.
/// </summary>
public static class SecretKeyFormats
{
    private const string Generate = "generate one with: openssl rand -base64 32";

    /// <summary>Setting name under <c>Secrets:</c> → the key bytes its base64 must hold.</summary>
    public static readonly IReadOnlyDictionary<string, int> Base64Keys = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
    {
        ["PinEncryptionKey"] = 32,
        ["HashKey"] = 32,
        ["BackupEncryptionKey"] = 32,
    };

    /// <summary>The Standard Webhooks signing secret: <c>whsec_</c> and base64 of 24 to 64 bytes.</summary>
    public const string WebhookSecret = "WebhookSecret";

    /// <summary>What is wrong with the value of <c>Secrets:<paramref name="name"/></c> as a key, or null.</summary>
    public static string? Problem(string name, string value)
    {
        var trimmed = value.Trim();
        if (Base64Keys.TryGetValue(name, out var size))
        {
            return Decoded(trimmed) is { } bytes && bytes.Length == size ? null : $"is not base64 of {size} bytes ({Generate})";
        }

        if (!name.Equals(WebhookSecret, StringComparison.OrdinalIgnoreCase)) return null;
        var material = trimmed.StartsWith("whsec_", StringComparison.Ordinal) ? trimmed["whsec_".Length..] : trimmed;
        return Decoded(material) is { Length: >= 24 and <= 64 } ? null : "is not whsec_ and base64 of 24 to 64 bytes (generate: echo \"whsec_$(openssl rand -base64 32)\")";
    }

    private static byte[]? Decoded(string base64)
    {
        var buffer = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, buffer, out var written) ? buffer[..written] : null;
    }
}
